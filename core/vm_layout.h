/*
 * Where a VM's kernel, initrd and DTB go in its RAM, per the Linux arm64
 * boot protocol (Documentation/arch/arm64/booting.rst) or, for a raw image,
 * the way QEMU loads a raw kernel. Pure arithmetic: the hypervisor and the
 * host configuration checker compute the same layout.
 */
#ifndef CORE_VM_LAYOUT_H
#define CORE_VM_LAYOUT_H

#include "arch/types.h"

#define VM_LAYOUT_DTB_MAX 0x10000UL /* room kept for the guest DTB */
#define VM_LAYOUT_RAW_OFFSET 0x80000UL /* where QEMU puts a raw kernel */

/** Offsets from the start of the VM's RAM (its IPA base) of what is loaded there. */
struct vm_layout {
	u64 kernel_offset; /* the first byte of the image file, also its entry point */
	u64 kernel_end; /* end of what the kernel may use: image_size from the header, BSS included */
	u64 initrd_offset; /* initrd_size bytes here; 0 with no initrd */
	u64 dtb_offset; /* VM_LAYOUT_DTB_MAX bytes here */
};

/** Why a layout failed. */
enum vm_layout_error {
	VM_LAYOUT_OK,
	VM_LAYOUT_NOT_IMAGE, /* not raw, but no arm64 Image magic ("ARM\x64" at byte 56) */
	VM_LAYOUT_TOO_SMALL, /* kernel + initrd + DTB do not fit in the RAM */
};

/**
 * True if the first size bytes of image start with an arm64 Image header:
 * at least 64 bytes with the magic at byte 56.
 */
bool vm_layout_is_image(const void *image, u64 size);

/**
 * Places the kernel, initrd and DTB of a VM whose RAM is ram_size bytes at
 * IPA ram_ipa; raw is true for VM_KERNEL_RAW (core/vm_config.h). An Image goes text_offset bytes above the first 2 MiB
 * boundary in RAM (0x80000 if its image_size is 0, as kernels before 3.17
 * mean) and may use image_size bytes there; a raw image goes at RAM base +
 * 0x80000. The DTB takes the top VM_LAYOUT_DTB_MAX bytes of RAM, and the
 * initrd sits page-aligned right below it, so both are above the kernel.
 * Fills *out and returns VM_LAYOUT_OK, or the error; on
 * VM_LAYOUT_TOO_SMALL, *need_ram (if not NULL) is the RAM size that would
 * do (rounded up to 2 MiB).
 */
enum vm_layout_error vm_layout_place(u64 ram_ipa, u64 ram_size, bool raw, const void *image,
				     u64 image_size, u64 initrd_size, struct vm_layout *out,
				     u64 *need_ram);

#endif
