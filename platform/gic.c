/*
 * Host GICv2 and GICv3 drivers, register layouts from the GIC architecture
 * specification (IHI 0069) and the GICv2 specification (IHI 0048).
 *
 * Both run with EOImode = 1: a write to EOIR only drops the running
 * priority, and the interrupt stays active until DIR (or, for an interrupt
 * handed to a guest through a list register with the HW bit, the guest's
 * own deactivation). With EOImode 0 an EOIR would also deactivate, and a
 * HW-mapped virtual interrupt could then never be deactivated by its guest.
 */
#include "platform/gic.h"

#include "arch/mmio.h"
#include "arch/sysreg.h"
#include "platform/gic_rd.h"

/* Distributor, both versions. */
#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_G0 BIT(0) /* v2 without Security Extensions; v2 NS view: Grp1 */
#define GICD_CTLR_ENABLE_G1 BIT(1) /* v3: EnableGrp1 (DS=1) or EnableGrp1A (DS=0) */
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_RWP BIT(31)
#define GICD_TYPER 0x0004
#define GICD_TYPER_ITLINES 0x1fU
#define GICD_TYPER_CPUNUMBER (7U << 5)
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
#define GICD_SGIR 0x0f00
#define GICD_CPENDSGIR 0x0f10
#define GICD_IROUTER 0x6000

/* GICv2 CPU interface. */
#define GICC_CTLR 0x0000
#define GICC_CTLR_ENABLE BIT(0) /* EnableGrp0, or EnableGrp1 in the Non-secure view */
#define GICC_CTLR_EOIMODE BIT(9) /* EOImodeS, or EOImodeNS in the Non-secure view */
#define GICC_PMR 0x0004
#define GICC_IAR 0x000c
#define GICC_EOIR 0x0010
#define GICC_DIR 0x1000

/* GICv3 redistributor: RD_base frame, then SGI_base frame 64 KiB above. */
#define GICR_CTLR 0x0000
#define GICR_CTLR_RWP BIT(3)
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)
#define GICR_WAKER_MAX_POLLS 10000000U
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ICPENDR0 0x0280
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR0 0x0c00
#define GICR_IGRPMODR0 0x0d00

/* GICv3 CPU interface, by encoding so any assembler takes them. */
#define ICC_SRE_EL2 s3_4_c12_c9_5
#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_ENABLE BIT(3)
#define ICC_PMR_EL1 s3_0_c4_c6_0
#define ICC_IAR1_EL1 s3_0_c12_c12_0
#define ICC_EOIR1_EL1 s3_0_c12_c12_1
#define ICC_DIR_EL1 s3_0_c12_c11_1
#define ICC_CTLR_EL1 s3_0_c12_c12_4
#define ICC_CTLR_EOIMODE BIT(1)
#define ICC_IGRPEN1_EL1 s3_0_c12_c12_7
#define ICC_SGI1R_EL1 s3_0_c12_c11_5

#define PRIORITY_DEFAULT 0xa0
#define PMR_ALLOW_ALL 0xff

static unsigned int version;
static const struct plat_gic *frames;
static u64 dist, cpuif;
static u32 nr_lines;
static const struct plat_range *redists;
static unsigned int redist_count;
static struct {
	u64 mpidr;
	u64 rd_base; /* v3 */
	u8 target_mask; /* v2: this CPU's bit in GICD_ITARGETSR */
} cpus[PLAT_MAX_CPUS];

static void v3_wait_rwp(void)
{
	while (mmio_read32(dist + GICD_CTLR) & GICD_CTLR_RWP)
		cpu_relax();
}

static void v3_wait_rd_rwp(u64 rd)
{
	while (mmio_read32(rd + GICR_CTLR) & GICR_CTLR_RWP)
		cpu_relax();
}

/* The register holding intid's bit in a one-bit-per-INTID array at base. */
static u64 bit_reg(u64 base, u32 intid)
{
	return base + (intid / 32) * 4;
}

