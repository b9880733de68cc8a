package dev.retention.service.score;

import java.util.Map;

/**
 * An HTTP answer: status, JSON body, extra headers (content-type is always JSON).
 *
 * @param status HTTP status code
 * @param body JSON text
 * @param headers extra response headers, e.g. {@code Allow} on a 405
 */
public record HttpResult(int status, String body, Map<String, String> headers) {}
