/*
 * What Partita knows about the machine, discovered from the FDT the boot
 * loader passed in x0. Plain data: nothing here knows about VMs.
 */
#ifndef PLATFORM_PLATFORM_H
#define PLATFORM_PLATFORM_H

#include "arch/types.h"

#define PLAT_MAX_CPUS 16
#define PLAT_MAX_MEM 16
#define PLAT_MAX_RESERVED 32
#define PLAT_PATH_MAX 64
#define PLAT_MAX_REDIST_REGIONS 8
/* The largest device tree Partita reads (its own cap, whatever totalsize says). */
#define PLAT_FDT_MAX_SIZE (8UL << 20)
/*
 * Partita's EL2 map translates 48-bit addresses (mm/hyp_mmu.c): a device
 * reaching beyond cannot be mapped, so it is refused at discovery.
 */
#define PLAT_EL2_MAP_LIMIT (1UL << 48)
/*
 * The most GIC register frames one GIC has: GICv2 has GICD, GICC, GICH and
 * GICV; GICv3 has GICD and up to PLAT_MAX_REDIST_REGIONS redistributor regions.
 */
#define PLAT_GIC_MAX_FRAMES (1 + PLAT_MAX_REDIST_REGIONS)

/* MPIDR_EL1 affinity fields Aff3 (39:32), Aff2, Aff1, Aff0 (23:0). */
#define MPIDR_AFFINITY_MASK 0xff00ffffffULL

/** A physical address range [base, base+size). */
struct plat_range {
	u64 base;
	u64 size;
};

/** A region no one may allocate; no_map ones must not even be mapped (speculation). */
struct plat_reserved {
	u64 base;
	u64 size;
	bool no_map;
};

/** The UART models Partita drives; NONE means none was found. */
enum uart_kind {
	UART_NONE = 0,
	UART_PL011,
	UART_NS16550,
};

/** A UART: its model, registers and layout, and the FDT node it came from. */
struct plat_uart {
	enum uart_kind kind;
	struct plat_range reg;
	u32 reg_shift; /* ns16550: register stride is 1 << reg_shift */
	u32 reg_io_width; /* ns16550: 1 or 4 byte accesses */
	u32 intid; /* its interrupt, an SPI's INTID (32 and up), or 0 if the FDT gives none */
	char path[PLAT_PATH_MAX];
};

/** How the firmware takes PSCI calls (the /psci node's method); Partita needs SMC. */
enum psci_conduit {
	PSCI_CONDUIT_NONE = 0,
	PSCI_CONDUIT_SMC,
	PSCI_CONDUIT_HVC,
};

/** The host's interrupt controller: its version and register frames. */
struct plat_gic {
	unsigned int version; /* 2 or 3 */
	struct plat_range dist;
	struct plat_range redist; /* v3: the first redistributor region */
	struct plat_range
		redists[PLAT_MAX_REDIST_REGIONS]; /* v3: every region, redists[0] == redist */
	unsigned int redist_count;
	struct plat_range cpu; /* v2: GICC */
	struct plat_range hyp; /* v2: GICH */
	struct plat_range vcpu; /* v2: GICV */
	u32 maint_ppi; /* maintenance interrupt, as an INTID */
};

/* Timer PPIs as INTIDs (16..31), in the order of the binding's interrupts. */
struct plat_timer {
	u32 sec_phys_ppi;
	u32 phys_ppi;
	u32 virt_ppi;
	u32 hyp_ppi;
};

/** How a CPU is started, from its node's enable-method. */
enum cpu_enable {
	CPU_ENABLE_NONE = 0, /* no enable-method: fine for the boot CPU only */
	CPU_ENABLE_PSCI,
	CPU_ENABLE_OTHER, /* spin-table and the like, which Partita does not drive */
};

/** Why a cpu node gives no CPU that can be started, whatever its enable-method. */
enum cpu_fault {
	CPU_FAULT_NONE = 0,
	CPU_FAULT_NO_REG, /* reg missing or shorter than #address-cells: no MPIDR */
	CPU_FAULT_DUP_MPIDR, /* reg repeats an earlier cpu node's MPIDR (dup_of) */
};

