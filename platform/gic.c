/*
 * Host GICv2 and GICv3 drivers, register layouts from the GIC architecture
 * specification (IHI 0069) and the GIC-400 TRM.
 */
#include "platform/gic.h"

#include "arch/mmio.h"
#include "arch/sysreg.h"

/* Distributor, both versions. */
#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_G1 BIT(1) /* v3: EnableGrp1 (DS=1) or EnableGrp1A (DS=0) */
#define GICD_CTLR_ARE BIT(4)
#define GICD_CTLR_RWP BIT(31)
#define GICD_TYPER 0x0004
#define GICD_TYPER_CPUNUMBER (7U << 5)
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_SGIR 0x0f00

/* GICv2 CPU interface. */
#define GICC_CTLR 0x0000
#define GICC_PMR 0x0004
#define GICC_IAR 0x000c
#define GICC_EOIR 0x0010

/* GICv3 redistributor: RD_base frame, then SGI_base frame 64 KiB above. */
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)
#define GICR_WAKER_MAX_POLLS 10000000U
#define GICR_TYPER 0x0008
#define GICR_TYPER_VLPIS BIT(1)
#define GICR_TYPER_LAST BIT(4)
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_IPRIORITYR 0x0400

/* GICv3 CPU interface, by encoding so any assembler takes them. */
#define ICC_SRE_EL2 s3_4_c12_c9_5
#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_ENABLE BIT(3)
#define ICC_PMR_EL1 s3_0_c4_c6_0
#define ICC_IAR1_EL1 s3_0_c12_c12_0
#define ICC_EOIR1_EL1 s3_0_c12_c12_1
#define ICC_CTLR_EL1 s3_0_c12_c12_4
#define ICC_IGRPEN1_EL1 s3_0_c12_c12_7
#define ICC_SGI1R_EL1 s3_0_c12_c11_5

#define PRIORITY_DEFAULT 0xa0
#define PMR_ALLOW_ALL 0xff

static unsigned int version;
static u64 dist, cpuif;
static u64 redist_region, redist_region_size;
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

int gic_init(const struct platform *p)
{
	version = p->gic.version;
	dist = p->gic.dist.base;
	if (version == 3) {
		redist_region = p->gic.redist.base;
		redist_region_size = p->gic.redist.size;
		mmio_write32(dist + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
		v3_wait_rwp();
		return 0;
	}
	if (version != 2)
		return -E_NOTSUPP;
	cpuif = p->gic.cpu.base;
	mmio_write32(dist + GICD_CTLR, 1);
	return 0;
}

/* Walks the redistributor frames for the one whose affinity is mpidr's. */
static u64 v3_find_rd(u64 mpidr)
{
	u32 aff = (u32)(((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff));
	u64 rd = redist_region;

	while (rd < redist_region + redist_region_size) {
		u64 typer = mmio_read64(rd + GICR_TYPER);

		if ((u32)(typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		rd += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
	}
	return 0;
}

static int v3_init_cpu(unsigned int cpu, u64 mpidr)
{
	u64 rd = v3_find_rd(mpidr), sgi;
	unsigned int i;

	if (!rd)
		return -E_NOENT;
	cpus[cpu].rd_base = rd;
	sgi = rd + GICR_SGI_BASE;
	mmio_write32(rd + GICR_WAKER,
		     mmio_read32(rd + GICR_WAKER) & ~(u32)GICR_WAKER_PROCESSOR_SLEEP);
	/* Bounded: a redistributor that never wakes costs this CPU its GIC, not the boot. */
	for (i = 0; mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP; i++) {
		if (i == GICR_WAKER_MAX_POLLS)
			return -E_BUSY;
		cpu_relax();
	}
	mmio_write32(sgi + GICR_ICENABLER0, ~0U);
	mmio_write32(sgi + GICR_IGROUPR0, ~0U);
	for (i = 0; i < 32; i += 4)
		mmio_write32(sgi + GICR_IPRIORITYR + i, PRIORITY_DEFAULT * 0x01010101U);
	mmio_write32(sgi + GICR_ISENABLER0, BIT(GIC_SGI_KICK));

	write_sysreg(ICC_SRE_EL2, read_sysreg(ICC_SRE_EL2) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	write_sysreg(ICC_PMR_EL1, PMR_ALLOW_ALL);
	write_sysreg(ICC_CTLR_EL1, 0); /* EOImode 0: EOIR drops priority and deactivates */
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
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(dist + GICD_IPRIORITYR + i, PRIORITY_DEFAULT * 0x01010101U);
	/* Only the kick: a PPI the loader left enabled would be taken and dropped forever. */
	mmio_write32(dist + GICD_ICENABLER, ~0U);
	mmio_write32(dist + GICD_ISENABLER, BIT(GIC_SGI_KICK));
	mmio_write32(cpuif + GICC_PMR, PMR_ALLOW_ALL);
	mmio_write32(cpuif + GICC_CTLR, 1);
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

void gic_eoi(u32 iar)
{
	if (version == 3) {
		write_sysreg(ICC_EOIR1_EL1, iar);
		isb();
	} else {
		mmio_write32(cpuif + GICC_EOIR, iar);
	}
}

unsigned int gic_version(void)
{
	return version;
}
