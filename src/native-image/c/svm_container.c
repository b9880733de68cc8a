/*
 * libsvm_container.a: the container probe the native-image builder 25.0.2 declares
 * (com.oracle.svm.core.container.ContainerLibrary, interface version 240100). This one reports
 * "not containerized", so the image sizes its heap and threads from the machine it sees
 * (/proc/meminfo, the CPU affinity mask). That is right on Lambda, whose micro-VM is sized to
 * the function's memory; under a cgroup limit (Docker) it would over-estimate (decision 0018).
 * Written for retention-functions from the declarations.
 */
#include <stdint.h>
#include <unistd.h>

#define LIBCONTAINER_VERSION 240100
#define SUCCESS_IS_NOT_CONTAINERIZED 0
#define ERROR_LIBCONTAINER_TOO_OLD 2
#define ERROR_LIBCONTAINER_TOO_NEW 3

int svm_container_initialize(int version) {
  if (version > LIBCONTAINER_VERSION) {
    return ERROR_LIBCONTAINER_TOO_OLD;
  }
  if (version < LIBCONTAINER_VERSION) {
    return ERROR_LIBCONTAINER_TOO_NEW;
  }
  return SUCCESS_IS_NOT_CONTAINERIZED;
}

uint64_t svm_container_physical_memory(void) {
  long pages = sysconf(_SC_PHYS_PAGES);
  long size = sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? (uint64_t) pages * (uint64_t) size : 0;
}

/* -1: no limit (what the JDK's container metrics return for "unlimited"). */
int64_t svm_container_memory_limit_in_bytes(void) { return -1; }
int64_t svm_container_memory_and_swap_limit_in_bytes(void) { return -1; }
int64_t svm_container_memory_soft_limit_in_bytes(void) { return -1; }
int64_t svm_container_memory_usage_in_bytes(void) { return -1; }
int64_t svm_container_memory_max_usage_in_bytes(void) { return -1; }
int64_t svm_container_rss_usage_in_bytes(void) { return -1; }
int64_t svm_container_cache_usage_in_bytes(void) { return -1; }

int svm_container_active_processor_count(void) {
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? (int) online : 1;
}
