package dev.retention.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.model.ModelOrder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The lookup index of a batch's scores: what {@code GET /customers/{id}} reads, written by batch
 * scoring next to each scores file. It holds what the scores file holds, nothing more: per
 * customer, the id and the row's cells (segment, name, probability, band, action, customer value),
 * without the model version and as-of day, which are the batch's and kept once in its pointer.
 *
 * <p>Layout, under {@code <prefix><model version>/}:
 *
 * <ul>
 *   <li>{@code <batch>/part-NNNNN.gz}: the customers whose id hashes to partition {@code N} ({@link
 *       #partition}: FNV-1a 64 of the id's UTF-8 bytes, folded, modulo the partition count, a power
 *       of two), sorted by their id's bytes, gzip-compressed. {@code <batch>} names the scored
 *       export version ({@link ObjectInfo#derivedName}), so a redelivered event rewrites the same
 *       objects and two exports never share one;
 *   <li>{@code latest.json}: the pointer to the latest batch of that model version (its partition
 *       count, columns, as-of day, source and {@link ModelOrder}), moved only forward, to a batch
 *       of a later export (the same order as models: the export's last-modified time, then its S3
 *       event sequencer, then the batch name).
 * </ul>
 *
 * <p>A partition's bytes, before gzip: {@code "RSI1"}, the row count, then per row the id's byte
 * length and bytes and the cells' byte length and bytes (big-endian ints; the cells are opaque
 * text: the batch writes the scores file's row as one CSV record, {@code
 * data.CsvTokenizer#joinRecord}). Rows are sorted by unsigned byte order of the id, so a lookup is
 * a binary search in place ({@link Partition#find}).
 */
public final class ScoreIndex {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final byte[] MAGIC = {'R', 'S', 'I', '1'};

  /** How partitions are chosen, recorded in each pointer. */
  public static final String HASH =
      "FNV-1a 64 of the id's UTF-8 bytes, high and low halves xor-ed, modulo the partition count";

  private ScoreIndex() {}

  /** The pointer to a model version's latest batch index. */
  public static String pointerKey(String prefix, String modelVersion) {
    return prefix + modelVersion + "/latest.json";
  }

  /** The key of one partition of a batch's index. */
  public static String partitionKey(String prefix, String modelVersion, String batch, int p) {
    return prefix + modelVersion + "/" + batch + String.format(Locale.ROOT, "/part-%05d.gz", p);
  }

  /** The partition of {@code id} (UTF-8 bytes) among {@code partitions} (a power of two). */
  public static int partition(byte[] id, int partitions) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return (int) (h ^ (h >>> 32)) & (partitions - 1);
  }

  /**
   * The partition count for {@code customers}: the smallest power of two that keeps partitions at
   * or under {@code customersPerPartition} customers on average.
   */
  public static int partitions(long customers, int customersPerPartition) {
    long needed = Math.max(1, (customers + customersPerPartition - 1) / customersPerPartition);
    int p = 1;
    while (p < needed && p < (1 << 20)) {
      p <<= 1;
    }
    return p;
  }

  /**
   * What a batch pointer says.
   *
   * @param modelVersion the model that scored the batch
   * @param batch the batch's name (its objects' folder)
   * @param partitions partition count (a power of two)
   * @param customers customers indexed
   * @param columns the cells' columns, as in the scores file
   * @param asOf the day the batch's features describe
   * @param source the scored export, {@code s3://bucket/key}
   * @param scoresKey the scores file the index was made from
   * @param writtenAt when the index was written (ISO-8601)
   * @param order where the batch stands among the batches of this model version
   * @param previous the batch the pointer named before this one (kept until the next move, so that
   *     a reader with an older pointer still finds its partitions), or null
   * @param previousPartitions that batch's partition count (0 when none)
   */
  public record Pointer(
      String modelVersion,
      String batch,
      int partitions,
      long customers,
      List<String> columns,
      String asOf,
      String source,
      String scoresKey,
      String writtenAt,
      ModelOrder order,
      String previous,
      int previousPartitions) {

    public Pointer {
      columns = List.copyOf(columns);
      if (partitions < 1 || Integer.bitCount(partitions) != 1) {
        throw new IllegalArgumentException("partitions must be a power of two: " + partitions);
      }
    }

    /** The same pointer, following {@code earlier}. */
    Pointer after(Pointer earlier) {
      return new Pointer(
          modelVersion,
          batch,
          partitions,
          customers,
          columns,
          asOf,
          source,
          scoresKey,
          writtenAt,
          order,
          earlier == null ? null : earlier.batch(),
          earlier == null ? 0 : earlier.partitions());
    }

    byte[] json() {
      ObjectNode node = MAPPER.createObjectNode();
      node.put("format", 1);
      node.put("modelVersion", modelVersion);
      node.put("batch", batch);
      node.put("partitions", partitions);
      node.put("customers", customers);
      node.put("hash", HASH);
      ArrayNode cols = node.putArray("columns");
      columns.forEach(cols::add);
      node.put("asOf", asOf);
      node.put("source", source);
      node.put("scoresKey", scoresKey);
      node.put("writtenAt", writtenAt);
      node.set("order", MAPPER.valueToTree(order));
      if (previous != null) {
        node.put("previous", previous);
        node.put("previousPartitions", previousPartitions);
      }
      try {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Reads a pointer.
     *
     * @throws StorageException when the bytes are not a pointer of this format
     */
    public static Pointer parse(byte[] bytes, String key) {
      try {
        JsonNode n = MAPPER.readTree(bytes);
        if (n == null || n.path("format").asInt() != 1 || !n.path("batch").isTextual()) {
          throw new StorageException(key + " is not a lookup index pointer of format 1", null);
        }
        List<String> columns = new ArrayList<>();
        n.path("columns").forEach(c -> columns.add(c.asText()));
        return new Pointer(
            n.path("modelVersion").asText(),
            n.get("batch").asText(),
            n.path("partitions").asInt(),
            n.path("customers").asLong(),
            columns,
            n.path("asOf").asText(null),
            n.path("source").asText(null),
            n.path("scoresKey").asText(null),
            n.path("writtenAt").asText(null),
            MAPPER.treeToValue(n.get("order"), ModelOrder.class),
            n.hasNonNull("previous") ? n.get("previous").asText() : null,
            n.path("previousPartitions").asInt(0));
      } catch (IOException | IllegalArgumentException e) {
        throw new StorageException(key + " cannot be read as a lookup index pointer", e);
      }
    }
  }

  /** One partition, decompressed: rows sorted by id, found by binary search without copying. */
  public static final class Partition {
    private final byte[] data;
    private final int[] rows;

    private Partition(byte[] data, int[] rows) {
      this.data = data;
      this.rows = rows;
    }

    /**
     * Reads a stored (gzip) partition.
     *
     * @throws StorageException when the bytes are not a partition
     */
    public static Partition parse(byte[] gzipped, String key) {
      byte[] data;
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped))) {
        data = in.readAllBytes();
      } catch (IOException e) {
        throw new StorageException(key + " is not a gzip lookup partition", e);
      }
      if (data.length < 8 || !Arrays.equals(data, 0, 4, MAGIC, 0, 4)) {
        throw new StorageException(key + " is not a lookup partition", null);
      }
      int count = readInt(data, 4);
      if (count < 0 || count > (data.length - 8) / 8) {
        throw new StorageException(key + " has a bad row count", null);
      }
      int[] rows = new int[count];
      int at = 8;
      for (int i = 0; i < count; i++) {
        rows[i] = at;
        if (at + 4 > data.length) {
          throw new StorageException(key + " ends inside a row", null);
        }
        int idLength = readInt(data, at);
        int cellsAt = at + 4 + idLength;
        if (idLength < 0 || cellsAt + 4 > data.length) {
          throw new StorageException(key + " ends inside a row", null);
        }
        int cellsLength = readInt(data, cellsAt);
        at = cellsAt + 4 + cellsLength;
        if (cellsLength < 0 || at > data.length) {
          throw new StorageException(key + " ends inside a row", null);
        }
      }
      return new Partition(data, rows);
    }

    /** Customers in the partition. */
    public int size() {
      return rows.length;
    }

    /** Bytes held in memory (for a cache's budget). */
    public long bytes() {
      return data.length + 4L * rows.length + 64;
    }

    /** The cells of the customer with this id (UTF-8 bytes), or null when it is not here. */
    public String find(byte[] id) {
      int lo = 0;
      int hi = rows.length - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int at = rows[mid];
        int length = readInt(data, at);
        int cmp = Arrays.compareUnsigned(data, at + 4, at + 4 + length, id, 0, id.length);
        if (cmp < 0) {
          lo = mid + 1;
        } else if (cmp > 0) {
          hi = mid - 1;
        } else {
          int cellsAt = at + 4 + length;
          return new String(data, cellsAt + 4, readInt(data, cellsAt), StandardCharsets.UTF_8);
        }
      }
      return null;
    }
  }

  /**
   * The stored (gzip) bytes of a partition holding {@code ids[order[from..to)]} with their cells,
   * already sorted by id bytes.
   */
  static byte[] writePartition(byte[][] ids, byte[][] cells, int[] order, int from, int to) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream(64 + (to - from) * 96);
    raw.writeBytes(MAGIC);
    writeInt(raw, to - from);
    for (int i = from; i < to; i++) {
      int r = order[i];
      writeInt(raw, ids[r].length);
      raw.writeBytes(ids[r]);
      writeInt(raw, cells[r].length);
      raw.writeBytes(cells[r]);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.size() / 4 + 64);
    try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out, 8192)) {
      raw.writeTo(gzip);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }
}
