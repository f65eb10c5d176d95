/*
 * Secondary CPUs, started with the firmware's PSCI CPU_ON. A CPU that cannot
 * be started is reported once and left offline; the others still boot, and
 * its reason is kept for the line that refuses a VM needing it.
 */
#include "core/smp.h"

#include "arch/cache.h"
#include "arch/spinlock.h"
#include "boot/boot.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "platform/psci_fw.h"

#define ONLINE_TIMEOUT_MS 1000

static const struct platform *plat;
static char offline_why[PLAT_MAX_CPUS][96];
/*
 * Taken by the boot CPU when it gives up waiting for a CPU and by that CPU
 * when it arrives, so a late CPU cannot come online once it was counted out.
 * Lock order: before the console's.
 */
static struct spinlock arrival_lock = SPINLOCK_INIT;
static bool given_up[PLAT_MAX_CPUS];
static volatile bool failed[PLAT_MAX_CPUS]; /* arrived, but cannot serve: see offline_why */

/* How the wait for a started CPU ended. */
enum arrival { ARRIVED, FAILED, TIMED_OUT };

static enum arrival wait_online(unsigned int cpu)
{
	u64 deadline = counter_read() + counter_freq() * ONLINE_TIMEOUT_MS / 1000;
	enum arrival a;

	while (!percpu[cpu].online && !failed[cpu]) {
		if (counter_read() > deadline)
			break;
		wfe();
	}
	spin_lock(&arrival_lock);
	a = percpu[cpu].online ? ARRIVED : failed[cpu] ? FAILED : TIMED_OUT;
	given_up[cpu] = a == TIMED_OUT;
	spin_unlock(&arrival_lock);
	return a;
}

/* Returns false after recording why cpu stays offline (the caller said so already). */
static bool __attribute__((format(printf, 2, 3))) offline(unsigned int cpu, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(offline_why[cpu], sizeof(offline_why[cpu]), fmt, ap);
	va_end(ap);
	return false;
}

/* Starts one secondary CPU and waits for it. Returns whether it came online. */
static bool start_cpu(unsigned int cpu)
{
	const struct plat_cpu *c = &plat->cpus[cpu];
	s64 ret;

	/* platform_discover already said why these cannot be started. */
	if (c->fault == CPU_FAULT_NO_REG)
		return offline(cpu, "%s has no MPIDR (reg)", c->name);
	if (c->fault == CPU_FAULT_DUP_MPIDR)
		return offline(cpu, "%s repeats the MPIDR 0x%lx of cpu%u", c->name, c->mpidr,
			       c->dup_of);
	if (c->enable != CPU_ENABLE_PSCI) {
		log_err("cpu%u: %s has %s; Partita starts CPUs with PSCI and needs "
			"enable-method = \"psci\"; cpu%u stays offline",
			cpu, c->name,
			c->enable == CPU_ENABLE_NONE ? "no enable-method"
						     : "an unsupported enable-method",
			cpu);
		return offline(cpu, "%s has %s", c->name,
			       c->enable == CPU_ENABLE_NONE ? "no enable-method"
							    : "an enable-method other than psci");
	}
	ret = psci_fw_cpu_on(c->mpidr, pa_init((u64)secondary_entry), cpu);
	if (ret != PSCI_RET_SUCCESS) {
		log_err("cpu%u (mpidr 0x%lx): firmware PSCI CPU_ON failed: %s; cpu%u stays offline",
			cpu, c->mpidr, psci_fw_strerror(ret), cpu);
		return offline(cpu, "the firmware refused CPU_ON for MPIDR 0x%lx (%s)", c->mpidr,
			       psci_fw_strerror(ret));
	}
	switch (wait_online(cpu)) {
	case ARRIVED:
		return true;
	case FAILED:
		return false; /* the CPU said why itself, and recorded it */
	case TIMED_OUT:
		break;
	}
	log_err("cpu%u (mpidr 0x%lx): started by PSCI but not online after %d ms; cpu%u stays "
		"offline",
		cpu, c->mpidr, ONLINE_TIMEOUT_MS, cpu);
	return offline(cpu, "it was not online %d ms after CPU_ON", ONLINE_TIMEOUT_MS);
}

unsigned int smp_start(const struct platform *p, unsigned int boot_cpu)
{
	unsigned int cpu, online = 1;

	plat = p;
	/* Secondaries read these with their MMU and caches off: push them to memory. */
	hyp_mmu_regs(&boot_mmu);
	dcache_clean_poc(&boot_mmu, sizeof(boot_mmu));
	for (cpu = 0; cpu < p->cpu_count; cpu++) {
		if (cpu != boot_cpu && start_cpu(cpu))
			online++;
	}
	return online;
}

const char *smp_offline_reason(unsigned int cpu)
{
	static char none[48];

	if (plat && cpu < plat->cpu_count)
		return percpu[cpu].online ? NULL : offline_why[cpu];
	fmt_format(none, sizeof(none), "there is no cpu%u: /cpus lists %u", cpu,
		   plat ? plat->cpu_count : 0);
	return none;
}

void smp_secondary_online(unsigned int cpu, const char *fault)
{
	u64 mpidr = plat->cpus[cpu].mpidr;

	percpu_init(cpu, mpidr);
	spin_lock(&arrival_lock);
	if (given_up[cpu]) {
		spin_unlock(&arrival_lock);
		log_err("cpu%u (mpidr 0x%lx) came up after Partita stopped waiting for it; it "
			"stays parked",
			cpu, mpidr);
		cpu_park();
	}
	if (fault) {
		log_err("cpu%u (mpidr 0x%lx): %s; cpu%u stays offline", cpu, mpidr, fault, cpu);
		offline(cpu, "%s", fault);
		failed[cpu] = true;
	} else {
		log_info("cpu%u online (mpidr 0x%lx)", cpu, mpidr);
		percpu[cpu].online = true;
	}
	spin_unlock(&arrival_lock);
	dsb(ish);
	sev();
	if (fault)
		cpu_park();
}
