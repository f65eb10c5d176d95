/*
 * vcpu/vgic/ fast injection: vgic_rearm() (an emptied LR made pending again
 * in place), vgic_flush_one() (one LR instead of a fold and flush) and
 * vgic_v3_sgi_self(). Each fast result must be what the full fold and flush
 * would have given, and each case the fast path cannot take must be refused
 * with nothing changed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vgic_fake.h"

#define SGI1R_RS_SHIFT 44
#define SGI1R_AFF1_SHIFT 16
#define SGI1R_IRM BIT(40)

static struct fake_vm vm;

/* A GICv3 VM, Group 1 on, vCPU 0 awake, PPI 27 HW-mapped and SGI 1 enabled on vCPU 0. */
static void setup(unsigned int lrs)
{
	u32 kick = 0;

	fake_vm_init(&vm, VGIC_V3, 2, lrs);
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0, 4, 2, &kick), 0);
	assert_int_equal(vgic_v3_redist_write(&vm.d, 0, 0x14, 4, 0, &kick), 0);
	assert_int_equal(vgic_map_hw(&vm.d, 0, 27, 27), 0);
	assert_int_equal(vgic_v3_redist_write(&vm.d, 0, 0x10100, 4, BIT(27) | BIT(1), &kick), 0);
}

/* The guest takes and finishes LR n: what ICH_ELRSR_EL2 then reports empty. */
static void guest_done(int n)
{
	assert_int_equal(fake_ack(&vm, 0), n);
	fake_eoi(&vm, 0, n);
	assert_int_equal(vm.hw_lr[0][n] >> 62, VGIC_LR_INVALID);
}

/* What the glue's lr_set_pending does to hardware LR n. */
static void hw_set_pending(int n)
{
	vm.hw_lr[0][n] |= (u64)VGIC_LR_PENDING << 62;
}

/*
 * A timer fires again after the guest finished with its LR: re-armed in
 * place, the LR is exactly what a fold and flush write, and the interrupt is
 * delivered once (its latch went into the LR, so a later refill adds nothing).
 */
static void test_rearm_timer(void **state)
{
	u32 kick = 0;
	u64 before;

	(void)state;
	setup(4);
	assert_int_equal(vgic_set_pending(&vm.d, 0, 27, &kick), 0);
	fake_enter(&vm, 0);
	before = vm.hw_lr[0][0];
	guest_done(0);
	assert_true(vgic_rearm(&vm.d, 0, 27, 0));
	hw_set_pending(0);
	assert_int_equal(vm.hw_lr[0][0], before);
	/* An exit and refill later: still one pending LR, nothing more queued. */
	fake_exit(&vm, 0);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 1);
	assert_int_equal(vm.hw_lr[0][0], before);
	guest_done(0);
	fake_exit(&vm, 0);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 0);
}

/* The same for an SGI already made pending by vgic_v3_sgi() (the pend=false caller). */
static void test_rearm_sgi(void **state)
{
	u32 kick = 0;

	(void)state;
	setup(4);
	vgic_v3_sgi(&vm.d, 0, (1UL << 24) | BIT(0), true, &kick);
	fake_enter(&vm, 0);
	guest_done(0);
	vgic_v3_sgi(&vm.d, 0, (1UL << 24) | BIT(0), true, &kick);
	assert_true(vgic_rearm(&vm.d, 0, 1, 0));
	hw_set_pending(0);
	guest_done(0);
	fake_exit(&vm, 0);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 0); /* taken exactly twice */
}

static void v2_guest_done(int n);

