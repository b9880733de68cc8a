package dev.retention.service.score;

import com.fasterxml.jackson.core.JsonFactory;
import dev.retention.model.FeatureValueException;
import dev.retention.model.ModelJson;
import dev.retention.model.Scorer;
import dev.retention.service.Log;
import dev.retention.service.Metrics;
import dev.retention.service.NoModelException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The score API, independent of how requests arrive: routes, status codes and errors. Reading a
 * request is {@link ScoreRequestReader}'s, writing the answer {@link ScoreResponseWriter}'s.
 *
 * <ul>
 *   <li>{@code POST /score}: one customer or a batch; each answer has the segment, its name, the
 *       repurchase probability, the churn-risk band, the suggested action, the top three feature
 *       contributions and the model version.
 *   <li>{@code GET /model}: the current model file (aggregates only).
 * </ul>
 *
 * <p>Errors: 400 for a bad body (naming the field and customer index; the whole batch is refused,
 * nothing is half-scored), 404 unknown route, 405 wrong method, 503 no model, 500 otherwise. Never
 * a stack trace.
 */
public final class ScoreApi {

  private static final Logger LOG = Logger.getLogger(ScoreApi.class);
  private static final JsonFactory JSON = new JsonFactory();
  private static final Map<String, String> ROUTES = Map.of("/score", "POST", "/model", "GET");

  private final ModelCache cache;
  private final ScoreSettings settings;
  private final Clock clock;
  private final Metrics metrics;
  private final ScoreResponseWriter writer = new ScoreResponseWriter(JSON);

  public ScoreApi(ModelCache cache, ScoreSettings settings) {
    this(cache, settings, Clock.systemUTC());
  }

  /**
   * @param clock today's date (UTC) is the as-of day of the customer-value answers: the API's
   *     features describe the customer as of the day they are sent
   */
  public ScoreApi(ModelCache cache, ScoreSettings settings, Clock clock) {
    this(cache, settings, clock, Metrics.disabled());
  }

