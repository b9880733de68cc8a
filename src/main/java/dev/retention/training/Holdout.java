package dev.retention.training;

import dev.retention.core.FeatureMatrix;
import dev.retention.core.KSelection;
import dev.retention.core.StratifiedSplit;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A model's held-out customers: the raw features (in the model's feature order) and labels of the
 * validation split its metrics were computed on, at most {@link #MAX_ROWS} of them (a seeded sample
 * beyond). Kept next to the model, shop-private like {@code features.csv.gz} and without ids, so
 * that the next training can score itself and this model on them: the quality gate's comparison on
 * the live model's own customers ({@link HoldoutComparisons}).
 *
 * @param features raw features, one row per held-out customer
 * @param labels 0/1 per row
 */
public record Holdout(FeatureMatrix features, int[] labels) {

  /** Enough customers for an AUC within about 0.005; a bounded companion at any export size. */
  public static final int MAX_ROWS = 50_000;

  public Holdout {
    if (labels.length != features.rows()) {
      throw new IllegalArgumentException(
          labels.length + " labels for " + features.rows() + " held-out rows");
    }
  }

  /** The train/validation split of a training: the one definition {@link Trainer} uses. */
  static StratifiedSplit split(int[] labels, TrainingOptions options) {
    return StratifiedSplit.of(labels, options.evaluation().validationFraction(), options.seed());
  }

  /** The held-out customers of a training on {@code data} with {@code options}. */
  public static Holdout of(TrainingRows data, TrainingOptions options) {
    int[] labels = data.labels();
    int[] rows = split(labels, options).validation();
    if (rows.length > MAX_ROWS) {
      int[] picked =
          KSelection.sample(rows.length, MAX_ROWS, new SplittableRandom(options.seed() + 11));
      int[] sampled = new int[MAX_ROWS];
      for (int i = 0; i < MAX_ROWS; i++) {
        sampled[i] = rows[picked[i]];
      }
      Arrays.sort(sampled);
      rows = sampled;
    }
    return new Holdout(data.rawRows(rows), StratifiedSplit.pick(labels, rows));
  }

  /** The held-out customers of a training on {@code input} (the train function's rows). */
  public static Holdout of(Trainer.Input input, TrainingOptions options) {
    return of(new InMemoryRows(input.features(), input.labels(), input.windowPurchases()), options);
  }
}
