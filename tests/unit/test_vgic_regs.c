/*
 * vcpu/vgic/ registers: the GICv3 distributor and redistributors and the
 * GICv2 distributor. Reset values, set/clear pairs, byte access where the
 * GIC specification allows it, forbidden widths refused, RAZ/WI space.
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
static u32 kick;

static u64 d3r(u64 offset, unsigned int size)
{
	u64 val = 0xdead;

	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, offset, size, &val), 0);
	return val;
}

static void d3w(u64 offset, unsigned int size, u64 val)
{
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, offset, size, val, &kick), 0);
}

static u64 r3r(unsigned int rd, u64 offset, unsigned int size)
{
	u64 val = 0xdead;

	assert_int_equal(vgic_v3_redist_read(&vm.d, rd, offset, size, &val), 0);
	return val;
}

static void r3w(unsigned int rd, u64 offset, unsigned int size, u64 val)
{
	assert_int_equal(vgic_v3_redist_write(&vm.d, rd, offset, size, val, &kick), 0);
}

static u64 d2r(unsigned int id, u64 offset, unsigned int size)
{
	u64 val = 0xdead;

	assert_int_equal(vgic_v2_dist_read(&vm.d, id, offset, size, &val), 0);
	return val;
}

static void d2w(unsigned int id, u64 offset, unsigned int size, u64 val)
{
	assert_int_equal(vgic_v2_dist_write(&vm.d, id, offset, size, val, &kick), 0);
}

static int setup_v3(void **state)
{
	(void)state;
	fake_vm_init(&vm, VGIC_V3, 2, 4);
	kick = 0;
	return 0;
}

static int setup_v2(void **state)
{
	(void)state;
	fake_vm_init(&vm, VGIC_V2, 2, 4);
	kick = 0;
	return 0;
}

/* Reset values: ARE and DS read 1, TYPER from the VM's 64 SPIs, no LPIs. */
static void test_v3_dist_reset(void **state)
{
	u32 i;

	(void)state;
	assert_int_equal(d3r(0x0, 4), BIT(4) | BIT(6)); /* CTLR: ARE, DS */
	/* TYPER: ITLinesNumber 2 (INTIDs to 95), IDbits 9, No1N; LPIS, MBIS clear */
	assert_int_equal(d3r(0x4, 4), 2 | 9U << 19 | BIT(25));
	assert_int_equal(d3r(0x8, 4), 0x5000043b); /* IIDR */
	assert_int_equal(d3r(0xc, 4), 0); /* TYPER2 */
	assert_int_equal(d3r(0xffe8, 4) >> 4 & 0xf, 3); /* PIDR2.ArchRev */
	for (i = 1; i < 3; i++) {
		assert_int_equal(d3r(0x80 + 4 * i, 4), 0xffffffff); /* Group 1 */
		assert_int_equal(d3r(0x100 + 4 * i, 4), 0);
		assert_int_equal(d3r(0x200 + 4 * i, 4), 0);
		assert_int_equal(d3r(0x300 + 4 * i, 4), 0);
	}
	assert_int_equal(d3r(0x420, 4), 0);
	assert_int_equal(d3r(0xc08, 4), 0); /* level-sensitive */
	assert_int_equal(d3r(0x6100, 8), 0); /* IROUTER32: vCPU 0 */
}

/* Each set register and its clear twin read the same state. */
static void test_v3_dist_set_clear(void **state)
{
	const u64 set[] = { 0x100, 0x200, 0x300 };
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		d3w(set[i] + 4, 4, 0x00010005);
		assert_int_equal(d3r(set[i] + 4, 4), 0x00010005);
		assert_int_equal(d3r(set[i] + 0x80 + 4, 4), 0x00010005);
		d3w(set[i] + 0x80 + 4, 4, 0x00010001);
		assert_int_equal(d3r(set[i] + 4, 4), 0x4);
		assert_int_equal(d3r(set[i] + 0x80 + 4, 4), 0x4);
	}
	d3w(0x84, 4, 0x0000ffff); /* IGROUPR assigns */
	assert_int_equal(d3r(0x84, 4), 0x0000ffff);
	d3w(0xc08, 4, 0x80000002); /* ICFGR2: INTIDs 32 and 47 edge */
	assert_int_equal(d3r(0xc08, 4), 0x80000002);
	d3w(0, 4, 0x3);
	assert_int_equal(d3r(0, 4), 0x53); /* ARE and DS stay */
	d3w(0, 4, 0);
	assert_int_equal(d3r(0, 4), 0x50);
}

/* SGIs and PPIs belong to the redistributors (ARE = 1); INTIDs past the VM's
 * SPIs do not exist; reserved offsets are RAZ/WI. */
