/*
 * What a VM is made of, as the device-tree configuration describes it
 * (core/config.c fills it; docs/configuration.md).
 */
#ifndef CORE_VM_CONFIG_H
#define CORE_VM_CONFIG_H

#include "platform/platform.h"
#include "vcpu/vcpu.h"

#define VM_MAX 4
#define VM_MAX_DEVICES 8 /* devices passed through to one VM */
#define VM_DEV_MAX_REGS 4 /* MMIO ranges of one passed-through device */
#define VM_DEV_MAX_IRQS 4 /* SPIs of one passed-through device */

/** How the kernel image is loaded (docs/configuration.md, "kernel-format"). */
enum vm_kernel_format {
	VM_KERNEL_IMAGE, /* an arm64 Linux Image: its header says where it goes */
	VM_KERNEL_RAW, /* anything else: at RAM base + 0x80000, as QEMU loads a raw kernel */
};

/** Who drives the VM's console UART (docs/configuration.md, "console"). */
enum vm_console {
	VM_CONSOLE_EMULATED, /* an emulated PL011 at the host UART's address */
	VM_CONSOLE_PASSTHROUGH, /* the host's UART itself, mapped to this VM alone */
};

/** What happens to a VM that crashes (docs/configuration.md, "on-crash"). */
enum vm_on_crash {
	VM_ON_CRASH_STOP, /* it stays stopped, as after a poweroff */
	VM_ON_CRASH_RESTART, /* it restarts from its pristine images, as after a reboot */
};

/**
 * A device of the machine given to a VM: found by its host DT path, its
 * MMIO ranges mapped at the same IPA (page-rounded) and its SPIs HW-mapped
 * to the same virtual INTIDs.
 */
struct vm_device {
	const char *path; /* host DT path, e.g. "/pl031@9010000" */
	unsigned int reg_count;
	u64 reg_base[VM_DEV_MAX_REGS];
	u64 reg_size[VM_DEV_MAX_REGS];
	unsigned int irq_count;
	u32 intid[VM_DEV_MAX_IRQS]; /* GIC INTIDs (SPI n is 32 + n) */
};

/** One VM: its name, CPUs, memory, image and bootargs, all read-only to vm_create(). */
struct vm_config {
	char name[VM_NAME_MAX];
	unsigned int cpu_count;
	unsigned int cpus[VM_MAX_VCPUS]; /* physical CPU of each vCPU */
	u64 ram_ipa;
	u64 ram_size;
	bool ram_identity; /* RAM at IPA == PA: ram_ipa is also the physical address */
	const void *image; /* kernel or bare-metal image, in hypervisor memory */
	u64 image_size;
	enum vm_kernel_format kernel_format;
	const void *initrd; /* NULL: none */
	u64 initrd_size;
	const char *bootargs;
	enum vm_console console;
	unsigned int device_count;
	struct vm_device devices[VM_MAX_DEVICES];
	bool test_device; /* the emulated test device of guests/test */
	enum vm_on_crash on_crash;
};

#endif
