/*
 * PSCI 1.1 and SMCCC as a guest sees them: every call Partita serves, with
 * the return codes of the PSCI specification, bad arguments included, and
 * the life cycle of every vCPU (CPU_ON, CPU_OFF, AFFINITY_INFO, CPU_ON again).
 */
#include "rt.h"

#define CTX_MAGIC 0x5ca1ab1e00000000UL
#define SCTLR_M 1UL
#define DAIF_ALL (0xfUL << 6)
#define TPIDR_MARK 0x7e57

extern char secondary_entry[];

static volatile u64 seen_ctx[8];
static volatile u64 seen_sctlr[8];
static volatile u64 seen_daif[8];
static volatile u64 seen_tpidr[8];
static volatile u64 starts[8];
static volatile u64 release[8];

void guest_secondary(u64 ctx, u64 sctlr, u64 daif)
{
	unsigned int me = vcpu_index();
	u64 tpidr;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(tpidr));
	seen_ctx[me] = ctx;
	seen_sctlr[me] = sctlr;
	seen_daif[me] = daif;
	seen_tpidr[me] = tpidr;
	/* Leave a mark: a reset context must not show it on the next CPU_ON. */
	__asm__ volatile("msr tpidr_el1, %0" ::"r"((u64)TPIDR_MARK));
	__asm__ volatile("dmb sy" ::: "memory");
	starts[me]++;
	while (release[me] != starts[me])
		delay_ticks(1000);
	hvc(PSCI_CPU_OFF, 0, 0, 0);
	print("FAIL cpu-off: CPU_OFF returned on vcpu%u", me);
	for (;;)
		__asm__ volatile("wfi");
}

static void versions(void)
{
	check(hvc0(PSCI_VERSION, 0, 0, 0) == 0x10001, "psci-version", "not 1.1");
	check(hvc0(SMCCC_VERSION, 0, 0, 0) == 0x10001, "psci-version", "SMCCC not 1.1");
	check(hvc0(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0) == 2, "psci-version",
	      "MIGRATE_INFO_TYPE is not 2 (no migration needed)");
	verdict("psci-version");
}

static void features(void)
{
	static const u64 present[] = {
		PSCI_VERSION,
		PSCI_CPU_SUSPEND,
		PSCI_CPU_SUSPEND & ~(1UL << 30),
		PSCI_CPU_OFF,
		PSCI_CPU_ON,
		PSCI_CPU_ON_32,
		PSCI_AFFINITY_INFO,
		PSCI_MIGRATE_INFO_TYPE,
		PSCI_SYSTEM_OFF,
		PSCI_SYSTEM_RESET,
		PSCI_FEATURES,
		SMCCC_VERSION,
	};
	static const u64 absent[] = {
		0x84000005UL /* MIGRATE */,
		0x84000007UL /* MIGRATE_INFO_UP_CPU */,
		0x8400000cUL /* CPU_FREEZE */,
		0x8400000eUL /* SYSTEM_SUSPEND */,
		0x84000012UL /* SYSTEM_RESET2 */,
		0xc4000000UL /* VERSION has no SMC64 form */,
		0x8400001fUL,
		0x80000001UL + 0x100UL,
	};
	unsigned int i;

	for (i = 0; i < sizeof(present) / sizeof(present[0]); i++)
		check(hvc0(PSCI_FEATURES, present[i], 0, 0) >= 0, "psci-features",
		      "0x%lx reported missing", present[i]);
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		check(hvc0(PSCI_FEATURES, absent[i], 0, 0) == RET_NOT_SUPPORTED, "psci-features",
		      "0x%lx reported present", absent[i]);
	verdict("psci-features");
}