static void test_v3_dist_raz_wi(void **state)
{
	(void)state;
	d3w(0x100, 4, 0xffffffff);
	assert_int_equal(vm.cpu[0].priv[1].enabled, false);
	r3w(0, 0x10100, 4, 0xffffffff);
	assert_int_equal(d3r(0x100, 4), 0);
	d3w(0x400, 4, 0xffffffff);
	assert_int_equal(d3r(0x400, 4), 0);
	d3w(0x6000, 8, 1);
	assert_int_equal(d3r(0x6000, 8), 0);
	d3w(0x10c, 4, 0xffffffff); /* INTIDs 96-127: beyond 64 SPIs */
	assert_int_equal(d3r(0x10c, 4), 0);
	d3w(0x460, 4, 0xffffffff);
	assert_int_equal(d3r(0x460, 4), 0);
	d3w(0x6000 + 8 * 96, 8, 1);
	assert_int_equal(d3r(0x6000 + 8 * 96, 8), 0);
	d3w(0x820, 4, 0xffffffff); /* ITARGETSR: ARE */
	assert_int_equal(d3r(0x820, 4), 0);
	d3w(0xf00, 4, 0x01000001); /* SGIR: ARE */
	assert_int_equal(vm.cpu[0].priv[1].latch, false);
	d3w(0x5000, 4, 0xffffffff);
	assert_int_equal(d3r(0x5000, 4), 0);
	assert_int_equal(d3r(0xd04, 4), 0); /* IGRPMODR: DS = 1 */
}

/* IPRIORITYR: byte and word access, only the implemented priority bits. */
static void test_v3_priority_bytes(void **state)
{
	(void)state;
	d3w(0x421, 1, 0xff);
	assert_int_equal(d3r(0x420, 4), 0x0000f800);
	assert_int_equal(d3r(0x421, 1), 0xf8);
	assert_int_equal(d3r(0x420, 1), 0);
	d3w(0x424, 4, 0x10203040);
	assert_int_equal(d3r(0x427, 1), 0x10);
	assert_int_equal(d3r(0x426, 1), 0x20);
}

/* IROUTER: 64-bit or either 32-bit half; IRM and reserved bits RAZ/WI. */
static void test_v3_irouter(void **state)
{
	(void)state;
	d3w(0x6000 + 8 * 40, 8, 0xffffffffffffffffUL);
	assert_int_equal(d3r(0x6000 + 8 * 40, 8), 0xff00ffffffUL);
	d3w(0x6000 + 8 * 40, 4, 1);
	assert_int_equal(d3r(0x6000 + 8 * 40, 8), 0xff00000001UL);
	d3w(0x6000 + 8 * 40 + 4, 4, 0);
	assert_int_equal(d3r(0x6000 + 8 * 40, 8), 1);
	assert_int_equal(d3r(0x6000 + 8 * 40, 4), 1);
	assert_int_equal(d3r(0x6000 + 8 * 40 + 4, 4), 0);
	/* Routed to vCPU 1: enabling it pending kicks vCPU 1. */
	d3w(0x204, 4, BIT(8));
	kick = 0;
	d3w(0x104, 4, BIT(8));
	assert_int_equal(kick, BIT(1));
	assert_ptr_equal(vm.cpu[1].head, &vm.spis[8]);
	/* Routed to no vCPU of the VM: pending, delivered nowhere. */
	d3w(0x6000 + 8 * 40, 8, 0x100);
	assert_null(vm.cpu[1].head);
	assert_null(vm.cpu[0].head);
	assert_int_equal(d3r(0x204, 4), BIT(8));
}

/* Widths the specification does not allow are refused, not emulated. */
static void test_v3_forbidden_widths(void **state)
{
	u64 val;

	(void)state;
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x0, 1, &val), -E_INVAL);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x0, 2, &val), -E_INVAL);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x0, 8, &val), -E_INVAL);
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0x104, 8, 0, &kick), -E_INVAL);
	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, 0x420, 2, 0, &kick), -E_INVAL);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x422, 4, &val), -E_INVAL);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x6100, 1, &val), -E_INVAL);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x6104, 8, &val), -E_INVAL);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x5000, 3, &val), -E_INVAL);
	assert_int_equal(vgic_v3_redist_read(&vm.d, 0, 0x14, 8, &val), -E_INVAL);
	assert_int_equal(vgic_v3_redist_read(&vm.d, 0, 0x10400, 2, &val), -E_INVAL);
	assert_int_equal(vgic_v3_redist_read(&vm.d, 0, 0x10100, 1, &val), -E_INVAL);
	assert_int_equal(vgic_v2_dist_read(&vm.d, 0, 0x800, 2, &val), -E_INVAL);
	assert_int_equal(vgic_v2_dist_read(&vm.d, 0, 0x100, 1, &val), -E_INVAL);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 0, 0xf00, 8, 0, &kick), -E_INVAL);
	/* A refused write changed nothing. */
	assert_int_equal(d3r(0x420, 4), 0);
}

