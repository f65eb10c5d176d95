/* The init sequence after the MMU is on (DESIGN §2, steps 2-6). */
#ifndef CORE_INIT_H
#define CORE_INIT_H

void core_main(void *fdt) __attribute__((noreturn));
void core_secondary(unsigned int cpu) __attribute__((noreturn));

#endif
