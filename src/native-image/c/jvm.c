/*
 * libjvm.a of the image (not HotSpot's): the few JVM_* functions that the native-image builder
 * 25.0.2 declares in C (com.oracle.svm.core.jdk.Jvm) for Linux. SubstrateVM implements most of
 * the JVM interface the JDK's static libraries call in Java; jvm_compat.c has the rest. Written
 * for retention-functions from the declarations (decision 0018).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <unistd.h>

/* Called once when the image loads its built-in "jvm" library: nothing to set up here. */
void initialize(void) {}

/* CPUs this process may run on (its affinity mask), as the JDK's Runtime.availableProcessors. */
int JVM_ActiveProcessorCount(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int count = CPU_COUNT(&set);
    if (count > 0) {
      return count;
    }
  }
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? (int) online : 1;
}
