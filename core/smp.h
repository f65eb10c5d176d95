/* Bringing up the secondary CPUs with the firmware's PSCI CPU_ON. */
#ifndef CORE_SMP_H
#define CORE_SMP_H

#include "platform/platform.h"

/** Starts every CPU but the boot CPU and waits for each. Returns how many are online. */
unsigned int smp_start(const struct platform *p, unsigned int boot_cpu);

/** Called by each secondary CPU on its own stack, MMU on. */
void smp_secondary_online(unsigned int cpu);

#endif
