/*
 * The emulated GICv3 distributor (GICD_*, IHI 0069 chapter 12.9).
 *
 * What the guest sees: a single Security state (GICD_CTLR.DS reads 1), so
 * the guest owns both groups; affinity routing always on (ARE RAO/WI), so
 * the INTID 0-31 parts of the banks, ITARGETSR, SGIR and the SGI pending
 * registers are RAZ/WI and SGIs and PPIs live in the redistributors; no
 * LPIs, no extended ranges, no 1-of-N SPI routing (TYPER.No1N = 1, IRM RAZ/WI).
 *
 * Lock order: vgic_dist.lock is a leaf (see vgic.h); the two public
 * functions take it.
 */
#include "vcpu/vgic/internal.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_TYPER2 0x000c
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_ICFGR 0x0c00
#define GICD_IGRPMODR 0x0d00
#define GICD_CPENDSGIR 0x0f10
#define GICD_IROUTER 0x6000
#define GICD_IROUTER_END 0x8000

#define GICD_CTLR_EnableGrp0 BIT(0)
#define GICD_CTLR_EnableGrp1 BIT(1)
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_DS BIT(6)
#define GICD_TYPER_IDbits_SHIFT 19
#define GICD_TYPER_No1N BIT(25)
#define GICD_IROUTER_AFF_MASK 0xff00ffffffUL

/* A bank of one bit per INTID, the field it reaches and how a write does. */
struct bank {
	u32 base;
	enum vgic_field field;
	enum vgic_wmode mode;
};

static const struct bank banks[] = {
	{ GICD_IGROUPR, VGIC_F_GROUP, VGIC_W_ASSIGN },
	{ GICD_ISENABLER, VGIC_F_ENABLE, VGIC_W_SET },
	{ GICD_ICENABLER, VGIC_F_ENABLE, VGIC_W_CLEAR },
	{ GICD_ISPENDR, VGIC_F_PENDING, VGIC_W_SET },
	{ GICD_ICPENDR, VGIC_F_PENDING, VGIC_W_CLEAR },
	{ GICD_ISACTIVER, VGIC_F_ACTIVE, VGIC_W_SET },
	{ GICD_ICACTIVER, VGIC_F_ACTIVE, VGIC_W_CLEAR },
};

static const struct bank *bank_at(u64 offset)
{
	if (offset < GICD_IGROUPR || offset >= GICD_IPRIORITYR)
		return NULL;
	return &banks[(offset - GICD_IGROUPR) / 0x80];
}

/* The widths the specification allows at offset (bit n: n bytes). */
static unsigned int widths_at(u64 offset)
{
	if (offset >= GICD_IPRIORITYR && offset < GICD_ICFGR)
		return VGIC_W8 | VGIC_W32; /* IPRIORITYR, ITARGETSR */
	if (offset >= GICD_CPENDSGIR && offset < GICD_CPENDSGIR + 0x20)
		return VGIC_W8 | VGIC_W32; /* CPENDSGIR, SPENDSGIR */
	if (offset >= GICD_IROUTER && offset < GICD_IROUTER_END)
		return VGIC_W32 | VGIC_W64;
	return VGIC_W32;
}

static u32 ctlr_read(const struct vgic_dist *d)
{
	u32 val = GICD_CTLR_ARE | GICD_CTLR_DS;

	if (d->grp0_enabled)
		val |= GICD_CTLR_EnableGrp0;
	if (d->grp1_enabled)
		val |= GICD_CTLR_EnableGrp1;
	return val;
}

static void ctlr_write(struct vgic_dist *d, u32 val, u32 *kick)
{
	d->grp0_enabled = val & GICD_CTLR_EnableGrp0;
	d->grp1_enabled = val & GICD_CTLR_EnableGrp1;
	/* What every vCPU may be signalled changed. */
	*kick |= (u32)(BIT(d->cpu_count) - 1);
}

static u32 typer_read(const struct vgic_dist *d)
{
	/* ITLinesNumber: INTIDs up to 32 * (N + 1) - 1; IDbits: 10 bits, no LPIs. */
	return (d->spi_count / 32) | (9U << GICD_TYPER_IDbits_SHIFT) | GICD_TYPER_No1N;
}

