package dev.retention.campaign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.retention.core.UpliftLearner;
import dev.retention.model.RetentionModel;
import dev.retention.model.UpliftModel;
import dev.retention.testing.UpliftSimulation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: the uplift part stored in the model file ({@link RetentionModel.Uplift}) rebuilds into
 * a model that gives every customer exactly the uplift the trained one gives, for each learner, and
 * into the same record again.
 */
class UpliftModelRecordTest {

  @Test
  void everyLearnerRoundTripsThroughItsRecordBitForBit() {
    UpliftSimulation.Customers c =
        UpliftSimulation.customers(3, 6_000, UpliftSimulation.Parameters.defaults());
    boolean[] contacted = UpliftSimulation.randomTreatment(c.size(), 0.5, 4);
    UpliftSimulation.Outcomes o = UpliftSimulation.outcomes(c, contacted, 5);
    int[] t = new int[c.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = contacted[i] ? 1 : 0;
    }
    for (UpliftLearner learner : UpliftLearner.values()) {
      UpliftModel trained =
          UpliftTraining.fit(
              c.ids(),
              c.features(),
              t,
              o.bought(),
              UpliftTrainingOptions.defaults()
                  .withCandidates(List.of(learner))
                  .withLog1pColumns(List.of("monetary")),
              50);
      RetentionModel.Uplift record = trained.toRecord("treated", "monetary");
      UpliftModel rebuilt = UpliftModel.of(record, 50);
      assertEquals(learner, rebuilt.learner());
      for (int i = 0; i < 500; i++) {
        double[] raw = c.features().row(i);
        assertEquals(trained.uplift(raw), rebuilt.uplift(raw), 0.0, learner + " row " + i);
      }
      RetentionModel.Uplift again = rebuilt.toRecord("treated", "monetary");
      assertEquals(record.parts().size(), again.parts().size());
      for (int p = 0; p < record.parts().size(); p++) {
        assertEquals(record.parts().get(p).role(), again.parts().get(p).role());
        assertEquals(record.parts().get(p).intercept(), again.parts().get(p).intercept(), 0.0);
        assertArrayEquals(
            record.parts().get(p).coefficients(), again.parts().get(p).coefficients(), 0.0);
      }
      assertEquals(record.features(), again.features());
      assertEquals(record.candidates(), again.candidates());
      assertEquals(record.heldOut(), again.heldOut());
      assertEquals(record.deciles(), again.deciles());
      assertEquals(record.calibration(), again.calibration());
    }
  }
}
