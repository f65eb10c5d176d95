/*
 * vcpu/vgic/ list registers: allocation from the pending list in priority
 * order across refills, fold-back of what the guest did, level interrupts
 * pending again while their line is high, HW-mapped entries, GICv2 SGI
 * sources, and the two hardware LR formats bit by bit.
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

static void wr(u64 offset, unsigned int size, u64 val)
{
	u32 kick = 0;

	assert_int_equal(vgic_v3_dist_write(&vm.d, 0, offset, size, val, &kick), 0);
}

static u32 rd(u64 offset)
{
	u64 val;

	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, offset, 4, &val), 0);
	return (u32)val;
}

/* A GICv3 VM whose redistributors the guest has woken (GICR_WAKER). */
static void v3_vm(unsigned int vcpus, unsigned int lrs)
{
	u32 kick = 0, i;

	fake_vm_init(&vm, VGIC_V3, vcpus, lrs);
	for (i = 0; i < vcpus; i++)
		assert_int_equal(vgic_v3_redist_write(&vm.d, i, 0x14, 4, 0, &kick), 0);
}

/* SPI intid enabled, priority prio, routed to vCPU 0. */
static void spi_setup(u32 intid, u8 prio)
{
	wr(0x400 + intid, 1, prio);
	wr(0x100 + intid / 32 * 4, 4, BIT(intid % 32));
}

static void spi_pend(u32 intid)
{
	wr(0x200 + intid / 32 * 4, 4, BIT(intid % 32));
}

/* Ten SPIs, four LRs: every one delivered once, in priority order (ties by
 * INTID), through underflow maintenance refills. */
static void test_more_pending_than_lrs(void **state)
{
	const u8 prio[10] = { 0xa0, 0x20, 0xf0, 0x20, 0x08, 0x80, 0x60, 0x40, 0x10, 0xa0 };
	u32 order[10], n = 0, refills = 0, i;
	int lr;

	(void)state;
	v3_vm(1, 4);
	wr(0, 4, 2); /* GICD_CTLR.EnableGrp1 */
	for (i = 0; i < 10; i++) {
		spi_setup(40 + i, prio[i]);
		spi_pend(40 + i);
	}
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 4);
	assert_true(vm.cpu[0].underflow);
	while (n < 10) {
		/* The guest takes one interrupt at a time, as a handler does. */
		while ((lr = fake_ack(&vm, 0)) >= 0) {
			order[n++] = fake_intid(&vm, 0, lr);
			fake_eoi(&vm, 0, lr);
		}
		assert_true(n == 10 || fake_underflow_fires(&vm, 0));
		fake_exit(&vm, 0);
		fake_enter(&vm, 0);
		assert_true(++refills <= 3);
	}
	for (i = 1; i < 10; i++) {
		u8 a = prio[order[i - 1] - 40], b = prio[order[i] - 40];

		assert_true(a < b || (a == b && order[i - 1] < order[i]));
	}
	assert_int_equal(order[0], 44);
	assert_int_equal(vm.cpu[0].lr_used, 0);
	assert_false(vm.cpu[0].underflow);
	assert_int_equal(rd(0x204), 0); /* nothing pending any more */
}

/* A single LR: the EOI maintenance interrupt of its entry, not underflow
 * (which would fire at once), brings the next one in. */
static void test_single_lr(void **state)
{
	u32 seen = 0, i;
	int lr;

	(void)state;
	v3_vm(1, 1);
	wr(0, 4, 2);
	wr(0xc08, 4, 0xaaaaaaaa); /* edge: no EOI maintenance of their own */
	for (i = 0; i < 3; i++) {
		spi_setup(32 + i, 0x80);
		spi_pend(32 + i);
	}
	for (i = 0; i < 3; i++) {
		fake_enter(&vm, 0);
		assert_false(vm.cpu[0].underflow);
		assert_int_equal(vm.cpu[0].lr[0].eoi, i < 2);
		lr = fake_ack(&vm, 0);
		seen |= BIT(fake_intid(&vm, 0, lr) - 32);
		fake_eoi(&vm, 0, lr);
		fake_exit(&vm, 0);
	}
	assert_int_equal(seen, 0x7);
}

/* A higher-priority interrupt arriving while LRs are full goes in at the
 * next refill ahead of the lower ones still waiting. */
