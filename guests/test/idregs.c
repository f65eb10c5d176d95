/*
 * The ID registers tell the truth: every feature they advertise works,
 * its registers included (no UNDEF), and what the guest cannot have (EL2,
 * a physical address space beyond its IPA space) is not advertised. The
 * whole trapped ID space is read, AArch32 registers and reserved encodings
 * (RAZ) included. Run under -icount, the guest also reports what a trapped
 * read costs, next to a trapped ACTLR_EL1 read.
 */
#include "sysregs.h"

#define ID(crm, op2)                                                           \
	case (crm)*8 + (op2):                                                  \
		__asm__ volatile("mrs %0, s3_0_c0_c" #crm "_" #op2 : "=r"(v)); \
		break;
#define ID_ROW(crm) \
	ID(crm, 0) ID(crm, 1) ID(crm, 2) ID(crm, 3) ID(crm, 4) ID(crm, 5) ID(crm, 6) ID(crm, 7)

/* The ID register op0 3, op1 0, CRn 0, CRm crm, op2 op2. */
static u64 read_id(unsigned int crm, unsigned int op2)
{
	u64 v = 0;

	switch (crm * 8 + op2) {
		ID_ROW(1) ID_ROW(2) ID_ROW(3) ID_ROW(4) ID_ROW(5) ID_ROW(6) ID_ROW(7)
	}
	return v;
}

#define PFR0 read_id(4, 0)
#define PFR1 read_id(4, 1)
#define DFR0 read_id(5, 0)
#define ISAR0 read_id(6, 0)
#define MMFR0 read_id(7, 0)
#define MMFR1 read_id(7, 1)
#define MMFR3 read_id(7, 3)

/* Reserved encodings of the ID space: RAZ. */
static const unsigned char reserved[][2] = {
	{ 3, 3 }, { 3, 7 }, { 4, 3 }, { 4, 6 }, { 5, 3 }, { 5, 6 }, { 5, 7 },
	{ 6, 4 }, { 6, 5 }, { 6, 6 }, { 6, 7 }, { 7, 5 }, { 7, 6 }, { 7, 7 },
};

static void whole_space(void)
{
	unsigned int crm, op2, i;

	/* Every encoding reads without an exception, twice the same. */
	for (crm = 1; crm <= 7; crm++)
		for (op2 = 0; op2 <= 7; op2++) {
			u64 a = 0, b = 0;
			bool ok = NO_EXCEPTION(a = read_id(crm, op2));

			b = read_id(crm, op2);
			check(ok && a == b, "idregs-raz",
			      "c%u_%u: exception or unstable (0x%lx, 0x%lx)", crm, op2, a, b);
			print("idregs: c%u_%u 0x%lx", crm, op2, a);
		}
	/* They are read-only: a write is UNDEFINED (the CPU does not even trap it). */
	check(!NO_EXCEPTION(__asm__ volatile("msr s3_0_c0_c4_0, xzr" ::
						     : "memory")) &&
		      ((exc_last()->esr >> 26) & 0x3f) == 0,
	      "idregs-raz", "a write to ID_AA64PFR0_EL1 did not UNDEF (ESR 0x%lx)",
	      exc_last()->esr);
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		check(read_id(reserved[i][0], reserved[i][1]) == 0, "idregs-raz",
		      "reserved c%u_%u reads 0x%lx", reserved[i][0], reserved[i][1],
		      read_id(reserved[i][0], reserved[i][1]));
	verdict("idregs-raz");
}

/* The guest has no EL2, and its EL1 is AArch64 only (Partita sets HCR_EL2.RW). */
static void exception_levels(void)
{
	check(FIELD(PFR0, 8) == 0, "idregs-exception-levels", "EL2 advertised: 0x%lx",
	      FIELD(PFR0, 8));
	check(FIELD(PFR0, 4) == 1, "idregs-exception-levels", "EL1 field 0x%lx, not AArch64-only",
	      FIELD(PFR0, 4));
	check(FIELD(MMFR1, 8) == 0, "idregs-exception-levels", "VHE advertised");
	verdict("idregs-exception-levels");
}

/* PARange is the guest's IPA size, which holds its RAM; not the host's PA size. */
static void parange(u64 ram_top)
{
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	u64 pa = FIELD(MMFR0, 0);

	check(pa < 7 && bits[pa] <= 40 && (1UL << bits[pa]) >= ram_top, "idregs-parange",
	      "PARange %lu for a 40-bit IPA space with RAM up to 0x%lx", pa, ram_top);
	verdict("idregs-parange");
}

/* The AArch32 view agrees with the AArch64 one on what is shown. */
static void aarch32(void)
{
	u64 pfr0 = read_id(1, 0), pfr1 = read_id(1, 1), dfr0 = read_id(1, 2);

	/* AArch32 EL0 is all a guest can run; the rest describes EL2 and EL3 it does not have. */

	check(!FIELD(pfr0, 28) == !FIELD(PFR0, 28), "idregs-aarch32", "ID_PFR0_EL1.RAS 0x%lx",
	      FIELD(pfr0, 28));
	check(FIELD(pfr0, 16) <= 1, "idregs-aarch32", "ID_PFR0_EL1.CSV2 %lu: SCXTNUM is not there",
	      FIELD(pfr0, 16));
	check(FIELD(pfr0, 20) == 0, "idregs-aarch32", "ID_PFR0_EL1.AMU advertised");
	check(!FIELD(pfr1, 28) == !FIELD(PFR0, 24), "idregs-aarch32", "ID_PFR1_EL1.GIC %lu",
	      FIELD(pfr1, 28));
	check(!FIELD(pfr1, 12) && !FIELD(pfr1, 4), "idregs-aarch32",
	      "ID_PFR1_EL1 advertises AArch32 EL2 or EL3: 0x%lx", pfr1);
	check(!FIELD(dfr0, 12) && !FIELD(dfr0, 16) && !FIELD(dfr0, 28), "idregs-aarch32",
	      "ID_DFR0_EL1 advertises trace: 0x%lx", dfr0);
	check(!FIELD(read_id(2, 6), 8) && !FIELD(read_id(2, 6), 28), "idregs-aarch32",
	      "ID_MMFR4_EL1 advertises EL2's XNX or EVT: 0x%lx", read_id(2, 6));
	verdict("idregs-aarch32");
}

#define FEATURE(name, shown, accesses)                                           \
	do {                                                                     \
		if (shown) {                                                     \
			print("idregs: %s advertised", name);                    \
			check(NO_EXCEPTION(accesses), "idregs-features-work",    \
			      "%s is advertised but its registers UNDEF", name); \
		}                                                                \
	} while (0)

/* Every advertised feature's registers work. */
static void features(void)
{
	u64 smfr0 = read_id(4, 5), v = 0;

	MSR(cpacr_el1, CPACR_ALL);
	/*
	 * With no error record (ERRIDR_EL1.NUM 0), ERRSELR_EL1 and ERX* may be
	 * UNDEFINED or RAZ/WI: QEMU makes them UNDEFINED, Partita RAZ/WI.
	 */
	FEATURE("RAS", FIELD(PFR0, 28), {
		v = MRS(ERRIDR_EL1);
		MSR(DISR_EL1, 0);
		v |= MRS(DISR_EL1);
	});
	check(!FIELD(PFR0, 28) || v == 0, "idregs-features-work",
	      "RAS: no error record of its own should be seen (0x%lx)", v);
	FEATURE("MTE2", FIELD(PFR1, 8) >= 2, {
		MSR(GCR_EL1, MRS(GCR_EL1));
		MSR(RGSR_EL1, MRS(RGSR_EL1));
		MSR(TFSR_EL1, 0);
		MSR(TFSRE0_EL1, 0);
		v = MRS(GMID_EL1);
	});
	FEATURE("CSV2_2", FIELD(PFR0, 56) >= 2 || (FIELD(PFR0, 56) == 1 && FIELD(PFR1, 32) >= 2), {
		MSR(SCXTNUM_EL1, 1);
		MSR(SCXTNUM_EL0, MRS(SCXTNUM_EL1));
	});
	FEATURE("LOR", FIELD(MMFR1, 16), {
		v = MRS(LORID_EL1);
		MSR(LORC_EL1, 0);
	});
	FEATURE("PMUv3", FIELD(DFR0, 8) && FIELD(DFR0, 8) != 0xf, {
		v = MRS(pmcr_el0) | MRS(pmceid0_el0);
		MSR(pmselr_el0, 0);
	});
	FEATURE("debug", 1, {
		MSR(dbgbvr0_el1, MRS(dbgbvr0_el1));
		MSR(dbgwvr0_el1, MRS(dbgwvr0_el1));
		v = MRS(oslsr_el1);
	});
	FEATURE("GICv3 CPU interface", FIELD(PFR0, 24), {
		v = MRS(ICC_SRE_EL1) | MRS(ICC_CTLR_EL1) | MRS(ICC_IGRPEN1_EL1);
		MSR(ICC_PMR_EL1, MRS(ICC_PMR_EL1));
	});
	FEATURE("PAuth", has_pauth(), MSR(APIAKEYLO_EL1, MRS(APIAKEYLO_EL1)));
	FEATURE("SVE", FIELD(PFR0, 32), MSR(ZCR_EL1, MRS(ZCR_EL1)));
	FEATURE("SME", FIELD(PFR1, 24), {
		MSR(SMCR_EL1, MRS(SMCR_EL1));
		MSR(TPIDR2_EL0, MRS(TPIDR2_EL0));
		v = MRS(SVCR);
	});
	/* FA64: in streaming mode, an instruction only the full A64 set has (SETFFR). */
	FEATURE("SME FA64", FIELD(PFR1, 24) && (smfr0 >> 63), {
		MSR(SMCR_EL1, 1UL << 31);
		__asm__ volatile(SMSTART_SM SETFFR SMSTOP_SM ::: "memory");
	});
	if (FIELD(PFR1, 24)) /* in case an exception cut the above short */
		__asm__ volatile(SMSTOP_SM ::: "memory");
	/* Hidden by Partita on QEMU 7.2; if ever shown, their registers must work too. */
	FEATURE("AMU", FIELD(PFR0, 44), v = MRS(s3_3_c13_c2_0)); /* AMCR_EL0 */
	FEATURE("MPAM", FIELD(PFR0, 40) || FIELD(PFR1, 16), v = MRS(s3_0_c10_c5_0)); /* MPAM1_EL1 */
	FEATURE("SPE", FIELD(DFR0, 32), v = MRS(s3_0_c9_c9_7)); /* PMSIDR_EL1 */
	FEATURE("TRBE", FIELD(DFR0, 44), v = MRS(s3_0_c9_c11_7)); /* TRBIDR_EL1 */
	FEATURE("TRF", FIELD(DFR0, 40), v = MRS(s3_0_c1_c2_1)); /* TRFCR_EL1 */
	FEATURE("trace unit", FIELD(DFR0, 4), v = MRS(s2_1_c0_c8_7)); /* TRCIDR0 */
	FEATURE("TME", FIELD(ISAR0, 24), __asm__ volatile(".inst 0xd5233160" ::: "x0")); /* TTEST */
	FEATURE("NMI", FIELD(PFR1, 36), v = MRS(s3_0_c4_c3_0)); /* ALLINT */
	FEATURE("GCS", FIELD(PFR1, 44), v = MRS(s3_0_c2_c5_0)); /* GCSCR_EL1 */
	FEATURE("THE", FIELD(PFR1, 48), v = MRS(s3_0_c13_c0_6)); /* RCWMASK_EL1 */
	FEATURE("TCR2", FIELD(MMFR3, 0), v = MRS(s3_0_c2_c0_3)); /* TCR2_EL1 */
	FEATURE("SCTLR2", FIELD(MMFR3, 4), v = MRS(s3_0_c1_c0_3)); /* SCTLR2_EL1 */
	FEATURE("S1PIE", FIELD(MMFR3, 8), v = MRS(s3_0_c10_c2_3)); /* PIR_EL1 */
	FEATURE("S1POE", FIELD(MMFR3, 16), v = MRS(s3_0_c10_c2_4)); /* POR_EL1 */
	(void)v;
	verdict("idregs-features-work");
}

#define LOOPS 1000

/* Instructions per trapped read (under -icount, one counter tick is one instruction). */
static void cost(void)
{
	u64 t0, t1, t2, v, i;

	t0 = counter();
	for (i = 0; i < LOOPS; i++)
		__asm__ volatile("mrs %0, s3_0_c0_c4_0" : "=r"(v)::"memory");
	t1 = counter();
	for (i = 0; i < LOOPS; i++)
		__asm__ volatile("mrs %0, actlr_el1" : "=r"(v)::"memory");
	t2 = counter();
	/* Nanoseconds per read: instructions, under -icount shift=0. */
	print("idregs: cost id %lu actlr %lu", (t1 - t0) * 1000000000UL / MRS(cntfrq_el0) / LOOPS,
	      (t2 - t1) * 1000000000UL / MRS(cntfrq_el0) / LOOPS);
}

void guest_main(void *dtb)
{
	u64 base = 0, size = 0;

	fdt_reg(dtb, "memory", &base, &size);
	whole_space();
	exception_levels();
	parange(base + size);
	aarch32();
	features();
	cost();
}
