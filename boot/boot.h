/* Constants shared between the boot assembly and C. */
#ifndef BOOT_BOOT_H
#define BOOT_BOOT_H

#define BOOT_STACK_SIZE 0x4000
#define CPU_STACK_SIZE 0x4000

#ifndef __ASSEMBLER__
#include "mm/hyp_mmu.h"

/** EL2 MMU register values every secondary CPU loads before its first store. */
extern struct hyp_mmu_regs boot_mmu;
extern u8 cpu_stacks[][CPU_STACK_SIZE];
extern char secondary_entry[];

void boot_primary(void *fdt) __attribute__((noreturn));
void boot_secondary(unsigned int cpu) __attribute__((noreturn));
void boot_wrong_el(unsigned int el) __attribute__((noreturn));

/** Switches to stack top sp and calls fn(arg); fn never returns. */
void boot_call_on_stack(u64 sp, void (*fn)(void *), void *arg) __attribute__((noreturn));
#endif

#endif