static void test_refill_takes_new_higher_first(void **state)
{
	u32 i;
	int lr;

	(void)state;
	v3_vm(1, 2);
	wr(0, 4, 2);
	for (i = 0; i < 4; i++) {
		spi_setup(32 + i, 0x80);
		spi_pend(32 + i);
	}
	fake_enter(&vm, 0);
	lr = fake_ack(&vm, 0);
	assert_int_equal(fake_intid(&vm, 0, lr), 32);
	fake_eoi(&vm, 0, lr);
	fake_exit(&vm, 0);
	spi_setup(60, 0x10);
	spi_pend(60);
	fake_enter(&vm, 0);
	lr = fake_ack(&vm, 0);
	assert_int_equal(fake_intid(&vm, 0, lr), 60);
}

/* Acknowledged then deactivated: active in between, gone after. */
static void test_eoi_fold_back(void **state)
{
	int lr;

	(void)state;
	v3_vm(1, 4);
	wr(0, 4, 2);
	spi_setup(33, 0x40);
	wr(0xc08, 4, 2U << 2); /* edge-triggered */
	spi_pend(33);
	fake_enter(&vm, 0);
	lr = fake_ack(&vm, 0);
	assert_int_equal(lr, 0);
	fake_exit(&vm, 0);
	assert_int_equal(rd(0x304), BIT(1)); /* GICD_ISACTIVER1 */
	assert_int_equal(rd(0x204), 0);
	/* Still active: it must stay in an LR for the guest to deactivate it. */
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 1);
	assert_int_equal(vm.cpu[0].lr[0].state, VGIC_LR_ACTIVE);
	assert_false(vm.cpu[0].lr[0].eoi);
	fake_eoi(&vm, 0, 0);
	fake_exit(&vm, 0);
	assert_int_equal(rd(0x304), 0);
	assert_null(vm.cpu[0].head);
	/* An edge while active: pending and active in one LR. */
	spi_pend(33);
	fake_enter(&vm, 0);
	lr = fake_ack(&vm, 0);
	fake_exit(&vm, 0);
	spi_pend(33);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr[0].state, VGIC_LR_PENDING_ACTIVE);
}

/* A level interrupt whose line stays high is pending again after EOI. */
static void test_level_repend(void **state)
{
	u32 kick = 0;
	int lr;

	(void)state;
	v3_vm(1, 4);
	wr(0, 4, 2);
	spi_setup(34, 0x40);
	assert_int_equal(vgic_set_line(&vm.d, 0, 34, true, &kick), 0);
	assert_int_equal(kick, BIT(0));
	fake_enter(&vm, 0);
	assert_true(vm.cpu[0].lr[0].eoi); /* EOI maintenance: look at the line again */
	assert_true(vm.hw_lr[0][0] & ICH_LR_EL2_EOI);
	lr = fake_ack(&vm, 0);
	fake_eoi(&vm, 0, lr);
	fake_exit(&vm, 0);
	assert_int_equal(rd(0x204), BIT(2)); /* line still high: pending */
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr[0].state, VGIC_LR_PENDING);
	lr = fake_ack(&vm, 0);
	assert_int_equal(vgic_set_line(&vm.d, 0, 34, false, &kick), 0);
	fake_eoi(&vm, 0, lr);
	fake_exit(&vm, 0);
	assert_int_equal(rd(0x204), 0);
	assert_null(vm.cpu[0].head);
	/* A line that drops before the guest took it: withdrawn at the next entry. */
	assert_int_equal(vgic_set_line(&vm.d, 0, 34, true, &kick), 0);
	fake_enter(&vm, 0);
	assert_int_equal(vgic_set_line(&vm.d, 0, 34, false, &kick), 0);
	fake_exit(&vm, 0);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 0);
}

/* The virtual timer's PPI mapped to the physical one: HW = 1, pINTID, no
 * EOI maintenance, never pending and active in one LR. */
