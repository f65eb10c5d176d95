/*
 * arch_serror_take (arch/serror.h): unmasks SError at EL2 for a moment so
 * that a pending one is taken here; the EL2 vectors recognise the window by
 * ELR_EL2 and resume at arch_serror_taken with x0 = ESR_EL2.
 */
	.text
	.globl	arch_serror_take, arch_serror_taken, arch_serror_end
arch_serror_take:
	mov	x0, #0
	msr	daifclr, #4
	isb
	nop
arch_serror_taken:
	msr	daifset, #4
	ret
arch_serror_end:
