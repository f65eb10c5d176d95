/*
 * mm/pgtable.c: the VMSAv8-64 4 KiB-granule table builder, run on host
 * memory. Tables come from aligned_alloc and are addressed by their host
 * address (pa == va); the fake TLB invalidation records every call and
 * checks break-before-make: by the time an address is invalidated, no
 * table may translate it any more.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mm/pgtable.h"

#define PG PAGE_SIZE
#define MAX_LIVE 512
#define MAX_INVAL 1024

/* Typical leaf attributes: stage-2 RAM and device memory, EL2 stage-1 RAM. */
#define S2_RAM (PTE_S2_MEMATTR_NORMAL_WB | PTE_S2_S2AP_R | PTE_S2_S2AP_W | PTE_SH_INNER)
#define S2_DEV (PTE_S2_MEMATTR_DEVICE_nGnRE | PTE_S2_S2AP_R | PTE_S2_S2AP_W | PTE_XN)
#define S1_RAM (PTE_S1_ATTRINDX(1) | PTE_S1_AP_RES1 | PTE_SH_INNER)

static struct {
	void *va;
	unsigned int n;
} live[MAX_LIVE];
static unsigned int live_count;
static unsigned int alloc_calls, free_calls, alloc_pages, free_pages;
static int alloc_budget; /* allocations left before they fail; negative: no limit */

static struct {
	u64 ia;
	u64 size;
	bool still_mapped; /* the address translated when it was invalidated */
} inval[MAX_INVAL];
static unsigned int inval_count, barrier_count;

static struct pgtable pt;

static bool fake_alloc_tables(unsigned int n, paddr_t *out)
{
	void *p;

	if (alloc_budget == 0)
		return false;
	if (alloc_budget > 0)
		alloc_budget--;
	assert_true(live_count < MAX_LIVE);
	p = aligned_alloc(n * PG, n * PG);
	assert_non_null(p);
	memset(p, 0, n * PG);
	live[live_count].va = p;
	live[live_count].n = n;
	live_count++;
	alloc_calls++;
	alloc_pages += n;
	*out = pa_init((u64)(uintptr_t)p);
	return true;
}

static unsigned int live_index(u64 pa)
{
	unsigned int i;

	for (i = 0; i < live_count; i++) {
		u64 base = (u64)(uintptr_t)live[i].va;

		if (pa >= base && pa < base + live[i].n * PG)
			return i;
	}
	fail_msg("0x%llx is not in any live table", (unsigned long long)pa);
	return 0;
}

static void fake_free_tables(paddr_t pa, unsigned int n)
{
	unsigned int i = live_index(pa_addr(pa));

	/* Freed exactly as allocated: same start, same count. */
	assert_int_equal((u64)(uintptr_t)live[i].va, pa_addr(pa));
	assert_int_equal(live[i].n, n);
	free(live[i].va);
	live[i] = live[--live_count];
	free_calls++;
	free_pages += n;
}

static u64 *fake_table_va(paddr_t pa)
{
	live_index(pa_addr(pa)); /* a table that was freed must never be walked */
	return (u64 *)(uintptr_t)pa_addr(pa);
}

static void fake_tlb_inval(const struct pgtable *t, u64 ia, u64 size)
{
	paddr_t pa;

	assert_ptr_equal(t, &pt);
	if (!size) {
		barrier_count++;
		return;
	}
	assert_true(inval_count < MAX_INVAL);
	inval[inval_count].ia = ia;
	inval[inval_count].size = size;
	inval[inval_count].still_mapped = pgtable_translate(t, ia, &pa, NULL, NULL);
	inval_count++;
}

static const struct pgtable_ops fake_ops = {
	.alloc_tables = fake_alloc_tables,
	.free_tables = fake_free_tables,
	.table_va = fake_table_va,
	.tlb_inval = fake_tlb_inval,
};

static int setup(void **state)
{
	(void)state;
	live_count = alloc_calls = free_calls = alloc_pages = free_pages = 0;
	inval_count = barrier_count = 0;
	alloc_budget = -1;
	memset(&pt, 0, sizeof(pt));
	return 0;
}

/* Frees whatever a test left behind without going through the code under test. */
static int teardown(void **state)
{
	(void)state;
	while (live_count)
		free(live[--live_count].va);
	return 0;
}

