/*
 * The VM configuration: a device tree (compiled by dtc, kernels and initrds
 * embedded with /incbin/) that describes every VM of a system. See
 * docs/configuration.md for the format.
 *
 * One parser, compiled twice: into the hypervisor, which reads the blob the
 * boot loader passed as its initrd, and into the host tool
 * build/partita-config, which checks a blob at build time. Everything here
 * is a pure function of the blob and of a description of the machine, so
 * the two say the same thing in the same words: every problem is one line,
 * "vm NAME: PROPERTY: what is wrong", logged at error level.
 */
#ifndef CORE_CONFIG_H
#define CORE_CONFIG_H

#include "core/vm_config.h"
#include "platform/platform.h"

/*
 * A .vmimg file is this header, then the device tree. U-Boot takes an
 * initrd that starts with a device tree for a FIT image and refuses it;
 * the header makes it a raw initrd. A bare device tree is accepted too.
 * 16 bytes: "partita,config" and two NULs, so the tree stays 8-byte aligned.
 */
#define CONFIG_HEADER "partita,config\0"
#define CONFIG_HEADER_SIZE 16

/* Guest RAM may not reach beyond a 40-bit IPA (Partita's stage-2 cap). */
#define CONFIG_IPA_LIMIT (1UL << 40)

/** A configuration as parsed: up to VM_MAX VMs, each usable or refused. */
struct config {
	unsigned int vm_count;
	struct vm_config vm[VM_MAX];
	/* The VM has an error (said when found): it is not started. */
	bool refused[VM_MAX];
	/* cpus = "all": its CPUs are every CPU online, filled by config_check_machine. */
	bool cpus_all[VM_MAX];
	/* The host FDT node of each device, filled by config_check_machine. */
	int device_node[VM_MAX][VM_MAX_DEVICES];
};

/**
 * The machine a configuration is checked against at boot: what discovery
 * found, the hypervisor's own image, and which CPUs came online.
 */
struct config_machine {
	const struct platform *plat; /* memory, reserved regions, CPUs, GIC, UART, initrd */
	const void *fdt; /* the host FDT, for the devices' paths */
	struct plat_range hyp; /* Partita's image in RAM */
	u32 online; /* bit n: physical CPU n came online */
};

/** Where the images of a VM go in its RAM, as offsets from the RAM base. */
struct config_layout {
	u64 kernel_offset; /* where the kernel is copied (and, for a raw one, entered) */
	u64 kernel_footprint; /* bytes the kernel occupies from there, BSS included */
	u64 initrd_offset; /* 0 without an initrd */
	u64 dtb_offset; /* the guest DTB, GUEST_FDT_MAX bytes at the top of RAM */
	u64 need_ram; /* when they do not fit: the RAM size that would do */
};

/**
 * Where the kernel, initrd and DTB of cfg go in its RAM, as
 * vm_layout_place() (core/vm_layout.h) places them for vm_create(). Returns
 * 0, or -E_INVAL when they do not all fit without overlapping (no sum can
 * wrap, whatever the header says). Logs nothing.
 */
int config_layout(const struct vm_config *cfg, struct config_layout *out);

/**
 * Parses the configuration blob at blob (at most size bytes may be read),
 * a device tree with or without CONFIG_HEADER before it, into out, with every check that needs no machine: property names and
 * values, limits, a kernel of the declared format, RAM large enough for
 * its images, and conflicts between VMs (a CPU, identity RAM, a device or
 * the passed-through console given twice, two VMs of one name). A VM with
 * an error is marked refused, after a line naming it and the property.
 * Returns 0, or -E_INVAL after one line when the blob is not a Partita
 * configuration at all (not a sound FDT, no compatible "partita,config",
 * no VM, too many VMs, an unknown property of the root).
 */
int config_parse(const void *blob, u64 size, struct config *out);

/**
 * Checks the parsed configuration against the machine, and completes it:
 * the CPUs of a cpus = "all" VM, each device's MMIO ranges and SPIs. A VM
 * whose CPUs the machine lacks, whose RAM is not there or overlaps what
 * Partita keeps (its image, the device tree, the configuration blob,
 * reserved memory), whose RAM IPA range covers one of its devices, or
 * whose device is missing from the host FDT, unusable, or Partita's own
 * (its console UART, unless the VM's console is passed through, or the
 * GIC) is marked refused, after a line naming it and the property.
 */
void config_check_machine(struct config *c, const struct config_machine *m);

/**
 * The hypervisor's side (core/config_boot.c): parses the blob the boot
 * loader passed as the initrd, checks it against the machine p (whose FDT
 * is host_fdt and whose CPUs smp_start brought up), and claims the
 * identity-mapped RAM of every VM that passes. Returns 0 (c holds what was
 * found: no VM when there is no initrd), or -E_INVAL after a line when the
 * initrd is not a configuration at all.
 */
int config_boot(const struct platform *p, const void *host_fdt, struct config *c);

/** How many VMs of c are not refused. */
unsigned int config_usable(const struct config *c);

#endif
