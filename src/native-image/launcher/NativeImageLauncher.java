/*
 * The `native-image` command of the toolchain that src/native-image/assemble.sh assembles
 * (decision 0018). GraalVM's own driver is not published for 25.x; this one is written for
 * retention-functions from what the builder jars (org.graalvm.nativeimage:svm:25.0.2) and Quarkus
 * expect of it:
 *
 *   - `native-image --version` answers in GraalVM 25.0.2's three-line format, which Quarkus parses;
 *   - a build command (the driver options Quarkus and the libraries' native-image.properties use)
 *     is turned into the builder's own options (-H:..., -imagecp) and the builder is started on
 *     the toolchain's JDK: module org.graalvm.nativeimage.builder, main class
 *     com.oracle.svm.hosted.NativeImageGeneratorRunner, its arguments in a NUL-separated file
 *     (--image-args-file=), as the builder reads them;
 *   - META-INF/native-image of every class-path entry is read: native-image.properties (Args,
 *     JavaArgs, ImageName) and the configuration files, each passed as the builder's
 *     -H:<Kind>Resources option.
 *
 * The driver options are the @APIOption annotations of the 25.0.2 jars (52 of them, listed with
 * javap); an option outside that list fails the build naming it, never silently.
 *
 * Run by bin/native-image with the toolchain's JDK 25: java NativeImageLauncher.java <args>
 * (compiled once by assemble.sh). Needs the system property native-image.home.
 */
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

public final class NativeImageLauncher {

  static final String GRAALVM_VERSION = "25.0.2";
  static final String RELEASE_DATE = "2026-01-20";
  static final String BUILDER_MODULE = "org.graalvm.nativeimage.builder";
  static final String BUILDER_MAIN = "com.oracle.svm.hosted.NativeImageGeneratorRunner";

  /** The configuration files of META-INF/native-image and the builder option each becomes. */
  static final Map<String, String> CONFIG_FILES =
      Map.of(
          "reachability-metadata.json", "ReachabilityMetadataResources",
          "jni-config.json", "JNIConfigurationResources",
          "foreign-config.json", "ForeignResources",
          "reflect-config.json", "ReflectionConfigurationResources",
          "resource-config.json", "ResourceConfigurationResources",
          "proxy-config.json", "DynamicProxyConfigurationResources",
          "serialization-config.json", "SerializationConfigurationResources",
          "serialization-deny-config.json", "SerializationDenyConfigurationResources",
          "predefined-classes-config.json", "PredefinedClassesConfigurationResources");

  private final Path home;
  private final List<String> builderArgs = new ArrayList<>();
  private final List<String> javaArgs = new ArrayList<>();
  private final LinkedHashSet<Path> classPath = new LinkedHashSet<>();
  private final Set<Path> processedEntries = new LinkedHashSet<>();
  private final List<Pattern[]> excludedConfigs = new ArrayList<>();
  private String mainClass;
  private String imageName;
  private boolean verbose;