static void init(unsigned int ia_bits, bool stage2)
{
	assert_int_equal(pgtable_init(&pt, ia_bits, stage2, &fake_ops, NULL), 0);
}

static void map(u64 ia, u64 pa, u64 size, u64 attrs)
{
	assert_int_equal(pgtable_map(&pt, ia, pa_init(pa), size, attrs), 0);
}

static void unmap(u64 ia, u64 size)
{
	assert_int_equal(pgtable_unmap(&pt, ia, size), 0);
}

/* ia translates to pa through a leaf at level, with attrs plus the access flag. */
static void expect_mapped(u64 ia, u64 pa, u64 attrs, unsigned int level)
{
	paddr_t out;
	u64 got_attrs;
	unsigned int got_level;

	if (!pgtable_translate(&pt, ia, &out, &got_attrs, &got_level))
		fail_msg("ia 0x%llx is not mapped", (unsigned long long)ia);
	assert_int_equal(pa_addr(out), pa);
	assert_int_equal(got_attrs, attrs | PTE_AF);
	assert_int_equal(got_level, level);
}

static void expect_unmapped(u64 ia)
{
	paddr_t out;

	if (pgtable_translate(&pt, ia, &out, NULL, NULL))
		fail_msg("ia 0x%llx still maps to 0x%llx", (unsigned long long)ia,
			 (unsigned long long)pa_addr(out));
}

/* Whether [ia, ia+size) was invalidated, and only after its entry was broken. */
static bool invalidated(u64 ia, u64 size)
{
	unsigned int i;

	for (i = 0; i < inval_count; i++) {
		if (inval[i].ia == ia && inval[i].size == size)
			return !inval[i].still_mapped;
	}
	return false;
}

static void forget_invalidations(void)
{
	inval_count = barrier_count = 0;
}

/* A 40-bit stage 2 starts at level 1 with two concatenated, contiguous root tables. */
static void test_init_40bit_stage2(void **state)
{
	(void)state;
	init(40, true);
	assert_int_equal(pt.ia_bits, 40);
	assert_int_equal(pt.start_level, 1);
	assert_int_equal(pt.root_tables, 2);
	assert_int_equal(alloc_calls, 1);
	assert_int_equal(live[0].n, 2);
	assert_true(IS_ALIGNED(pa_addr(pt.root), 2 * PG));
}

/* A 48-bit stage 1 starts at level 0 with one root table. */
static void test_init_48bit_stage1(void **state)
{
	(void)state;
	init(48, false);
	assert_int_equal(pt.start_level, 0);
	assert_int_equal(pt.root_tables, 1);
	assert_int_equal(alloc_pages, 1);
}

/* A 39-bit stage 2 fits a single level-1 root: no concatenation. */
static void test_init_39bit_stage2(void **state)
{
	(void)state;
	init(39, true);
	assert_int_equal(pt.start_level, 1);
	assert_int_equal(pt.root_tables, 1);
	assert_int_equal(alloc_pages, 1);
}

/* Start level and root count across sizes; stage 1 never concatenates, stage 2 up to 16. */
static void test_init_sizes(void **state)
{
	static const struct {
		unsigned int ia_bits;
		bool stage2;
		unsigned int level, roots;
	} cases[] = {
		{ 48, false, 0, 1 }, { 40, false, 0, 1 }, { 39, false, 1, 1 }, { 32, false, 1, 1 },
		{ 30, false, 2, 1 }, { 25, false, 2, 1 }, { 48, true, 0, 1 },  { 44, true, 0, 1 },
		{ 43, true, 1, 16 }, { 42, true, 1, 8 },  { 35, true, 1, 1 },  { 34, true, 2, 16 },
		{ 32, true, 2, 4 },  { 30, true, 2, 1 },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		init(cases[i].ia_bits, cases[i].stage2);
		assert_int_equal(pt.start_level, cases[i].level);
		assert_int_equal(pt.root_tables, cases[i].roots);
		pgtable_destroy(&pt);
	}
	assert_int_equal(live_count, 0);
}

/* Unsupported sizes are refused before anything is allocated; a failed allocation is -E_NOMEM. */
static void test_init_errors(void **state)
{
	(void)state;
	assert_int_equal(pgtable_init(&pt, 24, false, &fake_ops, NULL), -E_RANGE);
	assert_int_equal(pgtable_init(&pt, 49, true, &fake_ops, NULL), -E_RANGE);
	assert_int_equal(alloc_calls, 0);
	alloc_budget = 0;
	assert_int_equal(pgtable_init(&pt, 40, true, &fake_ops, NULL), -E_NOMEM);
}

