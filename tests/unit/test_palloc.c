/*
 * mm/palloc.c: the physical page allocator. It never touches the memory it
 * hands out, so the tests use made-up physical addresses. What is free is
 * checked exactly by draining the allocator page by page.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "mm/palloc.h"

#define PG PAGE_SIZE
#define BANK 0x40000000UL /* where QEMU virt's RAM starts */
#define MAX_DRAIN 4096

struct range {
	u64 base;
	u64 end;
};

static void add(u64 base, u64 size)
{
	assert_int_equal(palloc_add(pa_init(base), size), 0);
}

static void exclude(u64 base, u64 size)
{
	assert_int_equal(palloc_exclude(pa_init(base), size), 0);
}

static u64 alloc(u64 size, u64 align)
{
	paddr_t pa = pa_init(~0UL);

	if (!palloc_alloc(size, align, &pa))
		fail_msg("palloc_alloc(0x%llx, align 0x%llx) failed with 0x%llx free",
			 (unsigned long long)size, (unsigned long long)align,
			 (unsigned long long)palloc_free_bytes());
	return pa_addr(pa);
}

static void release(u64 base, u64 size)
{
	assert_int_equal(palloc_free(pa_init(base), size), 0);
}

static bool alloc_fails(u64 size, u64 align)
{
	paddr_t pa;

	return !palloc_alloc(size, align, &pa);
}

static int compare_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Checks that the free memory is exactly the n ranges of want (sorted):
 * takes every page there is, then compares the pages with the ranges.
 * Leaves the allocator empty.
 */
static void expect_free_exactly(const struct range *want, size_t n)
{
	static u64 pages[MAX_DRAIN];
	u64 expected_bytes = 0;
	size_t count = 0, i, r = 0;
	paddr_t pa;

	for (i = 0; i < n; i++)
		expected_bytes += want[i].end - want[i].base;
	assert_int_equal(palloc_free_bytes(), expected_bytes);
	while (palloc_alloc(PG, PG, &pa)) {
		assert_true(count < MAX_DRAIN);
		pages[count++] = pa_addr(pa);
	}
	assert_int_equal(palloc_free_bytes(), 0);
	assert_int_equal(count * PG, expected_bytes);
	qsort(pages, count, sizeof(pages[0]), compare_u64);
	for (i = 0; i < count; i++) {
		u64 page = pages[i];

		if (i)
			assert_true(page > pages[i - 1]);
		while (r < n && page >= want[r].end)
			r++;
		assert_true(r < n);
		assert_true(page >= want[r].base);
	}
}

/* Adds count ranges of len pages from base, each followed by a one-page gap. */
static void add_ranges(u64 base, unsigned int count, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		add(base + i * (len + 1) * PG, len * PG);
}

static int reset(void **state)
{
	(void)state;
	palloc_reset();
	return 0;
}

/* Added ranges are trimmed inward to whole pages; less than a page adds nothing. */
static void test_add_trims_to_pages(void **state)
{
	static const struct range want[] = { { BANK + PG, BANK + 3 * PG } };

	(void)state;
	add(BANK + 0x10, 3 * PG); /* [BANK + 0x10, BANK + 0x3010) */
	add(BANK + 8 * PG + 1, PG);
	expect_free_exactly(want, ARRAY_SIZE(want));
}

/* palloc_reset forgets all free memory. */
static void test_reset(void **state)
{
	(void)state;
	add(BANK, 16 * PG);
	palloc_reset();
	assert_int_equal(palloc_free_bytes(), 0);
	assert_true(alloc_fails(PG, PG));
}

/* The image and the FDT inside a bank are cut out of it; an unaligned FDT costs its whole pages. */
static void test_exclude_inside(void **state)
{
	static const struct range want[] = {
		{ BANK, BANK + 8 * PG },
		{ BANK + 12 * PG, BANK + 20 * PG },
		{ BANK + 22 * PG, BANK + 64 * PG },
	};

	(void)state;
	add(BANK, 64 * PG);
	exclude(BANK + 8 * PG, 4 * PG); /* the image */
	exclude(BANK + 20 * PG + 0x800, PG); /* the FDT, straddling pages 20 and 21 */
	expect_free_exactly(want, ARRAY_SIZE(want));
}

