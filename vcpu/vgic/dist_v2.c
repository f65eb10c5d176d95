/*
 * The emulated GICv2 distributor (GICD_*, IHI 0048 chapter 4.3), without
 * the Security Extensions (TYPER.SecurityExtn = 0): the guest owns both
 * groups. INTIDs 0-31 are banked per accessing vCPU.
 *
 * Lock order: vgic_dist.lock is a leaf (see vgic.h); the two public
 * functions take it.
 */
#include "vcpu/vgic/internal.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_IGROUPR 0x080
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_ICFGR_END 0xd00
#define GICD_SGIR 0xf00
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20
#define GICD_SPENDSGIR_END 0xf30
#define GICD_ICPIDR2 0xfe8

#define GICD_CTLR_EnableGrp0 BIT(0)
#define GICD_CTLR_EnableGrp1 BIT(1)
#define GICD_TYPER_CPUNumber_SHIFT 5

static const enum vgic_field bank_field[] = {
	VGIC_F_GROUP,	VGIC_F_ENABLE, VGIC_F_ENABLE, VGIC_F_PENDING,
	VGIC_F_PENDING, VGIC_F_ACTIVE, VGIC_F_ACTIVE,
};
static const enum vgic_wmode bank_mode[] = {
	VGIC_W_ASSIGN, VGIC_W_SET, VGIC_W_CLEAR, VGIC_W_SET, VGIC_W_CLEAR, VGIC_W_SET, VGIC_W_CLEAR,
};

static bool in(u64 offset, u64 base, u64 end)
{
	return offset >= base && offset < end;
}

static unsigned int widths_at(u64 offset)
{
	if (in(offset, GICD_IPRIORITYR, GICD_ICFGR) ||
	    in(offset, GICD_CPENDSGIR, GICD_SPENDSGIR_END))
		return VGIC_W8 | VGIC_W32;
	return VGIC_W32;
}

static u32 cpu_mask(const struct vgic_dist *d)
{
	return (u32)(BIT(d->cpu_count) - 1);
}

/* ITARGETSR: SGIs and PPIs read the accessing CPU's own bit; SPIs keep
 * only bits of CPUs that exist. */
static u64 targets_read(struct vgic_dist *d, unsigned int id, u32 first, unsigned int size)
{
	u64 val = 0;
	unsigned int i;

	for (i = 0; i < size; i++) {
		const struct vgic_irq *irq = vgic_irq_get(d, id, first + i);

		if (irq)
			val |= (u64)(irq->owner >= 0 ? BIT(irq->owner) : irq->targets) << (8 * i);
	}
	return val;
}

static void targets_write(struct vgic_dist *d, u32 first, unsigned int size, u64 val, u32 *kick)
{
	unsigned int i;

	for (i = 0; i < size; i++) {
		struct vgic_irq *irq =
			first + i >= VGIC_PRIVATE_COUNT ? vgic_irq_get(d, 0, first + i) : NULL;

		/* A HW-mapped SPI is pinned to its vCPU (vgic_map_hw()). */
		if (!irq || irq->owner >= 0)
			continue;
		irq->targets = (u8)(val >> (8 * i)) & (u8)cpu_mask(d);
		vgic_irq_update(d, irq, kick);
	}
}

/* CPENDSGIR/SPENDSGIR: one byte per SGI of the accessing CPU, one bit per source. */
static u64 sgi_sources_read(struct vgic_dist *d, unsigned int id, u32 first, unsigned int size)
{
	u64 val = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		val |= (u64)d->cpu[id]->priv[first + i].sources << (8 * i);
	return val;
}

/*
 * The requester whose instance of SGI intid vCPU c's LR shadow holds
 * pending, as a bit (0 if none): the one source a GICv2 LR carries.
 */
static u32 lr_pending_source(const struct vgic_cpu *c, u32 intid)
{
	unsigned int n;

	for (n = 0; n < c->lr_used; n++) {
		if (c->lr[n].intid == intid && (c->lr[n].state & VGIC_LR_PENDING))
			return (u32)BIT(c->lr[n].source);
	}
	return 0;
}

static void sgi_sources_write(struct vgic_dist *d, unsigned int id, u32 first, unsigned int size,
			      u64 val, bool set, u32 *kick)
{
	unsigned int i;

	for (i = 0; i < size; i++) {
		struct vgic_irq *irq = &d->cpu[id]->priv[first + i];
		u8 bits = (u8)(val >> (8 * i)) & (u8)cpu_mask(d);
		if (set) {
			irq->sources |= bits;
		} else if (bits) {
			irq->sources &= (u8)~bits;
			/*
			 * An LR carries one source: its pending state goes only if
			 * that source is one being cleared, not for any other.
			 */
			if (irq->in_lr && (bits & lr_pending_source(d->cpu[id], irq->intid)))
				irq->clr_pend = true;
		}
		vgic_irq_update(d, irq, kick);
	}
}