  NativeImageLauncher(Path home) {
    this.home = home;
  }

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("native-image.home")).toAbsolutePath();
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-version"))) {
      printVersion();
      return;
    }
    NativeImageLauncher launcher = new NativeImageLauncher(home);
    try {
      launcher.parse(new ArrayList<>(List.of(args)), "command line");
      System.exit(launcher.build());
    } catch (UsageError e) {
      System.err.println("Error: " + e.getMessage());
      System.exit(2);
    }
  }

  /** GraalVM 25.0.2's --version lines: the tool, the runtime (Java version), the VM. */
  static void printVersion() {
    String java = Runtime.version().toString();
    System.out.println("native-image " + GRAALVM_VERSION + " " + RELEASE_DATE);
    System.out.println(
        "GraalVM Runtime Environment GraalVM CE "
            + GRAALVM_VERSION
            + "+10.1 (build "
            + java
            + "-jvmci-b01)");
    System.out.println(
        "Substrate VM GraalVM CE " + GRAALVM_VERSION + "+10.1 (build " + java + ", serial gc)");
  }

  static final class UsageError extends RuntimeException {
    UsageError(String message) {
      super(message);
    }
  }

  // ---- options ---------------------------------------------------------------------------

  void parse(List<String> args, String origin) throws IOException {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("@")) {
        parse(readArgFile(Path.of(arg.substring(1))), "argument file " + arg.substring(1));
        continue;
      }
      switch (arg) {
        case "-cp", "-classpath", "--class-path" -> {
          addClassPath(value(args, ++i, arg));
          continue;
        }
        case "-jar" -> {
          addJar(Path.of(value(args, ++i, arg)));
          continue;
        }
        case "-o" -> {
          imageName = value(args, ++i, arg);
          continue;
        }
        case "--exclude-config" -> {
          Pattern jar = Pattern.compile(value(args, ++i, arg));
          Pattern resource = Pattern.compile(value(args, ++i, arg));
          excludedConfigs.add(new Pattern[] {jar, resource});
          continue;
        }
        case "--verbose" -> {
          verbose = true;
          continue;
        }
        case "--no-server", "--disable-@files" -> {
          continue;
        }
        default -> {}
      }
      if (arg.startsWith("--class-path=")) {
        addClassPath(arg.substring("--class-path=".length()));
      } else if (arg.startsWith("-H:") || arg.startsWith("-R:")) {
        builderArgs.add(arg);
      } else if (arg.startsWith("-J")) {
        if (arg.length() == 2) {
          throw new UsageError("-J must be followed by the JVM option without a space");
        }
        javaArgs.add(arg.substring(2));
      } else if (arg.startsWith("-D")) {
        javaArgs.add(arg);
      } else if (arg.startsWith("-O")) {
        builderArgs.add("-H:Optimize=" + arg.substring(2));
      } else if (arg.startsWith("-")) {
        builderArgs.addAll(apiOption(arg, origin));
      } else if (mainClass == null) {
        mainClass = arg;
      } else if (imageName == null) {
        imageName = arg;
      } else {
        throw new UsageError("unrecognized argument '" + arg + "' (" + origin + ")");
      }
    }
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new UsageError(option + " needs a value");
    }
    return args.get(i);
  }

  /**
   * One driver option of the 25.0.2 jars' @APIOption annotations as builder options. Fails naming
   * any other option: a build that says native never drops an option without a word.
   */
  static List<String> apiOption(String arg, String origin) {
    int eq = arg.indexOf('=');
    String name = eq < 0 ? arg : arg.substring(0, eq);
    String value = eq < 0 ? null : arg.substring(eq + 1);
    switch (name) {
      case "--no-fallback":
        return List.of("-H:FallbackThreshold=0");
      case "--auto-fallback":
        return List.of("-H:FallbackThreshold=5");
      case "--force-fallback":
        return List.of("-H:FallbackThreshold=10");
      case "--enable-http":
        return List.of("-H:EnableURLProtocols=http");
      case "--enable-https":
        return List.of("-H:EnableURLProtocols=https");
      case "-g":
        return List.of("-H:GenerateDebugInfo=2");
      case "-ea", "-enableassertions":
        return List.of("-H:+RuntimeAssertions");
      case "-da", "-disableassertions":
        return List.of("-H:-RuntimeAssertions");
      case "-esa", "-enablesystemassertions":
        return List.of("-H:+RuntimeSystemAssertions");
      case "-dsa", "-disablesystemassertions":
        return List.of("-H:-RuntimeSystemAssertions");
      case "--gc":
        return switch (required(value, arg)) {
          case "serial" -> List.of("-H:+UseSerialGC");
          case "epsilon" -> List.of("-H:+UseEpsilonGC");
          default -> throw new UsageError("unsupported garbage collector in " + arg);
        };
      case "-march":
        return List.of("-H:MicroArchitecture=" + required(value, arg));
      case "--initialize-at-build-time":
        return List.of("-H:ClassInitialization=" + initialization(value, "build_time"));
      case "--initialize-at-run-time",
          "--delay-class-initialization-to-runtime",
          "--rerun-class-initialization-at-runtime":
        return List.of("-H:ClassInitialization=" + initialization(value, "run_time"));
      default:
        break;
    }
    String option = VALUE_OPTIONS.get(name);
    if (option != null) {
      String dflt = VALUE_DEFAULTS.get(name);
      if (value == null && dflt == null) {
        throw new UsageError(name + " needs a value (" + origin + ")");
      }
      return List.of("-H:" + option + "=" + (value == null ? dflt : value));
    }
    option = BOOLEAN_OPTIONS.get(name);
    if (option != null && value == null) {
      return List.of("-H:+" + option);
    }
    throw new UsageError(
        "unsupported native-image option '"
            + arg
            + "' ("
            + origin
            + "): this toolchain's launcher knows the driver options of GraalVM "
            + GRAALVM_VERSION
            + " listed in src/native-image/launcher/NativeImageLauncher.java");
  }

  private static String required(String value, String arg) {
    if (value == null || value.isEmpty()) {
      throw new UsageError(arg + " needs a value");
    }
    return value;
  }

  /** --initialize-at-*=a,b as the builder's ClassInitialization entries (empty: everything). */
  private static String initialization(String value, String kind) {
    if (value == null || value.isEmpty()) {
      return ":" + kind;
    }
    List<String> out = new ArrayList<>();
    for (String name : value.split(",")) {
      if (!name.isBlank()) {
        out.add(name.strip() + ":" + kind);
      }
    }
    return String.join(",", out);
  }

  /** Driver options that take a value, and their builder option. */
  static final Map<String, String> VALUE_OPTIONS =
      Map.ofEntries(
          Map.entry("--libc", "UseLibC"),
          Map.entry("--target", "TargetPlatform"),
          Map.entry("--trace-class-initialization", "TraceClassInitialization"),
          Map.entry("--trace-object-instantiation", "TraceObjectInstantiation"),
          Map.entry("--enable-url-protocols", "EnableURLProtocols"),
          Map.entry("--color", "Color"),
          Map.entry("--native-compiler-path", "CCompilerPath"),
          Map.entry("--native-compiler-options", "CCompilerOption"),
          Map.entry("--exact-reachability-metadata", "ThrowMissingRegistrationErrors"),
          Map.entry("--exact-reachability-metadata-path", "ThrowMissingRegistrationErrorsPaths"),
          Map.entry("--future-defaults", "FutureDefaults"),
          Map.entry("--add-exports", "AddExports"),
          Map.entry("--add-opens", "AddOpens"),
          Map.entry("--add-reads", "AddReads"),
          Map.entry("--enable-native-access", "EnableNativeAccess"),
          Map.entry("--enable-monitoring", "EnableMonitoringFeatures"),
          Map.entry("--features", "Features"),
          Map.entry("--link-at-build-time", "LinkAtBuildTime"),
          Map.entry("--link-at-build-time-paths", "LinkAtBuildTimePaths"),
          Map.entry("--parallelism", "NumberOfThreads"));

  /** The defaultValue of those that may be given without one. */
  static final Map<String, String> VALUE_DEFAULTS =
      Map.of(
          "--exact-reachability-metadata", "",
          "--future-defaults", "<default-value>",
          "--enable-monitoring", "<deprecated-default>",
          "--link-at-build-time", "");

  /** Driver options that switch a boolean builder option on. */
  static final Map<String, String> BOOLEAN_OPTIONS =
      Map.ofEntries(
          Map.entry("--shared", "SharedLibrary"),
          Map.entry("--static", "StaticExecutable"),
          Map.entry("--static-nolibc", "StaticExecutableWithDynamicLibC"),
          Map.entry("--enable-all-security-services", "EnableAllSecurityServices"),
          Map.entry("--silent", "BuildOutputSilent"),
          Map.entry("--native-image-info", "DumpTargetInfo"),
          Map.entry("--install-exit-handlers", "InstallExitHandlers"),
          Map.entry("--configure-reflection-metadata", "ConfigureReflectionMetadata"),
          Map.entry("--list-modules", "ListModules"),
          Map.entry("--list-cpu-features", "ListCPUFeatures"),
          Map.entry("--report-unsupported-elements-at-runtime", "ReportUnsupportedElementsAtRuntime"),
          Map.entry("--allow-incomplete-classpath", "AllowIncompleteClasspath"),
          Map.entry("--strict-image-heap", "StrictImageHeap"));

  // ---- class path and META-INF/native-image ----------------------------------------------

  private void addClassPath(String value) {
    for (String entry : value.split(File.pathSeparator)) {
      if (entry.endsWith("/*")) {
        Path dir = Path.of(entry.substring(0, entry.length() - 2));
        try (Stream<Path> jars = Files.list(dir)) {
          jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(classPath::add);
        } catch (IOException e) {
          throw new UsageError("cannot list class-path directory " + dir + ": " + e.getMessage());
        }
      } else if (!entry.isEmpty()) {
        classPath.add(Path.of(entry).toAbsolutePath().normalize());
      }
    }
  }

  private void addJar(Path jar) throws IOException {
    Path absolute = jar.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute)) {
      throw new UsageError("-jar needs a jar file: " + jar);
    }
    classPath.add(absolute);
    try (JarFile file = new JarFile(absolute.toFile())) {
      Attributes main = file.getManifest() == null ? null : file.getManifest().getMainAttributes();
      if (main == null || main.getValue("Main-Class") == null) {
        throw new UsageError("no Main-Class in the manifest of " + jar);
      }
      mainClass = main.getValue("Main-Class");
      String manifestClassPath = main.getValue("Class-Path");
      if (manifestClassPath != null) {
        for (String entry : manifestClassPath.trim().split(" +")) {
          if (!entry.isEmpty()) {
            classPath.add(absolute.getParent().resolve(entry).normalize());
          }
        }
      }
    }
    if (imageName == null) {
      String fileName = absolute.getFileName().toString();
      imageName = fileName.substring(0, fileName.length() - ".jar".length());
    }
  }

  /** Reads META-INF/native-image of every class-path entry (new entries may add more). */
  private void processMetaInf() throws IOException {
    boolean more = true;
    while (more) {
      more = false;
      for (Path entry : List.copyOf(classPath)) {
        if (processedEntries.add(entry)) {
          more = true;
          if (Files.isDirectory(entry)) {
            processDirectory(entry);
          } else if (Files.isRegularFile(entry)) {
            processJar(entry);
          }
        }
      }
    }
  }

  private void processDirectory(Path root) throws IOException {
    Path metaInf = root.resolve("META-INF/native-image");
    if (!Files.isDirectory(metaInf)) {
      return;
    }
    try (Stream<Path> files = Files.walk(metaInf)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String relative = root.relativize(file).toString().replace(File.separatorChar, '/');
        try (InputStream in = Files.newInputStream(file)) {
          processResource(root, relative, in);
        }
      }
    }
  }

  private void processJar(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      List<JarEntry> entries =
          Collections.list(file.entries()).stream()
              .filter(e -> !e.isDirectory() && e.getName().startsWith("META-INF/native-image/"))
              .sorted((a, b) -> a.getName().compareTo(b.getName()))
              .toList();
      for (JarEntry entry : entries) {
        try (InputStream in = file.getInputStream(entry)) {
          processResource(jar, entry.getName(), in);
        }
      }
    }
  }

  private void processResource(Path entry, String resource, InputStream in) throws IOException {
    for (Pattern[] excluded : excludedConfigs) {
      if (excluded[0].matcher(entry.toString()).find()
          && excluded[1].matcher(resource).find()) {
        return;
      }
    }
    String fileName = resource.substring(resource.lastIndexOf('/') + 1);
    if (fileName.equals("native-image.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      String directory = resource.substring(0, resource.lastIndexOf('/'));
      String origin = entry + "!/" + resource;
      String name = properties.getProperty("ImageName");
      if (name != null && imageName == null) {
        imageName = name.strip();
      }
      String java = properties.getProperty("JavaArgs");
      if (java != null) {
        javaArgs.addAll(split(java, directory));
      }
      String args = properties.getProperty("Args");
      if (args != null) {
        parse(split(args, directory), origin);
      }
    } else {
      String option = CONFIG_FILES.get(fileName);
      if (option != null) {
        builderArgs.add("-H:" + option + "=" + resource);
      }
    }
  }

  /** A properties value's arguments: split at white space, ${.} as the file's directory. */
  private static List<String> split(String value, String directory) {
    List<String> out = new ArrayList<>();
    for (String part : value.strip().split("\\s+")) {
      if (!part.isEmpty()) {
        out.add(part.replace("${.}", directory));
      }
    }
    return out;
  }

  /** An @argfile as java's launcher reads it: white space separated, quotes, # comments. */
  static List<String> readArgFile(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    StringBuilder token = null;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && i + 1 < text.length()) {
          token.append(text.charAt(++i));
        } else {
          token.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        if (token == null) {
          token = new StringBuilder();
        }
      } else if (Character.isWhitespace(c)) {
        if (token != null) {
          out.add(token.toString());
          token = null;
        }
      } else if (c == '#' && token == null) {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else {
        if (token == null) {
          token = new StringBuilder();
        }
        token.append(c);
      }
    }
    if (token != null) {
      out.add(token.toString());
    }
    return out;
  }

  // ---- the builder JVM ----------------------------------------------------------------------

  int build() throws IOException, InterruptedException {
    processMetaInf();
    if (mainClass == null && !builderArgs.contains("-H:+SharedLibrary")) {
      throw new UsageError("no main class: give -jar, or the class after the class path");
    }
    Path builderDir = home.resolve("lib/svm/builder");
    Path jvmciDir = home.resolve("lib/jvmci");
    List<Path> modulePath = new ArrayList<>(jars(jvmciDir, "word", "collections", "nativeimage"));
    modulePath.addAll(jars(jvmciDir, "nativeimage-libgraal", "truffle-compiler"));
    modulePath.addAll(jars(builderDir, (String[]) null));
    List<Path> upgradeModulePath = jars(jvmciDir, "compiler");
    if (upgradeModulePath.isEmpty() || modulePath.size() < 5) {
      throw new UsageError(
          "the toolchain at " + home + " is incomplete: run src/native-image/assemble.sh");
    }
    Path work = Files.createTempDirectory("native-image-launcher-");
    work.toFile().deleteOnExit();

    List<String> vm = new ArrayList<>();
    vm.add("-XX:+UnlockExperimentalVMOptions");
    vm.add("-XX:+EnableJVMCI");
    vm.add("-XX:-UseJVMCICompiler");
    vm.add("-XX:+UseParallelGC");
    vm.add("-Xss10m");
    vm.add("-XX:MaxRAMPercentage=" + System.getProperty("native-image.max-ram-percentage", "75"));
    vm.add("-Djava.awt.headless=true");
    vm.add("-Dorg.graalvm.vendor=GraalVM Community");
    vm.add("-Dorg.graalvm.vendorurl=https://www.graalvm.org/");
    vm.add("-Dorg.graalvm.vendorversion=GraalVM CE " + GRAALVM_VERSION + "+10.1");
    vm.add("-Dorg.graalvm.version=" + GRAALVM_VERSION);
    vm.add("-Dcom.oracle.graalvm.isaot=true");
    vm.add("-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader");
    vm.add("-Dorg.graalvm.nativeimage.imagecode=buildtime");
    vm.add("-Xshare:off");
    vm.add("-Djdk.internal.lambda.disableEagerInitialization=true");
    vm.add("-Djdk.internal.lambda.eagerlyInitialize=false");
    vm.add("-Djava.lang.invoke.InnerClassLambdaMetafactory.initializeLambdas=false");
    vm.add("-Djava.lang.invoke.MethodHandle.DONT_INLINE_THRESHOLD=-1");
    vm.add("-Djava.lang.invoke.MethodHandle.PROFILE_GWT=false");
    vm.addAll(internalExports(modulePath, upgradeModulePath));
    // Classes initialized at build time run in the image class loader's unnamed module; JBoss
    // Threads (Quarkus) reflects into java.lang there and asks for exactly this on Java 24+.
    vm.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
    vm.addAll(javaArgs);
    vm.add("--upgrade-module-path");
    vm.add(join(upgradeModulePath));
    vm.add("--module-path");
    vm.add(join(modulePath));
    vm.add("--enable-native-access=" + String.join(",", moduleNames(modulePath)));
    vm.add("--module");
    vm.add(BUILDER_MODULE + "/" + BUILDER_MAIN);
    vm.add("-keepalive");
    vm.add("/proc/" + ProcessHandle.current().pid() + "/comm");

    List<String> image = new ArrayList<>();
    image.add("-imagecp");
    image.add(join(List.copyOf(classPath)));
    String clibraries = home.resolve("lib/svm/clibraries/linux-amd64").toString();
    image.add(
        "-H:CLibraryPath="
            + clibraries
            + "/glibc,"
            + clibraries
            + ","
            + home.resolve("lib/svm/clibraries")
            + ","
            + home.resolve("lib/static/linux-amd64/glibc"));
    image.add("-H:Path=" + Path.of("").toAbsolutePath());
    image.addAll(builderArgs);
    if (mainClass != null) {
      image.add("-H:Class=" + mainClass);
    }
    String name = imageName != null ? imageName : mainClass.toLowerCase(java.util.Locale.ROOT);
    Path namePath = Path.of(name);
    if (namePath.getParent() != null) {
      image.add("-H:Path=" + namePath.getParent().toAbsolutePath());
      name = namePath.getFileName().toString();
    }
    image.add("-H:Name=" + name);
    image.add(
        "-H:ImageBuildID="
            + UUID.nameUUIDFromBytes(String.join("\0", image).getBytes(StandardCharsets.UTF_8)));

    Path vmArgs = work.resolve("vminvocation.args");
    Files.writeString(vmArgs, argFileText(vm));
    Path imageArgs = work.resolve("native-image.args");
    Files.writeString(imageArgs, String.join("\0", image));
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/java").toString());
    command.add("@" + vmArgs);
    command.add("--image-args-file=" + imageArgs);
    if (verbose || System.getenv("NATIVE_IMAGE_LAUNCHER_VERBOSE") != null) {
      System.err.println("native-image launcher: " + String.join(" ", command));
      System.err.println("  vm: " + String.join(" ", vm));
      System.err.println("  image: " + String.join(" ", image));
    }
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().put("USE_NATIVE_IMAGE_JAVA_PLATFORM_MODULE_SYSTEM", "true");
    builder.environment().put("DRIVER_TEMP_DIR_ENV_VARIABLE", work.toString());
    for (String variable : List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS")) {
      builder.environment().remove(variable);
    }
    Process process = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
    return process.waitFor();
  }

  /** The JDK modules whose internals the builder and the Graal compiler use. */
  static final List<String> INTERNAL_MODULES =
      List.of(
          "java.base",
          "jdk.internal.vm.ci",
          "java.management",
          "jdk.management",
          "jdk.jfr",
          "jdk.internal.jvmstat",
          "jdk.unsupported");


  /**
   * Every package of those modules, exported to the builder's modules. GraalVM's driver passes a
   * per-release list (not published); the builder opens more itself once it can reach
   * jdk.internal.module. Exporting all is the superset: it grants access, it changes no behaviour.
   */
  private static List<String> internalExports(List<Path> modulePath, List<Path> upgrade) {
    Set<String> readers = new LinkedHashSet<>(moduleNames(modulePath));
    readers.addAll(moduleNames(upgrade));
    String to = String.join(",", readers);
    List<String> out = new ArrayList<>();
    for (String module : INTERNAL_MODULES) {
      ModuleReference ref =
          ModuleFinder.ofSystem()
              .find(module)
              .orElseThrow(() -> new UsageError("the builder's JDK has no module " + module));
      for (String pkg : new java.util.TreeSet<>(ref.descriptor().packages())) {
        out.add("--add-exports=" + module + "/" + pkg + "=" + to);
      }
    }
    return out;
  }

  private static List<String> moduleNames(List<Path> jars) {
    List<String> names = new ArrayList<>();
    for (ModuleReference ref : ModuleFinder.of(jars.toArray(Path[]::new)).findAll()) {
      names.add(ref.descriptor().name());
    }
    Collections.sort(names);
    return names;
  }

  /** The jars in dir whose name (without version) is one of names, or all when names is null. */
  private static List<Path> jars(Path dir, String... names) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
      if (names == null) {
        return all;
      }
      Map<String, Path> byName = new LinkedHashMap<>();
      for (Path jar : all) {
        byName.put(jar.getFileName().toString().replaceFirst("-[0-9][0-9.]*\\.jar$", ""), jar);
      }
      List<Path> out = new ArrayList<>();
      for (String name : names) {
        if (byName.containsKey(name)) {
          out.add(byName.get(name));
        }
      }
      return out;
    }
  }

  private static String join(List<Path> paths) {
    return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
  }

  /** Each argument quoted for java's @argfile reader. */
  private static String argFileText(List<String> args) {
    StringBuilder out = new StringBuilder();
    for (String arg : args) {
      out.append('"').append(arg.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
    }
    return out.toString();
  }
}
