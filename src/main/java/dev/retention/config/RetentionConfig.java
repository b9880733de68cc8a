package dev.retention.config;

import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The functions' settings under {@code retention.*} in application.properties (which holds the
 * defaults; each is documented in README.md), except the training hyper-parameters under {@code
 * retention.train.*}, which {@link SettingsBinder} binds straight into {@code TrainingOptions}.
 * Environment variables override any of them by the usual mapping, e.g. {@code
 * RETENTION_S3_BUCKET}, {@code RETENTION_TRAIN_KMEANS_N_INIT}.
 */
@ConfigMapping(prefix = "retention")
public interface RetentionConfig {

  S3 s3();

  Export export();

  Orders orders();

  Model model();

  Segments segments();

  Playbook playbook();

  Score score();

  Batch batch();

  Campaign campaign();

  Lookup lookup();

  QualityGate qualityGate();

  Metrics metrics();

  Spark spark();

  Invocation invocation();

  /**
   * The invocation's deadline: the Lambda context's remaining time (the JVM handler passes it on),
   * else {@code time-limit} from the start; work stops {@code deadline-reserve} before it.
   */
  interface Invocation {
    /** The function's timeout, for runtimes whose binding does not pass the Lambda context on. */
    Optional<Duration> timeLimit();

    /** Time kept after the work stops: publishing, or starting the Spark job, and the logs. */
    Duration deadlineReserve();
  }

  /**
   * The hand-off of large exports to the Spark job (README "Hand-off to Spark"): the train function
   * starts the job's state machine instead of training in-process.
   */
  interface Spark {
    /** The Step Functions state machine that runs the job; empty: never hand off. */
    Optional<String> stateMachineArn();

    /** Exports of at least this many (counted) bytes are handed off. */
    long handOffBytes();

    /** A {@code .gz} export counts this many times its stored bytes. */
    double gzipExpansion();

    /** A Step Functions stand-in instead of AWS (tests). */
    Optional<URI> endpointOverride();

    /** One StartExecution or DescribeExecution call, retries included. */
    Duration apiCallTimeout();
  }

  /** When a new model may not become latest. */
  interface QualityGate {
    double margin();

    boolean force();

    /** The least held-out AUC above no model's 0.5 a live model has. */
    double minAucLift();

    /** Whether a model that drops a feature the live one reads may go live. */
    boolean allowDroppedFeatures();
  }

  /** CloudWatch metrics in the Embedded Metric Format. */
  interface Metrics {
    boolean enabled();

    String namespace();
  }

  /** S3 access. */
  interface S3 {
    String bucket();

    String region();

    Optional<URI> endpointOverride();

    boolean pathStyle();

    Duration connectTimeout();

    Duration socketTimeout();

    Duration apiCallAttemptTimeout();

    Duration apiCallTimeout();

    int maxAttempts();
  }

  /** Feature exports. */
  interface Export {
    String prefix();

    String idColumn();

    String labelColumn();

    /**
     * The column saying whether a customer was contacted in a randomized campaign (1/0): never a
     * feature; with it, training also fits an uplift model. Unset: no uplift model.
     */
    Optional<String> treatmentColumn();

    /** Values of the treatment column that mean contacted. */
    List<String> treatedValues();

    /** Values of the treatment column that mean held out (the control group). */
    List<String> controlValues();

    /** Values of the treatment column of customers in neither arm (another arm of the test). */
    Optional<List<String>> outsideTreatmentValues();

    Optional<List<String>> includeColumns();

    Optional<List<String>> excludeColumns();

    double maxRejectedShare();

    int maxLineBytes();

    double maxGzipRatio();

    /** The most columns (CSV header fields, JSON Lines keys) an export may have. */
    int maxColumns();

    /** The CSV field delimiter: {@code ,}, {@code ;}, {@code tab} or {@code |}. */
    String delimiter();

    /** The decimal separator of numbers: {@code .} or {@code ,}. */
    String decimalSeparator();

    /** Whether column names that differ only by case are meant (else the export is refused). */
    boolean allowCaseCollisions();

