package dev.retention.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.data.ExportSchema;
import dev.retention.service.train.TrainSettings;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: the Spark trainer fits no uplift model, so with a treatment column configured it
 * refuses before reading anything, naming the setting (decision 0022's addendum).
 */
class SparkTreatmentRefusalTest {

  @Test
  void aConfiguredTreatmentColumnIsRefusedNamingTheSetting() {
    TrainSettings campaign =
        TrainSettings.defaults()
            .withSchema(
                ExportSchema.defaults().withTreatment(ExportSchema.Treatment.of("treated")));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SparkTrainJob.refuseTreatment(campaign));
    assertTrue(e.getMessage().contains("retention.export.treatment-column"), e.getMessage());
    assertDoesNotThrow(() -> SparkTrainJob.refuseTreatment(TrainSettings.defaults()));
  }
}
