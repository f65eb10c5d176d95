/*
 * The host side of the interrupt controller: what Partita itself needs from
 * the physical GIC (v2 or v3), which for now is one SGI to make another CPU
 * leave its guest.
 */
#ifndef PLATFORM_GIC_H
#define PLATFORM_GIC_H

#include "platform/platform.h"

#define GIC_SGI_KICK 0 /* "leave the guest and look at your VM's state" */
#define GIC_INTID_SPURIOUS 1020

/** Enables the distributor. Boot CPU, once. Returns 0 or -E_NOTSUPP. */
int gic_init(const struct platform *p);

/**
 * Enables this CPU's interface (and redistributor) for SGIs. Returns 0,
 * -E_NOENT when none is found for mpidr, or -E_BUSY when its redistributor
 * never wakes (GICR_WAKER.ChildrenAsleep stays 1).
 */
int gic_init_cpu(unsigned int cpu, u64 mpidr);

/** Sends SGI intid to the physical CPU cpu (its index in /cpus). */
void gic_send_sgi(unsigned int cpu, unsigned int intid);

/**
 * Acknowledges the highest-priority pending interrupt. Sets *intid (1020 and
 * up: none) and returns the token gic_eoi needs (on GICv2 an SGI's token
 * also names the CPU that sent it).
 */
u32 gic_ack(u32 *intid);

/**
 * The host GIC's architecture version (2 or 3), once gic_init() has run;
 * 0 before. With 3, EL1 reaches the GIC CPU interface through system
 * registers (ICC_*, virtualized as ICV_* when HCR_EL2.IMO is set).
 */
unsigned int gic_version(void);

/** Ends (drops priority and deactivates) an acknowledged interrupt. */
void gic_eoi(u32 token);

#endif
