/* The only code in Partita that touches FP/SIMD registers on purpose. */
	.arch	armv8-a+fp+simd
	.text
	.globl	fpsimd_zero
fpsimd_zero:
	cbz	x0, 1f
	/* SVCR (S3_3_C4_C2_2) = 0: out of streaming mode, ZA off, so FP/SIMD is legal. */
	msr	s3_3_c4_c2_2, xzr
	isb
1:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	movi	v\n\().2d, #0
	.endr
	msr	fpcr, xzr
	msr	fpsr, xzr
	ret

	/* SVE's predicate registers and FFR, which no FP/SIMD write touches. */
	.arch_extension sve
	.globl	sve_zero_predicates
sve_zero_predicates:
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	pfalse	p\n\().b
	.endr
	wrffr	p0.b
	ret