/* Reserved regions at either edge of a bank, or hanging over it, trim it. */
static void test_exclude_at_edges(void **state)
{
	static const struct range want[] = {
		{ BANK + 3 * PG, BANK + 60 * PG },
		{ BANK + 128 * PG, BANK + 133 * PG },
	};

	(void)state;
	add(BANK, 64 * PG);
	add(BANK + 128 * PG, 8 * PG);
	exclude(BANK, 2 * PG); /* first pages */
	exclude(BANK - 4 * PG, 7 * PG); /* from below the bank into it */
	exclude(BANK + 62 * PG, 2 * PG); /* last pages */
	exclude(BANK + 60 * PG, 10 * PG); /* into the gap after it */
	exclude(BANK + 133 * PG, 3 * PG); /* last pages of the second bank */
	expect_free_exactly(want, ARRAY_SIZE(want));
}

/* A region covering a whole bank removes it; one outside every bank changes nothing. */
static void test_exclude_whole_bank(void **state)
{
	static const struct range want[] = { { BANK + 32 * PG, BANK + 48 * PG } };

	(void)state;
	add(BANK, 16 * PG);
	add(BANK + 32 * PG, 16 * PG);
	exclude(BANK - PG, 18 * PG);
	exclude(BANK + 100 * PG, 4 * PG);
	expect_free_exactly(want, ARRAY_SIZE(want));
}

/* One region spanning the gap between two banks trims the end of one and the start of the other. */
static void test_exclude_across_banks(void **state)
{
	static const struct range want[] = {
		{ BANK, BANK + 12 * PG },
		{ BANK + 36 * PG, BANK + 48 * PG },
	};

	(void)state;
	add(BANK, 16 * PG);
	add(BANK + 32 * PG, 16 * PG);
	exclude(BANK + 12 * PG, 24 * PG);
	expect_free_exactly(want, ARRAY_SIZE(want));
}

/* Excluding nothing is allowed and excludes nothing. */
static void test_exclude_empty(void **state)
{
	static const struct range want[] = { { BANK, BANK + 4 * PG } };

	(void)state;
	add(BANK, 4 * PG);
	exclude(BANK + PG + 0x10, 0);
	expect_free_exactly(want, ARRAY_SIZE(want));
}

/* Allocation goes on until every page is out, each exactly once; a freed page comes back. */
static void test_exhaustion(void **state)
{
	u64 got[16];
	unsigned int i, j;

	(void)state;
	add(BANK, 16 * PG);
	for (i = 0; i < 16; i++) {
		got[i] = alloc(PG, PG);
		assert_true(got[i] >= BANK && got[i] < BANK + 16 * PG);
		assert_true(IS_ALIGNED(got[i], PG));
		for (j = 0; j < i; j++)
			assert_int_not_equal(got[i], got[j]);
	}
	assert_true(alloc_fails(PG, PG));
	assert_int_equal(palloc_free_bytes(), 0);

	release(got[5], PG);
	assert_int_equal(palloc_free_bytes(), PG);
	assert_int_equal(alloc(PG, PG), got[5]);
	assert_true(alloc_fails(PG, PG));

	for (i = 0; i < 16; i++)
		release(got[i], PG);
	assert_int_equal(palloc_free_bytes(), 16 * PG);
}

/* Sizes are rounded up to pages. */
static void test_size_rounded_up(void **state)
{
	(void)state;
	add(BANK, 4 * PG);
	alloc(PG + 1, PG);
	assert_int_equal(palloc_free_bytes(), 2 * PG);
	assert_true(alloc_fails(0, PG));
	assert_int_equal(palloc_free_bytes(), 2 * PG);
}

