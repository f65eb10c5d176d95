/*
 * The device tree each VM boots with, generated from its configuration and
 * the host's FDT: the only description of a machine the guest sees, so it
 * names nothing of the host that the VM does not own.
 */
#ifndef CORE_GUEST_FDT_H
#define CORE_GUEST_FDT_H

#include "platform/platform.h"

#define GUEST_FDT_MAX 0x10000UL
#define GUEST_FDT_MAX_NODES 9 /* passed-through devices plus the console UART */
#define GUEST_FDT_MAX_REGS 4

/*
 * Where the virtual GIC's frames are in every VM's IPA space: the addresses
 * vcpu/vgic/v3.c and vcpu/vgic/v2.c emulate (QEMU virt's own layout).
 */
#define GUEST_GICD_IPA 0x08000000UL
#define GUEST_GICD_V3_SIZE 0x10000UL
#define GUEST_GICD_V2_SIZE 0x1000UL
#define GUEST_GICR_IPA 0x080a0000UL
#define GUEST_GICR_STRIDE 0x20000UL /* RD_base and SGI_base frames of one vCPU */
#define GUEST_GICC_IPA 0x08010000UL
#define GUEST_GICC_SIZE 0x2000UL

/** A node of the host FDT given to the VM: copied, with its reg as the IPAs it appears at. */
struct guest_fdt_node {
	const char *path; /* in the host FDT */
	unsigned int reg_count;
	struct plat_range reg[GUEST_FDT_MAX_REGS]; /* IPA ranges, root address and size cells */
};

/** Everything the guest's DTB says, gathered by core/vm.c from the VM's configuration. */
struct guest_fdt_vm {
	const char *name;
	const char *bootargs; /* NULL: none */
	u64 ram_ipa;
	u64 ram_size;
	unsigned int vcpu_count;
	u64 initrd_ipa;
	u64 initrd_size; /* 0: no initrd */
	unsigned int gic_version; /* the host's: 2 or 3 */
	struct plat_timer timer; /* the host's timer PPIs, which the guest's timers use too */
	const void *host_fdt; /* where the nodes below are copied from */
	int console; /* index in nodes[] of the console UART (stdout-path), or -1 */
	unsigned int node_count;
	struct guest_fdt_node nodes[GUEST_FDT_MAX_NODES];
	struct plat_range test_device; /* the emulated test device of guests/test; size 0: none */
};

/**
 * Writes the VM's DTB into buf: its memory, its vCPUs (reg = the MPIDR
 * each gets), PSCI 1.0 over HVC, the virtual GIC of the host's version, the
 * architected timer, the given host nodes (each copied without the
 * properties that name other host nodes, apart from fixed clocks, which are
 * copied too), /chosen with bootargs, stdout-path and initrd, and the test
 * device. Uses libfdt, whose code may use FP/SIMD registers, so it runs
 * before any vCPU of this CPU has entered. Returns 0, -E_NOMEM when size is
 * too small, or -E_NOENT when a node's path is not in the host FDT.
 */
int guest_fdt_build(const struct guest_fdt_vm *vm, void *buf, size_t size);

#endif
