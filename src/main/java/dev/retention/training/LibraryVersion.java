package dev.retention.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** This library's version, from the build (a Maven-filtered resource), for model provenance. */
public final class LibraryVersion {

  private static final String VERSION = load();

  private LibraryVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = LibraryVersion.class.getResourceAsStream("/retention-build.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
