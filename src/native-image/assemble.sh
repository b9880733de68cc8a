#!/usr/bin/env bash
# Assembles the native-image toolchain (a GraalVM 25.0.2 home) from registry artifacts and our own
# pieces, and prints its path on the last line of standard output. Decision 0018 says what each
# part is, where it comes from and the risks. Cached: a second run finds the home and downloads
# nothing.
#
#   src/native-image/assemble.sh            # assemble (or find) the home, print its path
#
# Environment:
#   NATIVE_TOOLCHAIN_CACHE  where downloads and the home go (default ~/.cache/retention-native)
#   NATIVE_TOOLCHAIN_JDK    the JDK 25 with JVMCI that runs the builder
#                           (default /usr/lib/jvm/temurin-25-jdk-amd64)
#
# Parts:
#   1. the builder's jars: org.graalvm.nativeimage:svm:25.0.2 and its dependencies (Maven Central,
#      through the project's Maven wrapper and builder-pom.xml);
#   2. the JDK's static libraries (libjava.a, libnio.a, ...): Debian's openjdk-25-jvmci-jdk,
#      pinned to DEBIAN_VERSION below (trixie-security), fetched with apt-get into a private apt
#      directory (the machine's own apt configuration is not touched); glibc 2.38 symbols renamed
#      for older glibc (2.36 here, 2.34 on Lambda's provided.al2023);
#   3. ours (src/native-image/): the native-image launcher and the C helper libraries the image
#      links against, written from the 25.0.2 jars' declarations.
set -euo pipefail

GRAALVM_VERSION=25.0.2
DEBIAN_PACKAGE=openjdk-25-jvmci-jdk
DEBIAN_VERSION='25.0.2+10-1~deb13u2'
DEBIAN_SUITE='trixie-security'
DEBIAN_MIRROR='http://deb.debian.org/debian-security'
# Bump when anything of ours changes, so a cached home is rebuilt.
TOOLCHAIN_REVISION=4

here="$(cd "$(dirname "$0")" && pwd)"
project="$(cd "$here/../.." && pwd)"
cache="${NATIVE_TOOLCHAIN_CACHE:-$HOME/.cache/retention-native}"
jdk="${NATIVE_TOOLCHAIN_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
home="$cache/graalvm-ce-$GRAALVM_VERSION-retention-$TOOLCHAIN_REVISION"

fail() {
  echo "native-image toolchain: $*" >&2
  exit 1
}
say() { echo "native-image toolchain: $*" >&2; }

if [ -x "$home/bin/native-image" ] && [ -f "$home/.complete" ]; then
  ln -sfn "$(basename "$home")" "$cache/graalvm-home"
  echo "$home"
  exit 0
fi

# --- what must already be on the machine ----------------------------------------------------
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] ||
  fail "builds only on Linux x86_64 (this is $(uname -s)-$(uname -m))"
[ -x "$jdk/bin/java" ] ||
  fail "no JDK 25 at $jdk: install Temurin 25 (or set NATIVE_TOOLCHAIN_JDK to a JDK 25 with JVMCI)"
"$jdk/bin/java" --list-modules 2>/dev/null | grep -q '^jdk.internal.vm.ci@25' ||
  fail "$jdk is not a JDK 25 with the jdk.internal.vm.ci (JVMCI) module"
for tool in gcc ar objcopy nm apt-get dpkg-deb; do
  command -v "$tool" >/dev/null ||
    fail "'$tool' is missing: apt-get install gcc binutils apt dpkg (zlib1g-dev for the image's link)"
done
[ -f /usr/include/zlib.h ] || [ -f /usr/lib/x86_64-linux-gnu/libz.a ] ||
  fail "zlib is missing (the image links -lz): apt-get install zlib1g-dev"

mkdir -p "$cache"
work="$(mktemp -d "$cache/assemble.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- 1. the builder's jars (Maven Central) ----------------------------------------------------
jars="$cache/maven-$GRAALVM_VERSION"
if [ ! -f "$jars/.complete" ]; then
  say "resolving org.graalvm.nativeimage:svm:$GRAALVM_VERSION and its dependencies (Maven Central)"
  rm -rf "$jars"
  "$project/mvnw" -B -q -f "$here/builder-pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$jars" >&2 ||
    fail "Maven could not resolve org.graalvm.nativeimage:svm:$GRAALVM_VERSION (see above)"
  touch "$jars/.complete"
