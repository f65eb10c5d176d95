/*
 * The emulated GICv3 redistributors (GICR_*, IHI 0069 chapter 12.10), one
 * per vCPU: its RD_base frame (control, identification, the WAKER
 * handshake) and its SGI_base frame (that vCPU's SGIs and PPIs). No LPIs:
 * GICR_TYPER.PLPIS is 0, so CTLR.EnableLPIs, PROPBASER and PENDBASER are RAZ/WI.
 *
 * Lock order: vgic_dist.lock is a leaf (see vgic.h); the two public
 * functions take it.
 */
#include "vcpu/vgic/internal.h"

#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_SGI_BASE 0x10000
#define GICR_FRAMES_END 0x20000
/* SGI_base offsets */
#define GICR_IGROUPR0 0x0080
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR0 0x0c00
#define GICR_ICFGR1 0x0c04

#define GICR_TYPER_Last BIT(4)
#define GICR_TYPER_Processor_Number_SHIFT 8
#define GICR_TYPER_Affinity_SHIFT 32
#define GICR_WAKER_ProcessorSleep BIT(1)
#define GICR_WAKER_ChildrenAsleep BIT(2)

/* IGROUPR0, ISENABLER0, ..., ICACTIVER0: each one register, 0x80 apart. */
static const enum vgic_field bank_field[] = {
	VGIC_F_GROUP,	VGIC_F_ENABLE, VGIC_F_ENABLE, VGIC_F_PENDING,
	VGIC_F_PENDING, VGIC_F_ACTIVE, VGIC_F_ACTIVE,
};
static const enum vgic_wmode bank_mode[] = {
	VGIC_W_ASSIGN, VGIC_W_SET, VGIC_W_CLEAR, VGIC_W_SET, VGIC_W_CLEAR, VGIC_W_SET, VGIC_W_CLEAR,
};

/* The bank index of an SGI_base offset, or -1. */
static int bank_at(u64 sgi_offset)
{
	if (sgi_offset < GICR_IGROUPR0 || sgi_offset > GICR_ICACTIVER0 || sgi_offset % 0x80)
		return -1;
	return (int)((sgi_offset - GICR_IGROUPR0) / 0x80);
}

static unsigned int widths_at(u64 offset)
{
	if (offset == GICR_TYPER || offset == GICR_PROPBASER || offset == GICR_PENDBASER)
		return VGIC_W32 | VGIC_W64;
	if (offset >= GICR_SGI_BASE + GICR_IPRIORITYR &&
	    offset < GICR_SGI_BASE + GICR_IPRIORITYR + VGIC_PRIVATE_COUNT)
		return VGIC_W8 | VGIC_W32;
	return VGIC_W32;
}

static u64 typer_read(const struct vgic_dist *d, unsigned int rd)
{
	u64 aff = vgic_vcpu_affinity(rd);
	/* Affinity_Value is Aff3.Aff2.Aff1.Aff0, packed into 32 bits. */
	u64 val = ((aff >> 8 & 0xff0000) | (aff & 0xffff)) << GICR_TYPER_Affinity_SHIFT |
		  (aff >> 32 & 0xff) << (GICR_TYPER_Affinity_SHIFT + 24);

	val |= (u64)rd << GICR_TYPER_Processor_Number_SHIFT;
	if (rd == d->cpu_count - 1)
		val |= GICR_TYPER_Last;
	return val;
}

static u64 rd_read(struct vgic_dist *d, unsigned int rd, u64 offset, unsigned int size)
{
	switch (offset) {
	case GICR_IIDR:
		return VGIC_IIDR;
	case GICR_TYPER:
		return size == 8 ? typer_read(d, rd) : (u32)typer_read(d, rd);
	case GICR_TYPER + 4:
		return typer_read(d, rd) >> 32;
	case GICR_WAKER:
		return d->cpu[rd]->asleep ? GICR_WAKER_ProcessorSleep | GICR_WAKER_ChildrenAsleep
					  : 0;
	case GIC_PIDR2:
		return (3U << 4) | GIC_PIDR2_ARM;
	default:
		return 0; /* CTLR (nothing to enable without LPIs) and RAZ/WI space */
	}
}

static u64 sgi_read(struct vgic_dist *d, unsigned int rd, u64 offset, unsigned int size)
{
	int b = bank_at(offset);

	if (b >= 0)
		return vgic_bits_read(d, rd, 0, bank_field[b]);
	if (offset >= GICR_IPRIORITYR && offset < GICR_IPRIORITYR + VGIC_PRIVATE_COUNT)
		return vgic_prio_read(d, rd, (u32)(offset - GICR_IPRIORITYR), size);
	if (offset == GICR_ICFGR0 || offset == GICR_ICFGR1)
		return vgic_cfg_read(d, rd, (u32)(offset - GICR_ICFGR0) * 4);
	return 0; /* IGRPMODR0 and NSACR are RAZ/WI with DS = 1, the rest reserved */
}

static void waker_write(struct vgic_dist *d, unsigned int rd, u64 val, u32 *kick)
{
	/* ChildrenAsleep follows ProcessorSleep at once: there is nothing to quiesce. */
	d->cpu[rd]->asleep = val & GICR_WAKER_ProcessorSleep;
	*kick |= (u32)BIT(rd);
}

static void sgi_write(struct vgic_dist *d, unsigned int rd, u64 offset, unsigned int size, u64 val,
		      u32 *kick)
{
	int b = bank_at(offset);

	if (b >= 0)
		vgic_bits_write(d, rd, 0, bank_field[b], bank_mode[b], (u32)val, kick);
	else if (offset >= GICR_IPRIORITYR && offset < GICR_IPRIORITYR + VGIC_PRIVATE_COUNT)
		vgic_prio_write(d, rd, (u32)(offset - GICR_IPRIORITYR), size, val, kick);
	else if (offset == GICR_ICFGR0 || offset == GICR_ICFGR1)
		vgic_cfg_write(d, rd, (u32)(offset - GICR_ICFGR0) * 4, (u32)val);
}

int vgic_v3_redist_read(struct vgic_dist *d, unsigned int rd, u64 offset, unsigned int size,
			u64 *val)
{
	if (!vgic_width_ok(offset, size, widths_at(offset)))
		return -E_INVAL;
	spin_lock(&d->lock);
	if (rd >= d->cpu_count || !d->cpu[rd] || offset >= GICR_FRAMES_END)
		*val = 0;
	else if (offset >= GICR_SGI_BASE)
		*val = sgi_read(d, rd, offset - GICR_SGI_BASE, size);
	else
		*val = rd_read(d, rd, offset, size);
	spin_unlock(&d->lock);
	return 0;
}

int vgic_v3_redist_write(struct vgic_dist *d, unsigned int rd, u64 offset, unsigned int size,
			 u64 val, u32 *kick)
{
	if (!vgic_width_ok(offset, size, widths_at(offset)))
		return -E_INVAL;
	spin_lock(&d->lock);
	if (rd >= d->cpu_count || !d->cpu[rd] || offset >= GICR_FRAMES_END)
		; /* outside every redistributor: WI */
	else if (offset >= GICR_SGI_BASE)
		sgi_write(d, rd, offset - GICR_SGI_BASE, size, val, kick);
	else if (offset == GICR_WAKER)
		waker_write(d, rd, val, kick);
	spin_unlock(&d->lock);
	return 0;
}
