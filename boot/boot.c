/*
 * The first C code: runs with the MMU off on the boot CPU, so it does as
 * little as it can before turning the MMU on and handing over to core/.
 */
#include "boot/boot.h"

#include "arch/sysreg.h"
#include "core/init.h"
#include "core/panic.h"
#include "lib/log.h"
#include "platform/console.h"

struct hyp_mmu_regs boot_mmu;
u8 cpu_stacks[PLAT_MAX_CPUS][CPU_STACK_SIZE] __attribute__((aligned(16)));

void boot_wrong_el(unsigned int el)
{
	console_init_early();
	log_err("entered at EL%u, but Partita must be entered at EL2 (on QEMU: -M "
		"virt,virtualization=on); stopping",
		el);
	cpu_park();
}

void boot_primary(void *fdt)
{
	const struct plat_uart *uart;

	console_init_early();
	log_info("Partita " PARTITA_VERSION " starting at EL2");
	/* Some CPUs implement only VHE: E2H then stays 1 and every EL2 layout here is wrong. */
	if (read_sysreg(hcr_el2) & HCR_EL2_E2H) {
		log_err("this CPU keeps HCR_EL2.E2H set (VHE only); Partita needs the non-VHE "
			"EL2; stopping");
		cpu_park();
	}
	uart = console_uart();
	if (hyp_mmu_init() || hyp_map(pa_init(uart->reg.base), uart->reg.size, HYP_MEM_DEVICE))
		panic("the EL2 page-table pool is too small for the image");
	hyp_mmu_enable_boot();
	console_enable_lock();
	core_main(fdt);
}

void boot_secondary(unsigned int cpu)
{
	core_secondary(cpu);
}
