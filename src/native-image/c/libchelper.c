/*
 * liblibchelper.a: the C functions the native-image builder 25.0.2 links into every Linux AMD64
 * image (@CLibrary("libchelper") in its jars). Written for retention-functions from what those
 * declarations call and expect (decision 0018), not taken from GraalVM's sources.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <semaphore.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "amd64cpufeatures.h"
#include "svm_locale.h"

extern char **environ;

/* ---- environment, time zone ---------------------------------------------------------- */

char **getEnviron(void) { return environ; }

/*
 * The platform's time-zone id, malloc'ed, or NULL (the caller then uses GMT): the TZ variable
 * (":UTC" in Lambda), else the zoneinfo path /etc/localtime links to, else /etc/timezone.
 * tzmappings is only used on Windows.
 */
char *SVM_FindJavaTZmd(const char *tzmappings, int length) {
  (void) tzmappings;
  (void) length;
  const char *tz = getenv("TZ");
  if (tz != NULL && *tz != '\0') {
    if (*tz == ':') {
      tz++;
    }
    const char *zoneinfo = strstr(tz, "zoneinfo/");
    return strdup(zoneinfo != NULL ? zoneinfo + strlen("zoneinfo/") : tz);
  }
  char link[PATH_MAX];
  ssize_t n = readlink("/etc/localtime", link, sizeof(link) - 1);
  if (n > 0) {
    link[n] = '\0';
    const char *zoneinfo = strstr(link, "zoneinfo/");
    if (zoneinfo != NULL) {
      return strdup(zoneinfo + strlen("zoneinfo/"));
    }
  }
  FILE *f = fopen("/etc/timezone", "r");
  if (f != NULL) {
    char line[256];
    char *got = fgets(line, sizeof(line), f);
    fclose(f);
    if (got != NULL) {
      line[strcspn(line, " \t\r\n")] = '\0';
      if (line[0] != '\0') {
        return strdup(line);
      }
    }
  }
  return NULL;
}

/* ---- code cache ----------------------------------------------------------------------- */

/* x86 keeps instruction and data caches coherent: nothing to flush. */
void codeSynchronization_clearCache(uintptr_t start, uintptr_t length) {
  (void) start;
  (void) length;
}

/* ---- CPU features (Intel SDM vol. 2A, CPUID) ------------------------------------------ */

#define BIT(reg, n) (((reg) >> (n)) & 1u)

static uint64_t xcr0(void) {
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((uint64_t) hi << 32) | lo;
}

