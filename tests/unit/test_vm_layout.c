/*
 * core/vm_layout.c: where the kernel, initrd and DTB of a VM go, per the
 * Linux arm64 boot protocol or, for a raw image, as QEMU loads one; and the
 * RAM size a layout that does not fit would need.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/vm_layout.h"

#define MIB (1UL << 20)

static u8 image[4096];

/* An arm64 Image header with the given text_offset and image_size. */
static const void *make_image(u64 text_offset, u64 image_size)
{
	memset(image, 0, sizeof(image));
	memcpy(image + 8, &text_offset, 8);
	memcpy(image + 16, &image_size, 8);
	memcpy(image + 56, "ARM\x64", 4);
	return image;
}

static void test_is_image(void **state)
{
	(void)state;
	make_image(0, 0x2000000);
	assert_true(vm_layout_is_image(image, sizeof(image)));
	assert_true(vm_layout_is_image(image, 64));
	assert_false(vm_layout_is_image(image, 63));
	image[59] = 0x65;
	assert_false(vm_layout_is_image(image, sizeof(image)));
}

/* Debian's kernel: text_offset 0, image_size 32 MiB, with an initrd, in 256 MiB. */
static void test_linux(void **state)
{
	struct vm_layout l;

	(void)state;
	make_image(0, 0x2010000);
	assert_int_equal(
		vm_layout_place(0x40000000, 256 * MIB, false, image, 32 * MIB, 1000000, &l, NULL),
		VM_LAYOUT_OK);
	assert_int_equal(l.kernel_offset, 0);
	assert_int_equal(l.kernel_end, 0x2010000);
	assert_int_equal(l.dtb_offset, 256 * MIB - VM_LAYOUT_DTB_MAX);
	/* Page-aligned, right below the DTB, above the kernel. */
	assert_int_equal(l.initrd_offset % 4096, 0);
	assert_true(l.initrd_offset + 1000000 <= l.dtb_offset);
	assert_true(l.dtb_offset - (l.initrd_offset + 1000000) < 4096);
	assert_true(l.initrd_offset >= l.kernel_end);
	/* No initrd: offset 0, nothing else moves. */
	assert_int_equal(
		vm_layout_place(0x40000000, 256 * MIB, false, image, 32 * MIB, 0, &l, NULL),
		VM_LAYOUT_OK);
	assert_int_equal(l.initrd_offset, 0);
	assert_int_equal(l.dtb_offset, 256 * MIB - VM_LAYOUT_DTB_MAX);
}

/* text_offset is from a 2 MiB boundary, which RAM not so aligned must reach first. */
static void test_text_offset(void **state)
{
	struct vm_layout l;

	(void)state;
	make_image(0x80000, 0x100000);
	assert_int_equal(vm_layout_place(0x40000000, 64 * MIB, false, image, 4096, 0, &l, NULL),
			 VM_LAYOUT_OK);
	assert_int_equal(l.kernel_offset, 0x80000);
	assert_int_equal(l.kernel_end, 0x180000);
	assert_int_equal(vm_layout_place(0x40001000, 64 * MIB, false, image, 4096, 0, &l, NULL),
			 VM_LAYOUT_OK);
	assert_int_equal(l.kernel_offset, 0x200000 - 0x1000 + 0x80000);
	/* image_size 0 (before Linux 3.17) means text_offset 0x80000, whatever it says. */
	make_image(0x1234, 0);
	assert_int_equal(vm_layout_place(0x40000000, 64 * MIB, false, image, 4096, 0, &l, NULL),
			 VM_LAYOUT_OK);
	assert_int_equal(l.kernel_offset, 0x80000);
	assert_int_equal(l.kernel_end, 0x81000);
	/* A file longer than its image_size: the file counts. */
	make_image(0, 0x800);
	assert_int_equal(vm_layout_place(0x40000000, 64 * MIB, false, image, 4096, 0, &l, NULL),
			 VM_LAYOUT_OK);
	assert_int_equal(l.kernel_end, 4096);
}