/*
 * Every SPI disabled, not pending, not active, at the default priority: a
 * boot loader may have left a device's interrupt enabled and pending, and
 * nothing may fire before its owner is decided.
 */
static void quiesce_spis(void)
{
	u32 i;

	for (i = GIC_NR_PRIVATE; i < nr_lines; i += 32) {
		mmio_write32(bit_reg(dist + GICD_ICENABLER, i), ~0U);
		mmio_write32(bit_reg(dist + GICD_ICPENDR, i), ~0U);
		mmio_write32(bit_reg(dist + GICD_ICACTIVER, i), ~0U);
	}
	for (i = GIC_NR_PRIVATE; i < nr_lines; i += 4)
		mmio_write32(dist + GICD_IPRIORITYR + i, PRIORITY_DEFAULT * 0x01010101U);
}

static int v3_init(const struct platform *p)
{
	u32 i;

	redists = p->gic.redists;
	redist_count = p->gic.redist_count;
	/* Groups off while they are reconfigured; ARE stays set (clearing it is not allowed then). */
	mmio_write32(dist + GICD_CTLR, GICD_CTLR_ARE);
	v3_wait_rwp();
	quiesce_spis();
	/* Group 1 Non-secure (IGRPMODR 0); RAZ/WI to Non-secure EL2 when the firmware owns groups. */
	for (i = GIC_NR_PRIVATE; i < nr_lines; i += 32) {
		mmio_write32(bit_reg(dist + GICD_IGROUPR, i), ~0U);
		mmio_write32(bit_reg(dist + GICD_IGRPMODR, i), 0);
	}
	v3_wait_rwp();
	mmio_write32(dist + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	v3_wait_rwp();
	return 0;
}

/*
 * GICv2: a GIC with the Security Extensions shows Non-secure EL2 only Group
 * 1 (the firmware put everything there; IGROUPR is RAZ/WI to it) and bit 0
 * of GICD_CTLR and GICC_CTLR enables that group. Without them (QEMU's virt
 * machine without secure=on) there is one view, every interrupt resets to
 * Group 0, which the CPU interface signals as IRQ while FIQEn is clear:
 * bit 0 enables it. Both ways, the group is left alone.
 */
static int v2_init(const struct platform *p)
{
	cpuif = p->gic.cpu.base;
	mmio_write32(dist + GICD_CTLR, 0);
	quiesce_spis();
	mmio_write32(dist + GICD_CTLR, GICD_CTLR_ENABLE_G0);
	return 0;
}

int gic_init(const struct platform *p)
{
	version = p->gic.version;
	frames = &p->gic;
	dist = p->gic.dist.base;
	if (version != 2 && version != 3)
		return -E_NOTSUPP;
	nr_lines = 32 * ((mmio_read32(dist + GICD_TYPER) & GICD_TYPER_ITLINES) + 1);
	nr_lines = MIN(nr_lines, (u32)GIC_MAX_SPI_INTID + 1);
	return version == 3 ? v3_init(p) : v2_init(p);
}

u32 gic_nr_lines(void)
{
	return nr_lines;
}

static u64 v3_read_typer(u64 rd)
{
	return mmio_read64(rd + GICR_TYPER);
}

/* Every SGI and PPI off, not pending, not active; only the kick enabled. */
static void quiesce_private(u64 base, u32 isenabler, u32 icenabler, u32 icpendr, u32 icactiver)
{
	mmio_write32(base + icenabler, ~0U);
	mmio_write32(base + icpendr, ~0U);
	mmio_write32(base + icactiver, ~0U);
	for (unsigned int i = 0; i < GIC_NR_PRIVATE; i += 4)
		mmio_write32(base + GICD_IPRIORITYR + i, PRIORITY_DEFAULT * 0x01010101U);
	mmio_write32(base + isenabler, BIT(GIC_SGI_KICK));
}

static int v3_init_cpu(unsigned int cpu, u64 mpidr)
{
	u64 rd = gic_rd_find(redists, redist_count, mpidr, v3_read_typer), sgi;

	if (!rd)
		return -E_NOENT;
	cpus[cpu].rd_base = rd;
	sgi = rd + GICR_SGI_BASE;
	mmio_write32(rd + GICR_WAKER,
		     mmio_read32(rd + GICR_WAKER) & ~(u32)GICR_WAKER_PROCESSOR_SLEEP);
	/* Bounded: a redistributor that never wakes costs this CPU its GIC, not the boot. */
	for (unsigned int i = 0; mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP; i++) {
		if (i == GICR_WAKER_MAX_POLLS)
			return -E_BUSY;
		cpu_relax();
	}
	mmio_write32(sgi + GICR_ICENABLER0, ~0U);
	v3_wait_rd_rwp(rd);
	mmio_write32(sgi + GICR_IGROUPR0, ~0U);
	mmio_write32(sgi + GICR_IGRPMODR0, 0);
	quiesce_private(sgi, GICR_ISENABLER0, GICR_ICENABLER0, GICR_ICPENDR0, GICR_ICACTIVER0);

	write_sysreg(ICC_SRE_EL2, read_sysreg(ICC_SRE_EL2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	write_sysreg(ICC_PMR_EL1, PMR_ALLOW_ALL);
	write_sysreg(ICC_CTLR_EL1, ICC_CTLR_EOIMODE);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	return 0;
}

static int v2_init_cpu(unsigned int cpu)
{
	/*
	 * GICD_ITARGETSR0..7 are banked: each CPU reads its own interface bit.
	 * A uniprocessor GIC may read them as zero (GICD_TYPER.CPUNumber == 0);
	 * its one interface is then interface 0.
	 */
	cpus[cpu].target_mask = (u8)mmio_read32(dist + GICD_ITARGETSR);
	if (!cpus[cpu].target_mask && !(mmio_read32(dist + GICD_TYPER) & GICD_TYPER_CPUNUMBER))
		cpus[cpu].target_mask = 1;
	/* A pending SGI is cleared per source (CPENDSGIR); ICPENDR0 ignores SGIs on v2. */
	for (unsigned int i = 0; i < GIC_NR_SGIS; i += 4)
		mmio_write32(dist + GICD_CPENDSGIR + i, ~0U);
	quiesce_private(dist, GICD_ISENABLER, GICD_ICENABLER, GICD_ICPENDR, GICD_ICACTIVER);
	mmio_write32(cpuif + GICC_PMR, PMR_ALLOW_ALL);
	mmio_write32(cpuif + GICC_CTLR, GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
	return cpus[cpu].target_mask ? 0 : -E_NOENT;
}

int gic_init_cpu(unsigned int cpu, u64 mpidr)
{
	cpus[cpu].mpidr = mpidr;
	return version == 3 ? v3_init_cpu(cpu, mpidr) : v2_init_cpu(cpu);
}

void gic_send_sgi(unsigned int cpu, unsigned int intid)
{
	u64 m = cpus[cpu].mpidr;

	/* The SGI must not overtake the stores that tell the target why it was sent. */
	dsb(ish);
	if (version == 3) {
		/* Aff0 picks a bit of the 16-bit target list within range RS = Aff0 / 16. */
		write_sysreg(ICC_SGI1R_EL1, (((m >> 32) & 0xff) << 48) | (((m >> 4) & 0xf) << 44) |
						    (((m >> 16) & 0xff) << 32) |
						    ((u64)intid << 24) | (((m >> 8) & 0xff) << 16) |
						    BIT(m & 0xf));
		isb();
	} else {
		mmio_write32(dist + GICD_SGIR, ((u32)cpus[cpu].target_mask << 16) | intid);
	}
}

u32 gic_ack(u32 *intid)
{
	u32 iar;

	if (version == 3) {
		iar = (u32)read_sysreg(ICC_IAR1_EL1);
		*intid = iar & 0xffffff;
	} else {
		iar = mmio_read32(cpuif + GICC_IAR);
		*intid = iar & 0x3ff;
	}
	return iar;
}

void gic_eoi(u32 token)
{
	if (version == 3) {
		write_sysreg(ICC_EOIR1_EL1, token);
		isb();
	} else {
		mmio_write32(cpuif + GICC_EOIR, token);
	}
}

void gic_deactivate(u32 token)
{
	if (version == 3) {
		write_sysreg(ICC_DIR_EL1, token);
		isb();
	} else {
		mmio_write32(cpuif + GICC_DIR, token);
	}
}

/* The frame that holds intid's registers: the CPU's SGI_base (v3 private) or the distributor. */
static u64 frame_of(unsigned int cpu, u32 intid)
{
	return version == 3 && intid < GIC_NR_PRIVATE ? cpus[cpu].rd_base + GICR_SGI_BASE : dist;
}

/* Writes intid's bit of a set/clear array; the offsets are the same in GICD and SGI_base. */
static void write_bit(unsigned int cpu, u32 intid, u32 array)
{
	mmio_write32(bit_reg(frame_of(cpu, intid) + array, intid), BIT(intid % 32));
}

void gic_enable(unsigned int cpu, u32 intid)
{
	write_bit(cpu, intid, GICD_ISENABLER);
}

void gic_disable(unsigned int cpu, u32 intid)
{
	write_bit(cpu, intid, GICD_ICENABLER);
	if (version == 3 && intid < GIC_NR_PRIVATE)
		v3_wait_rd_rwp(cpus[cpu].rd_base);
	else if (version == 3)
		v3_wait_rwp();
}

void gic_set_pending(unsigned int cpu, u32 intid)
{
	write_bit(cpu, intid, GICD_ISPENDR);
}

void gic_set_priority(unsigned int cpu, u32 intid, u8 prio)
{
	/* IPRIORITYR is byte-accessible in both versions. */
	mmio_write8(frame_of(cpu, intid) + GICD_IPRIORITYR + intid, prio);
}

void gic_set_edge(unsigned int cpu, u32 intid, bool edge)
{
	u64 reg = frame_of(cpu, intid) + GICD_ICFGR + (intid / 16) * 4;
	u32 bit = BIT(2 * (intid % 16) + 1), v;

	if (intid < GIC_NR_SGIS)
		return;
	v = mmio_read32(reg);
	mmio_write32(reg, edge ? v | bit : v & ~bit);
}

void gic_route_spi(u32 intid, unsigned int target)
{
	u64 m = cpus[target].mpidr;

	if (intid < GIC_NR_PRIVATE || intid >= nr_lines)
		return;
	if (version == 3)
		/* Interrupt_Routing_Mode 0: to the one PE of Aff3.Aff2.Aff1.Aff0. */
		mmio_write64(dist + GICD_IROUTER + 8UL * intid, m & MPIDR_AFFINITY_MASK);
	else
		mmio_write8(dist + GICD_ITARGETSR + intid, cpus[target].target_mask);
}

unsigned int gic_version(void)
{
	return version;
}

const struct plat_gic *gic_frames(void)
{
	return frames;
}

bool gic_is_pending(unsigned int cpu, u32 intid)
{
	return mmio_read32(bit_reg(frame_of(cpu, intid) + GICD_ISPENDR, intid)) & BIT(intid % 32);
}

void gic_clear_pending_active(unsigned int cpu, u32 intid)
{
	write_bit(cpu, intid, GICD_ICPENDR);
	write_bit(cpu, intid, GICD_ICACTIVER);
}

void gic_set_active(unsigned int cpu, u32 intid)
{
	write_bit(cpu, intid, GICD_ISACTIVER);
}

bool gic_is_active(unsigned int cpu, u32 intid)
{
	return mmio_read32(bit_reg(frame_of(cpu, intid) + GICD_ISACTIVER, intid)) & BIT(intid % 32);
}
