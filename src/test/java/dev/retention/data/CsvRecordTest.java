package dev.retention.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One record written by {@link CsvTokenizer#joinRecord} reads back by the tokenizer's rules. */
class CsvRecordTest {

  @Test
  void cellsSurviveQuotingBothWays() {
    for (List<String> cells :
        List.of(
            List.of("1", "a,b", "say \"hi\"", ""),
            List.of(""),
            List.of("", ""),
            List.of("line\nbreak", "\"", ",,"),
            List.of("crlf\r\nend", "trailing,"),
            List.of("kund-\u00e9\u00df", " padded "))) {
      assertEquals(cells, CsvTokenizer.splitRecord(CsvTokenizer.joinRecord(cells)));
    }
  }

  @Test
  void onlyCellsThatNeedQuotesAreQuoted() {
    assertEquals("1,\"a,b\",\"x\"\"y\",", CsvTokenizer.joinRecord(List.of("1", "a,b", "x\"y", "")));
  }
}
