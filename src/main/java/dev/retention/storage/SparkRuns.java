package dev.retention.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * Runs of the Spark training job: executions of its Step Functions state machine (a Standard
 * workflow), started by name, so that starting the same run twice gives the one execution. SDK
 * errors become {@link StorageException}s, as in {@link Bucket}, so no caller imports the AWS SDK.
 *
 * <p>Step Functions keeps an execution name unique per state machine for 90 days. StartExecution
 * with the name of a running execution and the same input returns that execution; with the name of
 * a closed execution (or other input) it fails with {@code ExecutionAlreadyExists}. Then the
 * execution's ARN follows from the state machine's ARN and the name, and {@link #start} returns the
 * execution DescribeExecution finds there: a redelivered event is never a second run.
 */
public final class SparkRuns implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Step Functions' rule for execution names that CloudWatch logging accepts too. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  /** {@code arn:<partition>:states:<region>:<account>:stateMachine:<name>}, no version or alias. */
  private static final Pattern MACHINE_ARN =
      Pattern.compile(
          "arn:(aws[a-z-]*):states:([a-z0-9-]+):([0-9]{12}):stateMachine:([^:\\s]{1,80})");

  /**
   * Where the state machine is and how long a call may take.
   *
   * @param stateMachineArn the state machine (its region is the client's)
   * @param endpointOverride a Step Functions stand-in instead of AWS, or empty
   * @param apiCallTimeout one call, all attempts included
   */
  public record Settings(
      String stateMachineArn, Optional<URI> endpointOverride, Duration apiCallTimeout) {

    public Settings {
      if (stateMachineArn == null || !MACHINE_ARN.matcher(stateMachineArn).matches()) {
        throw new IllegalArgumentException(
            "not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>,"
                + " without a version or alias): "
                + stateMachineArn);
      }
      if (apiCallTimeout == null || apiCallTimeout.isNegative() || apiCallTimeout.isZero()) {
        throw new IllegalArgumentException(
            "the Step Functions call timeout must be positive, got " + apiCallTimeout);
      }
    }

    /** The state machine's region. */
    public String region() {
      return part(2);
    }

    /** The ARN an execution of this state machine with {@code name} has (Standard workflows). */
    public String executionArn(String name) {
      return "arn:"
          + part(1)
          + ":states:"
          + part(2)
          + ":"
          + part(3)
          + ":execution:"
          + part(4)
          + ":"
          + name;
    }

    private String part(int group) {
      Matcher m = MACHINE_ARN.matcher(stateMachineArn);
      if (!m.matches()) {
        throw new IllegalStateException(stateMachineArn);
      }
      return m.group(group);
    }
  }

  /**
   * One execution.
   *
   * @param id the execution ARN
   * @param status {@code STARTED} when StartExecution answered (a new execution, or the running one
   *     of that name with the same input), else the status DescribeExecution gave an execution of
   *     that name that already existed ({@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}, ...)
   */
  public record Run(String id, String status) {

    /** Whether the run ended without success (FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE). */
    public boolean failed() {
      return !Set.of("STARTED", "RUNNING", "SUCCEEDED").contains(status);
    }
  }

  private final SfnClient sfn;
  private final Settings settings;

  private SparkRuns(SfnClient sfn, Settings settings) {
    this.sfn = sfn;
    this.settings = settings;
  }

  /** A client of its own for the state machine, closed by {@link #close()}. */
  public static SparkRuns open(Settings settings) {
    var builder =
        SfnClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .overrideConfiguration(
                o ->
                    o.apiCallTimeout(settings.apiCallTimeout())
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy()))
            .region(Region.of(settings.region()))
            .credentialsProvider(DefaultCredentialsProvider.builder().build());
    settings.endpointOverride().ifPresent(builder::endpointOverride);
    return new SparkRuns(builder.build(), settings);
  }

  public String stateMachineArn() {
    return settings.stateMachineArn();
  }

  /**
   * Starts the execution {@code name} with {@code input} (written as JSON), or finds the one of
   * that name that exists already.
   *
   * @throws IllegalArgumentException when {@code name} is not 1 to 80 letters, digits, '-' or '_'
   * @throws StorageException when Step Functions cannot be reached or refuses the call
   */
  public Run start(String name, Map<String, ?> input) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "an execution name is 1 to 80 letters, digits, '-' or '_', got " + name);
    }
    String json;
    try {
      json = MAPPER.writeValueAsString(input);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the execution input cannot be written as JSON", e);
    }
    try {
      StartExecutionResponse started =
          sfn.startExecution(
              b -> b.stateMachineArn(settings.stateMachineArn()).name(name).input(json));
      return new Run(started.executionArn(), "STARTED");
    } catch (ExecutionAlreadyExistsException e) {
      return existing(name);
    } catch (SdkException e) {
      throw new StorageException(
          "StartExecution "
              + name
              + " on "
              + settings.stateMachineArn()
              + " failed: "
              + e.getMessage(),
          e);
    }
  }

  private Run existing(String name) {
    String arn = settings.executionArn(name);
    try {
      DescribeExecutionResponse found = sfn.describeExecution(b -> b.executionArn(arn));
      return new Run(found.executionArn(), found.statusAsString());
    } catch (ExecutionDoesNotExistException e) {
      throw new StorageException(
          "StartExecution says an execution named "
              + name
              + " exists, but DescribeExecution finds no "
              + arn
              + ": "
              + e.getMessage(),
          e);
    } catch (SdkException e) {
      throw new StorageException("DescribeExecution " + arn + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    sfn.close();
  }
}
