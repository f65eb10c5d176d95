#include "core/percpu.h"

struct percpu percpu[PLAT_MAX_CPUS];

void percpu_init(unsigned int id, u64 mpidr)
{
	struct percpu *c = &percpu[id];

	c->id = id;
	c->mpidr = mpidr;
	write_sysreg(tpidr_el2, c);
	/*
	 * A counter event stream (about every 2^12 ticks) wakes WFE, so wait
	 * loops with a deadline cannot sleep past it.
	 */
	write_sysreg(cnthctl_el2, CNTHCTL_EL2_VALUE);
	isb();
}
