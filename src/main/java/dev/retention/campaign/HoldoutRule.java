package dev.retention.campaign;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * Who is held out of a campaign: a pure function of the campaign id and the customer id, so a
 * redelivered event, a re-run, a later batch of the same campaign or another engine (batch, Spark,
 * a shop's own warehouse) assigns every customer to the same group.
 *
 * <p>Rule {@value #METHOD}: {@code u = (first 8 bytes of SHA-256(UTF-8(campaignId + "\n" +
 * customerId)) as an unsigned big-endian integer >>> 11) / 2^53}, uniform on [0, 1); the customer
 * is held out when {@code u < holdoutShare}. A campaign id cannot hold a line break, so the input
 * is unambiguous. In SQL: {@code conv(substr(sha2(concat(campaign, '\n', customer), 256), 1, 14),
 * 16, 10) / 2^56 < share} reproduces it to within one part in 2^53.
 *
 * <p>Consequences (decision 0022): each customer's group depends on nothing else, so the holdout
 * share is exact only in expectation (in a stratum of {@code n} customers the holdout count is
 * binomial, standard deviation {@code sqrt(n s (1 - s))}); raising the share later keeps every
 * customer already held out (nested holdouts); strata can be merged after the fact without moving
 * anyone. Ranking by hash within each stratum would give exact shares but would move customers when
 * a stratum's members change (one more customer in the export, a retrained model's bands).
 *
 * @param campaignId 1 to 64 characters of {@code A-Z a-z 0-9 . _ -}, starting with a letter or
 *     digit
 * @param holdoutShare the share held out, in [0, 0.5]
 */
public record HoldoutRule(String campaignId, double holdoutShare) {

  /** The rule's name, recorded in each manifest. */
  public static final String METHOD = "sha256-threshold-v1";

  /** The default holdout share. */
  public static final double DEFAULT_SHARE = 0.10;

  private static final Pattern CAMPAIGN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public HoldoutRule {
    if (campaignId == null || !CAMPAIGN_ID.matcher(campaignId).matches()) {
      throw new IllegalArgumentException(
          "a campaign id must be 1 to 64 characters of A-Z a-z 0-9 . _ -, starting with a letter"
              + " or digit");
    }
    if (!(holdoutShare >= 0 && holdoutShare <= 0.5)) {
      throw new IllegalArgumentException(
          "the holdout share must be in [0, 0.5], got " + holdoutShare);
    }
  }

  /** The customer's uniform number {@code u} in [0, 1). */
  public double unit(String customerId) {
    return assigner().unit(customerId);
  }

  /** Whether the customer is held out of this campaign (if the campaign selects them). */
  public boolean holdsOut(String customerId) {
    return unit(customerId) < holdoutShare;
  }

  /** An assigner for many customers in one thread: the digest is set up once, not per customer. */
  public Assigner assigner() {
    return new Assigner(this);
  }

  /** The rule for many customers, one thread at a time (it reuses one digest). */
  public static final class Assigner {
    private final MessageDigest sha;
    private final byte[] prefix;
    private final double share;

    private Assigner(HoldoutRule rule) {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
      prefix = (rule.campaignId() + "\n").getBytes(StandardCharsets.UTF_8);
      share = rule.holdoutShare();
    }

    /** The customer's {@code u}. */
    public double unit(String customerId) {
      sha.update(prefix);
      byte[] digest = sha.digest(customerId.getBytes(StandardCharsets.UTF_8));
      long bits = 0;
      for (int i = 0; i < 8; i++) {
        bits = (bits << 8) | (digest[i] & 0xff);
      }
      return (bits >>> 11) * 0x1.0p-53;
    }

    /** Whether the customer is held out. */
    public boolean holdsOut(String customerId) {
      return unit(customerId) < share;
    }
  }
}
