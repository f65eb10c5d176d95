/*
 * Structure offsets for the assembly files, generated at build time so that
 * no offset is ever written by hand. The Makefile compiles this to assembly
 * and turns each "->NAME value" marker into a #define.
 */
#include <stddef.h>

#include "core/hyp_frame.h"

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(HYP_FRAME_SIZE, sizeof(struct hyp_frame));
	DEFINE(HYP_FRAME_SP, offsetof(struct hyp_frame, sp));
	DEFINE(HYP_FRAME_ELR, offsetof(struct hyp_frame, elr));
	DEFINE(HYP_FRAME_SPSR, offsetof(struct hyp_frame, spsr));
	DEFINE(HYP_FRAME_ESR, offsetof(struct hyp_frame, esr));
	DEFINE(HYP_FRAME_FAR, offsetof(struct hyp_frame, far));
}