void determineCPUFeatures(CPUFeatures *f) {
  unsigned a, b, c, d;
  unsigned max = __get_cpuid_max(0, NULL);
  if (max < 1) {
    return;
  }
  __cpuid(1, a, b, c, d);
  f->fTSC = BIT(d, 4);
  f->fCX8 = BIT(d, 8);
  f->fCMOV = BIT(d, 15);
  f->fFLUSH = BIT(d, 19);
  f->fMMX = BIT(d, 23);
  f->fFXSR = BIT(d, 24);
  f->fSSE = BIT(d, 25);
  f->fSSE2 = BIT(d, 26);
  f->fHT = BIT(d, 28);
  f->fSSE3 = BIT(c, 0);
  f->fCLMUL = BIT(c, 1);
  f->fSSSE3 = BIT(c, 9);
  f->fSSE4_1 = BIT(c, 19);
  f->fSSE4_2 = BIT(c, 20);
  f->fPOPCNT = BIT(c, 23);
  f->fAES = BIT(c, 25);
  f->fHV = BIT(c, 31);
  /* AVX state must be enabled by the OS (OSXSAVE and XCR0 bits 1-2). */
  bool osAvx = BIT(c, 27) && (xcr0() & 0x6) == 0x6;
  bool osAvx512 = osAvx && (xcr0() & 0xe0) == 0xe0;
  bool osApx = osAvx && ((xcr0() >> 19) & 1);
  if (osAvx) {
    f->fAVX = BIT(c, 28);
    f->fFMA = BIT(c, 12);
    f->fF16C = BIT(c, 29);
    f->fVZEROUPPER = f->fAVX;
  }
  if (max >= 7) {
    unsigned b7, c7, d7, a71 = 0, d71 = 0;
    __cpuid_count(7, 0, a, b7, c7, d7);
    unsigned subleaves = a;
    if (subleaves >= 1) {
      unsigned t1, t2;
      __cpuid_count(7, 1, a71, t1, t2, d71);
    }
    f->fBMI1 = BIT(b7, 3);
    f->fBMI2 = BIT(b7, 8);
    f->fERMS = BIT(b7, 9);
    f->fRTM = BIT(b7, 11);
    f->fADX = BIT(b7, 19);
    f->fFLUSHOPT = BIT(b7, 23);
    f->fCLWB = BIT(b7, 24);
    f->fSHA = BIT(b7, 29);
    f->fPKU = BIT(c7, 3);
    f->fOSPKE = BIT(c7, 4);
    f->fCET_SS = BIT(c7, 7);
    f->fGFNI = BIT(c7, 8);
    f->fRDPID = BIT(c7, 22);
    f->fFSRM = BIT(d7, 4);
    f->fSERIALIZE = BIT(d7, 14);
    f->fCET_IBT = BIT(d7, 20);
    if (osAvx) {
      f->fAVX2 = BIT(b7, 5);
      f->fAVX512_VPCLMULQDQ = BIT(c7, 10) && osAvx512;
      f->fAVX512_VAES = BIT(c7, 9) && osAvx512;
      f->fSHA512 = BIT(a71, 0);
      f->fAVX_IFMA = BIT(a71, 23);
      f->fAPX_F = BIT(d71, 21) && osApx;
    }
    if (osAvx512) {
      f->fAVX512F = BIT(b7, 16);
      f->fAVX512DQ = BIT(b7, 17);
      f->fAVX512_IFMA = BIT(b7, 21);
      f->fAVX512PF = BIT(b7, 26);
      f->fAVX512ER = BIT(b7, 27);
      f->fAVX512CD = BIT(b7, 28);
      f->fAVX512BW = BIT(b7, 30);
      f->fAVX512VL = BIT(b7, 31);
      f->fAVX512_VBMI = BIT(c7, 1);
      f->fAVX512_VBMI2 = BIT(c7, 6);
      f->fAVX512_VNNI = BIT(c7, 11);
      f->fAVX512_BITALG = BIT(c7, 12);
      f->fAVX512_VPOPCNTDQ = BIT(c7, 14);
      f->fAVX512_FP16 = BIT(d7, 23);
      if (BIT(d71, 19) && max >= 0x24) {
        unsigned a24, b24, c24, d24;
        __cpuid_count(0x24, 0, a24, b24, c24, d24);
        unsigned version = b24 & 0xff;
        f->fAVX10_1 = version >= 1;
        f->fAVX10_2 = version >= 2;
      }
    }
  }
  unsigned maxExt = __get_cpuid_max(0x80000000u, NULL);
  if (maxExt >= 0x80000001u) {
    __cpuid(0x80000001u, a, b, c, d);
    f->fLZCNT = BIT(c, 5);
    f->fSSE4A = BIT(c, 6);
    f->fAMD_3DNOW_PREFETCH = BIT(c, 8);
    f->fRDTSCP = BIT(d, 27);
  }
  if (maxExt >= 0x80000007u) {
    __cpuid(0x80000007u, a, b, c, d);
    f->fTSCINV_BIT = BIT(d, 8);
    f->fTSCINV = f->fTSCINV_BIT;
  }
}

/*
 * The image's required features arrive as a byte mask laid out like CPUFeatures, as the builder
 * writes it (CPUFeatureAccessFeatureBase): 0xFF for a feature the code does not need, 0xFE for one
 * it needs. A byte of CPUFeatures is 1 when this CPU has the feature, so every (have | mask) must
 * be 0xFF. 0 when this CPU has all of them, -1 otherwise.
 */
int checkCPUFeatures(const unsigned char *required) {
  CPUFeatures actual;
  memset(&actual, 0, sizeof(actual));
  determineCPUFeatures(&actual);
  const unsigned char *have = (const unsigned char *) &actual;
  for (size_t i = 0; i < sizeof(CPUFeatures); i++) {
    if ((unsigned char) (have[i] | required[i]) != 0xFF) {
      return -1;
    }
  }
  return 0;
}

int checkCPUFeaturesOrExit(const unsigned char *required, const char *message) {
  int result = checkCPUFeatures(required);
  if (result != 0) {
    fputs(message, stderr);
    fputc('\n', stderr);
    exit(1);
  }
  return result;
}

/* ---- threads -------------------------------------------------------------------------- */

int getThreadId(void) { return (int) syscall(SYS_gettid); }

/* User CPU time of a thread of this process in nanoseconds (from /proc), or -1. */
long long getThreadUserTimeSlow(int tid) {
  char path[64];
  char buffer[2048];
  snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    return -1;
  }
  size_t n = fread(buffer, 1, sizeof(buffer) - 1, f);
  fclose(f);
  buffer[n] = '\0';
  /* Field 2 (comm) may hold spaces: parse after its closing parenthesis. */
  char *s = strrchr(buffer, ')');
  if (s == NULL) {
    return -1;
  }
  unsigned long long utime;
  /* fields 3..13 skipped, 14 = utime */
  if (sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu", &utime) != 1) {
    return -1;
  }
  long ticks = sysconf(_SC_CLK_TCK);
  return (long long) (utime * (1000000000ull / (unsigned long long) ticks));
}

/* ---- locale ---------------------------------------------------------------------------- */

static svm_locale_props_t locale_props;