static void test_hw_mapped(void **state)
{
	u32 kick = 0;
	u64 val;
	int lr;

	(void)state;
	v3_vm(2, 4);
	wr(0, 4, 2);
	assert_int_equal(vgic_map_hw(&vm.d, 1, 27, 27), 0);
	assert_int_equal(vgic_v3_redist_write(&vm.d, 1, 0x10100, 4, BIT(27), &kick), 0);
	kick = 0;
	assert_int_equal(vgic_set_pending(&vm.d, 1, 27, &kick), 0);
	assert_int_equal(kick, BIT(1));
	fake_enter(&vm, 1);
	assert_int_equal(vm.cpu[1].lr_used, 1);
	val = vm.hw_lr[1][0];
	assert_true(val & ICH_LR_EL2_HW);
	assert_int_equal((val & ICH_LR_EL2_pINTID_MASK) >> 32, 27);
	assert_int_equal(val & ICH_LR_EL2_vINTID_MASK, 27);
	assert_int_equal(val >> 62, VGIC_LR_PENDING);
	lr = fake_ack(&vm, 1);
	fake_exit(&vm, 1);
	assert_int_equal(vgic_set_pending(&vm.d, 1, 27, &kick), 0);
	fake_enter(&vm, 1);
	assert_int_equal(vm.cpu[1].lr[0].state, VGIC_LR_ACTIVE);
	fake_eoi(&vm, 1, lr);
	fake_exit(&vm, 1);
	fake_enter(&vm, 1);
	assert_int_equal(vm.cpu[1].lr[0].state, VGIC_LR_PENDING);
	assert_int_equal(vgic_map_hw(&vm.d, 1, 27, 5), -E_INVAL); /* an SGI is no HW source */
	assert_int_equal(vgic_map_hw(&vm.d, 1, 27, 1020), -E_INVAL);
	assert_int_equal(vgic_map_hw(&vm.d, 1, 96, 40), -E_INVAL); /* outside the VM */
	assert_int_equal(vgic_set_pending(&vm.d, 2, 27, &kick), -E_INVAL);
}

/*
 * A guest that clears the active state of its HW-mapped timer by register
 * (GICR_ICACTIVER0, as Linux does at CPU bring-up) while the interrupt sits
 * active in its LR: once folded, the physical PPI is handed back to be
 * cleared, exactly once; an interrupt the guest leaves alone never is.
 */
static void test_hw_cleared_by_register(void **state)
{
	u32 kick = 0, pintids[4];

	(void)state;
	v3_vm(2, 4);
	wr(0, 4, 2);
	assert_int_equal(vgic_map_hw(&vm.d, 1, 27, 27), 0);
	assert_int_equal(vgic_v3_redist_write(&vm.d, 1, 0x10100, 4, BIT(27), &kick), 0);
	assert_int_equal(vgic_set_pending(&vm.d, 1, 27, &kick), 0);
	fake_enter(&vm, 1);
	fake_ack(&vm, 1);
	fake_exit(&vm, 1);
	assert_int_equal(vgic_take_stale_hw(&vm.d, 1, pintids, 4), 0);
	fake_enter(&vm, 1);
	kick = 0;
	assert_int_equal(vgic_v3_redist_write(&vm.d, 1, 0x10380, 4, BIT(27), &kick), 0);
	assert_true(kick & BIT(1));
	fake_exit(&vm, 1);
	assert_int_equal(vgic_take_stale_hw(&vm.d, 1, pintids, 4), 1);
	assert_int_equal(pintids[0], 27);
	assert_int_equal(vgic_take_stale_hw(&vm.d, 1, pintids, 4), 0);
	fake_enter(&vm, 1);
	assert_int_equal(vm.cpu[1].lr_used, 0);
}

static void assert_lr_equal(const struct vgic_lr *a, const struct vgic_lr *b)
{
	assert_int_equal(a->intid, b->intid);
	assert_int_equal(a->pintid, b->pintid);
	assert_int_equal(a->priority, b->priority);
	assert_int_equal(a->source, b->source);
	assert_int_equal(a->state, b->state);
	assert_int_equal(a->group1, b->group1);
	assert_int_equal(a->hw, b->hw);
	assert_int_equal(a->eoi, b->eoi);
}

/* ICH_LR<n>_EL2: vINTID [31:0], pINTID [44:32], EOI 41, Priority [55:48],
 * Group 60, HW 61, State [63:62]. */
