package dev.retention.service.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The body-size limit counts UTF-8 bytes exactly, without encoding the body. */
class BodyLimitTest {

  @Test
  void utf8LengthEqualsTheEncodedLength() {
    for (String text :
        new String[] {
          "", "abc", "été", "\u20ac100", "\uD83D\uDE00 ok", "x".repeat(1000) + "\u00e9"
        }) {
      assertEquals(
          text.getBytes(StandardCharsets.UTF_8).length, ScoreRequestReader.utf8Length(text), text);
    }
  }

  @Test
  void limitIsInBytesNotChars() {
    String tenEuros = "\u20ac".repeat(10); // 10 chars, 30 bytes
    assertFalse(ScoreRequestReader.tooLarge(tenEuros, 30));
    assertTrue(ScoreRequestReader.tooLarge(tenEuros, 29));
    assertFalse(ScoreRequestReader.tooLarge("a".repeat(9), 30)); // short: no counting needed
    assertTrue(ScoreRequestReader.tooLarge("a".repeat(31), 30));
  }
}
