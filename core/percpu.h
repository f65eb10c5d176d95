/* Per-CPU data, reached through TPIDR_EL2 on the CPU it belongs to. */
#ifndef CORE_PERCPU_H
#define CORE_PERCPU_H

#include "arch/sysreg.h"
#include "platform/platform.h"

struct vcpu;

/** What Partita keeps about one physical CPU. */
struct percpu {
	unsigned int id; /* index in the FDT's /cpus */
	u64 mpidr;
	volatile bool online;
	struct vcpu *vcpu; /* the vCPU pinned here, or NULL */
};

/** Every CPU's block, by CPU index (the order of the FDT's /cpus). */
extern struct percpu percpu[PLAT_MAX_CPUS];

/** Returns this CPU's block; valid once percpu_init() has run on it. */
static inline struct percpu *this_cpu(void)
{
	return (struct percpu *)read_sysreg(tpidr_el2);
}

/** Points TPIDR_EL2 at this CPU's block. */
void percpu_init(unsigned int id, u64 mpidr);

#endif
