package dev.retention.functions;

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

  Lookup lookup();

  QualityGate qualityGate();

  Metrics metrics();

  Spark spark();

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

    Optional<List<String>> includeColumns();

    Optional<List<String>> excludeColumns();

    double maxRejectedShare();

    int maxLineBytes();

    double maxGzipRatio();
  }

  /** Orders exports: turned into customer features and labels (RFM) before training. */
  interface Orders {
    String prefix();

    String customerIdColumn();

    String orderIdColumn();

    String orderDateColumn();

    String amountColumn();

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

    /** PRIORITY (most value at risk, else lowest probability, first) or INPUT order. */
    String order();
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