static void test_lr_v3_format(void **state)
{
	struct vgic_lr lr = { .intid = 0x2a,
			      .priority = 0xa0,
			      .group1 = true,
			      .state = VGIC_LR_PENDING,
			      .eoi = true };
	struct vgic_lr back;

	(void)state;
	assert_int_equal(vgic_lr_v3_encode(&lr), 0x50a002000000002aUL);
	back = vgic_lr_v3_decode(0x50a002000000002aUL);
	assert_lr_equal(&back, &lr);
	lr = (struct vgic_lr){ .intid = 27,
			       .pintid = 27,
			       .priority = 0xf8,
			       .hw = true,
			       .state = VGIC_LR_PENDING_ACTIVE,
			       .eoi = true };
	/* With HW = 1 bit 41 is part of pINTID: eoi is not encoded. */
	assert_int_equal(vgic_lr_v3_encode(&lr), 0xe0f8001b0000001bUL);
	back = vgic_lr_v3_decode(0xe0f8001b0000001bUL);
	assert_int_equal(back.pintid, 27);
	assert_true(back.hw);
	assert_false(back.eoi);
	assert_int_equal(back.state, VGIC_LR_PENDING_ACTIVE);
	lr.pintid = 0x1fff;
	assert_int_equal(vgic_lr_v3_encode(&lr) & GENMASK(47, 32), 0x1fffUL << 32);
	assert_int_equal(vgic_lr_v3_decode(0).state, VGIC_LR_INVALID);
}

/* GICH_LR<n>: VirtualID [9:0], PhysicalID [19:10] or CPUID [12:10] and EOI
 * 19, Priority [27:23] (top 5 bits), State [29:28], Grp1 30, HW 31. */
static void test_lr_v2_format(void **state)
{
	struct vgic_lr lr = {
		.intid = 0x2a, .priority = 0xa0, .group1 = true, .state = VGIC_LR_PENDING
	};
	struct vgic_lr back;

	(void)state;
	assert_int_equal(vgic_lr_v2_encode(&lr), 0x5a00002a);
	lr = (struct vgic_lr){
		.intid = 5, .source = 3, .priority = 0x08, .state = VGIC_LR_ACTIVE, .eoi = true
	};
	assert_int_equal(vgic_lr_v2_encode(&lr), 0x20880c05);
	back = vgic_lr_v2_decode(0x20880c05);
	assert_lr_equal(&back, &lr);
	lr = (struct vgic_lr){ .intid = 27, .pintid = 27, .hw = true, .state = VGIC_LR_PENDING };
	assert_int_equal(vgic_lr_v2_encode(&lr), 0x90006c1b);
	back = vgic_lr_v2_decode(0x90006c1b);
	assert_int_equal(back.pintid, 27);
	assert_true(back.hw);
	assert_int_equal(back.source, 0);
	/* The lower 3 priority bits do not exist in a GICv2 LR. */
	lr.priority = 0xff;
	assert_int_equal(vgic_lr_v2_decode(vgic_lr_v2_encode(&lr)).priority, 0xf8);
}

/* GICv2: one SGI from three CPUs is three interrupts, one LR at a time,
 * each with its source in CPUID. */
static void test_v2_sgi_sources(void **state)
{
	u32 kick = 0, seen = 0, i;
	u64 val;
	int lr;

	(void)state;
	fake_vm_init(&vm, VGIC_V2, 4, 4);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 3, 0, 4, 1, &kick), 0); /* EnableGrp0 */
	assert_int_equal(vgic_v2_dist_write(&vm.d, 3, 0x100, 4, BIT(5), &kick), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(vgic_v2_dist_write(&vm.d, i, 0xf00, 4, BIT(3 + 16) | 5, &kick), 0);
	assert_int_equal(vgic_v2_dist_read(&vm.d, 3, 0xf24, 4, &val), 0);
	assert_int_equal(val, 0x0700); /* SPENDSGIR1 byte 1: SGI 5 from CPUs 0-2 */
	for (i = 0; i < 3; i++) {
		fake_enter(&vm, 3);
		assert_int_equal(vm.cpu[3].lr_used, 1);
		lr = fake_ack(&vm, 3);
		assert_int_equal(fake_intid(&vm, 3, lr), 5);
		seen |= BIT(vm.cpu[3].lr[lr].source);
		/* More sources waiting: maintenance when this one is done. */
		assert_int_equal(vm.cpu[3].lr[lr].eoi, i < 2);
		fake_eoi(&vm, 3, lr);
		fake_exit(&vm, 3);
	}
	assert_int_equal(seen, 0x7);
	fake_enter(&vm, 3);
	assert_int_equal(vm.cpu[3].lr_used, 0);
}

/*
 * GICv2 GICD_CPENDSGIR clears pending state per source. SGI 5 is pending on
 * vCPU 3 from vCPUs 0 and 1; the LR carries source 0. Clearing source 1
 * must leave source 0's instance in the LR alone; clearing source 0 must
 * withdraw it even when another source sends the SGI again meanwhile
 * (that one stays pending, once).
 */
