/* The init sequence after the MMU is on (DESIGN §2, steps 2-6). */
#ifndef CORE_INIT_H
#define CORE_INIT_H

/**
 * The boot CPU's init sequence, MMU on: reads the FDT, maps RAM and devices,
 * starts the allocator, the GIC, the secondary CPUs and the VMs, then runs
 * this CPU's vCPU. Stops with an error line if the FDT cannot be used.
 */
void core_main(void *fdt) __attribute__((noreturn));

/** A secondary CPU's init: its EL2 controls, online, its GIC interface, then its vCPU. */
void core_secondary(unsigned int cpu) __attribute__((noreturn));

#endif
