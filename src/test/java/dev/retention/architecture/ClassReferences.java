package dev.retention.architecture;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes a compiled class refers to, read from its constant pool (JVM specification, chapter
 * 4.4): every {@code CONSTANT_Class} entry and every class named in a descriptor or generic
 * signature ({@code Lpkg/Name;}), so that a fully qualified name written in the code counts like an
 * import.
 */
final class ClassReferences {

  private static final Pattern IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+)[;<]");

  private ClassReferences() {}

  /** The internal name ({@code a/b/C}) of the class {@code bytes} defines. */
  static String thisClass(byte[] bytes) throws IOException {
    return read(bytes).thisClass;
  }

  /** Internal names of every class {@code bytes} refers to, arrays unwrapped. */
  static Set<String> of(byte[] bytes) throws IOException {
    return read(bytes).references;
  }

  private record Pool(String thisClass, Set<String> references) {}

  private static Pool read(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classNameIndex = new int[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNameIndex[i] = in.readUnsignedShort();
        case 8, 16, 19, 20 -> in.readUnsignedShort();
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++; // eight-byte constants take two entries
        }
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
      }
    }
    in.readUnsignedShort(); // access flags
    int self = in.readUnsignedShort();
    Set<String> references = new TreeSet<>();
    for (int i = 1; i < count; i++) {
      if (classNameIndex[i] != 0) {
        String name = utf8[classNameIndex[i]];
        if (name.startsWith("[")) {
          addFromDescriptor(name, references);
        } else {
          references.add(name);
        }
      } else if (utf8[i] != null && (utf8[i].startsWith("(") || utf8[i].startsWith("L"))) {
        addFromDescriptor(utf8[i], references);
      }
    }
    String thisClass = utf8[classNameIndex[self]];
    references.remove(thisClass);
    return new Pool(thisClass, references);
  }

  private static void addFromDescriptor(String descriptor, Set<String> into) {
    Matcher m = IN_DESCRIPTOR.matcher(descriptor);
    while (m.find()) {
      into.add(m.group(1));
    }
  }
}
