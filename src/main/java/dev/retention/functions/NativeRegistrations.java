package dev.retention.functions;

import dev.retention.config.KnownSettings;
import dev.retention.config.RetentionConfig;
import dev.retention.config.SettingsBinder;
import dev.retention.core.KMeansOptions;
import dev.retention.core.KSelection;
import dev.retention.core.LogisticOptions;
import dev.retention.model.ModelOrder;
import dev.retention.model.Playbook;
import dev.retention.model.RetentionModel;
import dev.retention.service.batch.BatchSummary;
import dev.retention.service.train.TrainSummary;
import dev.retention.training.CustomerValueOptions;
import dev.retention.training.EvaluationOptions;
import dev.retention.training.MinimumData;
import dev.retention.training.NonLinearOptions;
import dev.retention.training.TrainingOptions;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every type of ours that is read or written by reflection, registered for the native image (the
 * JVM needs nothing of this; a native image keeps record components, accessors, constructors and
 * enum constants only for registered types): what Jackson binds (the functions' inputs and outputs,
 * the model JSON and its order in {@code latest.json}), the custom Jackson bindings those name
 * ({@code @JsonDeserialize(using)}, {@code @JsonSerialize(using)}: Jackson constructs them by
 * reflection), what {@link SettingsBinder} binds (the training options records), and the {@code
 * retention.*} mapping's interfaces, whose methods SmallRye Config and {@link KnownSettings} read
 * at start (without them every setting is reported unknown natively). {@code
 * NativeRegistrationsTest} derives the same list from the code and fails on a missing or a stale
 * entry: edit it here when that test says so.
 *
 * <p>By name: Quarkus' Lambda runtime writes a failed start as {@code FunctionError} with Jackson;
 * unregistered, that write fails too and the start's own error never reaches Lambda.
 */
@RegisterForReflection(
    classNames = {"io.quarkus.amazon.lambda.runtime.FunctionError"},
    targets = {
      KMeansOptions.class,
      KMeansOptions.Algorithm.class,
      KSelection.Options.class,
      LogisticOptions.class,
      LogisticOptions.ClassWeight.class,
      BatchScoreResponse.class,
      HttpApiBinding.RequestReader.class,
      HttpApiBinding.ResponseWriter.class,
      HttpApiRequest.class,
      HttpApiRequest.Http.class,
      HttpApiRequest.RequestContext.class,
      HttpApiResponse.class,
      RetentionConfig.class,
      RetentionConfig.Batch.class,
      RetentionConfig.Campaign.class,
      RetentionConfig.Export.class,
      RetentionConfig.Invocation.class,
      RetentionConfig.Lookup.class,
      RetentionConfig.Metrics.class,
      RetentionConfig.Model.class,
      RetentionConfig.Orders.class,
      RetentionConfig.Playbook.class,
      RetentionConfig.QualityGate.class,
      RetentionConfig.S3.class,
      RetentionConfig.Score.class,
      RetentionConfig.Segments.class,
      RetentionConfig.Spark.class,
      S3Event.class,
      S3Event.Bucket.class,
      S3Event.Entity.class,
      S3Event.Record.class,
      S3Event.S3Object.class,
      TrainResponse.class,
      ModelOrder.class,
      Playbook.class,
      Playbook.Rule.class,
      RetentionModel.class,
      RetentionModel.BackTestBin.class,
      RetentionModel.BandCell.class,
      RetentionModel.BgNbdParameters.class,
      RetentionModel.CalibrationBin.class,
      RetentionModel.Classifier.class,
      RetentionModel.Confusion.class,
      RetentionModel.CurvePoint.class,
      RetentionModel.CustomerValue.class,
      RetentionModel.Derivation.class,
      RetentionModel.GateDecision.class,
      RetentionModel.HoldoutComparison.class,
      RetentionModel.Evaluation.class,
      RetentionModel.Feature.class,
      RetentionModel.FeatureDefinition.class,
      RetentionModel.FeatureEffect.class,
      RetentionModel.GammaGammaParameters.class,
      RetentionModel.GateDecision.class,
      RetentionModel.HoldoutComparison.class,
      RetentionModel.Incumbent.class,
      RetentionModel.KSearch.class,
      RetentionModel.LiftBin.class,
      RetentionModel.NonLinearDecision.class,
      RetentionModel.Provenance.class,
      RetentionModel.Segment.class,
      RetentionModel.Segmentation.class,
      RetentionModel.Uplift.class,
      RetentionModel.UpliftCalibration.class,
      RetentionModel.UpliftCandidate.class,
      RetentionModel.UpliftCurvePoint.class,
      RetentionModel.UpliftDecile.class,
      RetentionModel.UpliftFeature.class,
      RetentionModel.UpliftHeldOut.class,
      RetentionModel.UpliftPart.class,
      RetentionModel.ValueDecision.class,
      RetentionModel.ValueFeature.class,
      RetentionModel.ValueRoles.class,
      BatchSummary.class,
      BatchSummary.Status.class,
      TrainSummary.class,
      TrainSummary.Status.class,
      CustomerValueOptions.class,
      CustomerValueOptions.Mode.class,
      EvaluationOptions.class,
      MinimumData.class,
      NonLinearOptions.class,
      NonLinearOptions.Mode.class,
      TrainingOptions.class
    })
public final class NativeRegistrations {

  private NativeRegistrations() {}
}
