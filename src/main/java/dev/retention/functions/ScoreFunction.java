package dev.retention.functions;

import dev.retention.service.score.HttpResult;
import dev.retention.service.score.ScoreApi;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Lambda adapter: API Gateway HTTP API (payload 2.0) events in, HTTP responses out. */
public class ScoreFunction {

  @Inject ScoreApi scoring;

  @Funq("score")
  public HttpApiResponse score(HttpApiRequest request) {
    Invocation.arrived();
    String method = "";
    String path = "";
    char[] body = null;
    if (request != null) {
      if (request.requestContext() != null && request.requestContext().http() != null) {
        method = request.requestContext().http().method();
        path = request.requestContext().http().path();
      }
      if (request.rawPath() != null) {
        path = request.rawPath();
      }
      path = withoutStage(path, request.requestContext());
      body = request.body();
      if (body != null && request.isBase64Encoded()) {
        try {
          body =
              new String(Base64.getDecoder().decode(new String(body)), StandardCharsets.UTF_8)
                  .toCharArray();
        } catch (IllegalArgumentException e) {
          body = "\u0000not base64".toCharArray();
        }
      }
    }
    HttpResult result = scoring.handleCharacters(method == null ? "" : method, path, body);
    Map<String, String> headers = new HashMap<>(result.headers());
    headers.put("content-type", "application/json");
    return new HttpApiResponse(result.status(), headers, result.json(), false);
  }

  /** Named stages prefix the raw path with {@code /<stage>}; routes are matched without it. */
  static String withoutStage(String path, HttpApiRequest.RequestContext context) {
    if (path == null) {
      return "";
    }
    if (context != null && context.stage() != null && !"$default".equals(context.stage())) {
      String prefix = "/" + context.stage();
      if (path.equals(prefix)) {
        return "/";
      }
      if (path.startsWith(prefix + "/")) {
        return path.substring(prefix.length());
      }
    }
    return path;
  }
}
