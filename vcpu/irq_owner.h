/*
 * Who owns each physical interrupt: Partita itself (with a handler run at
 * EL2), one VM (the vCPU its interrupts go to, and the physical CPU that
 * vCPU runs on), or nobody. SGIs and PPIs are banked, so each physical CPU
 * has its own 32; SPIs have one entry each. Pure data, unit-tested on the
 * host (tests/unit/test_irq_owner.c).
 */
#ifndef VCPU_IRQ_OWNER_H
#define VCPU_IRQ_OWNER_H

#include "platform/gic.h"

struct vcpu;

/**
 * Runs at EL2, interrupts masked, for an interrupt Partita owns on this CPU;
 * v is the vCPU whose guest it interrupted (the maintenance interrupt is
 * about that vCPU's list registers).
 */
typedef void (*irq_hyp_handler)(struct vcpu *v, u32 intid);

/** Who an INTID belongs to. */
enum irq_owner_kind {
	IRQ_OWNER_NONE = 0, /* nobody: if it ever fires, it is disabled */
	IRQ_OWNER_HYP, /* Partita: handled at EL2, never seen by a guest */
	IRQ_OWNER_VM, /* a VM: injected into vcpu by the vGIC */
};

/** One INTID's owner. */
struct irq_owner {
	enum irq_owner_kind kind;
	irq_hyp_handler handler; /* IRQ_OWNER_HYP */
	struct vcpu *vcpu; /* IRQ_OWNER_VM: the vCPU it is delivered to */
	unsigned int pcpu; /* IRQ_OWNER_VM: the physical CPU vcpu runs on (where it is routed) */
};

/**
 * Makes INTID intid Partita's on physical CPU pcpu (an SGI or PPI of that
 * CPU; for an SPI, pcpu is where it is routed). Returns 0, -E_INVAL for an
 * INTID that is no SGI, PPI or SPI (1020 and up, LPIs included) or a CPU
 * out of range, or -E_BUSY if someone else owns it.
 */
int irq_owner_set_hyp(unsigned int pcpu, u32 intid, irq_hyp_handler handler);

/**
 * Gives intid to the VM of vcpu, which runs on physical CPU pcpu; for an
 * SGI or PPI it is pcpu's own. Returns 0, -E_INVAL or -E_BUSY as
 * irq_owner_set_hyp().
 */
int irq_owner_set_vm(unsigned int pcpu, u32 intid, struct vcpu *vcpu);

/** Makes intid (pcpu's, for an SGI or PPI) nobody's again; out-of-range values are ignored. */
void irq_owner_clear(unsigned int pcpu, u32 intid);

/**
 * Returns the owner of intid as taken on physical CPU pcpu; never NULL: an
 * INTID out of range (LPIs, the special 1020-1023) or a CPU out of range
 * reads as owned by nobody.
 */
const struct irq_owner *irq_owner_get(unsigned int pcpu, u32 intid);

#endif
