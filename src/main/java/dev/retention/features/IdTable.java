package dev.retention.features;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Dense indexes for ids (0, 1, 2, ... in first-seen order), keyed by their UTF-8 bytes in one
 * arena: about 20 bytes per id plus its text, against about 100 for a {@code HashMap<String,
 * Integer>} entry, and no string per lookup. Open addressing with linear probing (Knuth, TAOCP vol.
 * 3, 6.4), FNV-1a hashes, load at most 1/2.
 */
final class IdTable {

  private byte[] arena = new byte[1 << 16];
  private int arenaSize;
  private int[] offset = new int[1024];
  private int[] length = new int[1024];
  private int[] hash = new int[1024];
  private int size;
  private int[] slots = new int[2048]; // id + 1, 0 = empty

  int size() {
    return size;
  }

  /** The index of {@code id}, added if new. */
  int index(CharSequence id) {
    if (id instanceof Utf8Slice slice) {
      return index(slice.bytes(), slice.start(), slice.length());
    }
    byte[] utf8 = id.toString().getBytes(StandardCharsets.UTF_8);
    return index(utf8, 0, utf8.length);
  }

  private int index(byte[] b, int from, int len) {
    int h = fnv(b, from, len);
    int mask = slots.length - 1;
    for (int s = h & mask; ; s = (s + 1) & mask) {
      int entry = slots[s];
      if (entry == 0) {
        int id = add(b, from, len, h);
        slots[s] = id + 1;
        if (2 * size > slots.length) {
          rehash();
        }
        return id;
      }
      int i = entry - 1;
      if (hash[i] == h
          && length[i] == len
          && Arrays.equals(arena, offset[i], offset[i] + len, b, from, from + len)) {
        return i;
      }
    }
  }

  private int add(byte[] b, int from, int len, int h) {
    if (size == offset.length) {
      offset = Arrays.copyOf(offset, size * 2);
      length = Arrays.copyOf(length, size * 2);
      hash = Arrays.copyOf(hash, size * 2);
    }
    if (arenaSize + len > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + len));
    }
    System.arraycopy(b, from, arena, arenaSize, len);
    offset[size] = arenaSize;
    length[size] = len;
    hash[size] = h;
    arenaSize += len;
    return size++;
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    int mask = slots.length - 1;
    for (int i = 0; i < size; i++) {
      int s = hash[i] & mask;
      while (slots[s] != 0) {
        s = (s + 1) & mask;
      }
      slots[s] = i + 1;
    }
  }

  String get(int i) {
    return new String(arena, offset[i], length[i], StandardCharsets.UTF_8);
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