/* A raw image goes at RAM + 0x80000, as QEMU loads one; no header needed. */
static void test_raw(void **state)
{
	struct vm_layout l;
	static const u8 raw[256] = { 0x1f, 0x20, 0x03, 0xd5 };

	(void)state;
	assert_int_equal(vm_layout_place(0x40000000, 8 * MIB, false, raw, sizeof(raw), 0, &l, NULL),
			 VM_LAYOUT_NOT_IMAGE);
	assert_int_equal(
		vm_layout_place(0x40000000, 8 * MIB, true, raw, sizeof(raw), 4096, &l, NULL),
		VM_LAYOUT_OK);
	assert_int_equal(l.kernel_offset, 0x80000);
	assert_int_equal(l.kernel_end, 0x80000 + sizeof(raw));
	assert_int_equal(l.initrd_offset, 8 * MIB - VM_LAYOUT_DTB_MAX - 4096);
	/* Declared raw, an Image is still loaded as raw. */
	make_image(0, 0x100000);
	assert_int_equal(vm_layout_place(0x40000000, 8 * MIB, true, image, 4096, 0, &l, NULL),
			 VM_LAYOUT_OK);
	assert_int_equal(l.kernel_offset, 0x80000);
}

/* The exact fit, one byte too much, and what RAM would do. */
static void test_too_small(void **state)
{
	struct vm_layout l;
	u64 need = 0;
	u64 initrd;

	(void)state;
	make_image(0, 4 * MIB);
	initrd = 4 * MIB - VM_LAYOUT_DTB_MAX;
	assert_int_equal(
		vm_layout_place(0x40000000, 8 * MIB, false, image, 4096, initrd, &l, &need),
		VM_LAYOUT_OK);
	assert_int_equal(l.initrd_offset, 4 * MIB);
	assert_int_equal(
		vm_layout_place(0x40000000, 8 * MIB, false, image, 4096, initrd + 1, &l, &need),
		VM_LAYOUT_TOO_SMALL);
	assert_int_equal(need, 10 * MIB);
	assert_int_equal(
		vm_layout_place(0x40000000, 10 * MIB, false, image, 4096, initrd + 1, &l, NULL),
		VM_LAYOUT_OK);
	/* RAM smaller than the DTB alone. */
	assert_int_equal(vm_layout_place(0x40000000, 4096, true, image, 4096, 0, &l, &need),
			 VM_LAYOUT_TOO_SMALL);
	assert_int_equal(need, 2 * MIB);
	/* An initrd larger than RAM. */
	assert_int_equal(
		vm_layout_place(0x40000000, 8 * MIB, true, image, 4096, 16 * MIB, &l, &need),
		VM_LAYOUT_TOO_SMALL);
	assert_true(need >= 16 * MIB);
}

/* Header values chosen to wrap a sum are refused, not wrapped. */
static void test_hostile_header(void **state)
{
	struct vm_layout l;
	u64 need = 0;

	(void)state;
	make_image(~0UL - 0x1000, 0x2000);
	assert_int_equal(vm_layout_place(0x40000000, 64 * MIB, false, image, 4096, 0, &l, &need),
			 VM_LAYOUT_TOO_SMALL);
	assert_true(need > 64 * MIB);
	make_image(0, ~0UL - 0x1000);
	assert_int_equal(vm_layout_place(0x40000000, 64 * MIB, false, image, 4096, 0, &l, &need),
			 VM_LAYOUT_TOO_SMALL);
	make_image(60 * MIB, 8 * MIB);
	assert_int_equal(vm_layout_place(0x40000000, 64 * MIB, false, image, 4096, 0, &l, &need),
			 VM_LAYOUT_TOO_SMALL);
	assert_int_equal(need, 70 * MIB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_image),    cmocka_unit_test(test_linux),
		cmocka_unit_test(test_text_offset), cmocka_unit_test(test_raw),
		cmocka_unit_test(test_too_small),   cmocka_unit_test(test_hostile_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
