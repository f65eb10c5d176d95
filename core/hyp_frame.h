/* The registers the EL2 vectors save when the hypervisor itself takes an exception. */
#ifndef CORE_HYP_FRAME_H
#define CORE_HYP_FRAME_H

#include "arch/types.h"

/** Which of the four vectors of a group took the exception: its offset / 0x80. */
enum hyp_exc_kind {
	HYP_EXC_SYNC,
	HYP_EXC_IRQ,
	HYP_EXC_FIQ,
	HYP_EXC_SERROR,
};

/** The state at the exception, as the vectors saved it on the stack. */
struct hyp_frame {
	u64 x[31];
	u64 sp;
	u64 elr;
	u64 spsr;
	u64 esr;
	u64 far;
};

/** Reports an exception the hypervisor did not expect and stops this CPU. */
void hyp_exception(struct hyp_frame *f, unsigned int kind, unsigned int vector)
	__attribute__((noreturn));

#endif
