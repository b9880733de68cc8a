package dev.retention.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.retention.features.RfmOptions;
import dev.retention.model.ModelJson;
import dev.retention.model.RetentionModel;
import dev.retention.testing.BtydOrders;
import dev.retention.testing.OrdersModels;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: customer value never breaks training. Fits that do not converge, end at a boundary or
 * give a non-finite value for a customer are handled (a penalizer chosen on held-out likelihood, or
 * customer value left out with the reason), and implausible results carry a warning.
 */
class CustomerValueRobustnessTest {

  private static final LocalDate CUTOFF = LocalDate.of(2026, 6, 30);

  static RetentionModel train(String csv, TrainingOptions options) throws Exception {
    RetentionModel model = OrdersModels.train(csv, options, new RfmOptions(90, CUTOFF), "v");
    return ModelJson.read(ModelJson.write(model));
  }

  private static TrainingOptions quick() {
    return TrainingOptions.defaults()
        .withK(3)
        .withNonLinear(n -> n.withMode(NonLinearOptions.Mode.OFF));
  }

  /** Customers who (almost) never drop out, seen for at most nine months: no dropout to fit. */
  static String withoutDropout(long seed) {
    return BtydOrders.csv(
        new BtydOrders.Settings(seed, 4000, 0.4, 20, 0.01, 1000, 270, CUTOFF, 90, null));
  }

  private static List<String> valueWarnings(RetentionModel model) {
    return model.provenance().warnings().stream()
        .filter(w -> w.startsWith("customer value"))
        .toList();
  }

  @Test
  void aPurchaseModelWithoutIdentifiableDropoutTrainsAndSaysWhatBecameOfCustomerValue()
      throws Exception {
    RetentionModel model = train(withoutDropout(3), quick());
    RetentionModel.CustomerValue value = model.customerValue();
    if (value == null) {
      assertTrue(
          valueWarnings(model).stream().anyMatch(w -> w.contains("left out of this model")),
          model.provenance().warnings().toString());
    } else {
      RetentionModel.BgNbdParameters b = value.bgNbd();
      assertTrue(b.converged(), b.toString());
      assertTrue(b.penalizer() > 0, "regularised: " + b);
      assertTrue(
          value.notes().stream().anyMatch(n -> n.contains("penalizer")), value.notes().toString());
    }
    assertEquals(
        model.provenance().rowsUsed(), model.segments().stream().mapToLong(s -> s.size()).sum());
  }

  @Test
  void aPurchaseLogWithTheSameAmountEverywhereHasNoSpendModelNoClvAndSaysWhy() throws Exception {
    RetentionModel model =
        train(
            BtydOrders.csv(
                new BtydOrders.Settings(5, 4000, 0.6, 15, 0.8, 2.5, 540, CUTOFF, 90, 1.0)),
            quick());
    RetentionModel.CustomerValue value = model.customerValue();
    assertNotNull(value, model.provenance().warnings().toString());
    assertNull(value.gammaGamma(), "no spend model on a constant amount");
    assertTrue(
        value.notes().stream().anyMatch(n -> n.contains("same amount")), value.notes().toString());
    for (RetentionModel.Segment s : model.segments()) {
      assertNull(s.meanPredictedClv(), "no CLV from a placeholder amount");
      assertNull(s.valueAtRisk(), "no value at risk from a placeholder amount");
    }
    assertTrue(value.features().stream().noneMatch(f -> f.name().startsWith("log_clv")));
  }
}
