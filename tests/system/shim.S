/*
 * A boot loader in five instructions, for the system tests that boot
 * Partita on an arbitrary device tree (tests/system/test_boot_inputs.py).
 * QEMU's -kernel would rewrite /memory and /chosen of the blob, so the
 * tests place partita.bin, the DTB and the initrd with QEMU's generic
 * loader instead, and this shim (loaded with cpu-num=0, which sets the PC
 * to its entry) enters Partita as a boot loader would: x0 = the value at
 * SHIM_PARAMS, x1-x3 zero, jump to the address at SHIM_PARAMS + 8. The
 * tests write both words with `-device loader,addr=...,data=...,data-len=8`.
 * A non-zero word at SHIM_PARAMS + 16 makes the shim first write the word
 * at SHIM_PARAMS + 24 to CNTFRQ_EL0 (firmware's job, writable at the
 * highest EL: EL2 on QEMU without EL3), for tests of a bad frequency.
 */
#define SHIM_PARAMS 0x47f01000

	.text
	.globl	_start
_start:
	ldr	x4, =SHIM_PARAMS
	ldr	x0, [x4]
	ldr	x5, [x4, #8]
	ldr	x6, [x4, #16]
	cbz	x6, 1f
	ldr	x6, [x4, #24]
	msr	cntfrq_el0, x6
	isb
1:
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x5
	.ltorg
