/*
 * vcpu/vgic/ SGIs and reset: which vCPUs an ICC_SGI1R_EL1 value or a GICD_SGIR
 * write reaches (never one outside the VM), and the whole state returning to
 * reset values for a vCPU reset and a VM reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vgic_fake.h"

static struct fake_vm vm;

/* An ICC_SGI1R_EL1 value: INTID, TargetList, Aff1-3, RS, IRM. */
static u64 sgi1r(u32 intid, u32 list, u32 aff1, u32 aff2, u32 aff3, u32 rs, bool irm)
{
	return list | (u64)aff1 << 16 | (u64)intid << 24 | (u64)aff2 << 32 | (u64)irm << 40 |
	       (u64)rs << 44 | (u64)aff3 << 48;
}

static u64 redist(unsigned int rd, u64 offset)
{
	u64 val;

	assert_int_equal(vgic_v3_redist_read(&vm.d, rd, offset, 4, &val), 0);
	return val;
}

static void test_v3_targets(void **state)
{
	(void)state;
	fake_vm_init(&vm, VGIC_V3, 4, 4);
	assert_int_equal(vgic_v3_sgi_targets(&vm.d, 0, sgi1r(1, 0xa, 0, 0, 0, 0, false)), 0xa);
	/* TargetList bits of vCPUs that do not exist are ignored. */
	assert_int_equal(vgic_v3_sgi_targets(&vm.d, 0, sgi1r(1, 0xfff0, 0, 0, 0, 0, false)), 0);
	/* Another cluster, range or Aff3: nobody in this VM. */
	assert_int_equal(vgic_v3_sgi_targets(&vm.d, 0, sgi1r(1, 0xf, 1, 0, 0, 0, false)), 0);
	assert_int_equal(vgic_v3_sgi_targets(&vm.d, 0, sgi1r(1, 0xf, 0, 1, 0, 0, false)), 0);
	assert_int_equal(vgic_v3_sgi_targets(&vm.d, 0, sgi1r(1, 0xf, 0, 0, 1, 0, false)), 0);
	assert_int_equal(vgic_v3_sgi_targets(&vm.d, 0, sgi1r(1, 0xf, 0, 0, 0, 1, false)), 0);
	/* IRM: every vCPU but the sender, whatever the target fields say. */
	assert_int_equal(vgic_v3_sgi_targets(&vm.d, 2, sgi1r(1, 0, 5, 0, 0, 0, true)), 0xb);
	assert_int_equal(vgic_v3_sgi_targets(&vm.d, 0, sgi1r(1, 0x1, 0, 0, 0, 0, false)), 0x1);
	fake_vm_init(&vm, VGIC_V3, 1, 4);
	assert_int_equal(vgic_v3_sgi_targets(&vm.d, 0, sgi1r(1, 0, 0, 0, 0, 0, true)), 0);
}

static void test_v3_delivery(void **state)
{
	u32 kick = 0;

	(void)state;
	fake_vm_init(&vm, VGIC_V3, 4, 4);
	vgic_v3_sgi(&vm.d, 0, sgi1r(3, 0x4, 0, 0, 0, 0, false), true, &kick);
	assert_int_equal(redist(2, 0x10200), BIT(3));
	assert_int_equal(redist(0, 0x10200), 0);
	assert_int_equal(redist(1, 0x10200), 0);
	/* Pending but not enabled: nobody needs to look yet. */
	assert_int_equal(kick, 0);
	assert_int_equal(vgic_v3_redist_write(&vm.d, 2, 0x10100, 4, BIT(3), &kick), 0);
	assert_int_equal(kick, BIT(2));
	/* SGI0R / ASGI1R make Group 0 SGIs only; these are Group 1. */
	vgic_v3_sgi(&vm.d, 0, sgi1r(4, 0x2, 0, 0, 0, 0, false), false, &kick);
	assert_int_equal(redist(1, 0x10200), 0);
	assert_int_equal(vgic_v3_redist_write(&vm.d, 1, 0x10080, 4, 0, &kick), 0);
	vgic_v3_sgi(&vm.d, 0, sgi1r(4, 0x2, 0, 0, 0, 0, false), false, &kick);
	assert_int_equal(redist(1, 0x10200), BIT(4));
	/* All but self. */
	vgic_v3_sgi(&vm.d, 1, sgi1r(9, 0, 0, 0, 0, 0, true), true, &kick);
	assert_int_equal(redist(0, 0x10200), BIT(9));
	assert_int_equal(redist(1, 0x10200), BIT(4));
	assert_int_equal(redist(3, 0x10200), BIT(9));
	/* A sender that is not in the VM reaches nobody. */
	vgic_v3_sgi(&vm.d, 7, sgi1r(10, 0, 0, 0, 0, 0, true), true, &kick);
	assert_int_equal(redist(0, 0x10200), BIT(9));
}

