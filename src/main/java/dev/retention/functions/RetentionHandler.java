package dev.retention.functions;

import com.amazonaws.services.lambda.runtime.Context;
import io.quarkus.funqy.lambda.FunqyStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The JVM runtime's handler: Funqy's stream handler, after recording the invocation's remaining
 * time from the Lambda context ({@link Invocation}), which the train function stops before. A thin
 * adapter, as Powertools' handlers are; the native image (its own bootstrap) reads the function's
 * timeout from {@code retention.invocation.time-limit} instead.
 */
public class RetentionHandler extends FunqyStreamHandler {

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Invocation.begin(context == null ? -1 : context.getRemainingTimeInMillis(), System.nanoTime());
    try {
      super.handleRequest(input, output, context);
    } finally {
      Invocation.end();
    }
  }
}
