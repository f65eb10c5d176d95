/*
 * The emulated test device of guests/test: 256 bytes of scratch registers
 * that read back what was written, at any access size, and an ID register.
 * It exists to prove the MMIO bus, so it is only attached to test VMs.
 */
#ifndef VCPU_TESTDEV_H
#define VCPU_TESTDEV_H

#include "vcpu/vcpu.h"

#define TESTDEV_IPA 0x0a000000UL
#define TESTDEV_SIZE 0x1000UL
#define TESTDEV_SCRATCH_SIZE 0x100
#define TESTDEV_ID 0x100 /* read-only, 32-bit: "PTST" */
#define TESTDEV_ID_VALUE 0x54535450U

/**
 * Puts a fresh test device at TESTDEV_IPA in vm. Returns 0, or a negative
 * error (from mmio_register(), or -E_NOMEM past VM_MAX VMs) if it cannot.
 */
int testdev_attach(struct vm *vm);

#endif
