package dev.retention.functions;

import com.amazonaws.services.lambda.runtime.Context;
import io.quarkus.funqy.lambda.FunqyStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jboss.logging.MDC;

/**
 * The JVM runtime's handler: Funqy's stream handler, after recording the invocation's remaining
 * time from the Lambda context ({@link Invocation}), which the train function stops before, and its
 * request id in the logging context (which the metric lines carry). A thin adapter, as Powertools'
 * handlers are; the native image (its own bootstrap) reads the function's timeout from {@code
 * retention.invocation.time-limit} instead.
 */
public class RetentionHandler extends FunqyStreamHandler {

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Invocation.begin(context == null ? -1 : context.getRemainingTimeInMillis(), System.nanoTime());
    if (context != null && context.getAwsRequestId() != null) {
      // What Quarkus' own poll loop does natively: the request id on the logs and metric lines.
      MDC.put(Invocation.REQUEST_ID, context.getAwsRequestId());
    }
    try {
      super.handleRequest(input, output, context);
    } finally {
      Invocation.end();
      MDC.remove(Invocation.REQUEST_ID);
    }
  }
}
