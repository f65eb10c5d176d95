/*
 * void fp_roundtrip(const void *in, void *out, u64 exits, u64 ctl[2]):
 * loads Q0-Q31 from in and FPCR/FPSR from ctl, makes `exits` null
 * hypercalls touching no FP register, then stores Q0-Q31 to out and
 * FPCR/FPSR back to ctl.
 */
	.arch	armv8-a+fp+simd
	.text
	.globl	fp_roundtrip
fp_roundtrip:
	ldp	x4, x5, [x3]
	msr	fpcr, x4
	msr	fpsr, x5
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ldr	q\n, [x0, #16 * \n]
	.endr
	mov	x9, x1
	mov	x10, x2
	mov	x11, x3
1:	cbz	x10, 2f
	mov	x0, #0xc6000000		/* Partita's null hypercall */
	hvc	#0
	sub	x10, x10, #1
	b	1b
2:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	str	q\n, [x9, #16 * \n]
	.endr
	mrs	x4, fpcr
	mrs	x5, fpsr
	stp	x4, x5, [x11]
	ret
