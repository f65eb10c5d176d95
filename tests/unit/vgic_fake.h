/*
 * A VM's virtual GIC for the vgic unit tests, and a fake CPU interface: list
 * registers held in the hardware format (ICH_LR<n>_EL2 or GICH_LR<n>) and a
 * guest that acknowledges and deactivates what they carry, as the GIC's
 * virtual CPU interface would.
 */
#ifndef TESTS_UNIT_VGIC_FAKE_H
#define TESTS_UNIT_VGIC_FAKE_H

#include "vcpu/vgic/lr_format.h"
#include "vcpu/vgic/vgic.h"

#define FAKE_SPIS 64
#define FAKE_VCPUS 4

struct fake_vm {
	struct vgic_dist d;
	struct vgic_cpu cpu[FAKE_VCPUS];
	struct vgic_irq spis[FAKE_SPIS];
	u64 hw_lr[FAKE_VCPUS][VGIC_MAX_LRS]; /* the hardware's list registers */
	unsigned int eoicount[FAKE_VCPUS]; /* ICH_HCR_EL2.EOIcount */
};

/** Sets up vm as a VM of vcpus vCPUs with lrs list registers each. */
static inline void fake_vm_init(struct fake_vm *vm, enum vgic_version v, unsigned int vcpus,
				unsigned int lrs)
{
	unsigned int i;

	if (vgic_dist_init(&vm->d, v, vcpus, FAKE_SPIS, vm->spis) != 0)
		abort();
	for (i = 0; i < vcpus; i++)
		vgic_cpu_init(&vm->d, &vm->cpu[i], i, lrs);
	for (i = 0; i < FAKE_VCPUS; i++)
		memset(vm->hw_lr[i], 0, sizeof(vm->hw_lr[i]));
	memset(vm->eoicount, 0, sizeof(vm->eoicount));
}

static inline u64 fake_encode(const struct fake_vm *vm, const struct vgic_lr *lr)
{
	return vm->d.version == VGIC_V3 ? vgic_lr_v3_encode(lr) : vgic_lr_v2_encode(lr);
}

static inline struct vgic_lr fake_decode(const struct fake_vm *vm, u64 val)
{
	return vm->d.version == VGIC_V3 ? vgic_lr_v3_decode(val) : vgic_lr_v2_decode((u32)val);
}

/** What the glue does on the way into the guest: flush and write the LRs. */
static inline void fake_enter(struct fake_vm *vm, unsigned int id)
{
	struct vgic_cpu *c = &vm->cpu[id];
	unsigned int i;

	vgic_flush(&vm->d, id);
	for (i = 0; i < c->lr_count; i++)
		vm->hw_lr[id][i] = i < c->lr_used ? fake_encode(vm, &c->lr[i]) : 0;
}

/** What the glue does on an exit: read the LRs back and fold; returns vgic_fold()'s kicks. */
static inline u32 fake_exit(struct fake_vm *vm, unsigned int id)
{
	struct vgic_cpu *c = &vm->cpu[id];
	unsigned int i;

	for (i = 0; i < c->lr_used; i++)
		c->lr[i] = fake_decode(vm, vm->hw_lr[id][i]);
	/* As the GICv3 backend's read_lrs with EOImode 0: EOIcount taken and zeroed. */
	c->eoi_count += vm->eoicount[id];
	vm->eoicount[id] = 0;
	return vgic_fold(&vm->d, id);
}

/**
 * The guest deactivates intid (an EOImode 0 EOI, or a DIR): the LR holding
 * it active loses the active state, or, with none, EOIcount goes up.
 */
static inline void fake_deactivate(struct fake_vm *vm, unsigned int id, u32 intid)
{
	unsigned int i;

	for (i = 0; i < vm->cpu[id].lr_count; i++) {
		struct vgic_lr lr = fake_decode(vm, vm->hw_lr[id][i]);

		if (lr.intid == intid && (lr.state & VGIC_LR_ACTIVE)) {
			lr.state &= (u8)~VGIC_LR_ACTIVE;
			vm->hw_lr[id][i] = fake_encode(vm, &lr);
			return;
		}
	}
	vm->eoicount[id]++;
}

/** The LR the guest would acknowledge next (highest priority pending), or -1. */
static inline int fake_highest(const struct fake_vm *vm, unsigned int id)
{
	int best = -1;
	unsigned int i;
	u8 prio = 0xff;

	for (i = 0; i < vm->cpu[id].lr_count; i++) {
		struct vgic_lr lr = fake_decode(vm, vm->hw_lr[id][i]);

		if ((lr.state & VGIC_LR_PENDING) && (best < 0 || lr.priority < prio)) {
			best = (int)i;
			prio = lr.priority;
		}
	}
	return best;
}

/** The guest reads ICC_IAR1_EL1 (GICC_IAR): pending becomes active. Returns the LR or -1. */
static inline int fake_ack(struct fake_vm *vm, unsigned int id)
{
	int n = fake_highest(vm, id);
	struct vgic_lr lr;

	if (n < 0)
		return -1;
	lr = fake_decode(vm, vm->hw_lr[id][n]);
	lr.state = (u8)((lr.state & ~VGIC_LR_PENDING) | VGIC_LR_ACTIVE);
	vm->hw_lr[id][n] = fake_encode(vm, &lr);
	return n;
}

/** The guest writes ICC_EOIR1_EL1 (EOImode 0) for LR n: active goes away. */
static inline void fake_eoi(struct fake_vm *vm, unsigned int id, int n)
{
	struct vgic_lr lr = fake_decode(vm, vm->hw_lr[id][n]);

	lr.state &= (u8)~VGIC_LR_ACTIVE;
	vm->hw_lr[id][n] = fake_encode(vm, &lr);
}

/** The INTID in LR n. */
static inline u32 fake_intid(const struct fake_vm *vm, unsigned int id, int n)
{
	return fake_decode(vm, vm->hw_lr[id][n]).intid;
}

/** Whether the underflow maintenance interrupt (UIE) would fire: at most one valid LR. */
static inline bool fake_underflow_fires(const struct fake_vm *vm, unsigned int id)
{
	unsigned int i, valid = 0;

	for (i = 0; i < vm->cpu[id].lr_count; i++)
		valid += fake_decode(vm, vm->hw_lr[id][i]).state != VGIC_LR_INVALID;
	return vm->cpu[id].underflow && valid <= 1;
}

#endif