  /** With the metrics every request emits: latency, customers, errors, cache refreshes. */
  public ScoreApi(ModelCache cache, ScoreSettings settings, Clock clock, Metrics metrics) {
    this.cache = cache;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The API's routes: path to method. */
  public static Map<String, String> routes() {
    return ROUTES;
  }

  /**
   * Runs a one-customer and a two-customer request for {@code scorer} through the request reader,
   * the scorer and the response writer, without the cache or the store: loads and JIT-warms the
   * classes the first real request needs (priming at start-up, with a synthetic model).
   */
  public static void prime(Scorer scorer) {
    StringBuilder features = new StringBuilder("{");
    for (String name : scorer.featureNames()) {
      features.append(features.length() > 1 ? "," : "").append('"').append(name).append("\":1");
    }
    features.append('}');
    ScoreResponseWriter writer = new ScoreResponseWriter(JSON);
    for (String body :
        List.of(
            "{\"customerId\":\"p\",\"features\":" + features + "}",
            "{\"customers\":[{\"features\":" + features + "},{\"features\":" + features + "}]}")) {
      ScoreRequestReader.checkBody(body, Integer.MAX_VALUE);
      ScoreRequestReader.Request request = new ScoreRequestReader(JSON, scorer, 2).read(body);
      List<ScoreResponseWriter.Scored> results = new ArrayList<>();
      for (ScoreRequestReader.Customer customer : request.customers()) {
        results.add(
            new ScoreResponseWriter.Scored(customer.id(), scorer.score(customer.features())));
      }
      writer.results(
          request.batch(), results, "priming", LocalDate.EPOCH, scorer.model().customerValue());
    }
  }

  /** The model cache behind the API (warmed at start-up). */
  public ModelCache cache() {
    return cache;
  }

  /** Answers one HTTP request, and emits its metrics. */
  public HttpResult handle(String method, String path, String body) {
    long start = System.nanoTime();
    long[] before = cache.refreshCounts();
    int[] customers = {0};
    HttpResult result = route(method, path, body, customers);
    long[] after = cache.refreshCounts();
    int status = result.status();
    metrics
        .record()
        .put("Latency", (System.nanoTime() - start) / 1e6, Metrics.Unit.MILLISECONDS)
        .put("CustomersScored", customers[0], Metrics.Unit.COUNT)
        .put("ClientErrors", status >= 400 && status < 500 ? 1 : 0, Metrics.Unit.COUNT)
        .put("ModelUnavailable", status == 503 ? 1 : 0, Metrics.Unit.COUNT)
        .put("ServerErrors", status >= 500 && status != 503 ? 1 : 0, Metrics.Unit.COUNT)
        .put("CacheRefreshes", after[0] - before[0], Metrics.Unit.COUNT)
        .put("CacheRefreshFailures", after[1] - before[1], Metrics.Unit.COUNT)
        .put("ModelIntegrityFailures", after[2] - before[2], Metrics.Unit.COUNT)
        .property("route", method + " " + path)
        .property("status", Integer.toString(status))
        .emit();
    return result;
  }

  private HttpResult route(String method, String path, String body, int[] customers) {
    String allowed = ROUTES.get(path);
    if (allowed == null) {
      return ScoreResponseWriter.error(
          404,
          "not_found",
          "no route " + path + "; routes are POST /score and GET /model",
          null,
          null);
    }
    if (!allowed.equalsIgnoreCase(method)) {
      HttpResult e =
          ScoreResponseWriter.error(
              405,
              "method_not_allowed",
              method + " is not allowed on " + path + "; use " + allowed,
              null,
              null);
      return new HttpResult(e.status(), e.body(), Map.of("allow", allowed));
    }
    try {
      return path.equals("/model") ? model() : score(body, customers);
    } catch (BadRequest e) {
      return ScoreResponseWriter.error(400, e.code(), e.getMessage(), e.field(), e.customerIndex());
    } catch (NoModelException e) {
      Log.event(LOG, Logger.Level.WARN, "score.unavailable", "reason", e.getMessage());
      return ScoreResponseWriter.error(503, "no_model", e.getMessage(), null, null);
    } catch (RuntimeException e) {
      LOG.error("score.internal-error", e);
      return ScoreResponseWriter.error(
          500, "internal_error", "internal error; see the function's logs", null, null);
    }
  }

  private HttpResult model() {
    return new HttpResult(
        200,
        new String(ModelJson.write(cache.current().model()), StandardCharsets.UTF_8),
        Map.of());
  }

  private HttpResult score(String body, int[] customers) {
    ScoreRequestReader.checkBody(body, settings.maxBodyBytes());
    Scorer scorer = cache.current();
    ScoreRequestReader.Request request =
        new ScoreRequestReader(JSON, scorer, settings.maxBatch()).read(body);
    List<ScoreResponseWriter.Scored> results = new ArrayList<>(request.customers().size());
    for (int i = 0; i < request.customers().size(); i++) {
      ScoreRequestReader.Customer customer = request.customers().get(i);
      try {
        results.add(
            new ScoreResponseWriter.Scored(customer.id(), scorer.score(customer.features())));
      } catch (FeatureValueException e) {
        String prefix = request.batch() ? "customers[" + i + "]." : "";
        throw new BadRequest(
            "invalid_feature",
            e.getMessage(),
            prefix + "features." + e.feature(),
            request.batch() ? i : null);
      }
    }
    customers[0] = results.size();
    String version = scorer.model().version();
    Log.event(
        LOG,
        Logger.Level.DEBUG,
        "score.done",
        "customers",
        request.customers().size(),
        "version",
        version);
    return new HttpResult(
        200,
        writer.results(
            request.batch(),
            results,
            version,
            LocalDate.now(clock),
            scorer.model().customerValue()),
        Map.of());
  }
}
