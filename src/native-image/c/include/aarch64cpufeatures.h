/*
 * The CPU features struct of the native-image builder 25.0.2 for AArch64 (AArch64LibCHelper.CPUFeatures):
 * the builder reads its layout whatever the target, so the header must exist; images for this
 * project are built for AMD64 only, and no code of ours fills it (decision 0018).
 */
#ifndef RETENTION_AARCH64CPUFEATURES_H
#define RETENTION_AARCH64CPUFEATURES_H

typedef struct CPUFeatures {
  char fFP;
  char fASIMD;
  char fEVTSTRM;
  char fAES;
  char fPMULL;
  char fSHA1;
  char fSHA2;
  char fCRC32;
  char fLSE;
  char fDCPOP;
  char fSHA3;
  char fSHA512;
  char fSVE;
  char fSVE2;
  char fSTXR_PREFETCH;
  char fA53MAC;
  char fDMB_ATOMICS;
  char fPACA;
  char fSVEBITPERM;
  char fFPHP;
  char fASIMDHP;
} CPUFeatures;

#endif
