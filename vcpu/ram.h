/*
 * A VM's RAM cleared lazily: the 2 MiB blocks that hold no image byte are
 * left unmapped at stage 2 when the VM is loaded, and zeroed, cleaned to the
 * Point of Coherency and mapped on their first use, by the guest (a stage-2
 * translation fault) or by Partita reading guest RAM for it.
 */
#ifndef VCPU_RAM_H
#define VCPU_RAM_H

#include "vcpu/vcpu.h"

/** The unit of lazy clearing: a stage-2 level-2 block. */
#define RAM_BLOCK SZ_2M

/**
 * Leaves [from, to) of vm's RAM (offsets from its start) reading as zeroes
 * to the guest with its caches off: zeroed and cleaned now where a block
 * also holds image bytes, unmapped at stage 2 (TLBs invalidated) where
 * whole blocks do not, or all zeroed now for a VM whose RAM is not lazy. No
 * vCPU of vm may run.
 */
void ram_clear(struct vm *vm, u64 from, u64 to);

/**
 * Maps the block of vm's RAM that holds ipa, zeroed and cleaned, unless it
 * is mapped already. Returns false if ipa is not in a lazy VM's RAM or the
 * block could not be mapped (the caller refuses the access).
 */
bool ram_populate(struct vm *vm, u64 ipa);

/**
 * For a stage-2 abort with syndrome esr at ipa: a translation fault in a
 * block of RAM not yet used is made good by ram_populate(), and the guest
 * retries its access. Returns false if the abort is anything else.
 */
bool ram_fault(struct vm *vm, u64 esr, u64 ipa);

#endif