static void test_v2_cpendsgir_source(void **state)
{
	u32 kick = 0;
	u64 val;
	int lr;

	(void)state;
	fake_vm_init(&vm, VGIC_V2, 4, 4);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 3, 0, 4, 1, &kick), 0); /* EnableGrp0 */
	assert_int_equal(vgic_v2_dist_write(&vm.d, 3, 0x100, 4, BIT(5), &kick), 0);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 0, 0xf00, 4, BIT(3 + 16) | 5, &kick), 0);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 1, 0xf00, 4, BIT(3 + 16) | 5, &kick), 0);
	fake_enter(&vm, 3);
	assert_int_equal(vm.cpu[3].lr_used, 1);
	assert_int_equal(vm.cpu[3].lr[0].source, 0);
	/* GICD_CPENDSGIR1 byte 1 (SGI 5), source vCPU 1. */
	assert_int_equal(vgic_v2_dist_write(&vm.d, 3, 0xf15, 1, BIT(1), &kick), 0);
	fake_exit(&vm, 3);
	assert_int_equal(vgic_v2_dist_read(&vm.d, 3, 0xf24, 4, &val), 0);
	assert_int_equal(val, 0x0100); /* SPENDSGIR1: SGI 5 from vCPU 0 only */
	fake_enter(&vm, 3);
	lr = fake_ack(&vm, 3);
	assert_int_equal(fake_intid(&vm, 3, lr), 5);
	assert_int_equal(vm.cpu[3].lr[lr].source, 0);
	fake_eoi(&vm, 3, lr);
	fake_exit(&vm, 3);
	fake_enter(&vm, 3);
	assert_int_equal(vm.cpu[3].lr_used, 0);
	fake_exit(&vm, 3);

	/* Source 0 in the LR, cleared; vCPU 2 sends SGI 5 before the fold. */
	assert_int_equal(vgic_v2_dist_write(&vm.d, 0, 0xf00, 4, BIT(3 + 16) | 5, &kick), 0);
	fake_enter(&vm, 3);
	assert_int_equal(vm.cpu[3].lr[0].source, 0);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 3, 0xf15, 1, BIT(0), &kick), 0);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 2, 0xf00, 4, BIT(3 + 16) | 5, &kick), 0);
	fake_exit(&vm, 3);
	assert_int_equal(vgic_v2_dist_read(&vm.d, 3, 0xf24, 4, &val), 0);
	assert_int_equal(val, 0x0400); /* SGI 5 from vCPU 2 only */
}

/* A register write made while the interrupt sits in an LR wins over what
 * the LR says at fold. */
static void test_clear_pending_while_in_lr(void **state)
{
	(void)state;
	v3_vm(1, 4);
	wr(0, 4, 2);
	spi_setup(35, 0x40);
	wr(0xc08, 4, 2U << 6);
	spi_pend(35);
	fake_enter(&vm, 0);
	wr(0x284, 4, BIT(3)); /* GICD_ICPENDR1 */
	fake_exit(&vm, 0);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 0);
	assert_int_equal(rd(0x204), 0);
}

/*
 * An SPI the guest re-routes while it waits in one vCPU's LR moves to the
 * new vCPU when that LR is folded, and the fold names the new vCPU to be
 * kicked: it may be asleep in WFI with nothing else to wake it.
 */
static void test_reroute_from_lr_kicks_new_target(void **state)
{
	(void)state;
	v3_vm(2, 4);
	wr(0, 4, 2);
	spi_setup(40, 0x40);
	spi_pend(40);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 1);
	wr(0x6000 + 8 * 40, 8, 1); /* GICD_IROUTER40: vCPU 1 */
	assert_true(fake_exit(&vm, 0) & BIT(1));
	fake_enter(&vm, 1);
	assert_int_equal(vm.cpu[1].lr_used, 1);
	assert_int_equal(fake_intid(&vm, 1, 0), 40);
}

/*
 * A passed-through (HW-mapped) SPI stays with the vCPU it was mapped for,
 * whose physical CPU its interrupt is routed to: the guest's IROUTER write
 * is ignored, and a VM reset keeps the pin.
 */
