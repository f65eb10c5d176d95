/* The heartbeat guest's code that must not be C: see heartbeat.c. */

/*
 * Exception vectors every entry of which reads IPA 0x1000, where the VM
 * has nothing: Partita cannot emulate the access and would inject an abort,
 * which would be taken at the same entry and read again.
 */
	.text
	.balign	0x800
	.globl	faulting_vectors
faulting_vectors:
	.rept	16
	.balign	0x80
	mov	x1, #0x1000
	ldr	x0, [x1]
	b	.
	.endr

/*
 * scribble_and_reset(from, to): fills [from, to) with 0xdeadbeef and resets
 * the VM (PSCI SYSTEM_RESET). Position-independent and without a stack, so
 * it runs from a copy outside the image it overwrites.
 */
	.globl	scribble_and_reset, scribble_and_reset_end
scribble_and_reset:
	movz	w2, #0xbeef
	movk	w2, #0xdead, lsl #16
1:	str	w2, [x0], #4
	cmp	x0, x1
	b.lo	1b
	movz	x0, #0x0009
	movk	x0, #0x8400, lsl #16
	hvc	#0
	b	.
scribble_and_reset_end:
