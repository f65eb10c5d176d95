/*
 * What a VM is made of, as the configuration describes it. Today the
 * configurations come from a small built-in table (core/vm_builtin.c); the
 * device-tree configuration will fill the same structure.
 */
#ifndef CORE_VM_CONFIG_H
#define CORE_VM_CONFIG_H

#include "platform/platform.h"
#include "vcpu/vcpu.h"

#define VM_MAX 4

/** One VM: its name, CPUs, memory, image and bootargs, all read-only to vm_create(). */
struct vm_config {
	char name[VM_NAME_MAX];
	unsigned int cpu_count;
	unsigned int cpus[VM_MAX_VCPUS]; /* physical CPU of each vCPU */
	u64 ram_ipa;
	u64 ram_size;
	const void *image; /* kernel or bare-metal image, in hypervisor memory */
	u64 image_size;
	const char *bootargs;
	bool test_device; /* the emulated test device of guests/test */
	/* A device of the machine the VM owns: its MMIO page(s) at the same IPA, and its SPI. */
	bool has_passthrough;
	u64 pt_base;
	u64 pt_size;
	u32 pt_intid;
	char pt_name[16]; /* for log lines */
};

/**
 * Fills up to max configurations from the built-in table and the boot
 * loader's initrd. Returns how many, or -E_INVAL after logging why a
 * configuration cannot be built on this machine.
 */
int vm_builtin_configs(const struct platform *p, const void *host_fdt, struct vm_config *out,
		       unsigned int max);

#endif
