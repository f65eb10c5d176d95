/* Guest HVC and SMC calls: SMCCC, PSCI and Partita's own hypercalls. */
#ifndef VCPU_HVC_H
#define VCPU_HVC_H

#include "vcpu/vcpu.h"

/**
 * Serves the call in the guest's x0..x7 and writes the results to x0..x3.
 * The PC must already point past the HVC or SMC.
 */
enum vcpu_stop hvc_handle(struct vcpu *v, u64 esr);

/** Firmware answers for the ARCH_WORKAROUND calls, asked once at boot. */
void hvc_probe_firmware(void);

/** Guest PSCI (vcpu/psci.c), for function IDs of the standard-service owner. */
enum vcpu_stop psci_handle(struct vcpu *v, u32 fid);

/** Partita's hypercalls (vcpu/hypercall.c), vendor-hypervisor owner. */
enum vcpu_stop hypercall_handle(struct vcpu *v, u32 fid);

#endif