static void sgir_write(struct vgic_dist *d, unsigned int id, u32 val, u32 *kick)
{
	u32 targets = vgic_v2_sgi_targets(d, id, val);
	unsigned int t;

	for (t = 0; t < d->cpu_count; t++) {
		struct vgic_irq *irq = &d->cpu[t]->priv[val & 0xf];

		if (!(targets & BIT(t)))
			continue;
		/*
		 * The new request waits in sources; a CPENDSGIR clear of the
		 * source an LR carries (clr_pend) still applies to that LR.
		 */
		irq->sources |= (u8)BIT(id);
		vgic_irq_update(d, irq, kick);
	}
}

static u32 ctlr_read(const struct vgic_dist *d)
{
	return (d->grp0_enabled ? GICD_CTLR_EnableGrp0 : 0) |
	       (d->grp1_enabled ? GICD_CTLR_EnableGrp1 : 0);
}

static u64 read_locked(struct vgic_dist *d, unsigned int id, u64 offset, unsigned int size)
{
	if (in(offset, GICD_IGROUPR, GICD_IPRIORITYR))
		return vgic_bits_read(d, id, (u32)(offset % 0x80) * 8,
				      bank_field[(offset - GICD_IGROUPR) / 0x80]);
	if (in(offset, GICD_IPRIORITYR, GICD_ITARGETSR))
		return vgic_prio_read(d, id, (u32)(offset - GICD_IPRIORITYR), size);
	if (in(offset, GICD_ITARGETSR, GICD_ICFGR))
		return targets_read(d, id, (u32)(offset - GICD_ITARGETSR), size);
	if (in(offset, GICD_ICFGR, GICD_ICFGR_END))
		return vgic_cfg_read(d, id, (u32)(offset - GICD_ICFGR) * 4);
	if (in(offset, GICD_CPENDSGIR, GICD_SPENDSGIR_END))
		return sgi_sources_read(d, id, (u32)(offset % 0x10), size);
	switch (offset) {
	case GICD_CTLR:
		return ctlr_read(d);
	case GICD_TYPER:
		return d->spi_count / 32 | (d->cpu_count - 1) << GICD_TYPER_CPUNumber_SHIFT;
	case GICD_IIDR:
		return VGIC_IIDR;
	case GICD_ICPIDR2:
		return (2U << 4) | GIC_PIDR2_ARM;
	default:
		return 0; /* SGIR is write-only; NSACR and reserved space RAZ/WI */
	}
}

static void write_locked(struct vgic_dist *d, unsigned int id, u64 offset, unsigned int size,
			 u64 val, u32 *kick)
{
	if (in(offset, GICD_IGROUPR, GICD_IPRIORITYR)) {
		unsigned int b = (unsigned int)(offset - GICD_IGROUPR) / 0x80;

		vgic_bits_write(d, id, (u32)(offset % 0x80) * 8, bank_field[b], bank_mode[b],
				(u32)val, kick);
	} else if (in(offset, GICD_IPRIORITYR, GICD_ITARGETSR)) {
		vgic_prio_write(d, id, (u32)(offset - GICD_IPRIORITYR), size, val, kick);
	} else if (in(offset, GICD_ITARGETSR, GICD_ICFGR)) {
		targets_write(d, (u32)(offset - GICD_ITARGETSR), size, val, kick);
	} else if (in(offset, GICD_ICFGR, GICD_ICFGR_END)) {
		vgic_cfg_write(d, id, (u32)(offset - GICD_ICFGR) * 4, (u32)val);
	} else if (in(offset, GICD_CPENDSGIR, GICD_SPENDSGIR_END)) {
		sgi_sources_write(d, id, (u32)(offset % 0x10), size, val, offset >= GICD_SPENDSGIR,
				  kick);
	} else if (offset == GICD_SGIR) {
		sgir_write(d, id, (u32)val, kick);
	} else if (offset == GICD_CTLR) {
		d->grp0_enabled = val & GICD_CTLR_EnableGrp0;
		d->grp1_enabled = val & GICD_CTLR_EnableGrp1;
		*kick |= cpu_mask(d);
	}
}

int vgic_v2_dist_read(struct vgic_dist *d, unsigned int id, u64 offset, unsigned int size, u64 *val)
{
	if (!vgic_width_ok(offset, size, widths_at(offset)))
		return -E_INVAL;
	spin_lock(&d->lock);
	*val = id < d->cpu_count && d->cpu[id] ? read_locked(d, id, offset, size) : 0;
	spin_unlock(&d->lock);
	return 0;
}

int vgic_v2_dist_write(struct vgic_dist *d, unsigned int id, u64 offset, unsigned int size, u64 val,
		       u32 *kick)
{
	if (!vgic_width_ok(offset, size, widths_at(offset)))
		return -E_INVAL;
	spin_lock(&d->lock);
	if (id < d->cpu_count && d->cpu[id])
		write_locked(d, id, offset, size, val, kick);
	spin_unlock(&d->lock);
	return 0;
}
