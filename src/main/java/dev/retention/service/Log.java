package dev.retention.service;

import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Structured log events: an event name plus key/value fields, put in the MDC for the duration of
 * the call so the JSON log format emits them as fields (and the text format shows them in the
 * message). Callers pass aggregates only: never a customer id or feature value.
 */
public final class Log {

  private Log() {}

  public static void event(Logger logger, Logger.Level level, String event, Object... keyValues) {
    if (!logger.isEnabled(level)) {
      return;
    }
    List<String> keys = new ArrayList<>();
    StringBuilder message = new StringBuilder(event);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      String key = String.valueOf(keyValues[i]);
      Object value = keyValues[i + 1];
      keys.add(key);
      MDC.put(key, String.valueOf(value));
      message.append(' ').append(key).append('=').append(value);
    }
    MDC.put("event", event);
    try {
      logger.log(level, message.toString());
    } finally {
      MDC.remove("event");
      for (String key : keys) {
        MDC.remove(key);
      }
    }
  }
}
