package dev.retention.functions;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The score function's event binding, in one place (as Powertools binds API Gateway events): the
 * HTTP API event read once, its body handed on as the characters the event parser already
 * unescaped, and the response's body, JSON bytes, escaped once into the response event.
 *
 * <p>API Gateway's payload format 2.0 carries a request's JSON body as a JSON string inside the
 * event, and expects the answer's the same way. Bound to records with a {@code String} body by
 * Funqy's {@code ObjectReader}/{@code ObjectWriter}, a batch of 1,000 (144 KB in, 300 KB out) was
 * turned into a {@code String} and back into characters on the way in, and written through a {@code
 * StringWriter} then re-read and escaped character by character on the way out: under Lambda's
 * default C1 that was about half the handler's time (decision 0021, docs/benchmarks.md). Funqy
 * still calls the function (so the native image's own loop and the JVM's handler take the same
 * path); these two Jackson bindings replace the reflective ones of the two records.
 */
public final class HttpApiBinding {

  private HttpApiBinding() {}

  /** Reads an HTTP API event (payload 2.0) into {@link HttpApiRequest}; unknown fields skipped. */
  public static final class RequestReader extends StdDeserializer<HttpApiRequest> {

    private static final long serialVersionUID = 1L;

    public RequestReader() {
      super(HttpApiRequest.class);
    }

    @Override
    public HttpApiRequest deserialize(JsonParser p, DeserializationContext context)
        throws IOException {
      expect(p, p.currentToken() == JsonToken.START_OBJECT ? p.currentToken() : p.nextToken());
      String version = null;
      String routeKey = null;
      String rawPath = null;
      Map<String, String> headers = null;
      HttpApiRequest.RequestContext requestContext = null;
      char[] body = null;
      boolean base64 = false;
      for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
        JsonToken value = p.nextToken();
        switch (field) {
          case "version" -> version = text(p, value);
          case "routeKey" -> routeKey = text(p, value);
          case "rawPath" -> rawPath = text(p, value);
          case "headers" -> headers = headers(p, value);
          case "requestContext" -> requestContext = requestContext(p, value);
          case "body" -> body = characters(p, value);
          case "isBase64Encoded" -> base64 = value == JsonToken.VALUE_TRUE;
          default -> p.skipChildren();
        }
      }
      return new HttpApiRequest(version, routeKey, rawPath, headers, requestContext, body, base64);
    }

    private static void expect(JsonParser p, JsonToken token) throws IOException {
      if (token != JsonToken.START_OBJECT) {
        throw new com.fasterxml.jackson.core.JsonParseException(
            p, "an HTTP API event is a JSON object");
      }
    }

    /** A string value (a number or boolean as its text, as Jackson's default binding does). */
    private static String text(JsonParser p, JsonToken value) throws IOException {
      if (value == JsonToken.VALUE_NULL) {
        return null;
      }
      if (value.isStructStart()) {
        p.skipChildren();
        return null;
      }
      return p.getText();
    }

    /** The body's characters, unescaped by the event's parser, without a String in between. */
    private static char[] characters(JsonParser p, JsonToken value) throws IOException {
      if (value != JsonToken.VALUE_STRING) {
        String text = text(p, value);
        return text == null ? null : text.toCharArray();
      }
      int offset = p.getTextOffset();
      return Arrays.copyOfRange(p.getTextCharacters(), offset, offset + p.getTextLength());
    }