static u64 irouter_read(struct vgic_dist *d, u64 offset, unsigned int size)
{
	struct vgic_irq *irq = vgic_irq_get(d, 0, (u32)(offset - GICD_IROUTER) / 8);

	if (!irq || irq->intid < VGIC_PRIVATE_COUNT)
		return 0;
	if (size == 8)
		return irq->route;
	return (offset & 4) ? irq->route >> 32 : (u32)irq->route;
}

static void irouter_write(struct vgic_dist *d, u64 offset, unsigned int size, u64 val, u32 *kick)
{
	struct vgic_irq *irq = vgic_irq_get(d, 0, (u32)(offset - GICD_IROUTER) / 8);

	/* A HW-mapped SPI is pinned to its vCPU (vgic_map_hw()). */
	if (!irq || irq->intid < VGIC_PRIVATE_COUNT || irq->owner >= 0)
		return;
	if (size == 4 && (offset & 4))
		val = (val << 32) | (u32)irq->route;
	else if (size == 4)
		val = (irq->route & ~0xffffffffUL) | (u32)val;
	irq->route = val & GICD_IROUTER_AFF_MASK;
	vgic_irq_update(d, irq, kick);
}

static u64 read_locked(struct vgic_dist *d, unsigned int id, u64 offset, unsigned int size)
{
	const struct bank *b = bank_at(offset);

	if (b && offset - b->base >= 4) /* the INTID 0-31 word is RAZ/WI with ARE */
		return vgic_bits_read(d, id, (u32)(offset - b->base) * 8, b->field);
	if (offset >= GICD_IPRIORITYR + VGIC_PRIVATE_COUNT && offset < GICD_ITARGETSR)
		return vgic_prio_read(d, id, (u32)(offset - GICD_IPRIORITYR), size);
	if (offset >= GICD_ICFGR + 8 && offset < GICD_IGRPMODR)
		return vgic_cfg_read(d, id, (u32)(offset - GICD_ICFGR) * 4);
	if (offset >= GICD_IROUTER && offset < GICD_IROUTER_END)
		return irouter_read(d, offset, size);
	switch (offset) {
	case GICD_CTLR:
		return ctlr_read(d);
	case GICD_TYPER:
		return typer_read(d);
	case GICD_IIDR:
		return VGIC_IIDR;
	case GIC_PIDR2:
		return (3U << 4) | GIC_PIDR2_ARM;
	default:
		return 0; /* TYPER2 (no vSGIs, no extended ranges) and RAZ/WI space */
	}
}

static void write_locked(struct vgic_dist *d, unsigned int id, u64 offset, unsigned int size,
			 u64 val, u32 *kick)
{
	const struct bank *b = bank_at(offset);

	if (b && offset - b->base >= 4)
		vgic_bits_write(d, id, (u32)(offset - b->base) * 8, b->field, b->mode, (u32)val,
				kick);
	else if (offset >= GICD_IPRIORITYR + VGIC_PRIVATE_COUNT && offset < GICD_ITARGETSR)
		vgic_prio_write(d, id, (u32)(offset - GICD_IPRIORITYR), size, val, kick);
	else if (offset >= GICD_ICFGR + 8 && offset < GICD_IGRPMODR)
		vgic_cfg_write(d, id, (u32)(offset - GICD_ICFGR) * 4, (u32)val);
	else if (offset >= GICD_IROUTER && offset < GICD_IROUTER_END)
		irouter_write(d, offset, size, val, kick);
	else if (offset == GICD_CTLR)
		ctlr_write(d, (u32)val, kick);
}

int vgic_v3_dist_read(struct vgic_dist *d, unsigned int id, u64 offset, unsigned int size, u64 *val)
{
	if (!vgic_width_ok(offset, size, widths_at(offset)))
		return -E_INVAL;
	spin_lock(&d->lock);
	*val = read_locked(d, id, offset, size);
	spin_unlock(&d->lock);
	return 0;
}

int vgic_v3_dist_write(struct vgic_dist *d, unsigned int id, u64 offset, unsigned int size, u64 val,
		       u32 *kick)
{
	if (!vgic_width_ok(offset, size, widths_at(offset)))
		return -E_INVAL;
	spin_lock(&d->lock);
	write_locked(d, id, offset, size, val, kick);
	spin_unlock(&d->lock);
	return 0;
}