/* GICR_TYPER: Processor_Number, affinity of the vCPU, Last on the final one. */
static void test_v3_redist_rd_base(void **state)
{
	(void)state;
	assert_int_equal(r3r(0, 0x8, 8), 0);
	assert_int_equal(r3r(1, 0x8, 8), 1UL << 32 | 1 << 8 | BIT(4));
	assert_int_equal(r3r(1, 0x8, 4), 1 << 8 | BIT(4));
	assert_int_equal(r3r(1, 0xc, 4), 1);
	assert_int_equal(r3r(0, 0x0, 4), 0); /* CTLR: no LPIs to enable */
	r3w(0, 0x0, 4, 1);
	assert_int_equal(r3r(0, 0x0, 4), 0);
	assert_int_equal(r3r(0, 0x4, 4), 0x5000043b);
	assert_int_equal(r3r(0, 0xffe8, 4) >> 4 & 0xf, 3);
	assert_int_equal(r3r(0, 0x70, 8), 0); /* PROPBASER RAZ/WI */
	r3w(0, 0x70, 8, 0x1234000);
	assert_int_equal(r3r(0, 0x70, 8), 0);
	/* A redistributor the VM does not have is RAZ/WI. */
	assert_int_equal(r3r(2, 0x8, 8), 0);
	r3w(2, 0x14, 4, 0);
}

/* WAKER: asleep at reset; ChildrenAsleep follows ProcessorSleep. */
static void test_v3_redist_waker(void **state)
{
	(void)state;
	assert_int_equal(r3r(0, 0x14, 4), 0x6);
	r3w(0, 0x14, 4, 0);
	assert_int_equal(r3r(0, 0x14, 4), 0);
	assert_int_equal(r3r(1, 0x14, 4), 0x6);
	r3w(0, 0x14, 4, 0x2);
	assert_int_equal(r3r(0, 0x14, 4), 0x6);
}

/* SGI_base: the vCPU's own SGIs and PPIs, reset values and set/clear pairs. */
static void test_v3_redist_sgi_base(void **state)
{
	const u64 set[] = { 0x10100, 0x10200, 0x10300 };
	unsigned int i;

	(void)state;
	assert_int_equal(r3r(1, 0x10080, 4), 0xffffffff);
	assert_int_equal(r3r(1, 0x10c00, 4), 0xaaaaaaaa); /* SGIs: edge, read-only */
	r3w(1, 0x10c00, 4, 0);
	assert_int_equal(r3r(1, 0x10c00, 4), 0xaaaaaaaa);
	assert_int_equal(r3r(1, 0x10c04, 4), 0);
	r3w(1, 0x10c04, 4, 0x00800000); /* PPI 27 edge */
	assert_int_equal(r3r(1, 0x10c04, 4), 0x00800000);
	for (i = 0; i < 3; i++) {
		r3w(1, set[i], 4, 0x08000003);
		assert_int_equal(r3r(1, set[i], 4), 0x08000003);
		assert_int_equal(r3r(1, set[i] + 0x80, 4), 0x08000003);
		assert_int_equal(r3r(0, set[i], 4), 0); /* banked: vCPU 0 untouched */
		r3w(1, set[i] + 0x80, 4, 0x1);
		assert_int_equal(r3r(1, set[i], 4), 0x08000002);
	}
	r3w(1, 0x10405, 1, 0x77);
	assert_int_equal(r3r(1, 0x10404, 4), 0x7000);
	assert_int_equal(r3r(0, 0x10404, 4), 0);
	assert_int_equal(r3r(1, 0x10104, 4), 0); /* no SPI registers here */
	assert_int_equal(r3r(1, 0x10d00, 4), 0); /* IGRPMODR0 RAZ/WI */
}

static void test_v2_dist_reset(void **state)
{
	(void)state;
	assert_int_equal(d2r(0, 0x0, 4), 0);
	/* TYPER: ITLinesNumber 2, CPUNumber 1 (two CPUs), SecurityExtn 0 */
	assert_int_equal(d2r(0, 0x4, 4), 2 | 1 << 5);
	assert_int_equal(d2r(0, 0x8, 4), 0x5000043b);
	assert_int_equal(d2r(0, 0xfe8, 4) >> 4 & 0xf, 2); /* ICPIDR2.ArchRev */
	assert_int_equal(d2r(0, 0x80, 4), 0); /* Group 0 */
	assert_int_equal(d2r(0, 0x84, 4), 0);
	assert_int_equal(d2r(0, 0xc00, 4), 0xaaaaaaaa);
	assert_int_equal(d2r(0, 0x820, 4), 0x01010101); /* SPIs to CPU 0 */
	d2w(0, 0x0, 4, 0x3);
	assert_int_equal(d2r(1, 0x0, 4), 0x3);
}

