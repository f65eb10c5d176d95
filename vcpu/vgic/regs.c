/*
 * Register banks that the GICv3 distributor, the GICv3 redistributor's
 * SGI_base frame and the GICv2 distributor share: one bit, one byte or two
 * bits per INTID. Callers hold vgic_dist.lock (see vgic.h).
 */
#include "vcpu/vgic/internal.h"

bool vgic_width_ok(u64 offset, unsigned int size, unsigned int widths)
{
	if (size > 8 || !(widths & BIT(size)))
		return false;
	return (offset & (size - 1)) == 0;
}

static bool v2_sgi(const struct vgic_dist *d, u32 intid)
{
	return d->version == VGIC_V2 && intid < VGIC_SGI_COUNT;
}

static bool bit_read(const struct vgic_irq *irq, enum vgic_field f)
{
	switch (f) {
	case VGIC_F_GROUP:
		return irq->group1;
	case VGIC_F_ENABLE:
		return irq->enabled;
	case VGIC_F_PENDING:
		return vgic_irq_pending(irq);
	case VGIC_F_ACTIVE:
		return irq->active;
	}
	return false;
}

u32 vgic_bits_read(struct vgic_dist *d, unsigned int id, u32 first, enum vgic_field f)
{
	u32 val = 0;
	unsigned int i;

	for (i = 0; i < 32; i++) {
		const struct vgic_irq *irq = vgic_irq_get(d, id, first + i);

		if (irq && bit_read(irq, f))
			val |= (u32)BIT(i);
	}
	return val;
}

static void pending_write(struct vgic_dist *d, struct vgic_irq *irq, bool set, u32 *kick)
{
	/* GICv2 SGIs are made pending per source, through GICD_SPENDSGIR only. */
	if (v2_sgi(d, irq->intid))
		return;
	if (set) {
		/* HW-mapped: its physical interrupt is made active (vgic_mark_phys()). */
		vgic_mark_phys(d, irq, kick);
		irq->sw_pend = irq->hw;
		vgic_irq_pend(d, irq, kick);
		return;
	}
	irq->latch = false;
	irq->sw_pend = false;
	irq->clr_pend = irq->in_lr;
	vgic_mark_phys(d, irq, kick);
	vgic_irq_update(d, irq, kick);
}

static void active_write(struct vgic_dist *d, struct vgic_irq *irq, bool set, u32 *kick)
{
	irq->active = set;
	irq->set_act = set && irq->in_lr;
	irq->clr_act = !set && irq->in_lr;
	vgic_mark_phys(d, irq, kick);
	vgic_irq_update(d, irq, kick);
}

static void bit_write(struct vgic_dist *d, struct vgic_irq *irq, enum vgic_field f, bool set,
		      u32 *kick)
{
	switch (f) {
	case VGIC_F_GROUP:
		irq->group1 = set;
		vgic_irq_update(d, irq, kick);
		break;
	case VGIC_F_ENABLE:
		irq->enabled = set;
		vgic_irq_update(d, irq, kick);
		break;
	case VGIC_F_PENDING:
		pending_write(d, irq, set, kick);
		break;
	case VGIC_F_ACTIVE:
		active_write(d, irq, set, kick);
		break;
	}
}

void vgic_bits_write(struct vgic_dist *d, unsigned int id, u32 first, enum vgic_field f,
		     enum vgic_wmode mode, u32 bits, u32 *kick)
{
	unsigned int i;

	for (i = 0; i < 32; i++) {
		bool one = bits & BIT(i);
		struct vgic_irq *irq = vgic_irq_get(d, id, first + i);

		if (!irq || (mode != VGIC_W_ASSIGN && !one))
			continue;
		bit_write(d, irq, f, mode == VGIC_W_CLEAR ? false : one, kick);
	}
}

u64 vgic_prio_read(struct vgic_dist *d, unsigned int id, u32 first, unsigned int size)
{
	u64 val = 0;
	unsigned int i;

	for (i = 0; i < size; i++) {
		const struct vgic_irq *irq = vgic_irq_get(d, id, first + i);

		if (irq)
			val |= (u64)irq->priority << (8 * i);
	}
	return val;
}

void vgic_prio_write(struct vgic_dist *d, unsigned int id, u32 first, unsigned int size, u64 val,
		     u32 *kick)
{
	unsigned int i;

	for (i = 0; i < size; i++) {
		struct vgic_irq *irq = vgic_irq_get(d, id, first + i);

		if (!irq)
			continue;
		irq->priority = (u8)(val >> (8 * i)) & d->prio_mask;
		vgic_irq_update(d, irq, kick);
	}
}

/* ICFGR: two bits per INTID, Int_config[1] set means edge-triggered. */
u32 vgic_cfg_read(struct vgic_dist *d, unsigned int id, u32 first)
{
	u32 val = 0;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		const struct vgic_irq *irq = vgic_irq_get(d, id, first + i);

		if (irq && !irq->level)
			val |= 2U << (2 * i);
	}
	return val;
}

void vgic_cfg_write(struct vgic_dist *d, unsigned int id, u32 first, u32 val)
{
	unsigned int i;

	for (i = 0; i < 16; i++) {
		struct vgic_irq *irq = vgic_irq_get(d, id, first + i);

		if (irq && irq->intid >= VGIC_SGI_COUNT)
			irq->level = !(val & (2U << (2 * i)));
	}
}