/* A mapped page translates to its PA, offset included, with the access flag set, at level 3. */
static void test_map_page(void **state)
{
	(void)state;
	init(48, false);
	map(0x1000, 0x80000000, PG, S1_RAM);
	expect_mapped(0x1000, 0x80000000, S1_RAM, 3);
	expect_mapped(0x1abc, 0x80000abc, S1_RAM, 3);
	expect_unmapped(0x0);
	expect_unmapped(0x2000);
}

/* A 1 GiB-aligned range becomes a level-1 block, with no table below the root. */
static void test_map_1g_block(void **state)
{
	(void)state;
	init(40, true);
	map(SZ_1G, 4 * SZ_1G, SZ_1G, S2_RAM);
	expect_mapped(SZ_1G, 4 * SZ_1G, S2_RAM, 1);
	expect_mapped(SZ_1G + 0x12345678, 4 * SZ_1G + 0x12345678, S2_RAM, 1);
	expect_unmapped(2 * SZ_1G);
	assert_int_equal(alloc_calls, 1);
}

/* Level 0 has no blocks with 4 KiB pages: a 512 GiB-aligned range still uses 1 GiB blocks. */
static void test_no_level0_block(void **state)
{
	const u64 size = 512 * SZ_1G;

	(void)state;
	init(48, false);
	map(size, size, size, S1_RAM);
	expect_mapped(size, size, S1_RAM, 1);
	expect_mapped(2 * size - 1, 2 * size - 1, S1_RAM, 1);
	assert_int_equal(alloc_calls, 2);
}

/* A 2 MiB-aligned range becomes a level-2 block: one level-2 table, no level 3. */
static void test_map_2m_block(void **state)
{
	(void)state;
	init(40, true);
	map(3 * SZ_2M, 0x40200000, SZ_2M, S2_RAM);
	expect_mapped(3 * SZ_2M, 0x40200000, S2_RAM, 2);
	expect_mapped(4 * SZ_2M - 1, 0x40400000 - 1, S2_RAM, 2);
	expect_unmapped(4 * SZ_2M);
	assert_int_equal(alloc_calls, 2);
}

/* A range aligned only to 4 KiB is mapped with level-3 pages. */
static void test_map_unaligned_pages(void **state)
{
	(void)state;
	init(40, true);
	map(0x1000, 0x40001000, 3 * PG, S2_DEV);
	expect_mapped(0x1000, 0x40001000, S2_DEV, 3);
	expect_mapped(0x3000, 0x40003000, S2_DEV, 3);
	expect_unmapped(0x4000);
}

/* 2 MiB at an IA, or a PA, aligned only to 4 KiB cannot use a block: all pages. */
static void test_map_2m_misaligned(void **state)
{
	(void)state;
	init(40, true);
	map(SZ_2M + PG, 0x40200000 + PG, SZ_2M, S2_RAM);
	expect_mapped(SZ_2M + PG, 0x40200000 + PG, S2_RAM, 3);
	expect_mapped(2 * SZ_2M - PG, 0x40400000 - PG, S2_RAM, 3);
	expect_mapped(2 * SZ_2M, 0x40400000, S2_RAM, 3);
	expect_unmapped(SZ_2M);
	expect_unmapped(2 * SZ_2M + PG);

	map(8 * SZ_2M, 0x40200000 + PG, SZ_2M, S2_RAM); /* IA aligned, PA not */
	expect_mapped(8 * SZ_2M, 0x40200000 + PG, S2_RAM, 3);
	expect_mapped(9 * SZ_2M - PG, 0x40400000, S2_RAM, 3);
}

