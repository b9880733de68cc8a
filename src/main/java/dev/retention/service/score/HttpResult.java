package dev.retention.service.score;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP answer: status, JSON body, extra headers (content-type is always JSON).
 *
 * <p>The body is kept as the UTF-8 bytes it was written as: the score function's response event
 * carries them escaped into its {@code body} string without decoding them into a {@code String}
 * first (issue 22).
 *
 * @param status HTTP status code
 * @param json the JSON text, UTF-8
 * @param headers extra response headers, e.g. {@code Allow} on a 405
 */
public record HttpResult(int status, byte[] json, Map<String, String> headers) {

  /** An answer whose body is {@code body}, JSON text. */
  public HttpResult(int status, String body, Map<String, String> headers) {
    this(status, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  /** The JSON text. */
  public String body() {
    return new String(json, StandardCharsets.UTF_8);
  }
}