    private static Map<String, String> headers(JsonParser p, JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        text(p, value);
        return null;
      }
      Map<String, String> headers = new HashMap<>();
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        headers.put(name, text(p, p.nextToken()));
      }
      return headers;
    }

    private static HttpApiRequest.RequestContext requestContext(JsonParser p, JsonToken value)
        throws IOException {
      if (value != JsonToken.START_OBJECT) {
        text(p, value);
        return null;
      }
      HttpApiRequest.Http http = null;
      String stage = null;
      String requestId = null;
      for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
        JsonToken v = p.nextToken();
        switch (field) {
          case "http" -> http = http(p, v);
          case "stage" -> stage = text(p, v);
          case "requestId" -> requestId = text(p, v);
          default -> p.skipChildren();
        }
      }
      return new HttpApiRequest.RequestContext(http, stage, requestId);
    }

    private static HttpApiRequest.Http http(JsonParser p, JsonToken value) throws IOException {
      if (value != JsonToken.START_OBJECT) {
        text(p, value);
        return null;
      }
      String method = null;
      String path = null;
      for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
        JsonToken v = p.nextToken();
        switch (field) {
          case "method" -> method = text(p, v);
          case "path" -> path = text(p, v);
          default -> p.skipChildren();
        }
      }
      return new HttpApiRequest.Http(method, path);
    }
  }

  /** Writes {@link HttpApiResponse} as the HTTP API's response event, the body as a string. */
  public static final class ResponseWriter extends StdSerializer<HttpApiResponse> {

    private static final long serialVersionUID = 1L;

    public ResponseWriter() {
      super(HttpApiResponse.class);
    }

    @Override
    public void serialize(HttpApiResponse response, JsonGenerator g, SerializerProvider provider)
        throws IOException {
      g.writeStartObject();
      g.writeNumberField("statusCode", response.statusCode());
      if (response.headers() != null) {
        g.writeObjectFieldStart("headers");
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
          g.writeStringField(header.getKey(), header.getValue());
        }
        g.writeEndObject();
      }
      g.writeFieldName("body");
      byte[] body = response.body();
      if (body == null) {
        g.writeNull();
      } else if (g instanceof UTF8JsonGenerator) {
        // Already UTF-8 and written by Jackson: only its quotes and backslashes need escaping.
        byte[] escaped = escapedJsonText(body);
        g.writeRawUTF8String(escaped, 0, escaped.length);
      } else {
        g.writeString(new String(body, StandardCharsets.UTF_8));
      }
      g.writeBooleanField("isBase64Encoded", response.isBase64Encoded());
      g.writeEndObject();
    }
  }

  /**
   * {@code json}, JSON text written by Jackson, as the inside of a JSON string: {@code "} and
   * {@code \} get a backslash. That is all a JSON string needs here: Jackson writes control
   * characters inside strings escaped and never raw, and UTF-8 above ASCII may stay as it is.
   * Anything else below 0x20 (which valid JSON text has only as white space between tokens) is
   * written as a {@code \}{@code u00XX} escape, so the result is always a valid JSON string.
   */
  static byte[] escapedJsonText(byte[] json) {
    // One pass, one table look-up per byte, into room for every byte escaped as two (grown only for
    // a control character's six): under Lambda's C1 every pass over a 300 KB answer counts.
    boolean[] special = SPECIAL;
    byte[] out = new byte[2 * json.length + 16];
    int o = 0;
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (special[b & 0xFF]) {
        if (b != '"' && b != '\\') {
          if (out.length - o < 2 * (json.length - i) + 6) {
            out = Arrays.copyOf(out, o + 6 * (json.length - i) + 16);
          }
          out[o++] = '\\';
          out[o++] = 'u';
          out[o++] = '0';
          out[o++] = '0';
          out[o++] = (byte) HEX[b >> 4];
          b = (byte) HEX[b & 0xF];
        } else {
          out[o++] = '\\';
        }
      }
      out[o++] = b;
    }
    return o == json.length ? json : Arrays.copyOf(out, o);
  }

  /** The bytes a JSON string cannot hold as they are: quote, backslash, controls. */
  private static final boolean[] SPECIAL = new boolean[256];

  static {
    for (int b = 0; b < 0x20; b++) {
      SPECIAL[b] = true;
    }
    SPECIAL['"'] = true;
    SPECIAL['\\'] = true;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();
}
