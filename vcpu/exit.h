/* Exit decode and dispatch: one handler per exception class (ESR_EL2.EC). */
#ifndef VCPU_EXIT_H
#define VCPU_EXIT_H

#include "vcpu/emul.h"
#include "vcpu/vcpu.h"

/** Which vector of the lower-EL group the guest left by: its offset / 0x80. */
enum exit_kind {
	EXIT_SYNC = 0,
	EXIT_IRQ = 1,
	EXIT_FIQ = 2,
	EXIT_SERROR = 3,
};

/**
 * An exit handler, called by vcpu/entry.S with the guest's registers saved.
 * Returns VCPU_RUNS to resume the guest, or why it must stop.
 */
typedef enum vcpu_stop (*exit_handler)(struct vcpu *v, u64 esr);

/** Synchronous exits, by exception class. */
extern const exit_handler exit_handlers[];

/** Interrupts and SErrors taken while the guest ran (kind: EXIT_IRQ, _FIQ, _SERROR). */
enum vcpu_stop vcpu_handle_async(struct vcpu *v, u64 kind);

/**
 * Completes a trapped instruction that Partita emulated, as the CPU would
 * have: the rare cases (AArch32, single-step, BTYPE) in emul_pstate_after().
 * esr is the trap's syndrome (its IL bit gives a T32 instruction's size).
 */
void vcpu_skip_instr_slow(struct vcpu *v, u64 esr, u64 pstate);

/**
 * Moves the guest past the trapped instruction it completed: the one
 * function every emulation ends with. The common case, AArch64 with
 * nothing pending in PSTATE, costs one test and PC += 4.
 */
static inline void vcpu_skip_instr(struct vcpu *v, u64 esr)
{
	u64 pstate = vcpu_pstate(v);

	if (__builtin_expect((pstate & EMUL_PSTATE_SLOW) != 0, 0)) {
		vcpu_skip_instr_slow(v, esr, pstate);
		return;
	}
	/* Every A64 instruction is 4 bytes. */
	vcpu_set_pc(v, vcpu_pc(v) + 4);
}

/** Says which VM and vCPU a log line is about, as "vm0 (name) vcpu1". */
#define VCPU_FMT "vm%u (%s) vcpu%u"
#define VCPU_ARGS(v) (v)->vm->id, (v)->vm->name, (v)->id

/**
 * Whether a warning caused by this vCPU may be printed: at most
 * VCPU_LOG_PER_SECOND a second, so a guest faulting in a loop cannot flood
 * the console that every VM shares.
 */
bool vcpu_log_allowed(struct vcpu *v);

#define VCPU_LOG_PER_SECOND 20

/** A warning about what a guest did, rate-limited per vCPU. */
#define vcpu_warn(v, fmt, ...)                                                    \
	do {                                                                      \
		if (vcpu_log_allowed(v))                                          \
			log_warn(VCPU_FMT ": " fmt, VCPU_ARGS(v), ##__VA_ARGS__); \
	} while (0)

#endif
