/*
 * Test-guest entry. vCPU 0 comes here from the hypervisor with x0 = its
 * DTB; other vCPUs come to secondary_entry through PSCI CPU_ON with x0 =
 * the context id. Each vCPU runs on its own stack, chosen by MPIDR Aff0.
 */
#define STACK_SIZE 0x2000

	.section .text.head, "ax"
	.globl	_start
_start:
	/* An arm64 Image header, so the hypervisor loads this like a kernel. */
	b	primary
	.long	0
	.quad	0			/* text_offset */
	.quad	__guest_end - _start	/* image_size */
	.quad	0xa			/* little-endian, 4K, anywhere */
	.quad	0, 0, 0
	.ascii	"ARM\x64"
	.long	0

primary:
	mov	x19, x0
	/* The registers the boot protocol promises, before anything changes them. */
	adr	x4, boot_state
	stp	x1, x2, [x4, #16]
	str	x3, [x4, #32]
	mrs	x1, sctlr_el1
	mrs	x2, daif
	adr	x3, boot_state
	stp	x1, x2, [x3]
	adr	x1, __bss_start
	adr	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	bl	setup_cpu
	mov	x0, x19
	bl	guest_main
	b	guest_exit

	.text
	.globl	secondary_entry
secondary_entry:
	mov	x19, x0
	mrs	x20, sctlr_el1
	mrs	x21, daif
	bl	setup_cpu
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	bl	guest_secondary
	b	guest_exit

/* Stack by vCPU index, exception vectors; keeps x0. */
setup_cpu:
	mrs	x9, mpidr_el1
	and	x9, x9, #0xff
	adr	x10, stacks
	mov	x11, #STACK_SIZE
	madd	x10, x9, x11, x10
	add	sp, x10, x11
	adr	x10, guest_vectors
	msr	vbar_el1, x10
	isb
	ret

	/* In .data: BSS is cleared after these are written. */
	.data
	.balign	16
	.globl	boot_state
boot_state:
	.quad	0, 0, 0, 0, 0, 0	/* SCTLR_EL1, DAIF, x1, x2, x3 at entry */

	.bss
	.balign	16
stacks:
	.space	STACK_SIZE * 8
