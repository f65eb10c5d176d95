/*
 * vcpu/vgic/gich.c: the GICv2 virtual interface values the GICv2 backend
 * writes: the list register count from GICH_VTR, GICH_HCR, the reset
 * GICH_VMCR, where the guest's 8 KiB CPU interface lies in the host's GICV
 * frame (plain, QEMU's 64 KiB window, or the 64 KiB-aliased layout), and a
 * HW-mapped LR written as HW = 0, EOI = 1 and read back as HW, its physical
 * interrupt to be deactivated exactly once (also across a re-arm in place),
 * and which GICD_SGIR writes are an SGI to self.
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

/* A HW entry that delivers nothing owes nothing: EOI = 0, so no maintenance interrupt fires. */
static void test_invalid_hw_lr_without_eoi(void **state)
{
	struct vgic_lr none = timer_lr;
	bool deact = true;
	u32 val;

	(void)state;
	none.state = VGIC_LR_INVALID;
	val = gich_lr_encode(&none);
	assert_int_equal(val & (GICH_LR_HW | GICH_LR_EOI), 0);
	assert_int_equal(val & GICH_LR_VirtualID_MASK, 27);
	(void)gich_lr_decode(val, &none, &deact);
	assert_false(deact);
}

/*
 * The maintenance path deactivates a HW entry the guest deactivated and
 * clears its EOI bit, leaving the shadow as written (pending) so the LR can
 * be re-armed: any later look at that LR, with that stale shadow, must not
 * deactivate the physical interrupt a second time. Re-armed (State pending
 * and EOI set again) and deactivated by the guest once more, it is owed
 * again, once.
 */
static void test_hw_lr_deactivated_once_across_rearm(void **state)
{
	const struct vgic_lr shadow = timer_lr; /* never updated: the fast path keeps it */
	u32 written = gich_lr_encode(&timer_lr);
	u32 val = written & ~(3U << GICH_LR_State_SHIFT); /* acknowledged and EOId by the guest */
	bool deact = false;

	(void)state;
	(void)gich_lr_decode(val, &shadow, &deact);
	assert_true(deact);
	/* What the caller writes back: the LR now records the deactivation. */
	val &= ~(u32)GICH_LR_EOI;
	(void)gich_lr_decode(val, &shadow, &deact);
	assert_false(deact);
	(void)gich_lr_decode(val, &shadow, &deact);
	assert_false(deact);
	/* The re-arm (lr_set_pending): State pending, EOI set: the LR is what was written. */
	val |= ((u32)VGIC_LR_PENDING << GICH_LR_State_SHIFT) | GICH_LR_EOI;
	assert_int_equal(val, written);
	(void)gich_lr_decode(val, &shadow, &deact);
	assert_false(deact);
	val &= ~(3U << GICH_LR_State_SHIFT);
	(void)gich_lr_decode(val, &shadow, &deact);
	assert_true(deact);
}

/* GICD_SGIR values that target exactly the writer: the SGI to self of the fast path. */
static void test_sgir_self(void **state)
{
	(void)state;
	/* TargetListFilter 0b10: the writer, whatever the list says. */
	assert_true(vgic_v2_sgir_self(0, 0xf00, 4, (2U << 24) | 1));
	assert_true(vgic_v2_sgir_self(3, 0xf00, 4, (2U << 24) | (0xffU << 16) | 15));
	/* 0b00 with the writer's bit alone. */
	assert_true(vgic_v2_sgir_self(0, 0xf00, 4, (1U << 16) | 1));
	assert_true(vgic_v2_sgir_self(5, 0xf00, 4, (1U << 21) | 7));
	assert_false(vgic_v2_sgir_self(0, 0xf00, 4, (3U << 16) | 1));
	assert_false(vgic_v2_sgir_self(1, 0xf00, 4, (1U << 16) | 1));
	assert_false(vgic_v2_sgir_self(0, 0xf00, 4, 1)); /* an empty list */
	/* All but self, and the reserved filter. */
	assert_false(vgic_v2_sgir_self(0, 0xf00, 4, (1U << 24) | (1U << 16)));
	assert_false(vgic_v2_sgir_self(0, 0xf00, 4, (3U << 24) | (1U << 16)));
	/* Not GICD_SGIR, or not a word. */
	assert_false(vgic_v2_sgir_self(0, 0xf04, 4, (2U << 24) | 1));
	assert_false(vgic_v2_sgir_self(0, 0xf00, 1, (2U << 24) | 1));
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
		cmocka_unit_test(test_invalid_hw_lr_without_eoi),
		cmocka_unit_test(test_hw_lr_deactivated_once_across_rearm),
		cmocka_unit_test(test_sgir_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
