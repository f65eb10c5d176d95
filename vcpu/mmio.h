/*
 * The MMIO emulation bus: a data abort on an IPA that belongs to an emulated
 * device is decoded from its syndrome and turned into a read or write call.
 */
#ifndef VCPU_MMIO_H
#define VCPU_MMIO_H

#include "vcpu/vcpu.h"

/**
 * Adds an emulated device to vm. Returns 0, -E_NOMEM when the VM has no
 * slot left, or -E_EXIST when it overlaps another device.
 */
int mmio_register(struct vm *vm, const struct mmio_dev *dev);

/** The IPA of the current stage-2 fault, from HPFAR_EL2 and FAR_EL2. */
u64 mmio_fault_ipa(void);

/** The data-abort exit handler (ESR_EL2.EC == DABT_LOW). */
enum vcpu_stop mmio_handle_abort(struct vcpu *v, u64 esr);

#endif