    /** Feature exports: a row without a customer id is REJECTed (a bad row) or SKIPped. */
    String guestRows();

    /** Customer ids EXACT as exported, or TRIMmed of surrounding spaces (merges counted). */
    String idNormalisation();

    /** Feature exports: a repeated customer id REFUSEs the export, or its rows are MEAN-ed. */
    String duplicateIds();

    /** The most decompressed text an export may have in-process; 0 = a quarter of the heap. */
    long maxTextBytes();
  }

  /** Orders exports: turned into customer features and labels (RFM) before training. */
  interface Orders {
    String prefix();

    String customerIdColumn();

    String orderIdColumn();

    String orderDateColumn();

    String amountColumn();

    /** Line items: amount = quantity × unit price (set with unitPriceColumn). */
    Optional<String> quantityColumn();

    Optional<String> unitPriceColumn();

    /** An order id starting with this marks a cancellation (e.g. {@code C}). */
    Optional<String> cancelPrefix();

    /** false: a purchase log without money (no amount read; money features left out). */
    boolean money();

    /** ORDER_ID, or CUSTOMER_DAY (an order is a customer's day: purchase logs without ids). */
    String orderKey();

    /** {@code DateTimeFormatter} patterns separated by {@code |}, tried in order; unset: ISO. */
    Optional<String> dateFormats();

    /** The zone whose day a date-time with an offset falls on; unset: as written. */
    Optional<String> timeZone();

    /** A row without a customer id is SKIPped as a guest row (counted) or REJECTed. */
    String guestRows();

    /**
     * EVERY_ROW, or ONE_ROW: an order's amount and status are on one of its rows, its other rows
     * being further line items that leave them empty (Shopify's orders export).
     */
    String orderCells();

    /** Whether a label window that runs past the export's last order may train (with a warning). */
    boolean allowCensoredWindow();

    String itemsColumn();

    String statusColumn();

    String channelColumn();

    List<String> refundStatuses();

    String grain();

    int labelWindowDays();

    Optional<LocalDate> cutoff();
  }

  /** Segment naming and privacy. */
  interface Segments {
    int minSize();

    String recencyFeature();

    String frequencyFeature();

    String monetaryFeature();
  }

  /** Suggested actions per segment kind and churn-risk band. */
  interface Playbook {
    double highRiskBelow();

    double mediumRiskBelow();

    /** {@code kind/band=action} entries separated by semicolons, in front of the defaults. */
    Optional<String> overrides();
  }

  /** Batch scoring of exports dropped under a prefix. */
  interface Batch {
    String prefix();

    String outputPrefix();

    /** Day the features of an orders export describe; default its latest order day. */
    Optional<LocalDate> asOf();

    /** PRIORITY (likely to lapse first, then value at risk: {@code Priority}) or INPUT order. */
    String order();
  }

  /**
   * Campaigns (README "Campaigns"): with an id, batch scoring plans a campaign with a holdout over
   * each scored export and writes its manifest next to the scores.
   */
  interface Campaign {
    /** The campaign's id (the holdout's key); unset: no campaign. */
    Optional<String> id();

    /** The most customers to contact; unset with {@code budget-money} unset: no limit. */
    Optional<Long> budgetContacts();

    /** The most to spend on contacts (with {@code cost-per-contact} > 0). */
    Optional<Double> budgetMoney();

    double costPerContact();

    double grossMargin();

    double holdoutShare();
  }

  /** The lookup index of batch scores: written by batch scoring, read by the score function. */
  interface Lookup {
    boolean enabled();

    String prefix();

    int customersPerPartition();

    int uploadThreads();

    long cacheBytes();
  }

  /** Where models go. */
  interface Model {
    String prefix();

    String name();
  }

  /** The score API. */
  interface Score {
    Duration cacheTtl();

    /** The most a model refresh (pointer and model) may take before the last good model serves. */
    Duration refreshTimeout();

    int maxBatch();

    int maxBodyBytes();

    int maxOrdersPerCustomer();

    int maxOrdersPerRequest();
  }
}
