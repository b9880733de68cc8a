/*
 * The JVM interface functions (HotSpot's jvm.h, documented there) that the JDK's static libraries
 * libjava.a, libnio.a, libnet.a and libzip.a call and that SubstrateVM does not implement in Java.
 * Part of the image's libjvm.a; each group is compiled on its own (-DJVM_GROUP_...) so that the
 * linker pulls in only what is missing. Written for retention-functions from jvm.h's contracts
 * (decision 0018).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef JVM_GROUP_RAW_MONITOR
/* Raw monitors: re-entrant mutexes, JNI_OK (0) on success. */
void *JVM_RawMonitorCreate(void) {
  pthread_mutex_t *mutex = malloc(sizeof(pthread_mutex_t));
  if (mutex == NULL) {
    return NULL;
  }
  pthread_mutexattr_t attributes;
  pthread_mutexattr_init(&attributes);
  pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init(mutex, &attributes);
  pthread_mutexattr_destroy(&attributes);
  return mutex;
}

void JVM_RawMonitorDestroy(void *monitor) {
  pthread_mutex_destroy((pthread_mutex_t *) monitor);
  free(monitor);
}

jint JVM_RawMonitorEnter(void *monitor) { return pthread_mutex_lock((pthread_mutex_t *) monitor); }

void JVM_RawMonitorExit(void *monitor) { pthread_mutex_unlock((pthread_mutex_t *) monitor); }
#endif

#ifdef JVM_GROUP_NATIVE_PATH
/* Canonical form of a path in place: repeated slashes collapsed, no trailing slash. */
char *JVM_NativePath(char *path) {
  if (path == NULL) {
    return NULL;
  }
  char *out = path;
  for (char *in = path; *in != '\0'; in++) {
    if (*in == '/' && out > path && out[-1] == '/') {
      continue;
    }
    *out++ = *in;
  }
  if (out > path + 1 && out[-1] == '/') {
    out--;
  }
  *out = '\0';
  return path;
}
#endif

#ifdef JVM_GROUP_TIME
jlong JVM_NanoTime(JNIEnv *env, jclass ignored) {
  (void) env;
  (void) ignored;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (jlong) now.tv_sec * 1000000000LL + now.tv_nsec;
}
#endif

#ifdef JVM_GROUP_LIBRARY
void *JVM_FindLibraryEntry(void *handle, const char *name) { return dlsym(handle, name); }
#endif

#ifdef JVM_GROUP_HALT
/* java.lang.Shutdown's natives; the image's own shutdown runs the hooks before these. */
void JVM_BeforeHalt(void) {}

void JVM_Halt(jint code) { exit(code); }
#endif

#ifdef JVM_GROUP_JIO
/* HotSpot's jio_*: like the C library's, but -1 (not the needed length) when output is cut. */
int jio_vsnprintf(char *str, size_t count, const char *fmt, va_list args) {
  if (count == 0 || count > (size_t) INT32_MAX) {
    return -1;
  }
  int result = vsnprintf(str, count, fmt, args);
  if (result < 0 || (size_t) result >= count) {
    str[count - 1] = '\0';
    return -1;
  }
  return result;
}

int jio_snprintf(char *str, size_t count, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  int result = jio_vsnprintf(str, count, fmt, args);
  va_end(args);
  return result;
}

int jio_vfprintf(FILE *f, const char *fmt, va_list args) { return vfprintf(f, fmt, args); }

int jio_fprintf(FILE *f, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  int result = vfprintf(f, fmt, args);
  va_end(args);
  return result;
}
#endif
