/* The device tree each VM boots with, generated from its configuration. */
#ifndef CORE_GUEST_FDT_H
#define CORE_GUEST_FDT_H

#include "core/vm_config.h"

#define GUEST_FDT_MAX 0x10000UL

/**
 * Writes the VM's DTB into buf: its memory, its vCPUs, PSCI over HVC,
 * /chosen with its bootargs, and its emulated devices. Uses libfdt, whose
 * code may use FP/SIMD registers, so it runs before any vCPU of this CPU
 * has entered. Returns 0 or -E_NOMEM when size is too small.
 */
int guest_fdt_build(const struct vm_config *cfg, void *buf, size_t size);

#endif