/* Splits "ll_CC.charset@variant" as the JDK's ParseLocale does; C and POSIX are "en". */
static int parse_locale(const char *name, char **language, char **script, char **country,
                        char **variant) {
  *language = *script = *country = *variant = NULL;
  if (name == NULL || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0 ||
      strncmp(name, "C.", 2) == 0) {
    *language = strdup("en");
    return *language == NULL ? -1 : 0;
  }
  char *copy = strdup(name);
  if (copy == NULL) {
    return -1;
  }
  char *at = strchr(copy, '@');
  if (at != NULL) {
    *at = '\0';
    if (strcmp(at + 1, "latin") == 0) {
      *script = strdup("Latn");
    } else if (strcmp(at + 1, "cyrillic") == 0) {
      *script = strdup("Cyrl");
    } else if (strcmp(at + 1, "euro") != 0) {
      *variant = strdup(at + 1);
    }
  }
  char *dot = strchr(copy, '.');
  if (dot != NULL) {
    *dot = '\0';
  }
  char *underscore = strchr(copy, '_');
  if (underscore != NULL) {
    *underscore = '\0';
    *country = strdup(underscore + 1);
  }
  *language = strdup(copy);
  free(copy);
  return *language == NULL ? -1 : 0;
}

int svm_initialize_locale(void) {
  setlocale(LC_ALL, "");
  if (parse_locale(setlocale(LC_MESSAGES, NULL), &locale_props.display_language,
                   &locale_props.display_script, &locale_props.display_country,
                   &locale_props.display_variant) != 0 ||
      parse_locale(setlocale(LC_CTYPE, NULL), &locale_props.format_language,
                   &locale_props.format_script, &locale_props.format_country,
                   &locale_props.format_variant) != 0) {
    return SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
  }
  return SVM_LOCALE_INITIALIZATION_SUCCEEDED;
}

svm_locale_props_t *svm_get_locale(void) { return &locale_props; }

/* ---- sun.misc.Signal: handlers count signals, one Java thread waits on a semaphore ------ */

static sem_t signal_semaphore;
static volatile int pending_signals[NSIG];
static int signals_open;

int cSunMiscSignal_open(void) {
  if (signals_open) {
    return -1;
  }
  if (sem_init(&signal_semaphore, 0, 0) != 0) {
    return -1;
  }
  memset((void *) pending_signals, 0, sizeof(pending_signals));
  signals_open = 1;
  return 0;
}

int cSunMiscSignal_close(void) {
  if (!signals_open) {
    return -1;
  }
  signals_open = 0;
  return sem_destroy(&signal_semaphore);
}

int cSunMiscSignal_awaitSemaphore(void) {
  while (sem_wait(&signal_semaphore) != 0) {
    if (errno != EINTR) {
      return -1;
    }
  }
  return 0;
}

int cSunMiscSignal_signalSemaphore(void) { return sem_post(&signal_semaphore); }

bool cSunMiscSignal_signalRangeCheck(int signal) { return signal > 0 && signal < NSIG; }

/* A signal with a pending count (taking one), or -1 when none is pending. */
int cSunMiscSignal_checkPendingSignal(void) {
  for (int signal = 1; signal < NSIG; signal++) {
    int count = pending_signals[signal];
    while (count > 0) {
      if (__sync_bool_compare_and_swap(&pending_signals[signal], count, count - 1)) {
        return signal;
      }
      count = pending_signals[signal];
    }
  }
  return -1;
}

static void dispatch_signal(int signal, siginfo_t *info, void *context) {
  (void) info;
  (void) context;
  if (cSunMiscSignal_signalRangeCheck(signal)) {
    __sync_fetch_and_add(&pending_signals[signal], 1);
    sem_post(&signal_semaphore);
  }
}

void *cSunMiscSignal_signalHandlerFunctionPointer(void) { return (void *) dispatch_signal; }

/* ---- attach listener (jcmd): a Unix socket, used only with --enable-monitoring=jcmd ---- */

void svm_attach_startup(const char *path) { (void) path; }

void svm_attach_listener_cleanup(int fd, const char *path) {
  if (fd >= 0) {
    shutdown(fd, SHUT_RDWR);
    close(fd);
  }
  if (path != NULL && path[0] != '\0') {
    unlink(path);
  }
}

bool svm_attach_check_socket_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

bool svm_attach_is_init_trigger(const char *path) {
  (void) path;
  return false;
}

int svm_attach_create_listener(const char *path) {
  (void) path;
  return -1;
}

int svm_attach_wait_for_request(int fd) {
  (void) fd;
  return -1;
}

void svm_attach_shutdown_socket(int fd) { shutdown(fd, SHUT_RDWR); }

/* ---- fixed-arity wrappers of variadic C functions (the image calls only fixed arities) ---- */

#include <fcntl.h>
#include <sys/mman.h>

int openSII(const char *path, int flags, int mode) { return open(path, flags, mode); }

int openatISII(int directory, const char *path, int flags, int mode) {
  return openat(directory, path, flags, mode);
}

int fprintfSD(FILE *stream, const char *format, const char *text, int number) {
  return fprintf(stream, format, text, number);
}

void *mremapP(void *old_address, size_t old_size, size_t new_size, int flags,
              void *new_address) {
  return mremap(old_address, old_size, new_size, flags, new_address);
}