static void test_hw_spi_pinned(void **state)
{
	u64 route;

	(void)state;
	v3_vm(2, 4);
	assert_int_equal(vgic_map_hw(&vm.d, 1, 40, 40), 0);
	wr(0, 4, 2);
	spi_setup(40, 0x40);
	wr(0x6000 + 8 * 40, 8, 0); /* GICD_IROUTER40: vCPU 0, ignored */
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x6000 + 8 * 40, 8, &route), 0);
	assert_int_equal(route, 1);
	spi_pend(40);
	fake_enter(&vm, 0);
	fake_enter(&vm, 1);
	assert_int_equal(vm.cpu[0].lr_used, 0);
	assert_int_equal(vm.cpu[1].lr_used, 1);
	assert_int_equal(fake_intid(&vm, 1, 0), 40);
	fake_exit(&vm, 1);
	vgic_reset(&vm.d);
	assert_int_equal(vgic_v3_dist_read(&vm.d, 0, 0x6000 + 8 * 40, 8, &route), 0);
	assert_int_equal(route, 1);
}

/* SGIs 1-6 of vCPU 0 enabled, edge, priorities 0x60 (SGI 1) down to 0x10 (SGI 6), pending. */
static void six_sgis(void)
{
	u32 kick = 0, i;

	v3_vm(1, 4);
	wr(0, 4, 2);
	for (i = 1; i <= 6; i++)
		assert_int_equal(
			vgic_v3_redist_write(&vm.d, 0, 0x10400 + i, 1, 0x70 - 0x10 * i, &kick), 0);
	assert_int_equal(vgic_v3_redist_write(&vm.d, 0, 0x10100, 4, 0x7e, &kick), 0);
	for (i = 1; i <= 6; i++)
		assert_int_equal(vgic_set_pending(&vm.d, 0, i, &kick), 0);
}

static bool sgi_active(u32 intid)
{
	u64 val;

	assert_int_equal(vgic_v3_redist_read(&vm.d, 0, 0x10300, 4, &val), 0);
	return val & BIT(intid);
}

/*
 * EOImode 1: the guest acknowledges six interrupts and drops their
 * priority, four LRs, and deactivates none until it has seen all six.
 * Pending interrupts get LRs before active ones, so every one is
 * delivered; the active ones without an LR ask for the DIR trap (and
 * LRENPIE), and each trapped DIR deactivates its interrupt. Then each
 * fires again: nothing is stuck active.
 */
static void test_active_overflow_dir(void **state)
{
	u32 seen = 0, kick = 0, i;
	int lr, rounds = 0;

	(void)state;
	six_sgis();
	while (seen != 0x7e) {
		fake_enter(&vm, 0);
		assert_true(++rounds <= 4);
		while ((lr = fake_ack(&vm, 0)) >= 0)
			seen |= BIT(fake_intid(&vm, 0, lr));
		fake_exit(&vm, 0);
	}
	fake_enter(&vm, 0);
	assert_true(vm.cpu[0].active_out);
	assert_false(vm.cpu[0].pending_out);
	fake_exit(&vm, 0);
	for (i = 1; i <= 6; i++) {
		assert_true(sgi_active(i));
		kick = 0;
		/* The DIR trap's order: fold first, then deactivate. */
		assert_int_equal(vgic_deactivate(&vm.d, 0, i, &kick), 0);
		assert_false(sgi_active(i));
	}
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 0);
	assert_false(vm.cpu[0].active_out);
	fake_exit(&vm, 0);
	for (i = 1; i <= 6; i++)
		assert_int_equal(vgic_set_pending(&vm.d, 0, i, &kick), 0);
	seen = 0;
	for (rounds = 0; seen != 0x7e; rounds++) {
		assert_true(rounds < 4);
		fake_enter(&vm, 0);
		while ((lr = fake_ack(&vm, 0)) >= 0) {
			seen |= BIT(fake_intid(&vm, 0, lr));
			fake_eoi(&vm, 0, lr);
		}
		fake_exit(&vm, 0);
	}
	assert_int_equal(vgic_deactivate(&vm.d, 0, 1020, &kick), -E_INVAL);
}

/* GICv2: a DIR names the SGI's requester in CPUID; another requester's DIR changes nothing. */
static void test_v2_dir_source(void **state)
{
	u32 kick = 0;
	u64 val;
	int lr;

	(void)state;
	fake_vm_init(&vm, VGIC_V2, 4, 4);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 3, 0, 4, 1, &kick), 0);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 3, 0x100, 4, BIT(5), &kick), 0);
	assert_int_equal(vgic_v2_dist_write(&vm.d, 2, 0xf00, 4, BIT(3 + 16) | 5, &kick), 0);
	fake_enter(&vm, 3);
	lr = fake_ack(&vm, 3);
	assert_int_equal(vm.cpu[3].lr[lr].source, 2);
	fake_exit(&vm, 3);
	assert_int_equal(vgic_deactivate(&vm.d, 3, (1U << 10) | 5, &kick), 0);
	assert_int_equal(vgic_v2_dist_read(&vm.d, 3, 0x300, 4, &val), 0);
	assert_int_equal(val & BIT(5), BIT(5));
	assert_int_equal(vgic_deactivate(&vm.d, 3, (2U << 10) | 5, &kick), 0);
	assert_int_equal(vgic_v2_dist_read(&vm.d, 3, 0x300, 4, &val), 0);
	assert_int_equal(val & BIT(5), 0);
}

