package dev.retention.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.retention.testing.Synthetic;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KSelectionTest {

  @Test
  void choosesTheTrueNumberOfWellSeparatedBlobs() {
    // Four tight blobs far apart: both the elbow and the silhouette point at 4.
    SplittableRandom rng = new SplittableRandom(3);
    double[][] centres = {{0, 0, 0}, {20, 0, 0}, {0, 20, 0}, {0, 0, 20}};
    double[] data = new double[2000 * 3];
    for (int i = 0; i < 2000; i++) {
      for (int c = 0; c < 3; c++) {
        data[i * 3 + c] = centres[i % 4][c] + Synthetic.gaussian(rng);
      }
    }
    FeatureMatrix x = new FeatureMatrix(Synthetic.names(3), data);
    KSelection.Search search =
        KSelection.search(x, KSelection.Options.defaults(), KMeansOptions.defaults());
    assertEquals(4, search.result().chosenK());
    assertEquals(9, search.result().ks().length);
    assertEquals(4, search.chosenFit().centroids().k());
    assertEquals(true, search.searchedAllRows());
  }

  @Test
  void silhouetteMatchesTheDefinitionComputedNaively() {
    Synthetic data = Synthetic.blobs(300, 3, 3, 2.0, 11);
    int[][] labelSets = new int[2][];
    int[] ks = {2, 3};
    for (int t = 0; t < 2; t++) {
      labelSets[t] =
          KMeans.fit(data.features, ks[t], KMeansOptions.defaults().withNInit(1)).labels();
    }
    double[] fast = KSelection.silhouettes(data.features, labelSets, ks, 2);
    for (int t = 0; t < 2; t++) {
      assertEquals(naiveSilhouette(data.features, labelSets[t], ks[t]), fast[t], 1e-12);
    }
  }

  @Test
  void kneedleFindsTheBendOfAnElbowCurveAndTiesGoToTheBestSilhouette() {
    int[] ks = {2, 3, 4, 5, 6};
    double[] inertia = {100, 40, 30, 25, 22};
    double[] difference = KSelection.kneedleDifference(ks, inertia);
    assertArrayEquals(
        new double[] {0, 0.75 - 18.0 / 78, 0.5 - 8.0 / 78, 0.25 - 3.0 / 78, 0}, difference, 1e-12);
    assertEquals(1, KSelection.choose(difference, new double[] {0.1, 0.2, 0.3, 0.1, 0.1}, 0.0));
    // With a wide tie band, K = 4 (index 2) is a candidate and has the best silhouette.
    assertEquals(2, KSelection.choose(difference, new double[] {0.1, 0.2, 0.3, 0.1, 0.1}, 0.2));
    // No bend at all: silhouette decides.
    assertEquals(1, KSelection.choose(new double[] {0, 0}, new double[] {0.1, 0.4}, 0.02));
  }

  private static double naiveSilhouette(FeatureMatrix x, int[] labels, int k) {
    int n = x.rows();
    double total = 0;
    for (int i = 0; i < n; i++) {
      double[] sum = new double[k];
      int[] count = new int[k];
      for (int j = 0; j < n; j++) {
        if (i == j) {
          continue;
        }
        double dist = 0;
        for (int c = 0; c < x.cols(); c++) {
          double diff = x.get(i, c) - x.get(j, c);
          dist += diff * diff;
        }
        sum[labels[j]] += Math.sqrt(dist);
        count[labels[j]]++;
      }
      if (count[labels[i]] == 0) {
        continue;
      }
      double a = sum[labels[i]] / count[labels[i]];
      double b = Double.POSITIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        if (c != labels[i] && count[c] > 0) {
          b = Math.min(b, sum[c] / count[c]);
        }
      }
      total += (b - a) / Math.max(a, b);
    }
    return total / n;
  }
}
