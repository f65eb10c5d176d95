/*
 * Entry from the boot loader (QEMU -kernel or U-Boot booti), per the arm64
 * Linux boot protocol: MMU off, x0 = physical address of the FDT. The image
 * is linked at 0 as a position-independent executable and relocates itself,
 * so the loader may place it at any 2 MiB-aligned address.
 */
#include "boot/boot.h"

#define R_AARCH64_RELATIVE 1027
#define HCR_EL2_BOOT (1 << 31) /* RW */
#define SCTLR_EL2_BOOT 0x30c50830 /* the RES1 bits of SCTLR_EL2 (E2H == 0) only */

	.section .text.head, "ax"
	.globl	_start
_start:
	/* The Image header (Linux Documentation/arch/arm64/booting.rst). */
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	__image_end - _start	/* image_size, including BSS */
	.quad	0xa			/* flags: little-endian, 4K pages, any 2M-aligned base */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5: no PE header */

primary_entry:
	mov	x19, x0
	adr	x20, _start

	/* Apply R_AARCH64_RELATIVE relocations: *(base + offset) = base + addend. */
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #16
	ldr	x5, [x1], #8
	cmp	x4, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x5, x5, x20
	str	x5, [x20, x3]
	b	1b
2:
	/*
	 * BSS lies beyond the file the loader cleaned to the PoC: a dirty
	 * line it left there could later be evicted over what is written
	 * below with the caches off. Clean and invalidate it first.
	 */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2(words per line) */
	mov	x4, #4
	lsl	x3, x4, x3
	sub	x4, x3, #1
	bic	x4, x1, x4
5:	dc	civac, x4
	add	x4, x4, x3
	cmp	x4, x2
	b.lo	5b
	dsb	sy

	/* Clear BSS before any C runs; it holds the stacks too. */
3:	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	3b
4:
	msr	spsel, #1
	adrp	x1, boot_stack
	add	x1, x1, :lo12:boot_stack
	add	sp, x1, #BOOT_STACK_SIZE

	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	cmp	x0, #2
	b.ne	boot_wrong_el

	/*
	 * Known EL2 controls: non-VHE (E2H and TGE clear), EL1 in AArch64;
	 * MMU and caches off, little-endian, no alignment checks.
	 */
	mov	x1, #HCR_EL2_BOOT
	msr	hcr_el2, x1
	ldr	x1, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x1
	isb
	adrp	x1, hyp_vectors
	add	x1, x1, :lo12:hyp_vectors
	msr	vbar_el2, x1
	isb
	mov	x0, x19
	bl	boot_primary
	b	.

/*
 * Secondary CPUs, started by PSCI CPU_ON with x0 = their CPU index. The MMU
 * is off, so this CPU may not store anything until it is on: the primary's
 * caches hold the live copy of everything it would touch.
 */
	.text
	.globl	secondary_entry
secondary_entry:
	mov	x19, x0
	msr	spsel, #1
	mov	x1, #HCR_EL2_BOOT
	msr	hcr_el2, x1
	ldr	x1, =SCTLR_EL2_BOOT
	msr	sctlr_el2, x1
	isb
	adrp	x1, hyp_vectors
	add	x1, x1, :lo12:hyp_vectors
	msr	vbar_el2, x1

	adrp	x1, boot_mmu
	add	x1, x1, :lo12:boot_mmu
	ldp	x2, x3, [x1]
	ldp	x4, x5, [x1, #16]
	msr	mair_el2, x2
	msr	tcr_el2, x3
	msr	ttbr0_el2, x4
	isb
	tlbi	alle2
	dsb	nsh
	isb
	msr	sctlr_el2, x5
	isb

	adrp	x1, cpu_stacks
	add	x1, x1, :lo12:cpu_stacks
	mov	x2, #CPU_STACK_SIZE
	madd	x1, x19, x2, x1
	add	sp, x1, x2
	mov	x0, x19
	bl	boot_secondary
	b	.

	.ltorg

	.globl	boot_call_on_stack
boot_call_on_stack:
	mov	sp, x0
	mov	x0, x2
	blr	x1
	b	.

	.bss
	.balign	16
boot_stack:
	.space	BOOT_STACK_SIZE