/* Whatever the fast path cannot decide alone: refused, nothing changed. */
static void test_rearm_refused(void **state)
{
	u32 kick = 0;

	(void)state;
	setup(4);
	assert_int_equal(vgic_set_pending(&vm.d, 0, 27, &kick), 0);
	fake_enter(&vm, 0);
	guest_done(0);
	assert_false(vgic_rearm(&vm.d, 0, 27, 1)); /* not its LR */
	assert_false(vgic_rearm(&vm.d, 0, 1, 0)); /* another interrupt's LR */
	assert_false(vgic_rearm(&vm.d, 1, 27, 0)); /* another vCPU */
	assert_false(vgic_rearm(&vm.d, 0, 40, 0)); /* no private interrupt */
	/* Disabled meanwhile (an ICENABLER write from another vCPU, not folded here yet). */
	assert_int_equal(vgic_v3_redist_write(&vm.d, 0, 0x10180, 4, BIT(27), &kick), 0);
	assert_false(vgic_rearm(&vm.d, 0, 27, 0));
	assert_int_equal(vgic_v3_redist_write(&vm.d, 0, 0x10100, 4, BIT(27), &kick), 0);
	/* Group 1 off. */
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0, 4, 0, &kick), 0);
	assert_false(vgic_rearm(&vm.d, 0, 27, 0));
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0, 4, 2, &kick), 0);
	assert_true(vgic_rearm(&vm.d, 0, 27, 0));

	/* A GICv2 SGI's LR names its sender: one from another vCPU is never re-armed. */
	fake_vm_init(&vm, VGIC_V2, 2, 4);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 0, 0, 4, 1, &kick), 0);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 0, 0x100, 4, BIT(1), &kick), 0);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 1, 0xf00, 4, (1U << 16) | 1, &kick), 0);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 1);
	assert_int_equal(vm.cpu[0].lr[0].source, 1);
	v2_guest_done(0);
	assert_false(vgic_rearm(&vm.d, 0, 1, 0));
}

/* GICv2: the guest takes and finishes LR n of vCPU 0 (GICH_LR State back to 0b00). */
static void v2_guest_done(int n)
{
	assert_int_equal(fake_ack(&vm, 0), n);
	fake_eoi(&vm, 0, n);
	assert_int_equal(fake_decode(&vm, vm.hw_lr[0][n]).state, VGIC_LR_INVALID);
}

/* What v2's lr_set_pending does to hardware LR n (no HW entry here: no EOI bit). */
static void v2_hw_set_pending(int n)
{
	vm.hw_lr[0][n] |= (u64)VGIC_LR_PENDING << GICH_LR_State_SHIFT;
}

/*
 * A GICv2 SGI to self (GICD_SGIR) re-armed in place, as the glue does for a
 * write vgic_v2_sgir_self() accepts: delivered with the writer as its
 * source, exactly once each time; with another sender waiting, refused, and
 * the full path then delivers both senders, one at a time.
 */
static void test_rearm_v2_sgi_self(void **state)
{
	u32 kick = 0;

	(void)state;
	fake_vm_init(&vm, VGIC_V2, 2, 4);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 0, 0, 4, 1, &kick), 0);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 0, 0x100, 4, BIT(1), &kick), 0);
	/* The first goes the long way (SGIR, then fold and flush). */
	assert_int_equal(vgic_v2_dist_write(&vm.d, 0, 0xf00, 4, 2U << 24 | 1, &kick), 0);
	fake_enter(&vm, 0);
	v2_guest_done(0);
	/* The next, made pending by the re-arm itself (the glue's pend = true). */
	assert_true(vgic_rearm(&vm.d, 0, 1, 0));
	v2_hw_set_pending(0);
	assert_int_equal(fake_decode(&vm, vm.hw_lr[0][0]).source, 0);
	v2_guest_done(0);
	/* One made pending by an SGIR write first (pend = false): the LR takes that bit. */
	assert_int_equal(vgic_v2_dist_write(&vm.d, 0, 0xf00, 4, 2U << 24 | 1, &kick), 0);
	assert_true(vgic_rearm(&vm.d, 0, 1, 0));
	v2_hw_set_pending(0);
	v2_guest_done(0);
	fake_exit(&vm, 0);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 0); /* each taken exactly once */

	/* Re-armable again, but vCPU 1 sent SGI 1 meanwhile: refused, nothing changed. */
	assert_int_equal(vgic_v2_dist_write(&vm.d, 0, 0xf00, 4, 2U << 24 | 1, &kick), 0);
	fake_enter(&vm, 0);
	v2_guest_done(0);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 1, 0xf00, 4, (1U << 16) | 1, &kick), 0);
	assert_false(vgic_rearm(&vm.d, 0, 1, 0));
	/* The full path after the refusal (the glue's fallback) makes vCPU 0's SGI too. */
	assert_int_equal(vgic_v2_dist_write(&vm.d, 0, 0xf00, 4, 2U << 24 | 1, &kick), 0);
	fake_exit(&vm, 0);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 1);
	assert_int_equal(vm.cpu[0].lr[0].source, 0);
	assert_true(vm.cpu[0].lr[0].eoi); /* told when done, to give vCPU 1's next */
	v2_guest_done(0);
	fake_exit(&vm, 0);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 1);
	assert_int_equal(vm.cpu[0].lr[0].source, 1);
	assert_false(vm.cpu[0].lr[0].eoi);
	v2_guest_done(0);
	fake_exit(&vm, 0);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 0);
}

