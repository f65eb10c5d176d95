#include "core/vm_layout.h"

#include <string.h>

#define IMAGE_MAGIC 0x644d5241U /* "ARM\x64", little-endian, at byte 56 */
#define IMAGE_HEADER_SIZE 64
#define IMAGE_LEGACY_TEXT_OFFSET 0x80000UL

static u64 read_le64(const u8 *p)
{
	u64 v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

bool vm_layout_is_image(const void *image, u64 size)
{
	const u8 *p = image;

	return size >= IMAGE_HEADER_SIZE && (u32)read_le64(p + 56) == IMAGE_MAGIC;
}

/*
 * The kernel's offset from a 2 MiB boundary and the bytes it may use there.
 * The header's fields come from the image: they are not trusted to be small,
 * only compared (never added) by the caller.
 */
static void image_extent(const u8 *k, u64 file_size, u64 *offset, u64 *footprint)
{
	*offset = read_le64(k + 8); /* text_offset */
	*footprint = read_le64(k + 16); /* image_size */
	/* Kernels older than 3.17 leave image_size 0 and mean text_offset 0x80000. */
	if (!*footprint)
		*offset = IMAGE_LEGACY_TEXT_OFFSET;
	*footprint = MAX(*footprint, file_size);
}

enum vm_layout_error vm_layout_place(u64 ram_ipa, u64 ram_size, bool raw, const void *image,
				     u64 image_size, u64 initrd_size, struct vm_layout *out,
				     u64 *need_ram)
{
	u64 start, footprint, top, room;

	memset(out, 0, sizeof(*out));
	if (raw) {
		start = VM_LAYOUT_RAW_OFFSET;
		footprint = image_size;
	} else {
		if (!vm_layout_is_image(image, image_size))
			return VM_LAYOUT_NOT_IMAGE;
		image_extent(image, image_size, &start, &footprint);
		/* Linux wants its base 2 MiB-aligned: the first boundary in RAM. */
		if (start < ram_size)
			start += ALIGN_UP(ram_ipa, SZ_2M) - ram_ipa;
	}
	/*
	 * Top down: the DTB in the last VM_LAYOUT_DTB_MAX bytes, the initrd
	 * page-aligned below it. Every value from the image or the
	 * configuration is compared against what is left, never added, so no
	 * sum can wrap.
	 */
	room = ram_size >= VM_LAYOUT_DTB_MAX ? ram_size - VM_LAYOUT_DTB_MAX : 0;
	top = room;
	if (initrd_size && initrd_size <= room)
		top = ALIGN_DOWN(room - initrd_size, PAGE_SIZE);
	if (ram_size < VM_LAYOUT_DTB_MAX || (initrd_size && initrd_size > room) || start > top ||
	    footprint > top - start) {
		if (need_ram) {
			u64 need;

			/* Saturate rather than wrap on absurd header values. */
			need = MIN(start, ~0UL / 4) + MIN(footprint, ~0UL / 4);
			need = ALIGN_UP(need, PAGE_SIZE) +
			       ALIGN_UP(MIN(initrd_size, ~0UL / 4), PAGE_SIZE) + VM_LAYOUT_DTB_MAX;
			*need_ram = ALIGN_UP(need, SZ_2M);
		}
		return VM_LAYOUT_TOO_SMALL;
	}
	out->kernel_offset = start;
	out->kernel_end = start + footprint;
	out->initrd_offset = initrd_size ? top : 0;
	out->dtb_offset = room;
	return VM_LAYOUT_OK;
}
