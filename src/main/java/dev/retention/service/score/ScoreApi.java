package dev.retention.service.score;

import com.fasterxml.jackson.core.JsonFactory;
import dev.retention.data.OrdersDialect;
import dev.retention.data.OrdersSchema;
import dev.retention.features.RfmFeature;
import dev.retention.model.ContactEconomics;
import dev.retention.model.FeatureValueException;
import dev.retention.model.ModelJson;
import dev.retention.model.Priority;
import dev.retention.model.RetentionModel;
import dev.retention.model.Scorer;
import dev.retention.service.EmfMetrics;
import dev.retention.service.Log;
import dev.retention.service.NoModelException;
import dev.retention.service.OrdersReading;
import dev.retention.storage.StorageException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The score API, independent of how requests arrive: routes, status codes and errors. Reading a
 * request is {@link ScoreRequestReader}'s, deriving features from orders {@link OrderHistories}',
 * writing the answer {@link ScoreResponseWriter}'s, finding a customer's batch scores {@link
 * CustomerLookup}'s.
 *
 * <ul>
 *   <li>{@code POST /score}: one customer or a batch, each sent as the model's features or as its
 *       orders (models trained on orders; derived by the trainer's code as of {@code asOf}, by
 *       default today). Each answer has the segment, its name, the repurchase probability, the
 *       churn-risk band, the suggested action, the top three feature contributions, the customer
 *       value (orders models), what it is based on ({@code basis}), the as-of day, the derived
 *       features (orders) and the model version. A customer with no purchase yet gets a defined
 *       answer ({@link Scorer#newCustomer}), never a 400.
 *   <li>{@code GET /customers/{id}}: the customer's row of the latest batch scores of the live
 *       model.
 *   <li>{@code GET /model}: the current model file (aggregates only).
 * </ul>
 *
 * <p>Errors: 400 for a bad body (naming the field and customer index; the whole batch is refused,
 * nothing is half-scored), 404 unknown route or a customer not in the latest batch (with the
 * reason), 405 wrong method, 503 no model (or the lookup index unreachable), 500 otherwise. Never a
 * stack trace, never a customer's value.
 */
public final class ScoreApi {

  private static final Logger LOG = Logger.getLogger(ScoreApi.class);
  private static final JsonFactory JSON = new JsonFactory();

  /** The customer route, with the id as its last path segment. */
  static final String CUSTOMER_ROUTE = "/customers/{id}";

  private static final String CUSTOMERS = "/customers/";
  private static final Map<String, String> ROUTES = routeTable();

  private final ModelCache cache;
  private final ScoreSettings settings;
  private final Clock clock;
  private final EmfMetrics metrics;
  private final OrdersDialect orders;

  /**
   * The orders reading of the model last served: rebuilt when the model changes, not per request.
   */
  private volatile OrdersReadingOf ordersReading;

  /**
   * A model's orders schema (null: not an orders model) and the order fields a request may send.
   */
  private record OrdersReadingOf(RetentionModel model, OrdersSchema schema, List<String> fields) {}

  private final CustomerLookup lookup;
  private final ScoreResponseWriter writer = new ScoreResponseWriter(JSON);

  public ScoreApi(ModelCache cache, ScoreSettings settings) {
    this(cache, settings, Clock.systemUTC());
  }

  /**
   * @param clock today's date (UTC) is the default as-of day: the features describe the customer as
   *     of the day they are sent
   */
  public ScoreApi(ModelCache cache, ScoreSettings settings, Clock clock) {
    this(cache, settings, clock, EmfMetrics.disabled());
  }

  /** With the metrics every request emits, the default orders columns and no lookup index. */
  public ScoreApi(ModelCache cache, ScoreSettings settings, Clock clock, EmfMetrics metrics) {
    this(cache, settings, clock, metrics, OrdersDialect.defaults(), null);
  }

  /**
   * The whole API.
   *
   * @param orders the configured orders dialect ({@code retention.orders.*}), for models that
   *     recorded none of their own ({@link OrdersReading#dialect})
   * @param lookup where batch scores are found by id, or null when there is none
   */
  public ScoreApi(
      ModelCache cache,
      ScoreSettings settings,
      Clock clock,
      EmfMetrics metrics,
      OrdersDialect orders,
      CustomerLookup lookup) {
    this.cache = cache;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
    this.orders = orders;
    this.lookup = lookup;
  }

  private static Map<String, String> routeTable() {
    Map<String, String> routes = new LinkedHashMap<>();
    routes.put("/score", "POST");
    routes.put(CUSTOMER_ROUTE, "GET");
    routes.put("/model", "GET");
    return java.util.Collections.unmodifiableMap(routes);
  }

  /** The API's routes: path (with {@code {id}} for a path parameter) to method. */
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
    ScoreRequestReader.Limits limits = new ScoreRequestReader.Limits(2, 1, 1, null);
    for (String text :
        List.of(
            "{\"customerId\":\"p\",\"features\":" + features + "}",
            "{\"customers\":[{\"features\":" + features + "},{\"features\":" + features + "}]}")) {
      char[] body = text.toCharArray();
      ScoreRequestReader.checkBody(body, Integer.MAX_VALUE);
      ScoreRequestReader.Request request = new ScoreRequestReader(JSON, scorer, limits).read(body);
      List<ScoreResponseWriter.Scored> results = new ArrayList<>();
      for (ScoreRequestReader.Customer customer : request.customers()) {
        results.add(
            new ScoreResponseWriter.Scored(
                customer.id(),
                scorer.score(customer.features()),
                ScoreResponseWriter.Basis.FEATURES,
                null,
                false));
      }
      writer.results(
          request.batch(),
          results,
          "priming",
          LocalDate.EPOCH,
          scorer.featureNames(),
          scorer.model().customerValue(),
          Priority.basis(scorer.model()),
          ContactEconomics.defaults());
    }
    // The orders path's classes: the orders reader's row rules and the derivation.
    OrdersSchema schema = OrdersSchema.defaults();
    List<String> fields = OrderHistories.orderFields(schema);
    String[] order = new String[fields.size()];
    order[fields.indexOf(schema.orderIdColumn())] = "p1";
    order[fields.indexOf(schema.orderDateColumn())] = "1970-01-02";
    order[fields.indexOf(schema.amountColumn())] = "1.5";
    OrderHistories.derive(
        List.of(new ScoreRequestReader.Customer("p", null, List.<String[]>of(order))),
        false,
        schema,
        fields,
        List.of(),
        LocalDate.EPOCH.plusDays(3),
        LocalDate.EPOCH.plusDays(4),
        90);
  }

  /** The model cache behind the API (warmed at start-up). */
  public ModelCache cache() {
    return cache;
  }

  /** Answers one HTTP request, and emits its metrics. */
  public HttpResult handle(String method, String path, String body) {
    return handleCharacters(method, path, body == null ? null : body.toCharArray());
  }

  /**
   * Answers one HTTP request whose body is {@code body}'s characters (as the score function's event
   * binding hands them over, without a {@code String} in between), and emits its metrics.
   */
  public HttpResult handleCharacters(String method, String path, char[] body) {
    long start = System.nanoTime();
    long[] before = cache.refreshCounts();
    long readsBefore = lookup == null ? 0 : lookup.objectReads();
    int[] customers = {0};
    String route = route(path);
    HttpResult result = route(method, path, route, body, customers);
    long[] after = cache.refreshCounts();
    int status = result.status();
    metrics
        .record()
        .put("Latency", (System.nanoTime() - start) / 1e6, EmfMetrics.Unit.MILLISECONDS)
        .put("CustomersScored", customers[0], EmfMetrics.Unit.COUNT)
        .put("ClientErrors", status >= 400 && status < 500 ? 1 : 0, EmfMetrics.Unit.COUNT)
        .put("ModelUnavailable", status == 503 ? 1 : 0, EmfMetrics.Unit.COUNT)
        .put("ServerErrors", status >= 500 && status != 503 ? 1 : 0, EmfMetrics.Unit.COUNT)
        .put("CacheRefreshes", after[0] - before[0], EmfMetrics.Unit.COUNT)
        .put("CacheRefreshFailures", after[1] - before[1], EmfMetrics.Unit.COUNT)
        .put("ModelIntegrityFailures", after[2] - before[2], EmfMetrics.Unit.COUNT)
        .put(
            "LookupObjectReads",
            lookup == null ? 0 : lookup.objectReads() - readsBefore,
            EmfMetrics.Unit.COUNT)
        // The route's template, never the path: a path may hold a customer's id.
        .property("route", method + " " + (route == null ? "(no route)" : route))
        .property("status", Integer.toString(status))
        .emit();
    return result;
  }

  /** The route template {@code path} matches, or null. */
  static String route(String path) {
    if (path == null) {
      return null;
    }
    if (path.startsWith(CUSTOMERS)
        && path.length() > CUSTOMERS.length()
        && path.indexOf('/', CUSTOMERS.length()) < 0) {
      return CUSTOMER_ROUTE;
    }
    return ROUTES.containsKey(path) && !path.equals(CUSTOMER_ROUTE) ? path : null;
  }

  private HttpResult route(String method, String path, String route, char[] body, int[] customers) {
    if (route == null) {
      return ScoreResponseWriter.error(
          404,
          "not_found",
          "no route " + path + "; routes are POST /score, GET /customers/{id} and GET /model",
          null,
          null);
    }
    String allowed = ROUTES.get(route);
    if (!allowed.equalsIgnoreCase(method)) {
      HttpResult e =
          ScoreResponseWriter.error(
              405,
              "method_not_allowed",
              method + " is not allowed on " + route + "; use " + allowed,
              null,
              null);
      return new HttpResult(e.status(), e.body(), Map.of("allow", allowed));
    }
    try {
      return switch (route) {
        case "/model" -> model();
        case CUSTOMER_ROUTE -> customer(path.substring(CUSTOMERS.length()), customers);
        default -> score(body, customers);
      };
    } catch (BadRequest e) {
      return ScoreResponseWriter.error(400, e.code(), e.getMessage(), e.field(), e.customerIndex());
    } catch (NoModelException e) {
      Log.event(LOG, Logger.Level.WARN, "score.unavailable", "reason", e.getMessage());
      return ScoreResponseWriter.error(503, "no_model", e.getMessage(), null, null);
    } catch (StorageException e) {
      Log.event(LOG, Logger.Level.WARN, "score.lookup-unavailable", "reason", e.getMessage());
      return ScoreResponseWriter.error(
          503,
          "lookup_unavailable",
          "the batch scores' lookup index cannot be read now; try again",
          null,
          null);
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

  private HttpResult customer(String encodedId, int[] customers) {
    String id;
    try {
      // A path's percent-encoding: '+' is a plus, not a space.
      id = URLDecoder.decode(encodedId.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(
          "invalid_field", "the customer id in the path is not valid percent-encoding", "id", null);
    }
    Scorer scorer = cache.current();
    String version = scorer.model().version();
    if (lookup == null) {
      return ScoreResponseWriter.error(
          404, "no_batch_scores", "this function has no lookup index configured", null, null);
    }
    CustomerLookup.Answer answer = lookup.find(version, id);
    if (answer instanceof CustomerLookup.Found found) {
      customers[0] = 1;
      return new HttpResult(200, writer.lookup(id, found.batch(), found.cells()), Map.of());
    }
    if (answer instanceof CustomerLookup.NotInBatch missing) {
      return ScoreResponseWriter.error(
          404,
          "customer_not_found",
          "this customer id is not in the latest batch scores of the live model "
              + version
              + " ("
              + missing.batch().source()
              + ", as of "
              + missing.batch().asOf()
              + ", "
              + missing.batch().customers()
              + " customers); ids match exactly, byte for byte. Score the customer with POST"
              + " /score, or batch-score an export that holds them",
          "id",
          null);
    }
    return ScoreResponseWriter.error(
        404,
        "no_batch_scores",
        "no export has been batch-scored with the live model "
            + version
            + " yet: batch scoring (an export under the scoring prefix) writes the scores this"
            + " route reads. Score the customer with POST /score meanwhile",
        "id",
        null);
  }

  private OrdersReadingOf ordersReading(RetentionModel model) {
    OrdersReadingOf reading = ordersReading;
    if (reading == null || reading.model() != model) {
      OrdersSchema schema =
          model.derivation() == null ? null : OrdersReading.dialect(model, orders).schema();
      reading =
          new OrdersReadingOf(
              model, schema, schema == null ? null : OrderHistories.orderFields(schema));
      ordersReading = reading;
    }
    return reading;
  }

  private HttpResult score(char[] body, int[] customers) {
    ScoreRequestReader.checkBody(body, settings.maxBodyBytes());
    Scorer scorer = cache.current();
    RetentionModel model = scorer.model();
    OrdersReadingOf reading = ordersReading(model);
    OrdersSchema schema = reading.schema();
    List<String> fields = reading.fields();
    ScoreRequestReader.Request request =
        new ScoreRequestReader(
                JSON,
                scorer,
                new ScoreRequestReader.Limits(
                    settings.maxBatch(),
                    settings.maxOrdersPerCustomer(),
                    settings.maxOrdersPerRequest(),
                    fields))
            .read(body);
    LocalDate today = LocalDate.now(clock);
    // As for an export written today: order dates may run a day ahead (shop time zones).
    LocalDate latest = today.plusDays(1);
    LocalDate asOf = request.asOf() == null ? today : request.asOf();
    if (asOf.isAfter(latest)) {
      throw new BadRequest(
          "invalid_field",
          "'asOf' may be at most " + latest + " (today, UTC, plus a day)",
          "asOf",
          null);
    }
    List<ScoreRequestReader.Customer> sent = request.customers();
    double[][] derived = null;
    if (sent.stream().anyMatch(c -> c.orders() != null)) {
      derived =
          OrderHistories.derive(
              sent,
              request.batch(),
              schema,
              fields,
              scorer.featureNames(),
              asOf,
              latest,
              model.derivation().labelWindowDays());
    }
    List<ScoreResponseWriter.Scored> results = new ArrayList<>(sent.size());
    int frequency = scorer.featureIndex(RfmFeature.FREQUENCY.column());
    for (int i = 0; i < sent.size(); i++) {
      ScoreRequestReader.Customer customer = sent.get(i);
      String prefix = request.batch() ? "customers[" + i + "]." : "";
      Integer index = request.batch() ? i : null;
      boolean fromOrders = customer.orders() != null;
      double[] x = fromOrders ? derived[i] : customer.features();
      if (!fromOrders && model.derivation() != null) {
        RfmFeature.Impossible impossible = RfmFeature.impossible(scorer.featureNames(), x);
        if (impossible != null) {
          throw new BadRequest(
              "invalid_feature",
              impossible.reason(),
              prefix + "features." + impossible.feature(),
              index);
        }
      }
      ScoreResponseWriter.Basis basis;
      if (model.derivation() == null) {
        basis = ScoreResponseWriter.Basis.FEATURES;
      } else if (x == null || (frequency >= 0 && x[frequency] == 0)) {
        basis = ScoreResponseWriter.Basis.NEW_CUSTOMER;
      } else if (frequency >= 0 && x[frequency] == 1) {
        basis = ScoreResponseWriter.Basis.ONE_PURCHASE;
      } else {
        basis = ScoreResponseWriter.Basis.HISTORY;
      }
      Scorer.Score score;
      try {
        score =
            basis == ScoreResponseWriter.Basis.NEW_CUSTOMER
                ? scorer.newCustomer()
                : scorer.score(x);
      } catch (FeatureValueException e) {
        throw new BadRequest(
            "invalid_feature", e.getMessage(), prefix + "features." + e.feature(), index);
      }
      results.add(
          new ScoreResponseWriter.Scored(
              customer.id(), score, basis, fromOrders ? x : null, fromOrders));
    }
    customers[0] = results.size();
    String version = model.version();
    Log.event(
        LOG, Logger.Level.DEBUG, "score.done", "customers", results.size(), "version", version);
    return new HttpResult(
        200,
        writer.results(
            request.batch(),
            results,
            version,
            asOf,
            scorer.featureNames(),
            model.customerValue(),
            Priority.basis(model),
            settings.economics()),
        Map.of());
  }
}
