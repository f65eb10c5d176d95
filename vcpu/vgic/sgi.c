/*
 * SGI generation: which vCPUs an ICC_SGI1R_EL1-style value or a GICD_SGIR
 * write targets, and making the SGI pending there. Targets are looked up
 * among the VM's own vCPUs only, so no value reaches outside the VM.
 *
 * Lock order: vgic_dist.lock is a leaf (see vgic.h); vgic_v3_sgi() takes it.
 */
#include "vcpu/vgic/internal.h"

/* ICC_SGI1R_EL1, ICC_ASGI1R_EL1, ICC_SGI0R_EL1 (IHI 0069 12.2) */
#define ICC_SGI1R_TargetList_MASK GENMASK(15, 0)
#define ICC_SGI1R_Aff1_SHIFT 16
#define ICC_SGI1R_INTID_SHIFT 24
#define ICC_SGI1R_Aff2_SHIFT 32
#define ICC_SGI1R_IRM BIT(40)
#define ICC_SGI1R_RS_SHIFT 44
#define ICC_SGI1R_Aff3_SHIFT 48

/* GICD_SGIR (IHI 0048 4.3.15) */
#define GICD_SGIR_TargetListFilter_SHIFT 24
#define GICD_SGIR_CPUTargetList_SHIFT 16
#define GICD_SGIR_SGIINTID_MASK 0xfU

#define MPIDR_AFF_MASK 0xff00ffffffUL /* Aff3 [39:32], Aff2..Aff0 [23:0] */

/* Today a vCPU's MPIDR is its index in Aff0 (VMPIDR_EL2 in vcpu/context.c). */
u64 vgic_vcpu_affinity(unsigned int id)
{
	return id;
}

int vgic_affinity_vcpu(const struct vgic_dist *d, u64 aff)
{
	unsigned int i;

	for (i = 0; i < d->cpu_count; i++)
		if (vgic_vcpu_affinity(i) == (aff & MPIDR_AFF_MASK))
			return (int)i;
	return -1;
}

static u32 all_but(const struct vgic_dist *d, unsigned int id)
{
	return (u32)(BIT(d->cpu_count) - 1) & ~(u32)BIT(id);
}

u32 vgic_v3_sgi_targets(const struct vgic_dist *d, unsigned int id, u64 value)
{
	u64 aff = ((value >> ICC_SGI1R_Aff1_SHIFT) & 0xff) << 8 |
		  ((value >> ICC_SGI1R_Aff2_SHIFT) & 0xff) << 16 |
		  ((value >> ICC_SGI1R_Aff3_SHIFT) & 0xff) << 32;
	u64 aff0_base = ((value >> ICC_SGI1R_RS_SHIFT) & 0xf) * 16;
	u32 targets = 0, list = (u32)(value & ICC_SGI1R_TargetList_MASK);

	if (value & ICC_SGI1R_IRM)
		return all_but(d, id);
	/* Only the bits set: an SGI to self is on the path whose cost the bench holds. */
	while (list) {
		unsigned int i = (unsigned int)__builtin_ctz(list);
		int t;

		list &= list - 1;
		t = vgic_affinity_vcpu(d, aff | (aff0_base + i));
		if (t >= 0)
			targets |= (u32)BIT(t);
	}
	return targets;
}

bool vgic_v3_sgi_self(unsigned int id, u64 value)
{
	u64 aff = vgic_vcpu_affinity(id);
	u64 want = ((aff >> 8) & 0xff) << ICC_SGI1R_Aff1_SHIFT |
		   ((aff >> 16) & 0xff) << ICC_SGI1R_Aff2_SHIFT |
		   ((aff >> 32) & 0xff) << ICC_SGI1R_Aff3_SHIFT |
		   ((aff & 0xff) / 16) << ICC_SGI1R_RS_SHIFT | BIT(aff % 16);
	u64 mask = 0xffUL << ICC_SGI1R_Aff1_SHIFT | 0xffUL << ICC_SGI1R_Aff2_SHIFT |
		   0xffUL << ICC_SGI1R_Aff3_SHIFT | 0xfUL << ICC_SGI1R_RS_SHIFT | ICC_SGI1R_IRM |
		   ICC_SGI1R_TargetList_MASK;

	return (value & mask) == want;
}

void vgic_v3_sgi(struct vgic_dist *d, unsigned int id, u64 value, bool group1, u32 *kick)
{
	u32 intid = (value >> ICC_SGI1R_INTID_SHIFT) & 0xf;
	u32 targets;
	unsigned int t;

	spin_lock(&d->lock);
	targets = id < d->cpu_count ? vgic_v3_sgi_targets(d, id, value) : 0;
	for (t = 0; t < d->cpu_count; t++) {
		struct vgic_irq *irq = (targets & BIT(t)) ? vgic_irq_get(d, t, intid) : NULL;
		/* DS = 1: SGI0R and ASGI1R reach Group 0 SGIs only; SGI1R either group. */
		if (irq && (group1 || !irq->group1))
			vgic_irq_pend(d, irq, kick);
	}
	spin_unlock(&d->lock);
}

u32 vgic_v2_sgi_targets(const struct vgic_dist *d, unsigned int id, u32 value)
{
	u32 list = (value >> GICD_SGIR_CPUTargetList_SHIFT) & 0xff;

	switch ((value >> GICD_SGIR_TargetListFilter_SHIFT) & 3) {
	case 0:
		return list & (u32)(BIT(d->cpu_count) - 1);
	case 1:
		return all_but(d, id);
	case 2:
		return (u32)BIT(id);
	default:
		return 0; /* reserved */
	}
}
