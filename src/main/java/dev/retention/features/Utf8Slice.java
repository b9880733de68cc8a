package dev.retention.features;

import java.nio.charset.StandardCharsets;

/**
 * A window on UTF-8 bytes, reused from row to row so that reading an export does not create a
 * string per cell. {@link #charAt} gives the raw byte, exact for the ASCII text that numbers, dates
 * and statuses are made of; {@link #toString} decodes UTF-8, for ids and messages.
 */
public final class Utf8Slice implements CharSequence {

  private byte[] bytes;
  private int start;
  private int length;

  /** Points this slice at {@code bytes[start, start + length)}. */
  public Utf8Slice set(byte[] bytes, int start, int length) {
    this.bytes = bytes;
    this.start = start;
    this.length = length;
    return this;
  }

  /** Drops leading and trailing spaces and control bytes, in place. */
  public Utf8Slice trim() {
    while (length > 0 && (bytes[start] & 0xff) <= ' ') {
      start++;
      length--;
    }
    while (length > 0 && (bytes[start + length - 1] & 0xff) <= ' ') {
      length--;
    }
    return this;
  }

  /** Drops leading and trailing spaces and tabs only, in place. */
  public Utf8Slice trimBlanks() {
    while (length > 0 && (bytes[start] == ' ' || bytes[start] == '\t')) {
      start++;
      length--;
    }
    while (length > 0 && (bytes[start + length - 1] == ' ' || bytes[start + length - 1] == '\t')) {
      length--;
    }
    return this;
  }

  public byte[] bytes() {
    return bytes;
  }

  public int start() {
    return start;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public char charAt(int index) {
    return (char) (bytes[start + index] & 0xff);
  }

  @Override
  public CharSequence subSequence(int from, int to) {
    return new Utf8Slice().set(bytes, start + from, to - from);
  }

  @Override
  public String toString() {
    return new String(bytes, start, length, StandardCharsets.UTF_8);
  }
}
