/*
 * JNI functions that the JDK running the builder (Temurin 25.0.3) declares but the static
 * libraries of the image (Debian's 25.0.2) do not define: java.io.Console's native methods moved
 * between the two updates. Written for retention-functions from the 25.0.3 class files (javap:
 * bit 0 = stdin is a terminal, bit 1 = stdout, bit 2 = stderr); decision 0018.
 */
#include <jni.h>
#include <termios.h>
#include <unistd.h>

JNIEXPORT jint JNICALL Java_java_io_Console_ttyStatus(JNIEnv *env, jclass type) {
  (void) env;
  (void) type;
  return (isatty(STDIN_FILENO) ? 1 : 0) | (isatty(STDOUT_FILENO) ? 2 : 0) |
         (isatty(STDERR_FILENO) ? 4 : 0);
}

/* Turns the terminal's echo on or off; returns whether it was on. */
JNIEXPORT jboolean JNICALL Java_java_io_Console_echo(JNIEnv *env, jclass type, jboolean on) {
  (void) env;
  (void) type;
  struct termios tio;
  if (tcgetattr(STDIN_FILENO, &tio) != 0) {
    return JNI_TRUE;
  }
  jboolean old = (tio.c_lflag & ECHO) ? JNI_TRUE : JNI_FALSE;
  if (on) {
    tio.c_lflag |= ECHO;
  } else {
    tio.c_lflag &= ~ECHO;
  }
  tcsetattr(STDIN_FILENO, TCSANOW, &tio);
  return old;
}
