/*
 * arch_probe_read32 (arch/probe.h): a load whose fault the EL2 vectors turn
 * into "false", whether the fault is a synchronous abort on the load or an
 * SError it raised.
 */
#include "asm-offsets.h"

	.text
	.globl	arch_probe_read32, arch_probe_load, arch_probe_window_end, arch_probe_fixup
arch_probe_read32:
	/*
	 * With HCR_EL2.AMO clear a physical SError targets EL1, and at EL2 it
	 * is then masked whatever PSTATE.A says: it would stay pending until
	 * the first guest entry and be blamed on the guest. Route it to EL2
	 * for the probe; x3 keeps the old value (the vectors preserve it).
	 */
	mrs	x3, hcr_el2
	orr	x4, x3, #HCR_EL2_AMO
	msr	hcr_el2, x4
	isb
arch_probe_load:
	ldr	w2, [x0]
	/*
	 * Wait for the load to complete, so that an error it caused is
	 * pending by now (as far as the implementation reports errors by
	 * then: DSB completes the access, it cannot promise the SError), and
	 * take any pending SError here with PSTATE.A briefly clear. The EL2
	 * vectors resume one taken before arch_probe_window_end at the fixup.
	 * Taking it works with or without FEAT_RAS, where ESB would instead
	 * defer it into DISR_EL1 (an UNDEFINED register without RAS).
	 */
	dsb	sy
	isb
	msr	daifclr, #4
	isb
	msr	daifset, #4
arch_probe_window_end:
	msr	hcr_el2, x3
	isb
	str	w2, [x1]
	mov	w0, #1
	ret
arch_probe_fixup:
	msr	daifset, #4
	msr	hcr_el2, x3
	isb
	mov	w0, #0
	ret
