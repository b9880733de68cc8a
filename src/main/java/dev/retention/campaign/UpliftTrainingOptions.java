package dev.retention.campaign;

import dev.retention.core.Described;
import dev.retention.core.UpliftLearner;
import dev.retention.core.UpliftLearnerOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an uplift model is trained and chosen.
 *
 * @param learner the learners' hyper-parameters
 * @param candidates the learners compared (default all three, in {@link UpliftLearner} order, which
 *     also breaks ties: the simpler first)
 * @param validationFraction share of the customers held out for the choice and the published
 *     metrics, stratified by treatment × outcome (default 0.3: a Qini estimate needs more held-out
 *     customers than an AUC does)
 * @param groups groups of the uplift-by-decile table before the privacy rule merges any (default
 *     10)
 * @param seed of the split (default 42)
 * @param log1pColumns features log1p-transformed before standardizing (default none)
 */
public record UpliftTrainingOptions(
    UpliftLearnerOptions learner,
    List<UpliftLearner> candidates,
    double validationFraction,
    int groups,
    long seed,
    List<String> log1pColumns)
    implements Described {

  public UpliftTrainingOptions {
    if (learner == null) {
      throw new IllegalArgumentException("learner options must be set");
    }
    candidates = List.copyOf(candidates);
    log1pColumns = List.copyOf(log1pColumns);
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("at least one uplift learner is needed");
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "the validation fraction must be in (0, 1), got " + validationFraction);
    }
    if (groups < 1) {
      throw new IllegalArgumentException("groups must be >= 1, got " + groups);
    }
  }

  public static UpliftTrainingOptions defaults() {
    return new UpliftTrainingOptions(
        UpliftLearnerOptions.defaults(), List.of(UpliftLearner.values()), 0.3, 10, 42, List.of());
  }

  public UpliftTrainingOptions withCandidates(List<UpliftLearner> learners) {
    return new UpliftTrainingOptions(
        learner, learners, validationFraction, groups, seed, log1pColumns);
  }

  public UpliftTrainingOptions withSeed(long newSeed) {
    return new UpliftTrainingOptions(
        learner, candidates, validationFraction, groups, newSeed, log1pColumns);
  }

  public UpliftTrainingOptions withLog1pColumns(List<String> columns) {
    return new UpliftTrainingOptions(
        learner, candidates, validationFraction, groups, seed, columns);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("learner", learner.describe());
    out.put("candidates", candidates.stream().map(Enum::name).toList());
    out.put("validationFraction", validationFraction);
    out.put("groups", groups);
    out.put("seed", seed);
    out.put("log1pColumns", log1pColumns);
    return out;
  }
}
