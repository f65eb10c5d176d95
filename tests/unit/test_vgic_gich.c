/*
 * vcpu/vgic/gich.c: the GICv2 virtual interface values the GICv2 backend
 * writes: the list register count from GICH_VTR, GICH_HCR, the reset
 * GICH_VMCR, where the guest's 8 KiB CPU interface lies in the host's GICV
 * frame (plain, QEMU's 64 KiB window, or the 64 KiB-aliased layout), and a
 * HW-mapped LR written as HW = 0, EOI = 1 and read back as HW, its physical
 * interrupt to be deactivated exactly once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vcpu/vgic/gich.h"
#include "vcpu/vgic/lr_format.h"
#include "vcpu/vgic/vgic.h"

static void test_lr_count(void **state)
{
	(void)state;
	/* QEMU: ListRegs 3, PRIbits 4, PREbits 4. */
	assert_int_equal(gich_lr_count(0x90000003), 4);
	assert_int_equal(gich_lr_count(0), 1);
	/* The top bits are PRIbits/PREbits, not part of the count. */
	assert_int_equal(gich_lr_count(0xfc000000 | 7), 8);
	/* 64 LRs announced: the shadow holds VGIC_MAX_LRS. */
	assert_int_equal(gich_lr_count(63), VGIC_MAX_LRS);
	assert_int_equal(gich_lr_count(VGIC_MAX_LRS - 1), VGIC_MAX_LRS);
}

static void test_hcr(void **state)
{
	(void)state;
	assert_int_equal(gich_hcr(false), GICH_HCR_En);
	assert_int_equal(gich_hcr(true), GICH_HCR_En | GICH_HCR_UIE);
	assert_int_equal(GICH_HCR_En, 1);
	assert_int_equal(GICH_HCR_UIE, 2);
}

static void test_vmcr_reset(void **state)
{
	(void)state;
	/* VMBP [23:21] = 2, VMABP [20:18] = 3; VMPriMask, VMGrp0En, VMGrp1En, VEM zero. */
	assert_int_equal(gich_vmcr_reset(), (2U << 21) | (3U << 18));
}

static void test_gicv_offset(void **state)
{
	u64 off = 0x1234;

	(void)state;
	/* GIC-400 as the binding shows it: 8 KiB. */
	assert_int_equal(gich_gicv_offset(0x2c006000, 0x2000, &off), 0);
	assert_int_equal(off, 0);
	/* QEMU virt: a 64 KiB window, the interface at its start. */
	off = 0x1234;
	assert_int_equal(gich_gicv_offset(0x08040000, 0x10000, &off), 0);
	assert_int_equal(off, 0);
	/* 64 KiB-aliased: page 0 repeated up to 0xf000, page 1 at 0x10000. */
	assert_int_equal(gich_gicv_offset(0xe1160000, 0x20000, &off), 0);
	assert_int_equal(off, 0xf000);
}

static void test_gicv_refused(void **state)
{
	u64 off = 0x1234;

	(void)state;
	/* One page only: no room for GICC_DIR. */
	assert_int_equal(gich_gicv_offset(0x08040000, 0x1000, &off), -E_INVAL);
	/* Not page-aligned: stage 2 could not map it. */
	assert_int_equal(gich_gicv_offset(0x08040100, 0x2000, &off), -E_INVAL);
	assert_int_equal(gich_gicv_offset(0x08040000, 0, &off), -E_INVAL);
	assert_int_equal(off, 0x1234);
}

/* The virtual timer, HW-mapped to physical PPI 27, pending at priority 0xa0. */
static const struct vgic_lr timer_lr = {
	.intid = 27,
	.pintid = 27,
	.priority = 0xa0,
	.state = VGIC_LR_PENDING,
	.group1 = false,
	.hw = true,
};

static void test_hw_lr_encoded_with_eoi(void **state)
{
	u32 val = gich_lr_encode(&timer_lr);

	(void)state;
	assert_int_equal(val & GICH_LR_HW, 0);
	assert_int_equal(val & GICH_LR_EOI, GICH_LR_EOI);
	assert_int_equal(val & GICH_LR_VirtualID_MASK, 27);
	assert_int_equal(val & GICH_LR_CPUID_MASK, 0);
	assert_int_equal((val >> GICH_LR_State_SHIFT) & 3, VGIC_LR_PENDING);
	assert_int_equal((val & GICH_LR_Priority_MASK) >> GICH_LR_Priority_SHIFT, 0xa0 >> 3);
}

static void test_sw_lr_unchanged(void **state)
{
	struct vgic_lr sgi = {
		.intid = 3, .source = 2, .priority = 0x80, .state = 1, .eoi = false
	};
	bool deact = true;
	struct vgic_lr back;

	(void)state;
	assert_int_equal(gich_lr_encode(&sgi), vgic_lr_v2_encode(&sgi));
	back = gich_lr_decode(vgic_lr_v2_encode(&sgi), &sgi, &deact);
	assert_false(deact);
	assert_false(back.hw);
	assert_int_equal(back.source, 2);
	assert_int_equal(back.intid, 3);
}

static void test_hw_lr_decoded_as_hw(void **state)
{
	struct vgic_lr shadow = timer_lr, now;
	u32 val = gich_lr_encode(&timer_lr);
	bool deact = true;

	(void)state;
	/* Still pending: HW again, with its pINTID, nothing to deactivate. */
	now = gich_lr_decode(val, &shadow, &deact);
	assert_false(deact);
	assert_true(now.hw);
	assert_int_equal(now.pintid, 27);
	assert_false(now.eoi);
	assert_int_equal(now.state, VGIC_LR_PENDING);
	/* Acknowledged: active, still nothing to deactivate. */
	val = (val & ~(3U << GICH_LR_State_SHIFT)) | ((u32)VGIC_LR_ACTIVE << GICH_LR_State_SHIFT);
	shadow = now;
	now = gich_lr_decode(val, &shadow, &deact);
	assert_false(deact);
	assert_int_equal(now.state, VGIC_LR_ACTIVE);
	/* Deactivated by the guest: deactivate the physical interrupt... */
	val &= ~(3U << GICH_LR_State_SHIFT);
	shadow = now;
	now = gich_lr_decode(val, &shadow, &deact);
	assert_true(deact);
	assert_true(now.hw);
	assert_int_equal(now.state, VGIC_LR_INVALID);
	/* ...once: a second look without a refill must not deactivate it again. */
	shadow = now;
	now = gich_lr_decode(val, &shadow, &deact);
	assert_false(deact);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lr_count),
		cmocka_unit_test(test_hcr),
		cmocka_unit_test(test_vmcr_reset),
		cmocka_unit_test(test_gicv_offset),
		cmocka_unit_test(test_gicv_refused),
		cmocka_unit_test(test_hw_lr_encoded_with_eoi),
		cmocka_unit_test(test_sw_lr_unchanged),
		cmocka_unit_test(test_hw_lr_decoded_as_hw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