/* A request larger than any one range fails, however much is free in total. */
static void test_needs_contiguous_range(void **state)
{
	(void)state;
	add(BANK, 8 * PG);
	add(BANK + 16 * PG, 8 * PG);
	assert_true(alloc_fails(12 * PG, PG));
	assert_int_equal(palloc_free_bytes(), 16 * PG);
	assert_int_equal(alloc(8 * PG, PG), BANK);
}

/* 2 MiB-aligned requests land on 2 MiB boundaries, and the pages skipped stay free. */
static void test_align_2m(void **state)
{
	u64 a, b;

	(void)state;
	add(BANK + PG, 8 * SZ_2M);
	a = alloc(PG, SZ_2M);
	b = alloc(SZ_2M, SZ_2M);
	assert_int_equal(a, BANK + SZ_2M);
	assert_true(IS_ALIGNED(b, SZ_2M));
	assert_true(b >= a + PG && b + SZ_2M <= BANK + PG + 8 * SZ_2M);
	assert_int_equal(palloc_free_bytes(), 8 * SZ_2M - PG - SZ_2M);
	/* The pages below the first boundary were not lost. */
	assert_int_equal(alloc(PG, PG), BANK + PG);
}

/* 1 GiB-aligned requests land on 1 GiB boundaries, and fail when no boundary leaves room. */
static void test_align_1g(void **state)
{
	(void)state;
	add(BANK + PG, 3 * SZ_1G - PG); /* up to 4 GiB */
	assert_int_equal(alloc(SZ_1G, SZ_1G), 2 * SZ_1G);
	assert_int_equal(alloc(SZ_1G, SZ_1G), 3 * SZ_1G);
	assert_true(alloc_fails(SZ_2M, SZ_1G));
	assert_int_equal(palloc_free_bytes(), SZ_1G - PG);
}

/* An alignment that is not a power of two is refused, and nothing is taken. */
static void test_align_not_power_of_two(void **state)
{
	(void)state;
	add(BANK, 4 * SZ_2M);
	assert_true(alloc_fails(PG, 3 * PG));
	assert_true(alloc_fails(PG, SZ_2M + PG));
	assert_true(alloc_fails(PG, SZ_2M | SZ_1G));
	assert_int_equal(palloc_free_bytes(), 4 * SZ_2M);
}

/* Freed neighbours merge back into one range, whatever order they come back in. */
static void test_merge_on_free(void **state)
{
	u64 a, b, c;

	(void)state;
	add(BANK, 3 * PG);
	a = alloc(PG, PG);
	b = alloc(PG, PG);
	c = alloc(PG, PG);
	release(a, PG);
	release(c, PG);
	release(b, PG);
	assert_int_equal(alloc(3 * PG, PG), BANK);
}

/*
 * Freeing far more pages one by one than the table has slots works, in
 * rising or falling order, because each page merges with the last.
 */
static void test_merge_keeps_table_small(void **state)
{
	const unsigned int n = 4 * PALLOC_MAX_RANGES;
	unsigned int i;

	(void)state;
	add(BANK, n * PG);
	alloc(n * PG, PG);
	for (i = 0; i < n; i++)
		release(BANK + i * PG, PG);
	assert_int_equal(alloc(n * PG, PG), BANK);
	for (i = n; i-- > 0;)
		release(BANK + i * PG, PG);
	assert_int_equal(alloc(n * PG, PG), BANK);
}

