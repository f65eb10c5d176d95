/*
 * The host side of the interrupt controller (GICv2 or GICv3): the physical
 * GIC, run with EOImode = 1 so that Partita drops an interrupt's priority
 * when it has handled its part (gic_eoi()) and deactivation comes apart
 * (gic_deactivate(), or later the guest, through a HW-mapped list register).
 * Nothing here knows about VMs: who owns an INTID is vcpu/irq.c's business.
 *
 * Operations on an SGI or PPI (INTID < 32) act on the calling CPU's
 * interface, whose cpu index the caller passes; on an SPI, on the
 * distributor.
 */
#ifndef PLATFORM_GIC_H
#define PLATFORM_GIC_H

#include "platform/platform.h"

#define GIC_SGI_KICK 0 /* "leave the guest and look at your requests" */
#define GIC_NR_SGIS 16
#define GIC_NR_PRIVATE 32 /* SGIs and PPIs, banked per CPU */
#define GIC_INTID_SPURIOUS 1020 /* 1020-1023: special INTIDs, nothing to acknowledge */
#define GIC_INTID_LPI_BASE 8192
#define GIC_MAX_SPI_INTID 1019 /* the last INTID an SPI can have (GICD_TYPER.ITLinesNumber) */

/** Whether an INTID read from an acknowledge register means "no interrupt". */
static inline bool gic_is_special(u32 intid)
{
	/* Only 1020-1023: 1024-8191 are reserved and LPIs start at 8192. */
	return intid >= GIC_INTID_SPURIOUS && intid <= 1023;
}

/**
 * Puts the distributor in a known state and enables it. Boot CPU, once:
 * every SPI disabled, not pending, not active, Group 1 (v3; see gic.c for
 * v2), default priority, level-sensitive left as the reset value says.
 * Returns 0 or -E_NOTSUPP.
 */
int gic_init(const struct platform *p);

/**
 * Enables this CPU's interface (and finds and wakes its redistributor, v3)
 * with EOImode = 1; every SGI and PPI but the kick disabled, not pending,
 * not active. Returns 0, -E_NOENT when no interface was found for mpidr, or
 * -E_BUSY when its redistributor never wakes (GICR_WAKER.ChildrenAsleep
 * stays 1).
 */
int gic_init_cpu(unsigned int cpu, u64 mpidr);

/** The number of INTIDs the distributor implements (32 times ITLinesNumber + 1, at most 1020). */
u32 gic_nr_lines(void);

/** Sends SGI intid to the physical CPU cpu (its index in /cpus). */
void gic_send_sgi(unsigned int cpu, unsigned int intid);

/**
 * Acknowledges the highest-priority pending Group 1 interrupt. Sets *intid
 * (gic_is_special() for none) and returns the token gic_eoi() and
 * gic_deactivate() need (on GICv2 an SGI's token also names its sender).
 */
u32 gic_ack(u32 *intid);

/** Drops the running priority of an acknowledged interrupt (EOIR); it stays active. */
void gic_eoi(u32 token);

/** Deactivates an interrupt whose priority was dropped (DIR), so it can fire again. */
void gic_deactivate(u32 token);

/** Enables (forwarding from the distributor or redistributor) INTID intid. */
void gic_enable(unsigned int cpu, u32 intid);

/** Disables intid; when this returns the GIC no longer signals it (v3 waits for RWP). */
void gic_disable(unsigned int cpu, u32 intid);

/** Sets intid's pending state, as a device asserting it would (the self-tests use it). */
void gic_set_pending(unsigned int cpu, u32 intid);

/**
 * Whether intid is pending at the GIC: for a level-sensitive interrupt that
 * is active, whether its source still asserts it. On GICv2 an SGI or PPI is
 * banked: call it on CPU cpu itself.
 */
bool gic_is_pending(unsigned int cpu, u32 intid);

/**
 * Clears intid's pending and active state (ICPENDR, ICACTIVER), for an
 * interrupt a guest that is gone left active. On GICv2 an SGI or PPI is
 * banked: call it on CPU cpu itself.
 */
void gic_clear_pending_active(unsigned int cpu, u32 intid);

/**
 * Sets intid's active state (ISACTIVER) without acknowledging it: for a
 * HW-mapped interrupt a guest made pending or active by register, so that
 * it cannot fire until the guest's deactivation of its list register
 * deactivates it. On GICv2 an SGI or PPI is banked: call it on CPU cpu itself.
 */
void gic_set_active(unsigned int cpu, u32 intid);

/** Whether intid is active at the GIC (ISACTIVER); banked as gic_set_active(). */
bool gic_is_active(unsigned int cpu, u32 intid);

/** Sets intid's priority (0 highest; the GIC may ignore low bits). */
void gic_set_priority(unsigned int cpu, u32 intid, u8 prio);

/** Makes a PPI or SPI edge-triggered (edge true) or level-sensitive. SGIs are always edge. */
void gic_set_edge(unsigned int cpu, u32 intid, bool edge);

/** Routes SPI intid to the physical CPU target (IROUTER on v3, ITARGETSR on v2). */
void gic_route_spi(u32 intid, unsigned int target);

/**
 * The host GIC's architecture version (2 or 3), once gic_init() has run;
 * 0 before. With 3, EL1 reaches the GIC CPU interface through system
 * registers (ICC_*, virtualized as ICV_* when HCR_EL2.IMO is set).
 */
unsigned int gic_version(void);

/**
 * The host GIC's frames as the FDT gave them (GICv2: GICH, banked per CPU
 * at one address, and GICV, for the vGIC), once gic_init() has run; NULL
 * before.
 */
const struct plat_gic *gic_frames(void);

#endif
