/*
 * AArch32 code that the emul test guest runs at EL0 (A32 and T32), built
 * by clang for Armv8-A AArch32 and included in the guest as a raw blob.
 * Each entry starts with r0 = the test device and ends with SVC #0, its
 * results in r0-r7. Only PC-relative and register addressing: the blob
 * runs wherever it was loaded.
 */
	.syntax	unified
	.text
	.globl	a32_blob
a32_blob:
	/* Offsets of the entries, read by emul_asm.S. */
	.word	a32_basic - a32_blob
	.word	a32_be - a32_blob
	.word	t32_it - a32_blob
	.word	t32_setend - a32_blob
	.word	t32_step - a32_blob

	.arm
/*
 * Emulated A32 loads and stores; a store whose condition fails must not
 * reach the device (it is never a trap: the CPU does not access memory).
 */
a32_basic:
	mov	r1, #0x5a
	str	r1, [r0, #0x90]
	mov	r2, #0xa5
	cmp	r1, r1			@ Z = 1: NE fails, EQ holds
	strne	r2, [r0, #0x90]
	ldr	r3, [r0, #0x90]		@ 0x5a
	ldreq	r4, [r0, #0x100]	@ the ID register
	mov	r5, #0x80
	strb	r5, [r0, #0x94]
	ldrsb	r5, [r0, #0x94]		@ 0xffffff80
	mov	r6, #0
	mov	r7, #0
	svc	#0

/* Entered with PSTATE.E = 1 (SPSR_EL1.E): data big-endian. */
a32_be:
	movw	r1, #0x3344
	movt	r1, #0x1122
	str	r1, [r0, #0xa0]		@ bytes 11 22 33 44
	ldrb	r2, [r0, #0xa0]		@ 0x11
	ldrh	r3, [r0, #0xa0]		@ 0x1122
	ldr	r4, [r0, #0xa0]		@ 0x11223344
	ldr	r5, [r0, #0x100]	@ the ID register's bytes reversed
	movw	r6, #0x8001
	strh	r6, [r0, #0xa8]		@ bytes 80 01
	ldrsh	r6, [r0, #0xa8]		@ 0xffff8001
	mov	r7, #0
	svc	#0

	.thumb
	.balign	4
/*
 * Emulated loads inside IT blocks, 16-bit and 32-bit: the IT state must
 * advance past each, so the instructions after them whose condition
 * fails do not run, and a store whose condition fails does not reach
 * the device.
 */
	.thumb_func
t32_it:
	add	r6, r0, #0x100
	movs	r3, #0
	movs	r5, #0
	movs	r7, #0x77
	movs	r1, #0
	cmp	r1, #0			@ Z = 1
	itete	eq
	ldreq	r2, [r6]		@ 16-bit, emulated
	movne	r3, #1			@ must not run
	ldreq.w	r4, [r0, #0x100]	@ 32-bit, emulated
	movne	r5, #1			@ must not run
	ite	eq
	ldreq.w	r1, [r0, #0x90]		@ emulated
	strne.w	r7, [r0, #0x90]		@ must not reach the device
	adds	r7, r7, #1		@ after the block: runs, 0x78
	movs	r0, #0
	svc	#0

/* SETEND BE at EL0, unknown to EL1: PSTATE.E alone says the data are big-endian. */
	.thumb_func
t32_setend:
	setend	be
	movw	r1, #0x7788
	movt	r1, #0x5566
	str	r1, [r0, #0xb8]		@ bytes 55 66 77 88
	ldrb	r2, [r0, #0xb8]		@ 0x55
	ldrh	r3, [r0, #0xb8]		@ 0x5566
	ldr	r4, [r0, #0x100]	@ the ID register's bytes reversed
	setend	le
	ldrh	r5, [r0, #0xb8]		@ little-endian again: 0x6655
	movs	r6, #0
	movs	r7, #0
	svc	#0

/* Entered single-stepped: the step must come right after the 16-bit emulated load. */
	.thumb_func
t32_step:
	ldr	r2, [r0, #0x7c]
	movs	r3, #1
	svc	#0
