/*
 * vcpu/emul.c: what completing an emulated instruction does to PSTATE
 * (ITAdvance, PSTATE.SS, BTYPE), the AArch32 condition check of a trap, the
 * guest's data endianness and the byte swap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vcpu/emul.h"

#define M_USR 0x10UL /* AArch32 EL0 */
#define T BIT(5)
#define EC(ec) ((u64)(ec) << 26)
#define EC_WFX 0x01
#define EC_CP15_32 0x03
#define EC_DABT_LOW 0x24

/* IT[7:0] placed in the SPSR as the architecture splits it. */
static u64 with_it(u64 spsr, unsigned int it)
{
	return spsr | ((u64)(it >> 2) << 10) | ((u64)(it & 3) << 25);
}

/* ITETE EQ (IT = 0x0b) walks through EQ, NE, EQ, NE and then ends. */
static void test_it_advance_block(void **state)
{
	const unsigned int expect[] = { 0x16, 0x0c, 0x18, 0x00 };
	u64 flags = (0x9UL << 28) | SPSR_A32_E | BIT(8); /* N, V, E, A: must survive */
	u64 spsr = with_it(M_USR | T | flags | SPSR_SS, 0x0b);
	unsigned int i;

	(void)state;
	assert_int_equal(emul_itstate(spsr), 0x0b);
	for (i = 0; i < 4; i++) {
		spsr = emul_pstate_after(spsr);
		assert_int_equal(emul_itstate(spsr), expect[i]);
		assert_int_equal(spsr & ~(0x3fUL << 10 | 0x3UL << 25), M_USR | T | flags);
	}
	/* Outside an IT block nothing moves. */
	assert_int_equal(emul_pstate_after(M_USR | T | flags), M_USR | T | flags);
}

/* Every IT value: ITAdvance as the Arm ARM writes it, bit by bit. */
static void test_it_advance_all(void **state)
{
	unsigned int it;

	(void)state;
	for (it = 0; it < 256; it++) {
		unsigned int next = (it & 7) == 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
		u64 after = emul_pstate_after(with_it(M_USR | T, it));

		assert_int_equal(emul_itstate(after), next);
		assert_int_equal(after & ~(0x3fUL << 10 | 0x3UL << 25), M_USR | T);
	}
}

/* A32 has no IT state: bits 11:10 are not BTYPE there and stay. */
static void test_a32_keeps_bits(void **state)
{
	u64 spsr = M_USR | (3UL << 10) | SPSR_A32_E;

	(void)state;
	assert_int_equal(emul_pstate_after(spsr | SPSR_SS), spsr);
}

/* AArch64: BTYPE and SS cleared, everything else kept. */
static void test_a64_btype_ss(void **state)
{
	u64 keep = SPSR_M_EL1h | SPSR_DAIF | (0xfUL << 28) | SPSR_PAN | SPSR_SSBS;

	(void)state;
	assert_int_equal(emul_pstate_after(keep | SPSR_BTYPE_MASK | SPSR_SS), keep);
	assert_int_equal(emul_pstate_after(keep | (1UL << 10)), keep);
	assert_int_equal(emul_pstate_after(0 | SPSR_SS), 0); /* EL0t */
}

/* ConditionHolds() against the Arm ARM's table, for every flag value. */
static void test_condition_table(void **state)
{
	unsigned int cond, f;

	(void)state;
	for (f = 0; f < 16; f++) {
		bool n = f & 8, z = f & 4, c = f & 2, v = f & 1;
		const bool want[16] = {
			z,    !z,      c,	   !c,	   n,	   !n,		 v,
			!v,   c && !z, !(c && !z), n == v, n != v, !z && n == v, !(!z && n == v),
			true, true,
		};

		for (cond = 0; cond < 16; cond++)
			assert_int_equal(emul_condition_holds(cond, f), want[cond]);
	}
}

static void test_condition_passed(void **state)
{
	u64 z = 4UL << 28; /* Z set: EQ holds, NE fails */
	u64 ne = ESR_ELx_CV | (1UL << 20), eq = ESR_ELx_CV;

	(void)state;
	/* AArch64 never fails. */
	assert_true(emul_condition_passed(EC(EC_WFX) | ne, SPSR_M_EL1h | z));
	/* AArch32 with CV: COND decides. */
	assert_false(emul_condition_passed(EC(EC_WFX) | ne, M_USR | z));
	assert_true(emul_condition_passed(EC(EC_CP15_32) | eq, M_USR | z));
	assert_true(emul_condition_passed(EC(EC_CP15_32) | ne, M_USR));
	/* CV clear: the IT state's condition (ITT NE = 0x1c: NE first), or none. */
	assert_false(emul_condition_passed(EC(EC_WFX), with_it(M_USR | T | z, 0x1c)));
	assert_true(emul_condition_passed(EC(EC_WFX), with_it(M_USR | T, 0x1c)));
	assert_true(emul_condition_passed(EC(EC_WFX), M_USR | T | z));
	/* Classes without a condition field (a data abort, EC 0) are never skipped. */
	assert_true(emul_condition_passed(EC(EC_DABT_LOW) | ne, M_USR | z));
	assert_true(emul_condition_passed(EC(0), with_it(M_USR | T | z, 0x1c)));
}

static void test_big_endian(void **state)
{
	(void)state;
	assert_false(emul_big_endian(SPSR_M_EL1h, SCTLR_EL1_E0E));
	assert_true(emul_big_endian(SPSR_M_EL1h, SCTLR_ELx_EE));
	assert_true(emul_big_endian(SPSR_M_EL1t, SCTLR_ELx_EE));
	assert_false(emul_big_endian(0, SCTLR_ELx_EE));
	assert_true(emul_big_endian(0, SCTLR_EL1_E0E));
	/* AArch32 EL0: PSTATE.E alone. */
	assert_false(emul_big_endian(M_USR, SCTLR_EL1_E0E | SCTLR_ELx_EE));
	assert_true(emul_big_endian(M_USR | SPSR_A32_E, 0));
}

static void test_bswap(void **state)
{
	(void)state;
	assert_int_equal(emul_bswap(0xffffffffffffff12UL, 1), 0x12);
	assert_int_equal(emul_bswap(0xffffffffffff1234UL, 2), 0x3412);
	assert_int_equal(emul_bswap(0xffffffff12345678UL, 4), 0x78563412);
	assert_int_equal(emul_bswap(0x0123456789abcdefUL, 8), 0xefcdab8967452301UL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_it_advance_block), cmocka_unit_test(test_it_advance_all),
		cmocka_unit_test(test_a32_keeps_bits),	 cmocka_unit_test(test_a64_btype_ss),
		cmocka_unit_test(test_condition_table),	 cmocka_unit_test(test_condition_passed),
		cmocka_unit_test(test_big_endian),	 cmocka_unit_test(test_bswap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
