/*
 * The virtual GIC's hardware backends: what differs between GICv3
 * (ICH_*_EL2 system registers, vcpu/vgic/v3.c) and GICv2 (the GICH frame,
 * vcpu/vgic/v2.c). The glue (vcpu/vgic/glue.c) picks one by the host GIC's
 * version and never looks at a version-specific register itself; a guest
 * sees the same GIC version as the host.
 *
 * Every operation runs on the physical CPU whose interface it touches, with
 * interrupts masked (EL2 always is). The list-register operations take no
 * lock: they only move values between the hardware and the vgic_cpu shadow
 * of the vCPU pinned to that CPU, which only that CPU changes while the vCPU
 * runs (GICv2's also deactivate the physical interrupts of HW entries the
 * guest finished, on that CPU, where they were taken).
 */
#ifndef VCPU_VGIC_HW_H
#define VCPU_VGIC_HW_H

#include "vcpu/vgic/vgic.h"

struct vm;

/** One hardware backend. */
struct vgic_hw_ops {
	/** Once per physical CPU at boot: virtual CPU interface on, learns the LR count. */
	void (*cpu_init)(void);
	/** The number of list registers of this CPU (cpu_init() has run). */
	unsigned int (*lr_count)(void);
	/** Reads the hardware LRs [0, c->lr_used) into c->lr[]. */
	void (*read_lrs)(struct vgic_cpu *c);
	/**
	 * Writes c->lr[0, lr_used) to the hardware, zeroes the other LRs, and
	 * enables the underflow maintenance interrupt if c->underflow.
	 */
	void (*write_lrs)(const struct vgic_cpu *c);
	/**
	 * At vCPU power-on: the virtual CPU interface (VMCR, active priority
	 * registers, LRs, HCR with En set) back to its reset state.
	 */
	void (*reset_cpu_if)(void);
	/**
	 * Registers the emulated distributor (and redistributors) on the VM's
	 * MMIO bus and maps what the guest accesses directly (v2: GICV at the
	 * guest's GICC IPA). Returns 0, or a negative error (after a log line
	 * naming the VM) when a device slot or a mapping cannot be had.
	 */
	int (*attach_vm)(struct vm *vm);
	/**
	 * Optional (NULL: every injection takes the full fold and flush):
	 * reads hardware LR n, whose shadow entry is *shadow (GICv2 finishes
	 * there the physical deactivation a HW entry the guest deactivated
	 * still owes, see gich_lr_decode()), and writes lr to hardware LR n,
	 * n below lr_count().
	 */
	struct vgic_lr (*read_lr)(unsigned int n, const struct vgic_lr *shadow);
	void (*write_lr)(unsigned int n, const struct vgic_lr *lr);
	/**
	 * Optional: whether hardware LR n is empty (the guest finished with it,
	 * and nothing is owed for it: no EOI maintenance, no deactivation).
	 */
	bool (*lr_empty)(unsigned int n);
	/**
	 * With lr_empty: makes empty hardware LR n pending again, as its shadow
	 * entry *lr (in state pending) says, its other fields as they are.
	 */
	void (*lr_set_pending)(unsigned int n, const struct vgic_lr *lr);
	/**
	 * Optional (NULL: always the full update): on a maintenance interrupt,
	 * finishes in place the LRs of c that only wanted it for work the
	 * backend does itself (GICv2: a HW entry's physical deactivation),
	 * leaving their shadow entries as they are, so that the fast path can
	 * re-arm them. Returns the bits of the LRs so finished, or 0 when
	 * anything else asked for the interrupt (underflow, an EOI the logic
	 * must see): then the full update must run, and nothing was done.
	 */
	u32 (*maint_finish)(const struct vgic_cpu *c);
};

/** The GICv3 backend (vcpu/vgic/v3.c). */
extern const struct vgic_hw_ops vgic_hw_v3;
/** The GICv2 backend (vcpu/vgic/v2.c). */
extern const struct vgic_hw_ops vgic_hw_v2;

#endif