/* When the range table is full a new separate range is refused and nothing free is lost. */
static void test_table_full_add(void **state)
{
	const u64 last_end = BANK + (2 * PALLOC_MAX_RANGES - 1) * PG;

	(void)state;
	add_ranges(BANK, PALLOC_MAX_RANGES, 1);
	assert_int_equal(palloc_add(pa_init(BANK + SZ_1G), PG), -E_NOMEM);
	assert_int_equal(palloc_free_bytes(), PALLOC_MAX_RANGES * PG);
	/* A range touching an existing one grows it and needs no slot; the table stays full. */
	add(last_end, PG);
	assert_int_equal(palloc_add(pa_init(BANK + SZ_1G), PG), -E_NOMEM);
	/* One that closes a gap joins two ranges into one. */
	add(BANK + PG, PG);
	assert_int_equal(palloc_free_bytes(), (PALLOC_MAX_RANGES + 2) * PG);
	assert_int_equal(alloc(3 * PG, PG), BANK);
	assert_int_equal(alloc(2 * PG, PG), last_end - PG);
}

/* When the table is full a hole in the middle of a range is refused, losing nothing. */
static void test_table_full_exclude(void **state)
{
	(void)state;
	add_ranges(BANK, PALLOC_MAX_RANGES, 3);
	assert_int_equal(palloc_exclude(pa_init(BANK + PG), PG), -E_NOMEM);
	assert_int_equal(palloc_free_bytes(), PALLOC_MAX_RANGES * 3 * PG);
	/* Cutting an edge needs no slot. */
	exclude(BANK, PG);
	assert_int_equal(palloc_free_bytes(), (PALLOC_MAX_RANGES * 3 - 1) * PG);
	assert_int_equal(alloc(2 * PG, PG), BANK + PG);
}

/* When the table is full an allocation that must split its range fails, losing nothing. */
static void test_table_full_alloc_split(void **state)
{
	(void)state;
	add(BANK + PG, 2 * SZ_2M); /* 2 MiB boundary inside: needs a split */
	add_ranges(BANK + SZ_1G + PG, PALLOC_MAX_RANGES - 1, 1); /* none 2 MiB-aligned */
	assert_true(alloc_fails(PG, SZ_2M));
	assert_int_equal(palloc_free_bytes(), 2 * SZ_2M + (PALLOC_MAX_RANGES - 1) * PG);
}

/*
 * When the table is full and the first range that fits would have to be
 * split, a later range that fits without a split is used: a free range can
 * hold the request, so palloc_alloc must not fail.
 */
static void test_table_full_alloc_uses_later_range(void **state)
{
	(void)state;
	add(BANK + PG, 2 * SZ_2M); /* 2 MiB boundary inside: needs a split */
	add_ranges(BANK + SZ_1G, PALLOC_MAX_RANGES - 1, 1); /* the first is 2 MiB-aligned */
	assert_int_equal(alloc(PG, SZ_2M), BANK + SZ_1G);
	assert_int_equal(palloc_free_bytes(), 2 * SZ_2M + (PALLOC_MAX_RANGES - 2) * PG);
}

/* A range added twice is free once: the pages are not handed out twice. */
static void test_add_repeated(void **state)
{
	static const struct range want[] = { { BANK, BANK + 16 * PG } };

	(void)state;
	add(BANK, 16 * PG);
	add(BANK, 16 * PG);
	expect_free_exactly(want, ARRAY_SIZE(want));
}

/* Overlapping ranges (either side, inside, bridging a gap) merge into their union. */
static void test_add_overlapping(void **state)
{
	static const struct range want[] = { { BANK, BANK + 40 * PG },
					     { BANK + 50 * PG, BANK + 60 * PG } };

	(void)state;
	add(BANK + 8 * PG, 8 * PG);
	add(BANK + 4 * PG, 8 * PG); /* over the start */
	add(BANK + 12 * PG, 8 * PG); /* over the end */
	add(BANK + 6 * PG, 2 * PG); /* inside */
	add(BANK + 30 * PG, 10 * PG);
	add(BANK, 32 * PG); /* bridges both */
	add(BANK + 50 * PG, 10 * PG);
	expect_free_exactly(want, ARRAY_SIZE(want));
}

/*
 * A repeated bank with an image excluded from its middle: the image is not
 * free in any copy (this is how a repeated memory node once gave Partita's
 * own image to a VM).
 */
