package dev.retention.data;

import dev.retention.features.Utf8Slice;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The customer ids of a feature export's accepted rows, exactly as exported (their UTF-8 bytes in
 * one arena), and the repeated ones among them, found once the export is read.
 *
 * <p>Why not a hash table while reading: a lookup per row is a random access into a table as large
 * as the export's customers, which cost the benchmarked reader a third of its speed. Appending the
 * bytes is sequential; afterwards the rows are sorted by a 64-bit hash of their id (36 bits of it,
 * the row index in the low 28 bits) and equal neighbours compared byte for byte, so a hash
 * collision is never taken for a repeat.
 */
final class IdColumn {

  private byte[] arena = new byte[1 << 16];
  private int arenaSize;
  // Per row: arena offset in the high 32 bits, length in the low ones.
  private long[] span = new long[1024];
  private int size;

  /** Appends the id of the next row. */
  void add(CharSequence id) {
    if (id instanceof Utf8Slice slice) {
      add(slice.bytes(), slice.start(), slice.length());
    } else {
      byte[] utf8 = id.toString().getBytes(StandardCharsets.UTF_8);
      add(utf8, 0, utf8.length);
    }
  }

  private void add(byte[] b, int from, int len) {
    if (size == span.length) {
      span = Arrays.copyOf(span, size * 2);
    }
    if (arenaSize + len > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + len));
    }
    System.arraycopy(b, from, arena, arenaSize, len);
    span[size++] = ((long) arenaSize << 32) | len;
    arenaSize += len;
  }

  int size() {
    return size;
  }

  /** The id of row {@code i}. */
  String get(int i) {
    return new String(arena, (int) (span[i] >>> 32), (int) span[i], StandardCharsets.UTF_8);
  }

  /**
   * For each row, the row where its id first appears (itself for a first appearance); null when no
   * id repeats. The ids' 64-bit hashes are computed in one sequential pass; a table of row numbers
   * (an int each, at most a quarter full) finds equal hashes, which are then compared byte for
   * byte.
   */
  int[] firstRows() {
    if (size < 2) {
      return null;
    }
    long[] hashes = new long[size];
    for (int i = 0; i < size; i++) {
      hashes[i] = hash(i);
    }
    int capacity = Integer.highestOneBit(Math.max(2, size)) << 2;
    int mask = capacity - 1;
    int[] table = new int[capacity]; // row + 1, 0 = empty
    int[] first = null;
    for (int row = 0; row < size; row++) {
      long h = hashes[row];
      int slot = (int) (h ^ (h >>> 32)) & mask;
      int match = -1;
      for (int entry = table[slot]; entry != 0; entry = table[slot]) {
        int other = entry - 1;
        if (hashes[other] == h && same(row, other)) {
          match = other;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (match < 0) {
        table[slot] = row + 1;
        continue;
      }
      if (first == null) {
        first = new int[size];
        for (int i = 0; i < size; i++) {
          first[i] = i;
        }
      }
      first[row] = match; // the table holds first appearances only
    }
    return first;
  }

  private boolean same(int a, int b) {
    int oa = (int) (span[a] >>> 32);
    int ob = (int) (span[b] >>> 32);
    int la = (int) span[a];
    return la == (int) span[b] && Arrays.equals(arena, oa, oa + la, arena, ob, ob + la);
  }

  /** FNV-1a (64 bits) of row {@code i}'s id, mixed by MurmurHash3's finalizer. */
  private long hash(int i) {
    int offset = (int) (span[i] >>> 32);
    int end = offset + (int) span[i];
    long h = 0xcbf29ce484222325L;
    for (int k = offset; k < end; k++) {
      h ^= arena[k] & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