fi
for part in svm pointsto objectfile native-image-base nativeimage word collections compiler \
  truffle-compiler nativeimage-libgraal; do
  [ -f "$jars/$part-$GRAALVM_VERSION.jar" ] ||
    fail "$part-$GRAALVM_VERSION.jar is missing from $jars (delete it and run again)"
done

# --- 2. the JDK's static libraries (Debian) --------------------------------------------------
deb_dir="$cache/debian"
deb="$deb_dir/${DEBIAN_PACKAGE}_${DEBIAN_VERSION//:/%3a}_amd64.deb"
if [ ! -f "$deb" ]; then
  say "fetching $DEBIAN_PACKAGE=$DEBIAN_VERSION from Debian $DEBIAN_SUITE"
  apt="$work/apt"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$deb_dir"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR $DEBIAN_SUITE main" \
    >"$apt/sources.list"
  apt_options=(-o "Dir::Etc::SourceList=$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o Dir::State::Status=/dev/null
    -o APT::Sandbox::User=root)
  apt-get "${apt_options[@]}" update >&2 ||
    fail "apt-get could not read Debian $DEBIAN_SUITE (network, or the keyring in /usr/share/keyrings)"
  available="$(apt-cache "${apt_options[@]}" madison "$DEBIAN_PACKAGE" 2>/dev/null |
    awk -F'|' '{gsub(/ /,"",$2); print $2}' | tr '\n' ' ')"
  if ! (cd "$deb_dir" && apt-get "${apt_options[@]}" download "$DEBIAN_PACKAGE=$DEBIAN_VERSION" >&2); then
    fail "Debian $DEBIAN_SUITE no longer serves $DEBIAN_PACKAGE=$DEBIAN_VERSION (it serves: ${available:-nothing}).
  Re-pin: set DEBIAN_VERSION in src/native-image/assemble.sh to a 25.0.x version it serves, bump
  TOOLCHAIN_REVISION, check that the JDK that runs the builder ($jdk) is of the same or a close
  update, build (./mvnw -B package -Pnative) and run the native tests (.ci/run); see decision 0018."
  fi
fi

say "assembling $home"
staging="$work/home"
# The builder runs on this JDK and reads java.home: the home is the JDK (hard links when on the
# same file system, else a copy), with the GraalVM parts beside it.
cp -al "$jdk" "$staging" 2>/dev/null || cp -a "$jdk" "$staging"
chmod u+w "$staging" "$staging/lib" "$staging/bin"
mkdir -p "$staging/lib/jvmci" "$staging/lib/svm/builder/lib" "$staging/lib/static/linux-amd64/glibc" \
  "$staging/lib/svm/clibraries/linux-amd64/glibc" "$staging/lib/svm/clibraries/linux-amd64/include" \
  "$staging/lib/svm/bin"
for part in word collections nativeimage nativeimage-libgraal truffle-compiler compiler; do
  cp "$jars/$part-$GRAALVM_VERSION.jar" "$staging/lib/jvmci/"
done
for part in svm pointsto objectfile native-image-base svm-capnproto-runtime svm-configure espresso-svm; do
  [ -f "$jars/$part-$GRAALVM_VERSION.jar" ] && cp "$jars/$part-$GRAALVM_VERSION.jar" "$staging/lib/svm/builder/"
done

dpkg-deb -x "$deb" "$work/deb"
static_from="$(find "$work/deb" -name libjava.a -printf '%h\n' | head -n1)"
[ -n "$static_from" ] || fail "$deb has no libjava.a"
# glibc 2.38 added C23 variants of scanf/strtol that the Debian build calls; older glibc has the
# C99 ones (the only difference: C23 also reads 0b binary prefixes, which the JDK never gets).
renames=(--redefine-sym __isoc23_fscanf=__isoc99_fscanf --redefine-sym __isoc23_sscanf=__isoc99_sscanf
  --redefine-sym __isoc23_vsscanf=__isoc99_vsscanf --redefine-sym __isoc23_strtol=strtol
  --redefine-sym __isoc23_strtoul=strtoul --redefine-sym __isoc23_strtoll=strtoll
  --redefine-sym __isoc23_strtoull=strtoull)