/* One range gets the largest leaf each part allows: page, 1 GiB, 2 MiB, page. */
static void test_map_mixed_sizes(void **state)
{
	const u64 ia = SZ_1G - PG, size = PG + SZ_1G + SZ_2M + PG, off = 4 * SZ_1G;

	(void)state;
	init(40, true);
	map(ia, ia + off, size, S2_RAM);
	expect_mapped(SZ_1G - PG, SZ_1G - PG + off, S2_RAM, 3);
	expect_mapped(SZ_1G, SZ_1G + off, S2_RAM, 1);
	expect_mapped(2 * SZ_1G, 2 * SZ_1G + off, S2_RAM, 2);
	expect_mapped(2 * SZ_1G + SZ_2M, 2 * SZ_1G + SZ_2M + off, S2_RAM, 3);
	expect_unmapped(ia + size);
	expect_unmapped(ia - PG);
}

/* Both concatenated roots are used: an IA in the top half lands in the second root page. */
static void test_concatenated_roots(void **state)
{
	const u64 top = (1UL << 40) - SZ_1G;
	u64 *roots;

	(void)state;
	init(40, true);
	map(0, 0x40000000, SZ_1G, S2_RAM);
	map(top, 0x80000000, SZ_1G, S2_RAM);
	expect_mapped(0, 0x40000000, S2_RAM, 1);
	expect_mapped(top + 0x1000, 0x80001000, S2_RAM, 1);
	roots = (u64 *)(uintptr_t)pa_addr(pt.root);
	assert_int_not_equal(roots[0], 0);
	assert_int_not_equal(roots[2 * 512 - 1], 0);
	assert_int_equal(roots[511], 0);
}

/* Mapping over nothing needs no invalidation, only the barrier. */
static void test_new_mapping_needs_no_invalidation(void **state)
{
	(void)state;
	init(40, true);
	map(0, 0x40000000, SZ_1G + SZ_2M + PG, S2_RAM);
	assert_int_equal(inval_count, 0);
	assert_true(barrier_count >= 1);
}

/* Unmapping part of a block splits it: the rest keeps its PA and attributes; the block is invalidated. */
static void test_unmap_splits_2m_block(void **state)
{
	const u64 ia = 5 * SZ_2M, pa = 0x40400000;

	(void)state;
	init(40, true);
	map(ia, pa, SZ_2M, S2_RAM);
	forget_invalidations();
	unmap(ia + 5 * PG, PG);
	expect_unmapped(ia + 5 * PG);
	expect_mapped(ia, pa, S2_RAM, 3);
	expect_mapped(ia + 4 * PG, pa + 4 * PG, S2_RAM, 3);
	expect_mapped(ia + 6 * PG, pa + 6 * PG, S2_RAM, 3);
	expect_mapped(ia + SZ_2M - PG, pa + SZ_2M - PG, S2_RAM, 3);
	assert_true(invalidated(ia, SZ_2M));
	assert_true(invalidated(ia + 5 * PG, PG));
}

/* Unmapping 2 MiB inside a 1 GiB block leaves 2 MiB blocks around the hole. */
static void test_unmap_splits_1g_block(void **state)
{
	(void)state;
	init(40, true);
	map(SZ_1G, 8 * SZ_1G, SZ_1G, S2_RAM);
	forget_invalidations();
	unmap(SZ_1G + 2 * SZ_2M, SZ_2M);
	expect_mapped(SZ_1G, 8 * SZ_1G, S2_RAM, 2);
	expect_unmapped(SZ_1G + 2 * SZ_2M);
	expect_unmapped(SZ_1G + 3 * SZ_2M - PG);
	expect_mapped(SZ_1G + 3 * SZ_2M, 8 * SZ_1G + 3 * SZ_2M, S2_RAM, 2);
	expect_mapped(2 * SZ_1G - 1, 9 * SZ_1G - 1, S2_RAM, 2);
	assert_true(invalidated(SZ_1G, SZ_1G));
	assert_true(invalidated(SZ_1G + 2 * SZ_2M, SZ_2M));
}

/* Remapping with other attributes or another PA replaces the entry with break-before-make. */
static void test_remap_replaces_with_bbm(void **state)
{
	(void)state;
	init(40, true);
	map(0x9000000, 0x9000000, PG, S2_RAM);
	forget_invalidations();
	map(0x9000000, 0x9000000, PG, S2_DEV);
	expect_mapped(0x9000000, 0x9000000, S2_DEV, 3);
	assert_true(invalidated(0x9000000, PG));

	map(SZ_1G, SZ_1G, SZ_2M, S2_RAM);
	forget_invalidations();
	map(SZ_1G, 2 * SZ_1G, SZ_2M, S2_RAM);
	expect_mapped(SZ_1G + PG, 2 * SZ_1G + PG, S2_RAM, 2);
	assert_true(invalidated(SZ_1G, SZ_2M));
}

