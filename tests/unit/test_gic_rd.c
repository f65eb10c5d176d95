/*
 * platform/gic_rd.c: finding a CPU's GICv3 redistributor by walking the
 * frames of every region, against fake GICR_TYPER values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "platform/gic_rd.h"

#define MAX_FRAMES 16

/* The fake machine: the GICR_TYPER of the redistributor at each RD_base. */
static struct {
	u64 addr, typer;
} frames[MAX_FRAMES];
static unsigned int frame_count, reads;

static u64 fake_typer(u64 addr)
{
	reads++;
	for (unsigned int i = 0; i < frame_count; i++) {
		if (frames[i].addr == addr)
			return frames[i].typer;
	}
	fail_msg("read of GICR_TYPER at 0x%lx, where there is no redistributor", addr);
	return 0;
}

static u64 typer(u64 mpidr, bool last, bool vlpis)
{
	return ((u64)gic_rd_affinity(mpidr) << 32) | (last ? GICR_TYPER_LAST : 0) |
	       (vlpis ? GICR_TYPER_VLPIS : 0);
}

/* Lays out count redistributors from base (affinities mpidrs[]), Last on the final one. */
static void region(u64 base, const u64 *mpidrs, unsigned int count, bool vlpis)
{
	u64 step = vlpis ? GICR_FRAMES_SIZE_VLPI : GICR_FRAMES_SIZE;

	for (unsigned int i = 0; i < count; i++) {
		frames[frame_count].addr = base + i * step;
		frames[frame_count].typer = typer(mpidrs[i], i == count - 1, vlpis);
		frame_count++;
	}
}

static int reset(void **state)
{
	(void)state;
	frame_count = 0;
	reads = 0;
	return 0;
}

static void test_affinity(void **state)
{
	(void)state;
	assert_int_equal(gic_rd_affinity(0x0), 0);
	assert_int_equal(gic_rd_affinity(0x80000003), 3); /* bit 31 (RES1) is not affinity */
	assert_int_equal(gic_rd_affinity(0x12ab0203), 0xab0203);
	assert_int_equal(gic_rd_affinity(0x4500010203UL), 0x45010203);
}

/* One region: each CPU's frame is found, an unknown affinity is not. */
static void test_one_region(void **state)
{
	const u64 mpidrs[] = { 0x0, 0x1, 0x2, 0x3 };
	struct plat_range r = { 0x080a0000, 4 * GICR_FRAMES_SIZE };

	(void)state;
	region(r.base, mpidrs, 4, false);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(gic_rd_find(&r, 1, mpidrs[i], fake_typer),
				 r.base + i * GICR_FRAMES_SIZE);
	assert_int_equal(gic_rd_find(&r, 1, 0x100, fake_typer), 0);
}

/* Two regions, each with Last on its final frame: the second is searched too. */
static void test_second_region(void **state)
{
	const u64 first[] = { 0x0, 0x1 }, second[] = { 0x100, 0x101 };
	struct plat_range r[2] = { { 0x080a0000, 2 * GICR_FRAMES_SIZE },
				   { 0x10000000, 2 * GICR_FRAMES_SIZE } };

	(void)state;
	region(r[0].base, first, 2, false);
	region(r[1].base, second, 2, false);
	assert_int_equal(gic_rd_find(r, 2, 0x1, fake_typer), r[0].base + GICR_FRAMES_SIZE);
	assert_int_equal(gic_rd_find(r, 2, 0x100, fake_typer), r[1].base);
	assert_int_equal(gic_rd_find(r, 2, 0x101, fake_typer), r[1].base + GICR_FRAMES_SIZE);
	assert_int_equal(gic_rd_find(r, 2, 0x102, fake_typer), 0);
	/* Only the first region given: the second is never looked at. */
	assert_int_equal(gic_rd_find(r, 1, 0x100, fake_typer), 0);
}

/* GICv4 redistributors (VLPIS) take four frames each. */
static void test_vlpi_stride(void **state)
{
	const u64 mpidrs[] = { 0x0, 0x1, 0x2 };
	struct plat_range r = { 0x080a0000, 3 * GICR_FRAMES_SIZE_VLPI };

	(void)state;
	region(r.base, mpidrs, 3, true);
	assert_int_equal(gic_rd_find(&r, 1, 0x2, fake_typer), r.base + 2 * GICR_FRAMES_SIZE_VLPI);
}

/* A region without Last (a firmware split one region into two) ends at its size. */
static void test_region_end_without_last(void **state)
{
	const u64 mpidrs[] = { 0x0, 0x1, 0x2, 0x3 };
	struct plat_range r[2] = { { 0x080a0000, 2 * GICR_FRAMES_SIZE },
				   { 0x080a0000 + 2 * GICR_FRAMES_SIZE, 2 * GICR_FRAMES_SIZE } };

	(void)state;
	region(r[0].base, mpidrs, 4, false); /* contiguous: Last only on the fourth */
	assert_int_equal(gic_rd_find(r, 2, 0x3, fake_typer), r[1].base + GICR_FRAMES_SIZE);
	reads = 0;
	assert_int_equal(gic_rd_find(&r[0], 1, 0x3, fake_typer), 0);
	assert_int_equal(reads, 2); /* never past the end of the region */
}

/* A region too small for one redistributor, or empty, is never read. */
static void test_tiny_region(void **state)
{
	struct plat_range r[2] = { { 0x080a0000, GICR_FRAMES_SIZE - 1 }, { 0x090a0000, 0 } };

	(void)state;
	assert_int_equal(gic_rd_find(r, 2, 0x0, fake_typer), 0);
	assert_int_equal(reads, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_affinity, reset),
		cmocka_unit_test_setup(test_one_region, reset),
		cmocka_unit_test_setup(test_second_region, reset),
		cmocka_unit_test_setup(test_vlpi_stride, reset),
		cmocka_unit_test_setup(test_region_end_without_last, reset),
		cmocka_unit_test_setup(test_tiny_region, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
