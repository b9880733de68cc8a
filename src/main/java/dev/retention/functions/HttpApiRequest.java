package dev.retention.functions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.Map;

/**
 * An API Gateway HTTP API request, payload format 2.0 (only the fields the score function reads),
 * bound by {@link HttpApiBinding.RequestReader}.
 *
 * @param version "2.0"
 * @param routeKey e.g. {@code POST /score}, or {@code $default}
 * @param rawPath the path as received, with the stage prefix for named stages
 * @param headers lower-cased request headers
 * @param requestContext method, path, stage and request id
 * @param body the body's characters (as the event's parser unescaped them), base64 when {@code
 *     isBase64Encoded}
 * @param isBase64Encoded whether {@code body} is base64
 */
@JsonDeserialize(using = HttpApiBinding.RequestReader.class)
public record HttpApiRequest(
    String version,
    String routeKey,
    String rawPath,
    Map<String, String> headers,
    RequestContext requestContext,
    char[] body,
    @JsonProperty("isBase64Encoded") boolean isBase64Encoded) {

  /** Where and how the request arrived. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RequestContext(Http http, String stage, String requestId) {}

  /** Method and path. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Http(String method, String path) {}
}
