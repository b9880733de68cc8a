package dev.retention.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.retention.core.FeatureMatrix;
import dev.retention.core.KMeans;
import dev.retention.core.KMeansFit;
import dev.retention.core.KMeansOptions;
import dev.retention.core.LogisticFit;
import dev.retention.core.LogisticOptions;
import dev.retention.core.LogisticRegression;
import dev.retention.core.Standardization;
import dev.retention.testing.Synthetic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * DJL with its PyTorch CPU engine as a peer of our core, on the same seeded 1,000,000 x 8 table:
 * one K-means assignment pass (nearest of 5 centres) and the logistic-regression Newton fit (the
 * same iterations: DJL computes probabilities, gradient and Hessian; the 9 x 9 solve is ours). Also
 * reports what the engine's native libraries occupy on disk.
 *
 * <p>Run: {@code ./mvnw -B -Pbench,djl test-compile exec:exec
 * -Dbench.main=dev.retention.bench.DjlPeerBenchmark} (offline: the natives come from the
 * pytorch-native-cpu jar on the class path).
 */
public final class DjlPeerBenchmark {

  private DjlPeerBenchmark() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("ai.djl.offline", "true");
    int n = 1_000_000;
    int d = 8;
    Synthetic data = Synthetic.blobs(n, d, 5, 1.2, 2026);
    FeatureMatrix z = Standardization.fit(data.features, List.of()).transform(data.features);
    KMeansFit fit = KMeans.fit(z, 5, KMeansOptions.defaults().withNInit(1).withMaxIter(100));
    double[] centres = fit.centroids().centres();
    int k = 5;

    // Ours: one full assignment pass and the Newton fit.
    int[] ours =
        CoreBenchmark.report(
            "ours: assignment pass (1M x 8, k=5)", 5, () -> KMeans.assign(z, fit.centroids(), 0));
    LogisticFit ourFit =
        CoreBenchmark.report(
            "ours: logistic regression Newton, C=1",
            5,
            () -> LogisticRegression.fit(z, data.labels, LogisticOptions.defaults()));

    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      System.out.println(
          "DJL engine: "
              + manager.getEngine().getEngineName()
              + " "
              + manager.getEngine().getVersion());
      NDArray x = manager.create(z.data(), new Shape(n, d));
      NDArray c = manager.create(centres, new Shape(k, d));
      NDArray y =
          manager.create(Arrays.stream(data.labels).asDoubleStream().toArray(), new Shape(n, 1));
      int[] theirs =
          CoreBenchmark.report(
              "DJL/PyTorch: assignment pass (1M x 8, k=5)",
              5,
              () -> {
                try (NDManager sub = manager.newSubManager()) {
                  x.attach(sub);
                  // |x - c|^2 = |x|^2 - 2 x.c + |c|^2; argmin over centres.
                  NDArray distances =
                      x.pow(2)
                          .sum(new int[] {1}, true)
                          .sub(x.matMul(c.transpose()).mul(2))
                          .add(c.pow(2).sum(new int[] {1}).reshape(1, k));
                  int[] labels = distances.argMin(1).toType(DataType.INT32, false).toIntArray();
                  x.attach(manager);
                  return labels;
                }
              });
      long same = 0;
      for (int i = 0; i < n; i++) {
        same += ours[i] == theirs[i] ? 1 : 0;
      }
      System.out.printf("    same nearest centre for %.4f%% of rows%n", 100.0 * same / n);

      double[] djlTheta =
          CoreBenchmark.report(
              "DJL/PyTorch: logistic regression Newton, C=1",
              3,
              () -> {
                try (NDManager sub = manager.newSubManager()) {
                  NDArray xb = x.concat(sub.ones(new Shape(n, 1), DataType.FLOAT64), 1);
                  double[] theta = new double[d + 1];
                  for (int iteration = 0; iteration < 20; iteration++) {
                    NDArray w = sub.create(theta, new Shape(d + 1, 1));
                    NDArray p = xb.matMul(w).neg().exp().add(1).pow(-1);
                    double[] gradient = xb.transpose().matMul(p.sub(y)).toDoubleArray();
                    double[] hessian =
                        xb.transpose().matMul(xb.mul(p.mul(p.neg().add(1)))).toDoubleArray();
                    double max = 0;
                    for (int a = 0; a < d; a++) {
                      gradient[a] += theta[a];
                      hessian[a * (d + 1) + a] += 1;
                      max = Math.max(max, Math.abs(gradient[a]));
                    }
                    max = Math.max(max, Math.abs(gradient[d]));
                    if (max / n < 1e-9) {
                      break;
                    }
                    double[] step = solve(hessian, gradient, d + 1);
                    for (int a = 0; a <= d; a++) {
                      theta[a] -= step[a];
                    }
                  }
                  return theta;
                }
              });
      double diff = Math.abs(djlTheta[d] - ourFit.intercept());
      for (int a = 0; a < d; a++) {
        diff = Math.max(diff, Math.abs(djlTheta[a] - ourFit.coefficients()[a]));
      }
      System.out.printf("    max |coefficient difference| vs ours: %.2e%n", diff);
    }
    Path cache = Path.of(System.getProperty("user.home"), ".djl.ai", "pytorch");
    System.out.printf(
        "DJL PyTorch natives unpacked under %s: %d MB%n", cache, directorySize(cache) >> 20);
  }

  /** Gaussian elimination for the small Newton system H s = g. */
  private static double[] solve(double[] h, double[] g, int p) {
    double[][] a = new double[p][p + 1];
    for (int i = 0; i < p; i++) {
      System.arraycopy(h, i * p, a[i], 0, p);
      a[i][p] = g[i];
    }
    for (int col = 0; col < p; col++) {
      for (int row = col + 1; row < p; row++) {
        double f = a[row][col] / a[col][col];
        for (int j = col; j <= p; j++) {
          a[row][j] -= f * a[col][j];
        }
      }
    }
    double[] s = new double[p];
    for (int i = p - 1; i >= 0; i--) {
      double sum = a[i][p];
      for (int j = i + 1; j < p; j++) {
        sum -= a[i][j] * s[j];
      }
      s[i] = sum / a[i][i];
    }
    return s;
  }

  private static long directorySize(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
