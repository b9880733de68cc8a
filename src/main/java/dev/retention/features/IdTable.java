package dev.retention.features;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Dense indexes for ids (0, 1, 2, ... in first-seen order), keyed by their UTF-8 bytes in one
 * arena: about 24 bytes per id plus its text, against about 100 for a {@code HashMap<String,
 * Integer>} entry, and no string per lookup. Open addressing with linear probing (Knuth, TAOCP vol.
 * 3, 6.4), FNV-1a hashes, load at most 1/2; up to 8 ids (channels, statuses) are compared directly
 * without hashing.
 */
public final class IdTable {

  private static final int LINEAR = 8;

  private byte[] arena = new byte[1 << 16];
  private int arenaSize;
  // Per id: arena offset in the high 32 bits, length in the low ones (one memory access).
  private long[] span = new long[1024];
  private int size;
  // Per slot: the id's hash in the high 32 bits and id + 1 in the low ones; 0 = empty. A probe
  // compares hashes without leaving this array. Unused while size <= LINEAR.
  private long[] slots = new long[0];

  public int size() {
    return size;
  }

  /** The index of {@code id}, added if new. */
  public int index(CharSequence id) {
    if (id instanceof Utf8Slice slice) {
      return index(slice.bytes(), slice.start(), slice.length());
    }
    byte[] utf8 = id.toString().getBytes(StandardCharsets.UTF_8);
    return index(utf8, 0, utf8.length);
  }

  private int index(byte[] b, int from, int len) {
    int h = 0;
    if (size <= LINEAR) {
      for (int i = 0; i < size; i++) {
        if (same(i, b, from, len)) {
          return i;
        }
      }
    } else {
      h = fnv(b, from, len);
      int mask = slots.length - 1;
      for (int s = h & mask; slots[s] != 0; s = (s + 1) & mask) {
        long entry = slots[s];
        if ((int) (entry >>> 32) == h && same((int) entry - 1, b, from, len)) {
          return (int) entry - 1;
        }
      }
    }
    int id = append(b, from, len);
    if (size == LINEAR + 1 || 2 * size > slots.length) {
      rehash();
    } else if (size > LINEAR) {
      insert(id, h);
    }
    return id;
  }

  private boolean same(int i, byte[] b, int from, int len) {
    int offset = (int) (span[i] >>> 32);
    return (int) span[i] == len && Arrays.equals(arena, offset, offset + len, b, from, from + len);
  }

  private int append(byte[] b, int from, int len) {
    if (size == span.length) {
      span = Arrays.copyOf(span, size * 2);
    }
    if (arenaSize + len > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + len));
    }
    System.arraycopy(b, from, arena, arenaSize, len);
    span[size] = ((long) arenaSize << 32) | len;
    arenaSize += len;
    return size++;
  }

  private void insert(int id, int h) {
    int mask = slots.length - 1;
    int s = h & mask;
    while (slots[s] != 0) {
      s = (s + 1) & mask;
    }
    slots[s] = ((long) h << 32) | (id + 1L);
  }

  /** A table at load 1/4 or less holding every id. */
  private void rehash() {
    int capacity = 64;
    while (capacity < 4 * size) {
      capacity *= 2;
    }
    slots = new long[capacity];
    for (int i = 0; i < size; i++) {
      insert(i, fnv(arena, (int) (span[i] >>> 32), (int) span[i]));
    }
  }

  /** The id of index {@code i}. */
  public String get(int i) {
    return new String(arena, (int) (span[i] >>> 32), (int) span[i], StandardCharsets.UTF_8);
  }

  private static int fnv(byte[] b, int from, int len) {
    int h = 0x811c9dc5;
    for (int i = from; i < from + len; i++) {
      h ^= b[i];
      h *= 0x01000193;
    }
    // Spread the high bits into the low ones used by the mask.
    return h ^ (h >>> 16);
  }
}