static void test_exclude_from_repeated_bank(void **state)
{
	static const struct range want[] = { { BANK, BANK + 4 * PG },
					     { BANK + 8 * PG, BANK + 16 * PG } };

	(void)state;
	add(BANK, 16 * PG);
	add(BANK, 16 * PG);
	add(BANK + 2 * PG, 4 * PG);
	exclude(BANK + 4 * PG, 4 * PG);
	expect_free_exactly(want, ARRAY_SIZE(want));
}

/* Freeing a range twice, or one that overlaps free memory, frees each page once. */
static void test_double_free(void **state)
{
	static const struct range want[] = { { BANK, BANK + 8 * PG } };
	u64 a;

	(void)state;
	add(BANK, 8 * PG);
	a = alloc(4 * PG, PG);
	release(a, 4 * PG);
	release(a, 4 * PG);
	release(BANK, 8 * PG);
	expect_free_exactly(want, ARRAY_SIZE(want));
}

/* Excluding one range that spans many free ranges removes it from each. */
static void test_exclude_across_many_ranges(void **state)
{
	static const struct range want[] = { { BANK, BANK + 2 * PG },
					     { BANK + 40 * PG, BANK + 41 * PG } };

	(void)state;
	add_ranges(BANK, 11, 3); /* [0,3) [4,7) ... [40,43) */
	add(BANK, 2 * PG); /* overlaps the first */
	exclude(BANK + 2 * PG, 38 * PG);
	exclude(BANK + 41 * PG, 2 * PG);
	expect_free_exactly(want, ARRAY_SIZE(want));
}

/* Ranges whose end wraps past the top of the address space stop at the top. */
static void test_wrapping_ranges(void **state)
{
	static const struct range want[] = { { BANK, BANK + 4 * PG } };
	const u64 top = ALIGN_DOWN(~0UL, PG);

	(void)state;
	add(top - 3 * PG, 8 * PG); /* wraps: keeps the three whole pages below the top */
	assert_int_equal(palloc_free_bytes(), 3 * PG);
	add(~0UL - 10, 100); /* starts inside the top page: nothing */
	assert_int_equal(palloc_free_bytes(), 3 * PG);
	add(BANK, 16 * PG);
	exclude(BANK + 4 * PG, ~0UL); /* wraps: everything above BANK + 4 pages */
	expect_free_exactly(want, ARRAY_SIZE(want));
}

/*
 * The largest block palloc_alloc could give at an alignment: free memory
 * split by holes is told apart from free memory that is merely too little.
 */
static void test_largest_free_run(void **state)
{
	const u64 mib = 1UL << 20;

	(void)state;
	assert_int_equal(palloc_largest(SZ_2M), 0);
	/* 126 MiB free, but in two pieces: [1 MiB, 63 MiB) and [65 MiB, 129 MiB). */
	add(BANK + mib, 128 * mib);
	exclude(BANK + 63 * mib, 2 * mib);
	assert_int_equal(palloc_free_bytes(), 126 * mib);
	/* From a 2 MiB boundary the pieces hold 61 and 63 MiB; from any page, 62 and 64. */
	assert_int_equal(palloc_largest(SZ_2M), 63 * mib);
	assert_int_equal(palloc_largest(PG), 64 * mib);
	assert_int_equal(palloc_largest(0), 64 * mib);
	assert_int_equal(palloc_largest(SZ_1G), 0);
	assert_int_equal(palloc_largest(3 * PG), 0);
	/* What it says is exactly what palloc_alloc can do. */
	assert_true(alloc_fails(63 * mib + PG, SZ_2M));
	assert_int_equal(alloc(63 * mib, SZ_2M), BANK + 66 * mib);
	assert_int_equal(palloc_largest(SZ_2M), 61 * mib);
	/* A range that ends before its first aligned address counts for nothing. */
	palloc_reset();
	add(BANK + PG, mib);
	assert_int_equal(palloc_largest(SZ_2M), 0);
	assert_int_equal(palloc_largest(PG), mib);
}

