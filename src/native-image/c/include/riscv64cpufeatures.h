/*
 * The CPU features struct of the native-image builder 25.0.2 for RISCV64 (RISCV64LibCHelper.CPUFeatures):
 * the builder reads its layout whatever the target, so the header must exist; images for this
 * project are built for AMD64 only, and no code of ours fills it (decision 0018).
 */
#ifndef RETENTION_RISCV64CPUFEATURES_H
#define RETENTION_RISCV64CPUFEATURES_H

typedef struct CPUFeatures {
  char fI;
  char fM;
  char fA;
  char fF;
  char fD;
  char fC;
  char fV;
} CPUFeatures;

#endif