/* One LR appended or reused, the interrupt made pending by the call itself. */
static void test_flush_one(void **state)
{
	const struct vgic_lr none = { 0 };
	struct vgic_lr live;
	u32 kick = 0;
	u64 pend = 0;

	(void)state;
	setup(2);
	assert_int_equal(vgic_flush_one(&vm.d, 0, 27, true, -1, &none), 0);
	assert_int_equal(vm.cpu[0].lr_used, 1);
	assert_int_equal(vm.cpu[0].lr[0].state, VGIC_LR_PENDING);
	assert_true(vm.cpu[0].lr[0].hw);
	vm.hw_lr[0][0] = fake_encode(&vm, &vm.cpu[0].lr[0]);
	assert_int_equal(vgic_flush_one(&vm.d, 0, 1, true, -1, &none), 1);
	vm.hw_lr[0][1] = fake_encode(&vm, &vm.cpu[0].lr[1]);
	/* No free LR now: refused, and SGI 2 (enabled) is not pending either. */
	assert_int_equal(vgic_v3_redist_write(&vm.d, 0, 0x10100, 4, BIT(2), &kick), 0);
	assert_int_equal(vgic_flush_one(&vm.d, 0, 2, true, -1, &none), -1);
	assert_int_equal(vgic_v3_redist_read(&vm.d, 0, 0x10200, 4, &pend), 0);
	assert_int_equal(pend & BIT(2), 0);
	/* Its own LR still pending in hardware: refused (the full path folds it). */
	live = fake_decode(&vm, vm.hw_lr[0][0]);
	assert_int_equal(vgic_flush_one(&vm.d, 0, 27, true, 0, &live), -1);
	/* Taken and finished: the same LR carries the new edge. */
	vm.hw_lr[0][0] &= ~((u64)3 << 62);
	live = fake_decode(&vm, vm.hw_lr[0][0]);
	assert_int_equal(vgic_flush_one(&vm.d, 0, 27, true, 0, &live), 0);
	assert_int_equal(vm.cpu[0].lr[0].state, VGIC_LR_PENDING);
	assert_int_equal(vm.cpu[0].lr_used, 2);
}

static void test_sgi_self(void **state)
{
	(void)state;
	assert_true(vgic_v3_sgi_self(0, (1UL << 24) | BIT(0)));
	assert_true(vgic_v3_sgi_self(1, BIT(1)));
	assert_false(vgic_v3_sgi_self(0, BIT(0) | BIT(1)));
	assert_false(vgic_v3_sgi_self(0, BIT(1)));
	assert_false(vgic_v3_sgi_self(0, SGI1R_IRM | BIT(0)));
	assert_false(vgic_v3_sgi_self(0, (1UL << SGI1R_AFF1_SHIFT) | BIT(0)));
	assert_false(vgic_v3_sgi_self(0, (1UL << SGI1R_RS_SHIFT) | BIT(0)));
	assert_true(vgic_v3_sgi_self(17, (1UL << SGI1R_RS_SHIFT) | BIT(1)));
	assert_false(vgic_v3_sgi_self(17, BIT(1)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rearm_timer),   cmocka_unit_test(test_rearm_sgi),
		cmocka_unit_test(test_rearm_refused), cmocka_unit_test(test_flush_one),
		cmocka_unit_test(test_sgi_self),      cmocka_unit_test(test_rearm_v2_sgi_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
