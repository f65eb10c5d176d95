/*
 * FP/SIMD state belongs to the guest: Q0-Q31, FPCR and FPSR come back
 * unchanged across 10,000 exits to the hypervisor.
 */
#include "rt.h"

#define EXITS 10000
#define FPCR_VALUE ((1UL << 25) | (1UL << 24) | (2UL << 22)) /* DN, FZ, round towards minus */
#define FPSR_VALUE 0x0800009fUL /* QC, IDC and every cumulative flag */

void fp_roundtrip(const void *in, void *out, u64 exits, u64 ctl[2]);

static unsigned char in[32 * 16] __attribute__((aligned(16)));
static unsigned char out[32 * 16] __attribute__((aligned(16)));

void guest_main(void *dtb)
{
	u64 cpacr, ctl[2] = { FPCR_VALUE, FPSR_VALUE };
	unsigned int i, bad = 0;

	(void)dtb;
	/* CPACR_EL1.FPEN = 0b11: FP/SIMD at EL1 without trapping. */
	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	__asm__ volatile("msr cpacr_el1, %0; isb" ::"r"(cpacr | (3UL << 20)));
	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 3);
	fp_roundtrip(in, out, EXITS, ctl);
	for (i = 0; i < sizeof(in); i++) {
		if (in[i] != out[i] && !bad++)
			check(false, "fp-preserved", "Q%u byte %u: 0x%x became 0x%x", i / 16,
			      i % 16, in[i], out[i]);
	}
	check(ctl[0] == FPCR_VALUE, "fp-preserved", "FPCR 0x%lx", ctl[0]);
	check(ctl[1] == FPSR_VALUE, "fp-preserved", "FPSR 0x%lx", ctl[1]);
	verdict("fp-preserved");
}
