/*
 * libreporterchelper.so, loaded by the native-image builder 25.0.2 itself
 * (com.oracle.svm.hosted.ProgressReporterCHelper) for its build output: the terminal's width and
 * the builder's peak RSS. Written for retention-functions from the native methods' declarations
 * (decision 0018).
 */
#include <jni.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

JNIEXPORT jint JNICALL
Java_com_oracle_svm_hosted_ProgressReporterCHelper_getTerminalWindowColumns0(JNIEnv *env,
                                                                             jclass type) {
  (void) env;
  (void) type;
  struct winsize w;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0) {
    return w.ws_col;
  }
  return -1;
}

/* Peak resident set size in bytes (getrusage reports KiB on Linux). */
JNIEXPORT jlong JNICALL Java_com_oracle_svm_hosted_ProgressReporterCHelper_getPeakRSS0(
    JNIEnv *env, jclass type) {
  (void) env;
  (void) type;
  struct rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    return (jlong) usage.ru_maxrss * 1024;
  }
  return -1;
}
