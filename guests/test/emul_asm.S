/*
 * The emul guest's assembly: its own EL1 vectors (single-step and returns
 * from EL0; everything else goes on to the runtime's), running code at EL0,
 * single-stepping one instruction at EL1, and big-endian accesses at EL1.
 */
#define SPSR_EL1H_D_CLEAR 0x1c5	/* EL1h, A I F masked, D clear: steps are taken */
#define SPSR_SS (1 << 21)
#define MDSCR_SS (1 << 0)
#define MDSCR_KDE (1 << 13)
#define SCTLR_EE (1 << 25)

	.text
	.balign	0x800
	.globl	emul_vectors
emul_vectors:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	.if	\n == 4
	b	cur_sync
	.elseif	\n == 8 || \n == 12
	b	el0_exit
	.else
	b	guest_vectors + \n * 0x80
	.endif
	.endr

/* A synchronous exception at EL1: the step the harness waits for, or the runtime's business. */
cur_sync:
	stp	x9, x10, [sp, #-16]!
	adr	x9, step_armed
	ldr	x10, [x9]
	cbz	x10, 1f
	str	xzr, [x9]
	add	sp, sp, #16
	b	step_caught
1:	ldp	x9, x10, [sp], #16
	b	guest_vectors + 4 * 0x80

/*
 * u64 run_el0(u64 entry, u64 spsr, u64 x0, u64 *out): runs code at EL0
 * until it takes an exception to EL1 (SVC #0 when done). out gets x0-x7,
 * then ESR_EL1, ELR_EL1 and SPSR_EL1 of that exception.
 */
	.globl	run_el0
run_el0:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	adr	x9, el0_ctx
	mov	x10, sp
	stp	x10, x3, [x9]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	mov	x0, x2
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	eret

el0_exit:
	adr	x9, el0_ctx
	ldp	x10, x11, [x9]
	stp	x0, x1, [x11]
	stp	x2, x3, [x11, #16]
	stp	x4, x5, [x11, #32]
	stp	x6, x7, [x11, #48]
	mrs	x12, esr_el1
	mrs	x13, elr_el1
	stp	x12, x13, [x11, #64]
	mrs	x12, spsr_el1
	str	x12, [x11, #80]
	mov	sp, x10
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

/* AArch64 EL0: x0 = the test device. Big- or little-endian as SCTLR_EL1.E0E says. */
	.globl	el0_a64
el0_a64:
	movz	w1, #0x3344
	movk	w1, #0x1122, lsl #16
	str	w1, [x0, #0xb0]
	ldrb	w2, [x0, #0xb0]
	ldrh	w3, [x0, #0xb0]
	ldr	w4, [x0, #0xb0]
	ldr	w5, [x0, #0x100]
	svc	#0

/*
 * One harness per stepped instruction: step_<name>(x0 = its operand,
 * x1 = more SPSR bits (BTYPE), x2 = out). The instruction runs at EL1 with
 * PSTATE.SS = 1 and MDSCR_EL1.SS = 1, so a Software Step exception must
 * follow it at once. out: ELR, ESR and SPSR of the step exception (ELR 0 if
 * none came), x3 and x0 after it, and where the step should have been taken.
 */
.macro	stepped name, insn
	.globl	step_\name
step_\name:
	stp	x29, x30, [sp, #-16]!
	mov	x8, x2
	adr	x9, 1f
	str	x9, [x8, #40]
	msr	oslar_el1, xzr
	mrs	x9, mdscr_el1
	orr	x9, x9, #MDSCR_SS
	orr	x9, x9, #MDSCR_KDE
	msr	mdscr_el1, x9
	adr	x9, step_armed
	mov	x10, #1
	str	x10, [x9]
	adr	x9, 0f
	msr	elr_el1, x9
	mov	x9, #SPSR_EL1H_D_CLEAR
	orr	x9, x9, #SPSR_SS
	orr	x9, x9, x1
	msr	spsr_el1, x9
	mov	x3, xzr
	isb
	eret
0:	\insn
1:	nop
	nop
	b	step_none
.endm

	stepped	ldr, "ldr w3, [x0]"
	stepped	str, "str w0, [x0]"
	stepped	mrs, "mrs x3, actlr_el1"
	stepped	smc, "smc #0"
	stepped	hvc, "hvc #0"
	stepped	add, "add x3, x3, #1"

/* No step exception came: say so, and stop stepping. */
step_none:
	adr	x9, step_armed
	str	xzr, [x9]
	str	xzr, [x8]
	b	step_done

/* From cur_sync, at EL1h on the harness's stack: record the step exception. */
step_caught:
	mrs	x9, elr_el1
	str	x9, [x8]
	mrs	x9, esr_el1
	str	x9, [x8, #8]
	mrs	x9, spsr_el1
	str	x9, [x8, #16]
step_done:
	str	x3, [x8, #24]
	str	x0, [x8, #32]
	mrs	x9, mdscr_el1
	bic	x9, x9, #MDSCR_SS
	msr	mdscr_el1, x9
	isb
	ldp	x29, x30, [sp], #16
	ret

/*
 * void el1_be(u64 testdev, u64 *out): emulated accesses at EL1 with
 * SCTLR_EL1.EE = 1. Nothing but the device is touched meanwhile: the
 * stack and every other data access would be big-endian too.
 */
	.globl	el1_be
el1_be:
	mrs	x9, sctlr_el1
	orr	x10, x9, #SCTLR_EE
	movz	w12, #0x3344
	movk	w12, #0x1122, lsl #16
	movz	x11, #0x8788
	movk	x11, #0x8586, lsl #16
	movk	x11, #0x8384, lsl #32
	movk	x11, #0x8182, lsl #48
	msr	sctlr_el1, x10
	isb
	str	w12, [x0, #0xc0]	/* bytes 11 22 33 44 */
	str	x11, [x0, #0xc8]	/* bytes 81 82 ... 88 */
	ldrb	w2, [x0, #0xc0]
	ldrh	w3, [x0, #0xc0]
	ldr	w4, [x0, #0xc0]
	ldr	w5, [x0, #0x100]
	ldr	x6, [x0, #0xc8]
	ldrsh	x7, [x0, #0xc8]
	msr	sctlr_el1, x9
	isb
	stp	x2, x3, [x1]
	stp	x4, x5, [x1, #16]
	stp	x6, x7, [x1, #32]
	ret

/* The AArch32 code (guests/test/emul_a32.S), as built for AArch32. */
	.section .rodata
	.balign	4
	.globl	a32_blob
a32_blob:
	.incbin	A32_BLOB

	.data
	.balign	8
step_armed:
	.quad	0
el0_ctx:
	.quad	0, 0
