/*
 * The runtime of Partita's bare-metal test guests: SMCCC calls, printing
 * through the console hypercall, PASS/FAIL bookkeeping and exceptions the
 * test expects. Guests run at EL1 with the MMU off.
 */
#ifndef GUEST_RT_H
#define GUEST_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint8_t u8;
typedef int64_t s64;

#define PSCI_VERSION 0x84000000UL
#define PSCI_CPU_SUSPEND 0xc4000001UL
#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_CPU_ON_32 0x84000003UL
#define PSCI_AFFINITY_INFO 0xc4000004UL
#define PSCI_MIGRATE_INFO_TYPE 0x84000006UL
#define PSCI_SYSTEM_OFF 0x84000008UL
#define PSCI_SYSTEM_RESET 0x84000009UL
#define PSCI_FEATURES 0x8400000aUL

#define SMCCC_VERSION 0x80000000UL
#define SMCCC_ARCH_FEATURES 0x80000001UL
#define SMCCC_ARCH_WORKAROUND_1 0x80008000UL
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffUL
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffUL

#define HC_NULL 0xc6000000UL
#define HC_VM_INFO 0xc6000001UL
#define HC_CONSOLE_WRITE 0xc6000002UL
#define HC_VM_BOOTS 0xc6000003UL
#define HC_VCPU_EXITS 0xc6000004UL

#define RET_SUCCESS 0
#define RET_NOT_SUPPORTED (-1)
#define RET_INVALID_PARAMS (-2)
#define RET_ALREADY_ON (-4)
#define RET_ON_PENDING (-5)
#define RET_INVALID_ADDRESS (-9)

#define TESTDEV 0x0a000000UL

struct smccc_res {
	u64 a0, a1, a2, a3;
};

struct smccc_res hvc(u64 fid, u64 a1, u64 a2, u64 a3);
struct smccc_res smc(u64 fid, u64 a1, u64 a2, u64 a3);

static inline s64 hvc0(u64 fid, u64 a1, u64 a2, u64 a3)
{
	return (s64)hvc(fid, a1, a2, a3).a0;
}

void print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Records a check: prints "FAIL name: ..." at once when it fails. */
bool check(bool ok, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** Prints "PASS name" if no check of this name failed since the last call, else "FAIL name". */
void verdict(const char *name);

/** Powers the VM off (PSCI SYSTEM_OFF). */
void guest_exit(void) __attribute__((noreturn));

unsigned int vcpu_index(void);
u64 counter(void);
/* Ticks per second of the counter (CNTFRQ_EL0). */
u64 counter_frequency(void);
void delay_ticks(u64 ticks);

/** The last exception taken while one was expected. */
struct exc_record {
	volatile u64 count;
	volatile u64 esr;
	volatile u64 far;
	volatile u64 elr;
	volatile u64 resume; /* 0: step over the faulting instruction */
	volatile bool armed;
};

#define RESUME_AT_LR 1 /* resume at the interrupted code's x30 */

/** Arms the vCPU's handler for one exception, resuming at resume (0 = next instruction). */
void expect_exception(u64 resume);
struct exc_record *exc_last(void);

/**
 * The value of property prop (its length in *len) in the first node whose
 * name starts with node, or NULL.
 */
const void *fdt_prop(const void *dtb, const char *node, const char *prop, u32 *len);

/** Reads the first cell pair of prop in the first node whose name starts with node. */
bool fdt_reg(const void *dtb, const char *node, u64 *base, u64 *size);

/** Reads prop, one 64-bit cell pair, in the first node whose name starts with node. */
bool fdt_u64(const void *dtb, const char *node, const char *prop, u64 *val);

/** Called for an IRQ taken at EL1 (from SPx), if set (the GIC runtime sets it). */
extern void (*rt_irq_hook)(void);

/* What the hypervisor left in SCTLR_EL1, DAIF, x1, x2 and x3 when vCPU 0 started. */
extern u64 boot_state[6];

/* Each test defines guest_main; guest_secondary has a default in rt.c. */
void guest_main(void *dtb);
void guest_secondary(u64 ctx, u64 sctlr, u64 daif);

extern char __guest_end[];

#endif