/* ITARGETSR: the SGI and PPI bytes read the reader's own bit; SPI bytes
 * keep only CPUs that exist; byte and word access. */
static void test_v2_itargetsr(void **state)
{
	(void)state;
	assert_int_equal(d2r(0, 0x800, 1), 0x01);
	assert_int_equal(d2r(1, 0x81c, 4), 0x02020202);
	d2w(1, 0x81c, 4, 0x01010101); /* read-only */
	assert_int_equal(d2r(1, 0x81c, 4), 0x02020202);
	d2w(0, 0x821, 1, 0xff);
	assert_int_equal(d2r(0, 0x820, 4), 0x01010301);
	assert_int_equal(d2r(1, 0x821, 1), 0x03);
	d2w(0, 0x824, 4, 0x02020202);
	assert_int_equal(d2r(0, 0x826, 1), 0x02);
	assert_int_equal(d2r(0, 0x860, 4), 0); /* beyond the VM's SPIs */
}

/* Set/clear pairs, banked INTIDs 0-31, SGI pending bits only via SGIR. */
static void test_v2_set_clear(void **state)
{
	(void)state;
	d2w(1, 0x100, 4, 0x00010002);
	assert_int_equal(d2r(1, 0x180, 4), 0x00010002);
	assert_int_equal(d2r(0, 0x100, 4), 0);
	d2w(1, 0x180, 4, 0x2);
	assert_int_equal(d2r(1, 0x100, 4), 0x00010000);
	d2w(0, 0x200, 4, 0x00010002); /* SGI 1's bit is ignored */
	assert_int_equal(d2r(0, 0x200, 4), 0x00010000);
	d2w(0, 0x204, 4, 0x5);
	assert_int_equal(d2r(0, 0x284, 4), 0x5);
	d2w(0, 0x284, 4, 0x1);
	assert_int_equal(d2r(1, 0x204, 4), 0x4); /* SPIs are shared */
	d2w(0, 0x80, 4, 0xffff0000);
	assert_int_equal(d2r(0, 0x80, 4), 0xffff0000);
	assert_int_equal(d2r(1, 0x80, 4), 0);
	d2w(0, 0x401, 1, 0x90);
	assert_int_equal(d2r(0, 0x400, 4), 0x9000);
	assert_int_equal(d2r(1, 0x400, 4), 0);
}

/* CPENDSGIR/SPENDSGIR: a byte per SGI, a bit per source CPU. */
static void test_v2_sgi_pending_regs(void **state)
{
	(void)state;
	d2w(0, 0xf25, 1, 0xff);
	assert_int_equal(d2r(0, 0xf24, 4), 0x0300);
	assert_int_equal(d2r(0, 0xf14, 4), 0x0300);
	assert_int_equal(d2r(0, 0x200, 4), BIT(5));
	assert_int_equal(d2r(1, 0xf24, 4), 0);
	d2w(0, 0xf15, 1, 0x01);
	assert_int_equal(d2r(0, 0xf25, 1), 0x02);
	d2w(0, 0xf14, 4, 0xffffffff);
	assert_int_equal(d2r(0, 0x200, 4), 0);
	/* SGIR from CPU 1 to CPU 0 sets source bit 1. */
	d2w(1, 0xf00, 4, BIT(16) | 7);
	assert_int_equal(d2r(0, 0xf24, 4), 0x02000000);
	assert_int_equal(d2r(0, 0xf00, 4), 0); /* write-only */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_v3_dist_reset, setup_v3),
		cmocka_unit_test_setup(test_v3_dist_set_clear, setup_v3),
		cmocka_unit_test_setup(test_v3_dist_raz_wi, setup_v3),
		cmocka_unit_test_setup(test_v3_priority_bytes, setup_v3),
		cmocka_unit_test_setup(test_v3_irouter, setup_v3),
		cmocka_unit_test_setup(test_v3_forbidden_widths, setup_v3),
		cmocka_unit_test_setup(test_v3_redist_rd_base, setup_v3),
		cmocka_unit_test_setup(test_v3_redist_waker, setup_v3),
		cmocka_unit_test_setup(test_v3_redist_sgi_base, setup_v3),
		cmocka_unit_test_setup(test_v2_dist_reset, setup_v2),
		cmocka_unit_test_setup(test_v2_itargetsr, setup_v2),
		cmocka_unit_test_setup(test_v2_set_clear, setup_v2),
		cmocka_unit_test_setup(test_v2_sgi_pending_regs, setup_v2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
