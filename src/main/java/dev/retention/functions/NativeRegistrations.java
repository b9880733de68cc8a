package dev.retention.functions;

import dev.retention.core.KMeansOptions;
import dev.retention.core.KSelection;
import dev.retention.core.LogisticOptions;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import dev.retention.service.batch.BatchSummary;
import dev.retention.service.train.TrainSummary;
import dev.retention.training.EvaluationOptions;
import dev.retention.training.NonLinearOptions;
import dev.retention.training.TrainingOptions;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every type Jackson or {@link SettingsBinder} reads or writes by reflection, registered for
 * GraalVM native images (the JVM needs nothing of this). Records are (de)serialized through their
 * canonical constructors and accessors, which a native image only keeps when registered. The
 * S3Event, HttpApiRequest, HttpApiResponse, TrainResponse and BatchScoreResponse types are
 * registered by Funqy itself as function input/output, and listed here too so that their nested
 * records are covered.
 */
@RegisterForReflection(
    targets = {
      S3Event.class,
      S3Event.Record.class,
      S3Event.Entity.class,
      S3Event.Bucket.class,
      S3Event.S3Object.class,
      HttpApiRequest.class,
      HttpApiRequest.RequestContext.class,
      HttpApiRequest.Http.class,
      HttpApiResponse.class,
      TrainResponse.class,
      TrainSummary.class,
      BatchScoreResponse.class,
      BatchSummary.class,
      RetentionModel.class,
      RetentionModel.Feature.class,
      RetentionModel.Segmentation.class,
      RetentionModel.Classifier.class,
      RetentionModel.NonLinearDecision.class,
      RetentionModel.Evaluation.class,
      RetentionModel.Confusion.class,
      RetentionModel.Segment.class,
      RetentionModel.Provenance.class,
      RetentionModel.Derivation.class,
      RetentionModel.FeatureDefinition.class,
      Playbook.class,
      Playbook.Rule.class,
      RetentionModel.KSearch.class,
      RetentionModel.CalibrationBin.class,
      RetentionModel.LiftBin.class,
      RetentionModel.CurvePoint.class,
      // Bound from configuration by SettingsBinder (record components and canonical constructors).
      TrainingOptions.class,
      KSelection.Options.class,
      KMeansOptions.class,
      LogisticOptions.class,
      NonLinearOptions.class,
      EvaluationOptions.class
    })
public final class NativeRegistrations {

  private NativeRegistrations() {}
}