for lib in "$static_from"/*.a; do
  objcopy "${renames[@]}" "$lib" "$staging/lib/static/linux-amd64/glibc/$(basename "$lib")"
done
if nm -u "$staging"/lib/static/linux-amd64/glibc/*.a 2>/dev/null | grep -q '__isoc23_'; then
  fail "a glibc 2.38 symbol is left in the static libraries: $(nm -u "$staging"/lib/static/linux-amd64/glibc/*.a | grep -o '__isoc23_[a-z]*' | sort -u | tr '\n' ' ')"
fi

# --- 3. ours: C helper libraries and the launcher ---------------------------------------------
c="$here/c"
out="$staging/lib/svm/clibraries/linux-amd64"
cflags=(-O2 -fPIC -Wall -Wextra -Werror -I"$c/include")
cp "$c"/include/*.h "$out/include/"
gcc "${cflags[@]}" -c "$c/libchelper.c" -o "$work/libchelper.o"
ar rcs "$out/glibc/liblibchelper.a" "$work/libchelper.o"
gcc "${cflags[@]}" -c "$c/jvm.c" -o "$work/jvm.o"
gcc "${cflags[@]}" -I"$jdk/include" -I"$jdk/include/linux" -c "$c/jvm_compat.c" -o "$work/jvm_compat.o"
jvm_objects=("$work/jvm.o" "$work/jvm_compat.o")
for group in RAW_MONITOR NATIVE_PATH TIME LIBRARY HALT JIO; do
  gcc "${cflags[@]}" -I"$jdk/include" -I"$jdk/include/linux" -DJVM_GROUP_$group -c "$c/jvm_jdk.c" \
    -o "$work/jvm_$group.o"
  jvm_objects+=("$work/jvm_$group.o")
done
ar rcs "$out/glibc/libjvm.a" "${jvm_objects[@]}"
gcc "${cflags[@]}" -c "$c/svm_container.c" -o "$work/svm_container.o"
ar rcs "$out/glibc/libsvm_container.a" "$work/svm_container.o"
gcc "${cflags[@]}" -shared -I"$jdk/include" -I"$jdk/include/linux" "$c/reporterchelper.c" \
  -o "$staging/lib/svm/builder/lib/libreporterchelper.so"

"$jdk/bin/javac" -d "$staging/lib/svm/bin/launcher" "$here/launcher/NativeImageLauncher.java"
rm -f "$staging/bin/native-image"
cat >"$staging/bin/native-image" <<'LAUNCHER'
#!/usr/bin/env bash
# native-image for retention-functions' toolchain (src/native-image/launcher, decision 0018).
home="$(cd "$(dirname "$0")/.." && pwd)"
exec "$home/bin/java" -Dnative-image.home="$home" -cp "$home/lib/svm/bin/launcher" \
  NativeImageLauncher "$@"
LAUNCHER
chmod +x "$staging/bin/native-image"
cat >"$staging/lib/svm/ASSEMBLED" <<EOF
GraalVM $GRAALVM_VERSION home assembled by src/native-image/assemble.sh (toolchain revision $TOOLCHAIN_REVISION)
JDK that runs the builder: $("$jdk/bin/java" -version 2>&1 | sed -n 2p)
builder jars: org.graalvm.nativeimage:svm:$GRAALVM_VERSION and dependencies (Maven Central)
static libraries: Debian $DEBIAN_PACKAGE $DEBIAN_VERSION ($DEBIAN_SUITE), glibc 2.38 symbols renamed
launcher and C helper libraries: retention-functions, src/native-image
EOF

"$staging/bin/native-image" --version >&2 || fail "the assembled native-image does not start"
rm -rf "$home"
mv "$staging" "$home"
touch "$home/.complete"
# A stable name for the build (pom.xml's native profile): the home of this revision.
ln -sfn "$(basename "$home")" "$cache/graalvm-home"
say "ready: $home"
echo "$home"