static void smccc(void)
{
	s64 r;

	check(hvc0(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES, 0, 0) == 0, "smccc-arch",
	      "ARCH_FEATURES does not list itself");
	check(hvc0(SMCCC_ARCH_FEATURES, 0x8000ff00UL, 0, 0) == RET_NOT_SUPPORTED, "smccc-arch",
	      "an unknown arch call is listed");
	/* QEMU's firmware implements none of the workarounds: nothing to forward. */
	check(hvc0(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0) == RET_NOT_SUPPORTED,
	      "smccc-arch", "WORKAROUND_1 listed although the firmware lacks it");
	check(hvc0(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_2, 0, 0) == RET_NOT_SUPPORTED,
	      "smccc-arch", "WORKAROUND_2 listed although the firmware lacks it");
	r = hvc0(SMCCC_ARCH_WORKAROUND_1, 0, 0, 0);
	check(r == RET_NOT_SUPPORTED, "smccc-arch", "WORKAROUND_1 returned %ld", r);
	r = hvc0(SMCCC_ARCH_WORKAROUND_3, 0, 0, 0);
	check(r == RET_NOT_SUPPORTED, "smccc-arch", "WORKAROUND_3 returned %ld", r);
	verdict("smccc-arch");

	check(hvc0(0x8400001fUL, 0, 0, 0) == RET_NOT_SUPPORTED, "smccc-unknown",
	      "an unknown PSCI function answered");
	check(hvc0(0xc5000000UL, 0, 0, 0) == RET_NOT_SUPPORTED, "smccc-unknown",
	      "an unknown owner answered");
	check(hvc0(0x04000000UL, 0, 0, 0) == RET_NOT_SUPPORTED, "smccc-unknown",
	      "a yielding call answered");
	check(hvc0(0x84010000UL, 0, 0, 0) == RET_NOT_SUPPORTED, "smccc-unknown",
	      "a call with bits 23:16 set answered");
	verdict("smccc-unknown");
}

static void hypercalls(void)
{
	struct smccc_res r = hvc(HC_VM_INFO, 0, 0, 0);

	check(r.a0 == 0 && r.a2 >= 1 && r.a3 == 0, "hypercall-vm-info", "x0=%ld vcpus=%lu me=%lu",
	      (s64)r.a0, r.a2, r.a3);
	check(hvc0(HC_NULL, 0, 0, 0) == 0, "hypercall-vm-info", "null call failed");
	check(hvc0(HC_CONSOLE_WRITE, 0x1000, 4, 0) == -3, "hypercall-vm-info",
	      "console write from outside RAM accepted");
	verdict("hypercall-vm-info");

	/* The same calls through SMC: trapped, served by Partita, never by firmware. */
	r = smc(HC_VM_INFO, 0, 0, 0);
	check(r.a0 == 0 && r.a2 >= 1, "smc-conduit", "VM_INFO over SMC gave %ld", (s64)r.a0);
	check((s64)smc(PSCI_VERSION, 0, 0, 0).a0 == 0x10001, "smc-conduit",
	      "PSCI_VERSION over SMC");
	check((s64)smc(0x8400001fUL, 0, 0, 0).a0 == RET_NOT_SUPPORTED, "smc-conduit",
	      "unknown function over SMC");
	verdict("smc-conduit");
}

static void bad_arguments(unsigned int vcpus)
{
	u64 entry = (u64)secondary_entry;
	s64 r;

	r = hvc0(PSCI_CPU_ON, vcpus, entry, 0);
	check(r == RET_INVALID_PARAMS, "psci-bad-args", "CPU_ON of MPIDR %u gave %ld", vcpus, r);
	r = hvc0(PSCI_CPU_ON, 0x100, entry, 0);
	check(r == RET_INVALID_PARAMS, "psci-bad-args", "CPU_ON of Aff1=1 gave %ld", r);
	r = hvc0(PSCI_CPU_ON, 1UL << 40, entry, 0);
	check(r == RET_INVALID_PARAMS, "psci-bad-args", "CPU_ON with a RES0 bit gave %ld", r);
	r = hvc0(PSCI_CPU_ON, 0, entry, 0);
	check(r == RET_ALREADY_ON, "psci-bad-args", "CPU_ON of itself gave %ld", r);
	if (vcpus > 1) {
		r = hvc0(PSCI_CPU_ON, 1, 0x1000, 0);
		check(r == RET_INVALID_ADDRESS, "psci-bad-args", "entry outside RAM gave %ld", r);
		r = hvc0(PSCI_CPU_ON, 1, entry + 2, 0);
		check(r == RET_INVALID_ADDRESS, "psci-bad-args", "misaligned entry gave %ld", r);
	}
	r = hvc0(PSCI_AFFINITY_INFO, vcpus, 0, 0);
	check(r == RET_INVALID_PARAMS, "psci-bad-args", "AFFINITY_INFO of a missing vCPU: %ld", r);
	r = hvc0(PSCI_AFFINITY_INFO, 0, 1, 0);
	check(r == RET_INVALID_PARAMS, "psci-bad-args", "AFFINITY_INFO level 1: %ld", r);
	r = hvc0(PSCI_CPU_SUSPEND, 0, entry, 0);
	check(r == RET_SUCCESS, "psci-bad-args", "CPU_SUSPEND (standby) gave %ld", r);
	verdict("psci-bad-args");
}