/*
 * EOImode 0, deep preemption: each of six interrupts preempts the last,
 * four LRs. The newest (highest-priority) pending one always gets an LR,
 * the oldest active ones go without, and the guest's EOIs of those (in
 * reverse order of acknowledge) are counted by EOIcount: the fold
 * deactivates the highest-priority active interrupts outside the LRs.
 */
static void test_active_overflow_eoicount(void **state)
{
	u32 order[6], n = 0, kick = 0, i;
	int lr;

	(void)state;
	six_sgis();
	/* Only the lowest-priority one is pending at first; each handler raises the next. */
	for (i = 2; i <= 6; i++)
		assert_int_equal(vgic_v3_redist_write(&vm.d, 0, 0x10280, 4, BIT(i), &kick), 0);
	for (i = 1; i <= 6; i++) {
		fake_enter(&vm, 0);
		lr = fake_ack(&vm, 0);
		assert_true(lr >= 0);
		order[n++] = fake_intid(&vm, 0, lr);
		fake_exit(&vm, 0);
		if (i < 6)
			assert_int_equal(vgic_set_pending(&vm.d, 0, i + 1, &kick), 0);
	}
	for (i = 0; i < 6; i++)
		assert_int_equal(order[i], i + 1);
	fake_enter(&vm, 0);
	assert_true(vm.cpu[0].active_out);
	/* EOIs, innermost first. */
	for (i = 6; i >= 1; i--)
		fake_deactivate(&vm, 0, i);
	assert_int_equal(vm.eoicount[0], 2);
	fake_exit(&vm, 0);
	for (i = 1; i <= 6; i++)
		assert_false(sgi_active(i));
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 0);
	assert_false(vm.cpu[0].active_out);
}

/*
 * A HW-mapped interrupt the guest makes pending by register (GICR_ISPENDR0
 * of its virtual timer): the owning vCPU is told to make the physical PPI
 * active, so it cannot fire before the guest's deactivation of the HW = 1
 * LR deactivates it; pending then cleared by register before delivery:
 * the physical PPI is cleared. Active set by register: made active too.
 */
static void test_hw_set_by_register(void **state)
{
	u32 kick = 0, pintids[4];

	(void)state;
	v3_vm(2, 4);
	wr(0, 4, 2);
	assert_int_equal(vgic_map_hw(&vm.d, 1, 27, 27), 0);
	assert_int_equal(vgic_v3_redist_write(&vm.d, 1, 0x10100, 4, BIT(27), &kick), 0);
	kick = 0;
	/* vCPU 0 writes vCPU 1's GICR_ISPENDR0. */
	assert_int_equal(vgic_v3_redist_write(&vm.d, 1, 0x10200, 4, BIT(27), &kick), 0);
	assert_true(kick & BIT(1));
	fake_exit(&vm, 1);
	assert_int_equal(vgic_take_stale_hw(&vm.d, 1, pintids, 4), 1);
	assert_int_equal(pintids[0], 27 | VGIC_PHYS_ACTIVE);
	fake_enter(&vm, 1);
	assert_true(vm.hw_lr[1][0] & ICH_LR_EL2_HW);
	assert_int_equal(vm.cpu[1].lr[0].state, VGIC_LR_PENDING);
	/* Its physical line is low, but the guest asked for it: the resample leaves it. */
	assert_int_equal(vgic_retire_hw(&vm.d, 1, 27, &kick), -E_BUSY);
	/* Withdrawn by GICR_ICPENDR0 before the guest took it. */
	assert_int_equal(vgic_v3_redist_write(&vm.d, 1, 0x10280, 4, BIT(27), &kick), 0);
	fake_exit(&vm, 1);
	assert_int_equal(vgic_take_stale_hw(&vm.d, 1, pintids, 4), 1);
	assert_int_equal(pintids[0], 27);
	fake_enter(&vm, 1);
	assert_int_equal(vm.cpu[1].lr_used, 0);
	fake_exit(&vm, 1);
	/* GICR_ISACTIVER0: active virtually, so physically too. */
	assert_int_equal(vgic_v3_redist_write(&vm.d, 1, 0x10300, 4, BIT(27), &kick), 0);
	assert_int_equal(vgic_take_stale_hw(&vm.d, 1, pintids, 4), 1);
	assert_int_equal(pintids[0], 27 | VGIC_PHYS_ACTIVE);
	assert_int_equal(vgic_take_stale_hw(&vm.d, 1, pintids, 4), 0);
	assert_int_equal(vgic_v3_redist_write(&vm.d, 1, 0x10380, 4, BIT(27), &kick), 0);
	assert_int_equal(vgic_take_stale_hw(&vm.d, 1, pintids, 4), 1);
	assert_int_equal(pintids[0], 27);
	/* Pending from its source (taken at EL2): withdrawn when its line is low. */
	assert_int_equal(vgic_set_pending(&vm.d, 1, 27, &kick), 0);
	fake_enter(&vm, 1);
	assert_int_equal(vgic_retire_hw(&vm.d, 1, 27, &kick), 0);
	fake_exit(&vm, 1);
	fake_enter(&vm, 1);
	assert_int_equal(vm.cpu[1].lr_used, 0);
	/* A SPI that is not HW-mapped never asks for anything. */
	spi_setup(40, 0x40);
	spi_pend(40);
	assert_int_equal(vgic_take_stale_hw(&vm.d, 0, pintids, 4), 0);
}

