package dev.retention.training;

import dev.retention.core.FeatureMatrix;
import dev.retention.core.Standardization;
import java.util.ArrayList;
import java.util.List;

/**
 * The customer-value step of a training on an orders derivation: the fitted layer ({@link
 * CustomerValueFit}), the scaling of its value features, offered to the rows, and the role columns
 * it read. Optional by construction: whatever goes wrong in it leaves customer value out of the
 * model with the reason in the model's warnings (and so in the summary, the log and the report),
 * and never fails the training (issue 18: a NaN in an internal column failed the training, blamed
 * on the input).
 *
 * @param attempted whether the step ran (an orders model with customer value on)
 * @param fitted the layer, or null when left out
 * @param scaling its value features' standardization, or null
 * @param roles the raw role columns of every row, or null
 */
record ValueLayer(
    boolean attempted,
    CustomerValueFit.Fitted fitted,
    Standardization scaling,
    FeatureMatrix roles) {

  static ValueLayer fit(
      TrainingRows data, Trainer.About input, TrainingOptions options, List<String> warnings) {
    if (input.derivation() == null
        || options.customerValue().mode() != CustomerValueOptions.Mode.AUTO) {
      return new ValueLayer(false, null, null, null);
    }
    List<String> notes = new ArrayList<>();
    List<String> roleColumns = CustomerValueFit.roleColumns(data.columns());
    if (roleColumns == null) {
      warnings.add(
          CustomerValueFit.LEFT_OUT + "the features lack the RFM roles the value models read");
      return new ValueLayer(true, null, null, null);
    }
    try {
      FeatureMatrix roles = data.raw(roleColumns);
      CustomerValueFit.Fitted fitted =
          CustomerValueFit.fit(
              roles,
              options.customerValue(),
              input.derivation().labelWindowDays(),
              options.threads(),
              options.seed(),
              notes);
      warnings.addAll(notes);
      if (fitted == null) {
        return new ValueLayer(true, null, null, null);
      }
      Standardization scaling = Standardization.fit(fitted.features(), List.of());
      data.valueColumns(fitted.draft(), scaling, scaling.transform(fitted.features()));
      return new ValueLayer(true, fitted, scaling, roles);
    } catch (RuntimeException e) {
      // Not the input's fault and not worth a failed training: said, and left out.
      warnings.add(
          CustomerValueFit.LEFT_OUT
              + "its computation failed ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")");
      return new ValueLayer(true, null, null, null);
    }
  }
}