/* Mapping again exactly what is there changes nothing and invalidates nothing. */
static void test_remap_identical_is_quiet(void **state)
{
	(void)state;
	init(40, true);
	map(SZ_1G, SZ_1G, SZ_2M + PG, S2_RAM);
	forget_invalidations();
	map(SZ_1G, SZ_1G, SZ_2M + PG, S2_RAM);
	assert_int_equal(inval_count, 0);
	expect_mapped(SZ_1G + SZ_2M, SZ_1G + SZ_2M, S2_RAM, 3);
}

/* A block mapped over a table of pages replaces it (invalidated) and frees the table. */
static void test_block_over_pages_frees_table(void **state)
{
	unsigned int tables;

	(void)state;
	init(40, true);
	map(SZ_2M, 0x40200000, 8 * PG, S2_RAM);
	tables = live_count;
	forget_invalidations();
	map(SZ_2M, 0x80000000, SZ_2M, S2_DEV);
	expect_mapped(SZ_2M + 3 * PG, 0x80000000 + 3 * PG, S2_DEV, 2);
	assert_int_equal(live_count, tables - 1);
	assert_true(invalidated(SZ_2M, SZ_2M));
}

/* Unmapping a whole table's span removes it at once: one invalidation, table freed. */
static void test_unmap_whole_table(void **state)
{
	unsigned int tables;

	(void)state;
	init(40, true);
	map(SZ_2M, 0x40200000, 16 * PG, S2_RAM);
	tables = live_count;
	forget_invalidations();
	unmap(SZ_2M, SZ_2M);
	expect_unmapped(SZ_2M);
	expect_unmapped(SZ_2M + 15 * PG);
	assert_int_equal(live_count, tables - 1);
	assert_int_equal(inval_count, 1);
	assert_true(invalidated(SZ_2M, SZ_2M));
}

/* Unmapping what was never mapped succeeds, allocates nothing and invalidates nothing. */
static void test_unmap_never_mapped(void **state)
{
	(void)state;
	init(40, true);
	unmap(0, SZ_1G);
	unmap(SZ_1G + PG, 3 * PG);
	map(4 * SZ_1G, 4 * SZ_1G, PG, S2_RAM);
	forget_invalidations();
	unmap(4 * SZ_1G + PG, SZ_2M - PG); /* the rest of a table that exists */
	expect_mapped(4 * SZ_1G, 4 * SZ_1G, S2_RAM, 3);
	assert_int_equal(inval_count, 0);
	assert_int_equal(alloc_calls, 3); /* root, level 2, level 3 */
}

/* Ranges beyond the input size are -E_RANGE; unaligned or empty ones -E_INVAL; nothing changes. */
static void test_range_errors(void **state)
{
	const u64 end = 1UL << 40;
	const paddr_t pa = pa_init(0x40000000);

	(void)state;
	init(40, true);
	assert_int_equal(pgtable_map(&pt, end, pa, PG, S2_RAM), -E_RANGE);
	assert_int_equal(pgtable_map(&pt, end - PG, pa, 2 * PG, S2_RAM), -E_RANGE);
	assert_int_equal(pgtable_map(&pt, ~0UL - PG + 1, pa, 2 * PG, S2_RAM), -E_RANGE);
	assert_int_equal(pgtable_unmap(&pt, end, PG), -E_RANGE);
	assert_int_equal(pgtable_map(&pt, 0x800, pa, PG, S2_RAM), -E_INVAL);
	assert_int_equal(pgtable_map(&pt, 0, pa_init(0x40000800), PG, S2_RAM), -E_INVAL);
	assert_int_equal(pgtable_map(&pt, 0, pa, PG + 1, S2_RAM), -E_INVAL);
	assert_int_equal(pgtable_map(&pt, 0, pa, 0, S2_RAM), -E_INVAL);
	assert_int_equal(pgtable_map(&pt, 0, pa_init(1UL << 48), PG, S2_RAM), -E_INVAL);
	assert_int_equal(pgtable_unmap(&pt, 0x800, PG), -E_INVAL);
	assert_int_equal(pgtable_unmap(&pt, 0, 0), -E_INVAL);
	/* The last page of the space is fine. */
	map(end - PG, 0x40000000, PG, S2_RAM);
	expect_mapped(end - PG, 0x40000000, S2_RAM, 3);
	expect_unmapped(end);
}