/** One CPU of /cpus, in FDT order: its index there is Partita's CPU index. */
struct plat_cpu {
	u64 mpidr; /* affinity bits from the cpu node's reg; 0 if fault is NO_REG */
	enum cpu_enable enable;
	enum cpu_fault fault; /* not NONE: the CPU stays offline */
	unsigned int dup_of; /* CPU_FAULT_DUP_MPIDR: index of the cpu node it repeats */
	char name[PLAT_PATH_MAX];
};

/** One register frame of the GIC, for checks and messages. */
struct plat_gic_frame {
	const char *name; /* "distributor (GICD)" and so on */
	const struct plat_range *reg; /* in struct plat_gic; the index is its reg index */
	u64 min_size; /* the smallest frame the architecture allows */
};

/** Everything platform_discover() found in the FDT. */
struct platform {
	struct plat_range mem[PLAT_MAX_MEM];
	unsigned int mem_count;
	struct plat_reserved reserved[PLAT_MAX_RESERVED];
	unsigned int reserved_count;
	struct plat_cpu cpus[PLAT_MAX_CPUS];
	unsigned int cpu_count;
	struct plat_gic gic;
	struct plat_timer timer;
	enum psci_conduit psci;
	struct plat_uart uart;
	bool has_initrd;
	struct plat_range initrd;
	struct plat_range fdt; /* the blob itself */
	int chosen; /* the offset of /chosen in it, or negative: found once, each look walks the tree */
};

/**
 * Fills p from the FDT at fdt, of which at most max_size bytes may be read.
 * Memory ranges come out sorted and disjoint (overlapping or repeated ones
 * merged, with a warning); a range that wraps, one below the board's RAM
 * base or over a GIC frame or the board's UART, GIC frames that are empty,
 * smaller than the architecture allows, wrapping or beyond the EL2 map, a
 * bus "ranges" that cannot be walked, more reserved regions than
 * PLAT_MAX_RESERVED, an untranslatable reserved reg, a blob larger than
 * PLAT_FDT_MAX_SIZE, or an empty or inverted initrd range are refused.
 * Returns 0, or -E_INVAL after logging one line that says what is wrong and
 * where. Warnings (a missing stdout-path, extra CPUs) are logged, not failed,
 * and so is a cpu node that gives no CPU to start (no reg, or an MPIDR an
 * earlier node has): it keeps its place in cpus[], so CPU numbers follow
 * /cpus, with its fault set.
 */
int platform_discover(const void *fdt, u64 max_size, struct platform *p);

/**
 * Whether [base, base+size) lies wholly inside the RAM of p (whose memory
 * ranges platform_discover left sorted and disjoint). False for an empty or
 * wrapping range.
 */
bool platform_in_ram(const struct platform *p, u64 base, u64 size);

/**
 * Checks where the boot loader placed the device tree and the initrd, and
 * that no GIC frame lies over Partita's image: the device tree must lie
 * inside RAM; the initrd inside RAM and clear of
 * Partita's image [image_base, image_base+image_size), of the device tree
 * and of every no-map reserved region. Returns 0, or -E_INVAL after one
 * error line naming the range and what it runs into.
 */
int platform_check_placement(const struct platform *p, u64 image_base, u64 image_size);

/**
 * Drops the console UART the FDT named (so the board's own stays in use),
 * with a warning line, when its reg overlaps RAM or Partita's image (that
 * is memory, and writing to it as a UART would corrupt it), overlaps a GIC
 * frame, or wraps or reaches beyond what the EL2 map can map.
 */
void platform_check_uart(struct platform *p, u64 image_base, u64 image_size);

/**
 * Fills f (PLAT_GIC_MAX_FRAMES entries) with g's frames in the order of the
 * GIC node's reg, and returns how many there are (2 for GICv3, 4 for GICv2).
 */
unsigned int platform_gic_frames(const struct plat_gic *g, struct plat_gic_frame *f);

/**
 * Reads entry idx of the "reg" of node (in fdt) as a CPU physical range,
 * translated through the "ranges" of every bus above it. Returns 0,
 * -E_NOENT when there is no such entry, or another negative error when the
 * cells or a bus's ranges cannot be understood.
 */
int platform_node_reg(const void *fdt, int node, int idx, struct plat_range *out);

/** Total bytes of RAM described by the memory nodes. */
u64 platform_mem_total(const struct platform *p);

/**
 * Returns the index of the CPU with this MPIDR (affinity bits), or -1.
 * Cpu nodes with a fault never match.
 */
int platform_cpu_index(const struct platform *p, u64 mpidr);

#endif