static bool wait_state(unsigned int cpu, s64 state)
{
	u64 end = counter() + 200000000UL;

	while (counter() < end) {
		if (hvc0(PSCI_AFFINITY_INFO, cpu, 0, 0) == state)
			return true;
		delay_ticks(10000);
	}
	return false;
}

/* Starts vCPU cpu with a context id, checks how it came up, and waits for its CPU_OFF. */
static void start_one(unsigned int cpu, unsigned int round, u64 fid)
{
	/* The SMC32 form passes a 32-bit context id. */
	u64 ctx = (CTX_MAGIC | (round << 8) | cpu) & (fid == PSCI_CPU_ON_32 ? 0xffffffffUL : ~0UL);
	s64 r = hvc0(fid, cpu, (u64)secondary_entry, ctx);
	u64 before = starts[cpu];

	check(r == RET_SUCCESS, "psci-cpu-on", "CPU_ON of vcpu%u gave %ld", cpu, r);
	r = hvc0(fid, cpu, (u64)secondary_entry, ctx);
	check(r == RET_ALREADY_ON || r == RET_ON_PENDING, "psci-cpu-on",
	      "second CPU_ON of vcpu%u gave %ld", cpu, r);
	check(wait_state(cpu, 0), "psci-cpu-on", "vcpu%u never reported ON", cpu);
	while (starts[cpu] == before)
		delay_ticks(1000);
	release[cpu] = starts[cpu];
	check(wait_state(cpu, 1), "psci-cpu-on", "vcpu%u never reported OFF", cpu);
	check(starts[cpu] == round, "psci-cpu-on", "vcpu%u started %lu times, not %u", cpu,
	      starts[cpu], round);
	check(seen_ctx[cpu] == ctx, "psci-cpu-on", "vcpu%u got x0=0x%lx, not 0x%lx", cpu,
	      seen_ctx[cpu], ctx);
	check(!(seen_sctlr[cpu] & SCTLR_M), "psci-cpu-on", "vcpu%u started with its MMU on", cpu);
	check((seen_daif[cpu] & DAIF_ALL) == DAIF_ALL, "psci-cpu-on",
	      "vcpu%u started with DAIF 0x%lx", cpu, seen_daif[cpu]);
	check(seen_tpidr[cpu] == 0, "psci-cpu-on",
	      "vcpu%u kept TPIDR_EL1 0x%lx from its previous life", cpu, seen_tpidr[cpu]);
}

static void lifecycle(unsigned int vcpus)
{
	unsigned int cpu;

	check(hvc0(PSCI_AFFINITY_INFO, 0, 0, 0) == 0, "psci-cpu-on", "vcpu0 not ON");
	for (cpu = 1; cpu < vcpus; cpu++)
		check(hvc0(PSCI_AFFINITY_INFO, cpu, 0, 0) == 1, "psci-cpu-on",
		      "vcpu%u not OFF before CPU_ON", cpu);
	for (cpu = 1; cpu < vcpus; cpu++)
		start_one(cpu, 1, PSCI_CPU_ON);
	verdict("psci-cpu-on");
	/* And again after CPU_OFF, through the SMC32 form of CPU_ON. */
	for (cpu = 1; cpu < vcpus; cpu++)
		start_one(cpu, 2, PSCI_CPU_ON_32);
	verdict("psci-cpu-on-again");
}

void guest_main(void *dtb)
{
	unsigned int vcpus = (unsigned int)hvc(HC_VM_INFO, 0, 0, 0).a2;
	u64 base, size;

	check(fdt_reg(dtb, "memory", &base, &size) && base == 0x40000000UL, "boot-state",
	      "x0 does not point to a DTB with the VM's memory");
	check(!(boot_state[0] & SCTLR_M), "boot-state", "MMU on at entry");
	check((boot_state[1] & DAIF_ALL) == DAIF_ALL, "boot-state", "DAIF 0x%lx", boot_state[1]);
	/* The arm64 boot protocol: x1-x3 zero, reserved for future use. */
	check(!boot_state[2] && !boot_state[3] && !boot_state[4], "boot-state",
	      "x1-x3 at entry 0x%lx 0x%lx 0x%lx", boot_state[2], boot_state[3], boot_state[4]);
	verdict("boot-state");
	versions();
	features();
	smccc();
	hypercalls();
	bad_arguments(vcpus);
	lifecycle(vcpus);
	print("psci: %u vCPUs", vcpus);
}
