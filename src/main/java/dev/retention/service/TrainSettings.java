package dev.retention.service;

import dev.retention.data.ExportSchema;
import dev.retention.training.TrainingOptions;

/**
 * What the train function does with an export.
 *
 * @param exportPrefix only keys under this prefix are trained on
 * @param schema columns and rejection limit
 * @param options training hyper-parameters
 */
public record TrainSettings(String exportPrefix, ExportSchema schema, TrainingOptions options) {}
