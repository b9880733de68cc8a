package dev.retention.functions;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;

/**
 * An API Gateway HTTP API response, payload format 2.0.
 *
 * @param statusCode HTTP status
 * @param headers response headers
 * @param body JSON text, UTF-8 (escaped into the event's {@code body} string by {@link
 *     HttpApiBinding.ResponseWriter})
 * @param isBase64Encoded always false: bodies are JSON text
 */
@JsonSerialize(using = HttpApiBinding.ResponseWriter.class)
public record HttpApiResponse(
    int statusCode,
    Map<String, String> headers,
    byte[] body,
    @JsonProperty("isBase64Encoded") boolean isBase64Encoded) {}
