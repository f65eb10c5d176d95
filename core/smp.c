#include "core/smp.h"

#include "arch/cache.h"
#include "boot/boot.h"
#include "core/percpu.h"
#include "lib/log.h"
#include "platform/psci_fw.h"

#define ONLINE_TIMEOUT_MS 1000

static const struct platform *plat;

static bool wait_online(unsigned int cpu)
{
	u64 deadline = counter_read() + counter_freq() * ONLINE_TIMEOUT_MS / 1000;

	while (!percpu[cpu].online) {
		if (counter_read() > deadline)
			return false;
		wfe();
	}
	return true;
}

unsigned int smp_start(const struct platform *p, unsigned int boot_cpu)
{
	unsigned int cpu, online = 1;

	plat = p;
	/* Secondaries read these with their MMU and caches off: push them to memory. */
	hyp_mmu_regs(&boot_mmu);
	dcache_clean_poc(&boot_mmu, sizeof(boot_mmu));
	for (cpu = 0; cpu < p->cpu_count; cpu++) {
		s64 ret;

		if (cpu == boot_cpu)
			continue;
		if (p->cpus[cpu].enable != CPU_ENABLE_PSCI) {
			log_err("cpu%u: %s has %s; Partita starts CPUs with PSCI and needs "
				"enable-method = \"psci\"; cpu%u stays offline",
				cpu, p->cpus[cpu].name,
				p->cpus[cpu].enable == CPU_ENABLE_NONE
					? "no enable-method"
					: "an unsupported enable-method",
				cpu);
			continue;
		}
		ret = psci_fw_cpu_on(p->cpus[cpu].mpidr, pa_init((u64)secondary_entry), cpu);
		if (ret != PSCI_RET_SUCCESS) {
			log_err("cpu%u (mpidr 0x%lx): firmware PSCI CPU_ON failed: %s", cpu,
				p->cpus[cpu].mpidr, psci_fw_strerror(ret));
			continue;
		}
		if (!wait_online(cpu)) {
			log_err("cpu%u (mpidr 0x%lx): started by PSCI but not online after %d ms",
				cpu, p->cpus[cpu].mpidr, ONLINE_TIMEOUT_MS);
			continue;
		}
		online++;
	}
	return online;
}

void smp_secondary_online(unsigned int cpu)
{
	percpu_init(cpu, plat->cpus[cpu].mpidr);
	log_info("cpu%u online (mpidr 0x%lx)", cpu, plat->cpus[cpu].mpidr);
	percpu[cpu].online = true;
	dsb(ish);
	sev();
}
