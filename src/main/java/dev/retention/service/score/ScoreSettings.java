package dev.retention.service.score;

import dev.retention.model.ContactEconomics;
import java.time.Duration;

/**
 * How the score function answers. The churn-risk bands and actions come from the model's playbook.
 *
 * @param cacheTtl how long a loaded model is used before latest.json is re-checked
 * @param refreshTimeout the most one re-check (pointer and model) may take; past it the last good
 *     model keeps serving and the next re-check waits a TTL
 * @param maxBatch most customers per request
 * @param maxBodyBytes largest request body accepted
 * @param maxOrdersPerCustomer most orders one customer of a request may send
 * @param maxOrdersPerRequest most orders all customers of a request may send together
 * @param economics cost per contact and gross margin of the contact decision, for a model with an
 *     uplift part ({@code retention.campaign.cost-per-contact}, {@code gross-margin}; the batch's)
 */
public record ScoreSettings(
    Duration cacheTtl,
    Duration refreshTimeout,
    int maxBatch,
    int maxBodyBytes,
    int maxOrdersPerCustomer,
    int maxOrdersPerRequest,
    ContactEconomics economics) {

  /** The default order limits (application.properties). */
  public static final int DEFAULT_MAX_ORDERS_PER_CUSTOMER = 5_000;

  public static final int DEFAULT_MAX_ORDERS_PER_REQUEST = 20_000;

  public ScoreSettings {
    if (maxBatch < 1 || maxBodyBytes < 1 || maxOrdersPerCustomer < 1 || maxOrdersPerRequest < 1) {
      throw new IllegalArgumentException(
          "maxBatch, maxBodyBytes, maxOrdersPerCustomer and maxOrdersPerRequest must be >= 1");
    }
    if (refreshTimeout.isNegative() || refreshTimeout.isZero()) {
      throw new IllegalArgumentException("refreshTimeout must be positive");
    }
    if (economics == null) {
      economics = ContactEconomics.defaults();
    }
  }

  /** With the default economics (no cost, margin 1). */
  public ScoreSettings(
      Duration cacheTtl,
      Duration refreshTimeout,
      int maxBatch,
      int maxBodyBytes,
      int maxOrdersPerCustomer,
      int maxOrdersPerRequest) {
    this(
        cacheTtl,
        refreshTimeout,
        maxBatch,
        maxBodyBytes,
        maxOrdersPerCustomer,
        maxOrdersPerRequest,
        ContactEconomics.defaults());
  }

  /** With the default order limits. */
  public ScoreSettings(Duration cacheTtl, Duration refreshTimeout, int maxBatch, int maxBodyBytes) {
    this(
        cacheTtl,
        refreshTimeout,
        maxBatch,
        maxBodyBytes,
        DEFAULT_MAX_ORDERS_PER_CUSTOMER,
        DEFAULT_MAX_ORDERS_PER_REQUEST);
  }
}
