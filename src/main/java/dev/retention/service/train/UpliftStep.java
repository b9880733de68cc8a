package dev.retention.service.train;

import dev.retention.campaign.UpliftTraining;
import dev.retention.campaign.UpliftTrainingOptions;
import dev.retention.core.FeatureMatrix;
import dev.retention.data.ExportSchema;
import dev.retention.model.RetentionModel;
import dev.retention.model.UpliftModel;
import dev.retention.training.CanonicalOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The uplift model of a training export with a treatment column (issue 21, decision 0022): fitted
 * by {@link UpliftTraining} on the repurchase model's own features and label, and attached to the
 * model. When it cannot be fitted (too few treated or control customers for the minimum size, an
 * arm without buyers, no learner better than random order on held-out customers) the repurchase
 * model still publishes, with a warning that says why there is no uplift model: the campaign data
 * adds to the model, it never stops it.
 */
final class UpliftStep {

  private UpliftStep() {}

  /** Warnings start with this, so a reader (and a test) finds them. */
  static final String NO_UPLIFT = "no uplift model: ";

  /**
   * What the export said about the campaign.
   *
   * @param features the export's features, rows as read
   * @param labels bought in the window, per row
   * @param treatment contacted (1), held out (0) or in neither arm (2), per row
   * @param treatmentColumn the setting's column
   */
  record Campaign(FeatureMatrix features, int[] labels, int[] treatment, String treatmentColumn) {}

  /** The model with its uplift part, or with a warning saying why it has none. */
  static RetentionModel attach(RetentionModel model, Campaign campaign, TrainSettings settings) {
    if (campaign == null) {
      return model;
    }
    // Customers of neither arm (another arm of the test) train the repurchase model only.
    int[] arms = campaign.treatment();
    int n = 0;
    for (int t : arms) {
      n += t == ExportSchema.Treatment.OUTSIDE ? 0 : 1;
    }
    int[] rows = new int[n];
    int[] treatment = new int[n];
    int[] labels = new int[n];
    for (int i = 0, k = 0; i < arms.length; i++) {
      if (arms[i] != ExportSchema.Treatment.OUTSIDE) {
        rows[k] = i;
        treatment[k] = arms[i];
        labels[k++] = campaign.labels()[i];
      }
    }
    FeatureMatrix features =
        modelColumns(campaign.features(), model.featureNames()).selectRows(rows);
    String[] ids = contentIds(features, labels, treatment);
    int minimumSize = settings.segments().minSize();
    UpliftModel uplift;
    try {
      uplift =
          UpliftTraining.fit(
              ids,
              features,
              treatment,
              labels,
              UpliftTrainingOptions.defaults()
                  .withLog1pColumns(settings.options().log1pColumns())
                  .withSeed(settings.options().seed()),
              minimumSize);
    } catch (IllegalArgumentException e) {
      // The engine's messages name counts and settings only, never a customer's value.
      return warn(model, e.getMessage());
    }
    if (!(uplift.heldOut().qini() > 0)) {
      return warn(
          model,
          "no learner ranked the held-out customers better than random order (best Qini"
              + " coefficient "
              + uplift.heldOut().qini()
              + ")");
    }
    String monetary = settings.segments().monetaryFeature();
    return model.withUplift(
        uplift.toRecord(
            campaign.treatmentColumn(), model.featureNames().contains(monetary) ? monetary : null));
  }

  /**
   * Without an id column (an export such as Hillstrom's has none), the rows' place in the canonical
   * order of their content (features, label, treatment) stands in for an id: rows with the same
   * content are interchangeable, so the same rows in any order give the same model.
   */
  private static String[] contentIds(FeatureMatrix features, int[] labels, int[] treatment) {
    int[] order = CanonicalOrder.of(features, labels, treatment);
    String[] ids = new String[order.length];
    for (int k = 0; k < order.length; k++) {
      ids[order[k]] = String.format(java.util.Locale.ROOT, "%010d", k);
    }
    return ids;
  }

  /** The export's columns in the model's feature order. */
  private static FeatureMatrix modelColumns(FeatureMatrix matrix, List<String> names) {
    if (matrix.columns().equals(names)) {
      return matrix;
    }
    int n = matrix.rows();
    int d = names.size();
    int[] index = new int[d];
    for (int c = 0; c < d; c++) {
      index[c] = matrix.indexOf(names.get(c));
      if (index[c] < 0) {
        throw new IllegalStateException("feature '" + names.get(c) + "' is not in the export");
      }
    }
    double[] data = new double[n * d];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < d; c++) {
        data[r * d + c] = matrix.get(r, index[c]);
      }
    }
    return new FeatureMatrix(names, data);
  }

  private static RetentionModel warn(RetentionModel model, String reason) {
    RetentionModel.Provenance p = model.provenance();
    List<String> warnings = new ArrayList<>(p.warnings());
    warnings.add(NO_UPLIFT + reason);
    return model.withProvenance(
        new RetentionModel.Provenance(
            p.library(),
            p.libraryVersion(),
            p.seed(),
            p.parameters(),
            p.rowsRead(),
            p.rowsUsed(),
            p.rowsRejected(),
            p.rejections(),
            p.source(),
            p.timingsMs(),
            List.copyOf(warnings)));
  }
}