static void test_v2_targets(void **state)
{
	(void)state;
	fake_vm_init(&vm, VGIC_V2, 3, 4);
	assert_int_equal(vgic_v2_sgi_targets(&vm.d, 0, 0xff << 16), 0x7);
	assert_int_equal(vgic_v2_sgi_targets(&vm.d, 0, 0x6 << 16), 0x6);
	assert_int_equal(vgic_v2_sgi_targets(&vm.d, 0, 0xf8 << 16), 0);
	assert_int_equal(vgic_v2_sgi_targets(&vm.d, 1, 1 << 24 | 0xff << 16), 0x5);
	assert_int_equal(vgic_v2_sgi_targets(&vm.d, 2, 2 << 24), 0x4);
	assert_int_equal(vgic_v2_sgi_targets(&vm.d, 2, 3 << 24 | 0xff << 16), 0);
}

static void test_affinity_mapping(void **state)
{
	(void)state;
	fake_vm_init(&vm, VGIC_V3, 4, 4);
	assert_int_equal(vgic_vcpu_affinity(3), 3);
	assert_int_equal(vgic_affinity_vcpu(&vm.d, 3), 3);
	assert_int_equal(vgic_affinity_vcpu(&vm.d, 4), -1);
	assert_int_equal(vgic_affinity_vcpu(&vm.d, 0x80000002UL), 2); /* IRM, RES1 ignored */
	assert_int_equal(vgic_affinity_vcpu(&vm.d, 0x100000000UL), -1);
}

/* Counts the VM cannot express are refused. */
static void test_init_limits(void **state)
{
	struct vgic_dist d;

	(void)state;
	assert_int_equal(vgic_dist_init(&d, VGIC_V3, 1, 33, vm.spis), -E_INVAL);
	assert_int_equal(vgic_dist_init(&d, VGIC_V3, 1, 992, vm.spis), -E_INVAL);
	assert_int_equal(vgic_dist_init(&d, VGIC_V3, 0, 32, vm.spis), -E_INVAL);
	assert_int_equal(vgic_dist_init(&d, VGIC_V3, 17, 32, vm.spis), -E_INVAL);
	assert_int_equal(vgic_dist_init(&d, VGIC_V2, 9, 32, vm.spis), -E_INVAL);
	assert_int_equal(vgic_dist_init(&d, VGIC_V2, 8, 0, vm.spis), 0);
}

/* Everything a guest can set, set. */
static void dirty(void)
{
	u32 kick = 0, i;

	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0, 4, 3, &kick), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(vgic_v3_redist_write(&vm.d, i, 0x14, 4, 0, &kick), 0);
		assert_int_equal(vgic_v3_redist_write(&vm.d, i, 0x10100, 4, ~0U, &kick), 0);
		assert_int_equal(vgic_v3_redist_write(&vm.d, i, 0x10200, 4, ~0U, &kick), 0);
		assert_int_equal(vgic_v3_redist_write(&vm.d, i, 0x10400, 4, ~0U, &kick), 0);
		assert_int_equal(vgic_v3_redist_write(&vm.d, i, 0x10080, 4, 0, &kick), 0);
	}
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0x104, 4, ~0U, &kick), 0);
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0x204, 4, ~0U, &kick), 0);
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0x6000 + 8 * 33, 8, 1, &kick), 0);
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0x420, 4, ~0U, &kick), 0);
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0xc08, 4, ~0U, &kick), 0);
	fake_enter(&vm, 0);
	fake_ack(&vm, 0);
	fake_exit(&vm, 0);
	fake_enter(&vm, 0);
	fake_enter(&vm, 1);
}

