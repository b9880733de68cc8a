package dev.retention.service.score;

/** A client error, with the field and the customer at fault: answered as a 400. */
final class BadRequest extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;
  private final String field;
  private final Integer customerIndex;

  BadRequest(String code, String message, String field, Integer customerIndex) {
    super(message, null, false, false);
    this.code = code;
    this.field = field;
    this.customerIndex = customerIndex;
  }

  String code() {
    return code;
  }

  String field() {
    return field;
  }

  Integer customerIndex() {
    return customerIndex;
  }
}
