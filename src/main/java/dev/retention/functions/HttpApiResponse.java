package dev.retention.functions;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * An API Gateway HTTP API response, payload format 2.0.
 *
 * @param statusCode HTTP status
 * @param headers response headers
 * @param body JSON text
 * @param isBase64Encoded always false: bodies are JSON text
 */
public record HttpApiResponse(
    int statusCode,
    Map<String, String> headers,
    String body,
    @JsonProperty("isBase64Encoded") boolean isBase64Encoded) {}
