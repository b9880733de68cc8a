package dev.retention.campaign;

import dev.retention.model.Playbook;
import java.util.ArrayList;
import java.util.List;

/**
 * The strata a campaign is analysed and published by: segment × churn-risk band, merged until each
 * holds at least the minimum segment size {@code m} of participants (contact + holdout), so that no
 * stratum's number describes fewer than {@code m} customers.
 *
 * <p>Rule, deterministic in the counts: within each segment, bands are taken in {@link
 * Playbook#BANDS} order and accumulated until they hold {@code m} participants, which closes a
 * stratum; a remainder below {@code m} joins the segment's last stratum. A segment with fewer than
 * {@code m} participants in all joins a pooled stratum of small segments; a pool below {@code m}
 * joins the smallest stratum (or, when there is none, is the only stratum: a campaign below {@code
 * m} publishes no per-stratum number). The holdout rule does not look at strata, so merging moves
 * no customer between groups.
 *
 * @param stratumOfKey per key {@code segment * bands + band}, the stratum's index
 * @param labels per stratum, its name ("champions · high + medium", "small segments")
 * @param members per stratum, its keys as {@code segment/band}
 */
public record Strata(int[] stratumOfKey, List<String> labels, List<List<String>> members) {

  private static final int BANDS = Playbook.BANDS.size();

  /** The stratum of a customer. */
  public int of(int segment, int band) {
    return stratumOfKey[segment * BANDS + band];
  }

  public int size() {
    return labels.size();
  }

  /**
   * Merges {@code participants[segment * bands + band]} (as counted by the caller).
   *
   * @param segmentNames names by segment index (a missing or null name is "segment i")
   */
  public static Strata merge(long[] participants, List<String> segmentNames, int minimumSize) {
    if (participants.length % BANDS != 0) {
      throw new IllegalArgumentException("participants need one count per segment and band");
    }
    int segments = participants.length / BANDS;
    int[] stratumOf = new int[participants.length];
    List<List<Integer>> groups = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    List<Integer> pool = new ArrayList<>();
    long poolSize = 0;
    for (int s = 0; s < segments; s++) {
      long segmentTotal = 0;
      for (int b = 0; b < BANDS; b++) {
        segmentTotal += participants[s * BANDS + b];
      }
      if (segmentTotal < minimumSize) {
        for (int b = 0; b < BANDS; b++) {
          pool.add(s * BANDS + b);
        }
        poolSize += segmentTotal;
        continue;
      }
      List<Integer> current = new ArrayList<>();
      long currentSize = 0;
      int firstOfSegment = groups.size();
      for (int b = 0; b < BANDS; b++) {
        current.add(s * BANDS + b);
        currentSize += participants[s * BANDS + b];
        if (currentSize >= minimumSize) {
          groups.add(current);
          sizes.add(currentSize);
          current = new ArrayList<>();
          currentSize = 0;
        }
      }
      if (!current.isEmpty()) {
        // The segment holds >= m, so at least one stratum of it was closed.
        int last = groups.size() - 1;
        groups.get(last).addAll(current);
        sizes.set(last, sizes.get(last) + currentSize);
      }
      assert groups.size() > firstOfSegment;
    }
    int poolIndex = -1;
    if (!pool.isEmpty()) {
      if (poolSize >= minimumSize || groups.isEmpty()) {
        poolIndex = groups.size();
        groups.add(pool);
        sizes.add(poolSize);
      } else {
        int smallest = 0;
        for (int g = 1; g < groups.size(); g++) {
          if (sizes.get(g) < sizes.get(smallest)) {
            smallest = g;
          }
        }
        groups.get(smallest).addAll(pool);
        sizes.set(smallest, sizes.get(smallest) + poolSize);
      }
    }
    List<String> labels = new ArrayList<>();
    List<List<String>> members = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      List<String> keys = new ArrayList<>();
      for (int key : groups.get(g)) {
        stratumOf[key] = g;
        keys.add((key / BANDS) + "/" + Playbook.BANDS.get(key % BANDS));
      }
      members.add(List.copyOf(keys));
      labels.add(label(groups.get(g), g == poolIndex, segmentNames));
    }
    return new Strata(stratumOf, List.copyOf(labels), List.copyOf(members));
  }

  /** "name · band + band" per segment in the stratum, segments joined by "; ". */
  private static String label(List<Integer> keys, boolean pooled, List<String> segmentNames) {
    if (pooled) {
      return "small segments";
    }
    StringBuilder out = new StringBuilder();
    int lastSegment = -1;
    List<String> bands = new ArrayList<>();
    boolean hasPool = false;
    for (int key : keys) {
      int s = key / BANDS;
      if (lastSegment >= 0 && s != lastSegment) {
        // Keys after the segment's own are the pool merged into it.
        hasPool = true;
        break;
      }
      lastSegment = s;
      bands.add(Playbook.BANDS.get(key % BANDS));
    }
    out.append(segmentName(lastSegment, segmentNames))
        .append(" · ")
        .append(bands.size() == BANDS ? "all bands" : String.join(" + ", bands));
    if (hasPool) {
      out.append("; small segments");
    }
    return out.toString();
  }

  private static String segmentName(int segment, List<String> names) {
    return segment < names.size() && names.get(segment) != null
        ? names.get(segment)
        : "segment " + segment;
  }
}