/* An output range that runs past the 48-bit PA space must be refused, not wrap to PA 0. */
static void test_pa_range_beyond_48_bits(void **state)
{
	const u64 last_page = (1UL << 48) - PG;

	(void)state;
	init(40, true);
	assert_int_not_equal(pgtable_map(&pt, 0, pa_init(last_page), 2 * PG, S2_RAM), 0);
	expect_unmapped(PG);
}

/* A table that cannot grow returns -E_NOMEM. */
static void test_map_out_of_tables(void **state)
{
	(void)state;
	init(40, true);
	alloc_budget = 1; /* the level-2 table, not the level-3 one */
	assert_int_equal(pgtable_map(&pt, 0, pa_init(0x40000000), PG, S2_RAM), -E_NOMEM);
	expect_unmapped(0);
}

/* pgtable_destroy frees every table it allocated, root pages included, exactly once. */
static void test_destroy_frees_everything(void **state)
{
	(void)state;
	init(40, true);
	map(0, 0x40000000, SZ_1G + SZ_2M + 5 * PG, S2_RAM);
	map((1UL << 40) - 2 * SZ_1G, 0x80000000, SZ_1G, S2_RAM); /* second root page */
	map((1UL << 40) - SZ_2M, 0x80000000, 3 * PG, S2_DEV);
	unmap(SZ_2M + PG, PG); /* splits a block */
	unmap(SZ_1G, SZ_2M); /* frees a level-3 table */
	assert_true(alloc_calls > 4);
	pgtable_destroy(&pt);
	assert_int_equal(live_count, 0);
	assert_int_equal(free_calls, alloc_calls);
	assert_int_equal(free_pages, alloc_pages);
}

/* Invalidations always come after the break: no address was still mapped when invalidated. */
static void test_every_invalidation_follows_break(void **state)
{
	unsigned int i;

	(void)state;
	init(48, false);
	map(0, 0, 2 * SZ_1G, S1_RAM);
	map(SZ_2M, SZ_2M, SZ_2M, S1_RAM | PTE_XN);
	unmap(SZ_1G + PG, PG);
	map(SZ_1G, 3 * SZ_1G, SZ_1G, S1_RAM | PTE_S1_AP_RO);
	unmap(0, SZ_1G);
	assert_true(inval_count >= 5);
	for (i = 0; i < inval_count; i++)
		assert_false(inval[i].still_mapped);
}

#define PGTABLE_TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		PGTABLE_TEST(test_init_40bit_stage2),
		PGTABLE_TEST(test_init_48bit_stage1),
		PGTABLE_TEST(test_init_39bit_stage2),
		PGTABLE_TEST(test_init_sizes),
		PGTABLE_TEST(test_init_errors),
		PGTABLE_TEST(test_map_page),
		PGTABLE_TEST(test_map_1g_block),
		PGTABLE_TEST(test_no_level0_block),
		PGTABLE_TEST(test_map_2m_block),
		PGTABLE_TEST(test_map_unaligned_pages),
		PGTABLE_TEST(test_map_2m_misaligned),
		PGTABLE_TEST(test_map_mixed_sizes),
		PGTABLE_TEST(test_concatenated_roots),
		PGTABLE_TEST(test_new_mapping_needs_no_invalidation),
		PGTABLE_TEST(test_unmap_splits_2m_block),
		PGTABLE_TEST(test_unmap_splits_1g_block),
		PGTABLE_TEST(test_remap_replaces_with_bbm),
		PGTABLE_TEST(test_remap_identical_is_quiet),
		PGTABLE_TEST(test_block_over_pages_frees_table),
		PGTABLE_TEST(test_unmap_whole_table),
		PGTABLE_TEST(test_unmap_never_mapped),
		PGTABLE_TEST(test_range_errors),
		PGTABLE_TEST(test_pa_range_beyond_48_bits),
		PGTABLE_TEST(test_map_out_of_tables),
		PGTABLE_TEST(test_destroy_frees_everything),
		PGTABLE_TEST(test_every_invalidation_follows_break),
	};

	return cmocka_run_group_tests_name("pgtable", tests, NULL, NULL);
}