static void test_vm_reset(void **state)
{
	u64 val;

	(void)state;
	fake_vm_init(&vm, VGIC_V3, 2, 4);
	assert_int_equal(vgic_map_hw(&vm.d, 0, 27, 27), 0);
	dirty();
	assert_true(vm.cpu[0].lr_used > 0);
	vgic_reset(&vm.d);
	assert_int_equal(vm.cpu[0].lr_used, 0);
	assert_null(vm.cpu[0].head);
	assert_null(vm.cpu[1].head);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0, 4, &val), 0);
	assert_int_equal(val, 0x50);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x104, 4, &val), 0);
	assert_int_equal(val, 0);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x204, 4, &val), 0);
	assert_int_equal(val, 0);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x304, 4, &val), 0);
	assert_int_equal(val, 0);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x420, 4, &val), 0);
	assert_int_equal(val, 0);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0xc08, 4, &val), 0);
	assert_int_equal(val, 0);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x6000 + 8 * 33, 8, &val), 0);
	assert_int_equal(val, 0);
	assert_int_equal(redist(1, 0x14), 0x6);
	assert_int_equal(redist(1, 0x10100), 0);
	assert_int_equal(redist(1, 0x10200), 0);
	assert_int_equal(redist(1, 0x10300), 0);
	assert_int_equal(redist(1, 0x10400), 0);
	assert_int_equal(redist(1, 0x10080), 0xffffffff);
	/* The hypervisor's mapping of the timer survives. */
	assert_true(vm.cpu[0].priv[27].hw);
	/* Nothing of the old run comes back. */
	fake_exit(&vm, 0);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 0);
	assert_false(vgic_has_deliverable(&vm.d, 0));
}

/* A vCPU reset clears its own interrupts; an SPI it had active is released
 * and one still pending for it stays pending. */
static void test_vcpu_reset(void **state)
{
	u32 kick = 0;

	(void)state;
	fake_vm_init(&vm, VGIC_V3, 2, 4);
	dirty();
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0x6000 + 8 * 34, 8, 1, &kick), 0);
	fake_exit(&vm, 1);
	/* SPI 33 is routed to vCPU 1 and active there (the guest took it). */
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0x304, 4, BIT(1), &kick), 0);
	assert_int_equal(vm.spis[1].vcpu, 1);
	vgic_cpu_reset(&vm.d, 1);
	assert_int_equal(vm.cpu[1].lr_used, 0);
	assert_int_equal(redist(1, 0x14), 0x6);
	assert_int_equal(redist(1, 0x10200), 0);
	assert_int_equal(redist(1, 0x10100), 0);
	assert_int_equal(redist(0, 0x10100), 0xffffffff); /* vCPU 0 untouched */
	assert_false(vm.spis[1].active);
	assert_true(vm.spis[2].latch);
	assert_int_equal(vm.spis[2].vcpu, 1);
	assert_int_equal(vgic_v3_redist_write(&vm.d, 1, 0x14, 4, 0, &kick), 0);
	fake_enter(&vm, 1);
	assert_true(vm.cpu[1].lr_used > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v3_targets),  cmocka_unit_test(test_v3_delivery),
		cmocka_unit_test(test_v2_targets),  cmocka_unit_test(test_affinity_mapping),
		cmocka_unit_test(test_init_limits), cmocka_unit_test(test_vm_reset),
		cmocka_unit_test(test_vcpu_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
