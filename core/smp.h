/* Bringing up the secondary CPUs with the firmware's PSCI CPU_ON. */
#ifndef CORE_SMP_H
#define CORE_SMP_H

#include "platform/platform.h"

/**
 * Starts every CPU but the boot CPU and waits for each. A CPU that cannot be
 * started (no MPIDR, a repeated one, no PSCI enable-method, CPU_ON refused,
 * not online in time) gets one line and stays offline. Returns how many are
 * online.
 */
unsigned int smp_start(const struct platform *p, unsigned int boot_cpu);

/**
 * Why physical CPU cpu is offline, as a phrase for a log line ("the firmware
 * refused CPU_ON ..."), or NULL when it is online. Valid after smp_start.
 */
const char *smp_offline_reason(unsigned int cpu);

/**
 * Called by each secondary CPU on its own stack, MMU on, to join. fault says
 * why this CPU cannot serve (or is NULL): it then logs that, stays offline
 * and parks; so does a CPU that arrives after the boot CPU stopped waiting.
 */
void smp_secondary_online(unsigned int cpu, const char *fault);

#endif