/* Disabled groups and a sleeping redistributor hold delivery back. */
static void test_gates(void **state)
{
	u32 kick = 0;

	(void)state;
	fake_vm_init(&vm, VGIC_V3, 1, 4);
	wr(0, 4, 2);
	spi_setup(36, 0x40);
	spi_pend(36);
	/* Redistributor 0 forwards nothing until the guest wakes it. */
	assert_false(vgic_has_deliverable(&vm.d, 0));
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 0);
	fake_exit(&vm, 0);
	assert_int_equal(vgic_v3_redist_write(&vm.d, 0, 0x14, 4, 0, &kick), 0);
	assert_true(vgic_has_deliverable(&vm.d, 0));
	wr(0, 4, 0);
	spi_pend(36);
	assert_false(vgic_has_deliverable(&vm.d, 0));
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 0); /* GICD_CTLR.EnableGrp1 is 0 */
	fake_exit(&vm, 0);
	wr(0, 4, 2);
	assert_true(vgic_has_deliverable(&vm.d, 0));
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 1);
	fake_exit(&vm, 0);
	/* A Group 0 PPI while only Group 1 is enabled stays back. */
	assert_int_equal(vgic_v3_redist_write(&vm.d, 0, 0x10080, 4, 0, &kick), 0);
	assert_int_equal(vgic_v3_redist_write(&vm.d, 0, 0x10100, 4, BIT(20), &kick), 0);
	assert_int_equal(vgic_set_pending(&vm.d, 0, 20, &kick), 0);
	fake_enter(&vm, 0);
	assert_int_equal(vm.cpu[0].lr_used, 1); /* only the SPI */
	assert_int_equal(vm.cpu[0].lr[0].intid, 36);
	fake_exit(&vm, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_more_pending_than_lrs),
		cmocka_unit_test(test_refill_takes_new_higher_first),
		cmocka_unit_test(test_single_lr),
		cmocka_unit_test(test_eoi_fold_back),
		cmocka_unit_test(test_level_repend),
		cmocka_unit_test(test_hw_mapped),
		cmocka_unit_test(test_lr_v3_format),
		cmocka_unit_test(test_lr_v2_format),
		cmocka_unit_test(test_v2_sgi_sources),
		cmocka_unit_test(test_v2_cpendsgir_source),
		cmocka_unit_test(test_clear_pending_while_in_lr),
		cmocka_unit_test(test_reroute_from_lr_kicks_new_target),
		cmocka_unit_test(test_hw_spi_pinned),
		cmocka_unit_test(test_hw_cleared_by_register),
		cmocka_unit_test(test_gates),
		cmocka_unit_test(test_active_overflow_dir),
		cmocka_unit_test(test_v2_dir_source),
		cmocka_unit_test(test_active_overflow_eoicount),
		cmocka_unit_test(test_hw_set_by_register),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