/* A claim at a fixed address succeeds only when every page of it is free. */
static void test_claim(void **state)
{
	const u64 mib = 1UL << 20;

	(void)state;
	add(BANK, 64 * mib);
	exclude(BANK + 8 * mib, PG); /* something of Partita's */
	assert_int_equal(palloc_claim(pa_init(BANK + 16 * mib), 16 * mib), 0);
	assert_int_equal(palloc_free_bytes(), 48 * mib - PG);
	/* Taken once, never twice; overlapping it, or a used page, or no RAM: busy. */
	assert_int_equal(palloc_claim(pa_init(BANK + 16 * mib), 16 * mib), -E_BUSY);
	assert_int_equal(palloc_claim(pa_init(BANK + 30 * mib), 4 * mib), -E_BUSY);
	assert_int_equal(palloc_claim(pa_init(BANK + 6 * mib), 4 * mib), -E_BUSY);
	assert_int_equal(palloc_claim(pa_init(BANK + 62 * mib), 4 * mib), -E_BUSY);
	assert_int_equal(palloc_claim(pa_init(0x1000), PG), -E_BUSY);
	assert_int_equal(palloc_free_bytes(), 48 * mib - PG);
	/* Malformed. */
	assert_int_equal(palloc_claim(pa_init(BANK + 1), PG), -E_INVAL);
	assert_int_equal(palloc_claim(pa_init(BANK), PG + 1), -E_INVAL);
	assert_int_equal(palloc_claim(pa_init(BANK), 0), -E_INVAL);
	assert_int_equal(palloc_claim(pa_init(~0UL - PG + 1), 2 * PG), -E_INVAL);
	/* Exactly a whole free range, and what remains still allocates. */
	assert_int_equal(palloc_claim(pa_init(BANK + 32 * mib), 32 * mib), 0);
	assert_int_equal(palloc_free_bytes(), 16 * mib - PG);
	assert_int_equal(alloc(8 * mib, PG), BANK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_trims_to_pages, reset),
		cmocka_unit_test_setup(test_reset, reset),
		cmocka_unit_test_setup(test_exclude_inside, reset),
		cmocka_unit_test_setup(test_exclude_at_edges, reset),
		cmocka_unit_test_setup(test_exclude_whole_bank, reset),
		cmocka_unit_test_setup(test_exclude_across_banks, reset),
		cmocka_unit_test_setup(test_exclude_empty, reset),
		cmocka_unit_test_setup(test_exhaustion, reset),
		cmocka_unit_test_setup(test_size_rounded_up, reset),
		cmocka_unit_test_setup(test_needs_contiguous_range, reset),
		cmocka_unit_test_setup(test_align_2m, reset),
		cmocka_unit_test_setup(test_align_1g, reset),
		cmocka_unit_test_setup(test_align_not_power_of_two, reset),
		cmocka_unit_test_setup(test_merge_on_free, reset),
		cmocka_unit_test_setup(test_merge_keeps_table_small, reset),
		cmocka_unit_test_setup(test_table_full_add, reset),
		cmocka_unit_test_setup(test_table_full_exclude, reset),
		cmocka_unit_test_setup(test_table_full_alloc_split, reset),
		cmocka_unit_test_setup(test_table_full_alloc_uses_later_range, reset),
		cmocka_unit_test_setup(test_add_repeated, reset),
		cmocka_unit_test_setup(test_add_overlapping, reset),
		cmocka_unit_test_setup(test_exclude_from_repeated_bank, reset),
		cmocka_unit_test_setup(test_double_free, reset),
		cmocka_unit_test_setup(test_exclude_across_many_ranges, reset),
		cmocka_unit_test_setup(test_wrapping_ranges, reset),
		cmocka_unit_test_setup(test_largest_free_run, reset),
		cmocka_unit_test_setup(test_claim, reset),
	};

	return cmocka_run_group_tests_name("palloc", tests, NULL, NULL);
}
