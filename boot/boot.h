/* Constants shared between the boot assembly and C. */
#ifndef BOOT_BOOT_H
#define BOOT_BOOT_H

#define BOOT_STACK_SIZE 0x4000
#define CPU_STACK_SIZE 0x4000

#ifndef __ASSEMBLER__
#include "mm/hyp_mmu.h"

/** EL2 MMU register values every secondary CPU loads before its first store. */
extern struct hyp_mmu_regs boot_mmu;

/** One stack per CPU, by CPU index; a stack grows down from the start of the next one. */
extern u8 cpu_stacks[][CPU_STACK_SIZE];

/**
 * Where a secondary CPU starts (boot/head.S), MMU off, with x0 = its CPU
 * index: the address handed to the firmware's PSCI CPU_ON.
 */
extern char secondary_entry[];

/**
 * The boot CPU's first C code, entered with the MMU off and fdt = the boot
 * loader's x0: checks for the non-VHE EL2, turns the EL2 MMU on and hands
 * over to core_main(). Stops the CPU with an error line on a VHE-only CPU.
 */
void boot_primary(void *fdt) __attribute__((noreturn));

/** A secondary CPU's first C code, its MMU already on: hands over to core_secondary(). */
void boot_secondary(unsigned int cpu) __attribute__((noreturn));

/**
 * Called by the entry code when Partita was entered at an EL other than
 * EL2: says so on the board's built-in UART and parks the CPU.
 */
void boot_wrong_el(unsigned int el) __attribute__((noreturn));

/** Switches to stack top sp and calls fn(arg); fn never returns. */
void boot_call_on_stack(u64 sp, void (*fn)(void *), void *arg) __attribute__((noreturn));
#endif

#endif
