package dev.retention.service.batch;

import dev.retention.campaign.CampaignOptions;
import dev.retention.campaign.HoldoutRule;
import dev.retention.data.ExportSchema;
import dev.retention.data.OrdersSchema;
import dev.retention.data.ReadLimits;
import dev.retention.data.TextFormat;
import dev.retention.features.RfmOptions;

/**
 * What the batch-score function does with an export.
 *
 * @param prefix exports under this prefix are scored
 * @param outputPrefix scores go to {@code <outputPrefix><model version>/<export name>.csv}
 * @param features id column and rejection limit of feature exports
 * @param orders columns of orders exports (for models derived from orders)
 * @param limits what reading one export may cost
 * @param rfm the cutoff for scoring ({@code null} = the export's latest order day)
 * @param order PRIORITY ({@link dev.retention.model.Priority}) or INPUT
 * @param text the exports' delimiter, decimal separator and case-collision rule (an orders model
 *     reads its orders in the dialect it recorded instead)
 * @param lookup the lookup index written next to the scores ({@code GET /customers/{id}})
 * @param campaign the campaign each scored export becomes, or {@link Campaign#off()}
 */
public record BatchSettings(
    String prefix,
    String outputPrefix,
    ExportSchema features,
    OrdersSchema orders,
    ReadLimits limits,
    RfmOptions rfm,
    Order order,
    TextFormat text,
    Lookup lookup,
    Campaign campaign) {

  /** Settings for exports in the default text layout, the default lookup index, no campaign. */
  public BatchSettings(
      String prefix,
      String outputPrefix,
      ExportSchema features,
      OrdersSchema orders,
      ReadLimits limits,
      RfmOptions rfm,
      Order order) {
    this(
        prefix,
        outputPrefix,
        features,
        orders,
        limits,
        rfm,
        order,
        TextFormat.defaults(),
        Lookup.defaults(),
        Campaign.off());
  }

  /** These settings with each scored export becoming {@code campaign}. */
  public BatchSettings withCampaign(Campaign campaign) {
    return new BatchSettings(
        prefix, outputPrefix, features, orders, limits, rfm, order, text, lookup, campaign);
  }

  /**
   * The lookup index of each batch's scores.
   *
   * @param enabled whether it is written
   * @param prefix where: {@code <prefix><model version>/...}
   * @param customersPerPartition the average partition size aimed at (one small GET each)
   * @param uploadThreads concurrent partition uploads
   */
  public record Lookup(
      boolean enabled, String prefix, int customersPerPartition, int uploadThreads) {

    public Lookup {
      if (customersPerPartition < 1 || uploadThreads < 1) {
        throw new IllegalArgumentException("customersPerPartition and uploadThreads must be >= 1");
      }
    }

    /** The defaults of application.properties. */
    public static Lookup defaults() {
      return new Lookup(true, "lookup/", 2048, 8);
    }
  }

  /**
   * The campaign of the scored exports (README "Campaigns").
   *
   * @param id the campaign's id, the holdout rule's key ({@link HoldoutRule}); null: no campaign
   * @param options budget, economics and holdout share
   */
  public record Campaign(String id, CampaignOptions options) {

    public Campaign {
      if (id != null) {
        // Refuse a bad id at start, naming the setting (never echoing it).
        try {
          new HoldoutRule(id, options.holdoutShare());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("retention.campaign.id: " + e.getMessage(), e);
        }
      }
    }

    /** No campaign. */
    public static Campaign off() {
      return new Campaign(null, CampaignOptions.defaults());
    }

    public boolean enabled() {
      return id != null;
    }
  }

  /** The order of the scores CSV's rows. */
  public enum Order {
    /** The one ordering ({@link dev.retention.model.Priority}): likely to lapse first. */
    PRIORITY,
    /** As the export lists the customers. */
    INPUT
  }
}
