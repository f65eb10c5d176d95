/*
 * vcpu/irq_owner.c: the INTID-to-owner table. SGIs and PPIs are per
 * physical CPU, SPIs shared; special INTIDs and LPIs belong to nobody.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vcpu/irq_owner.h"

/* Stand-ins: the table only stores vCPU pointers, it never follows them. */
static char vcpu_a, vcpu_b;
#define VA ((struct vcpu *)&vcpu_a)
#define VB ((struct vcpu *)&vcpu_b)

static void handler(struct vcpu *v, u32 intid)
{
	(void)v;
	(void)intid;
}

static int clear_all(void **state)
{
	(void)state;
	for (unsigned int c = 0; c < PLAT_MAX_CPUS; c++)
		for (u32 i = 0; i <= GIC_MAX_SPI_INTID; i++)
			irq_owner_clear(c, i);
	return 0;
}

static void test_default_nobody(void **state)
{
	(void)state;
	for (u32 i = 0; i <= GIC_MAX_SPI_INTID; i++)
		assert_int_equal(irq_owner_get(0, i)->kind, IRQ_OWNER_NONE);
}

/* The kick SGI of one CPU is not the kick SGI of another. */
static void test_private_banked(void **state)
{
	(void)state;
	assert_int_equal(irq_owner_set_hyp(1, GIC_SGI_KICK, handler), 0);
	assert_int_equal(irq_owner_get(1, GIC_SGI_KICK)->kind, IRQ_OWNER_HYP);
	assert_ptr_equal(irq_owner_get(1, GIC_SGI_KICK)->handler, handler);
	assert_int_equal(irq_owner_get(0, GIC_SGI_KICK)->kind, IRQ_OWNER_NONE);
	assert_int_equal(irq_owner_set_vm(0, 27, VA), 0);
	assert_int_equal(irq_owner_get(2, 27)->kind, IRQ_OWNER_NONE);
	assert_ptr_equal(irq_owner_get(0, 27)->vcpu, VA);
}

/* An SPI has one owner, whichever CPU looks it up. */
static void test_spi_shared(void **state)
{
	(void)state;
	assert_int_equal(irq_owner_set_vm(3, 34, VB), 0);
	for (unsigned int c = 0; c < PLAT_MAX_CPUS; c++) {
		const struct irq_owner *o = irq_owner_get(c, 34);

		assert_int_equal(o->kind, IRQ_OWNER_VM);
		assert_ptr_equal(o->vcpu, VB);
		assert_int_equal(o->pcpu, 3);
	}
	assert_int_equal(irq_owner_set_vm(0, GIC_MAX_SPI_INTID, VA), 0);
	assert_int_equal(irq_owner_get(5, GIC_MAX_SPI_INTID)->kind, IRQ_OWNER_VM);
}

/* An INTID has one owner: a second claim is refused until it is cleared. */
static void test_busy_then_clear(void **state)
{
	(void)state;
	assert_int_equal(irq_owner_set_vm(0, 40, VA), 0);
	assert_int_equal(irq_owner_set_vm(1, 40, VB), -E_BUSY);
	assert_int_equal(irq_owner_set_hyp(0, 40, handler), -E_BUSY);
	assert_ptr_equal(irq_owner_get(0, 40)->vcpu, VA);
	irq_owner_clear(0, 40);
	assert_int_equal(irq_owner_get(0, 40)->kind, IRQ_OWNER_NONE);
	assert_int_equal(irq_owner_set_vm(1, 40, VB), 0);
}

/* 1020-1023 are special, 1024-8191 reserved, 8192 up LPIs: no one's, never stored. */
static void test_out_of_range(void **state)
{
	const u32 bad[] = { 1020, 1023, 1024, 8191, GIC_INTID_LPI_BASE, 0xffffff, 0xffffffff };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(irq_owner_set_vm(0, bad[i], VA), -E_INVAL);
		assert_int_equal(irq_owner_set_hyp(0, bad[i], handler), -E_INVAL);
		assert_int_equal(irq_owner_get(0, bad[i])->kind, IRQ_OWNER_NONE);
		irq_owner_clear(0, bad[i]); /* ignored, no crash */
	}
	assert_int_equal(irq_owner_set_hyp(PLAT_MAX_CPUS, 0, handler), -E_INVAL);
	assert_int_equal(irq_owner_get(PLAT_MAX_CPUS, 0)->kind, IRQ_OWNER_NONE);
}

static void test_special_intids(void **state)
{
	(void)state;
	assert_false(gic_is_special(1019));
	assert_true(gic_is_special(1020));
	assert_true(gic_is_special(1023));
	assert_false(gic_is_special(1024));
	assert_false(gic_is_special(GIC_INTID_LPI_BASE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_default_nobody, clear_all),
		cmocka_unit_test_setup(test_private_banked, clear_all),
		cmocka_unit_test_setup(test_spi_shared, clear_all),
		cmocka_unit_test_setup(test_busy_then_clear, clear_all),
		cmocka_unit_test_setup(test_out_of_range, clear_all),
		cmocka_unit_test_setup(test_special_intids, clear_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
