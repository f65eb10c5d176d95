/*
 * From the device tree to a running system: discover the machine, map it,
 * hand free memory to the allocator, start every CPU, report ready.
 */
#include "core/init.h"

#include <libfdt.h>
#include <string.h>

#include "arch/probe.h"
#include "board.h"
#include "boot/boot.h"
#include "core/bootargs.h"
#include "core/monitor.h"
#include "core/config.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "core/smp.h"
#include "core/vm.h"
#include "lib/log.h"
#include "mm/hyp_mmu.h"
#include "mm/palloc.h"
#include "platform/console.h"
#include "vcpu/vuart.h"
#include "platform/gic.h"
#include "vcpu/context.h"
#include "vcpu/hvc.h"
#include "vcpu/irq.h"
#include "vcpu/serror.h"
#include "vcpu/vgic/glue.h"

#define MiB(x) ((x) >> 20)

extern char __image_start[], __image_end[];

static struct platform plat;

static bool overlaps(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

/*
 * Reads a word of every page of [base, base+size), which is mapped: a page
 * with no memory behind it aborts, and the fault-catching read turns that
 * into an answer. Returns true, or false with the first such page in *bad.
 */
static bool readable(u64 base, u64 size, u64 *bad)
{
	u64 a;
	u32 v;

	for (a = ALIGN_DOWN(base, PAGE_SIZE); a < base + size; a += PAGE_SIZE) {
		if (!arch_probe_read32(a, &v)) {
			*bad = a;
			return false;
		}
	}
	return true;
}

/*
 * Maps the blob the loader passed and returns how many bytes of it may be
 * read, or 0 after saying why there is no usable blob at all. Nothing says
 * where RAM is before the blob is read, so x0 is checked in steps: not in
 * the board's device space, mappable at EL2, and then read with loads that
 * survive an external abort, first the header, then every page of the
 * size the header claims. Whether the blob lies in the RAM it describes is
 * checked once its memory nodes are known (platform_check_placement).
 */
static u64 map_fdt(void *fdt)
{
	u64 base = (u64)fdt, size = PAGE_SIZE, bad;
	u64 image = (u64)__image_start, image_size = ((u64)__image_end - (u64)__image_start);

	if (!base || !IS_ALIGNED(base, 8)) {
		log_err("no device tree: x0 at entry was 0x%lx, not the 8-byte aligned address "
			"of an FDT",
			base);
		return 0;
	}
	if (base < BOARD_RAM_BASE) {
		log_err("no device tree: x0 at entry (0x%lx) is below " BOARD_NAME "'s RAM at "
			"0x%lx, among its devices",
			base, BOARD_RAM_BASE);
		return 0;
	}
	if (overlaps(base, PAGE_SIZE, image, image_size)) {
		log_err("no device tree: x0 at entry (0x%lx) points into Partita's own image",
			base);
		return 0;
	}
	if (hyp_map(pa_init(base), size, HYP_MEM_RODATA)) {
		log_err("no device tree: x0 at entry (0x%lx) is beyond the addresses EL2 can map",
			base);
		return 0;
	}
	if (!readable(base, sizeof(struct fdt_header), &bad)) {
		log_err("no device tree: x0 at entry (0x%lx): reading 0x%lx aborts, there is no "
			"memory there",
			base, bad);
		return 0;
	}
	if (fdt_magic(fdt) == FDT_MAGIC)
		size = MIN(MAX(fdt_totalsize(fdt), PAGE_SIZE), PLAT_FDT_MAX_SIZE);
	if (overlaps(base, size, image, image_size)) {
		log_err("device tree at 0x%lx (%lu bytes) overlaps Partita's own image", base,
			size);
		return 0;
	}
	if (hyp_map(pa_init(base), size, HYP_MEM_RODATA)) {
		log_err("device tree at 0x%lx: its %lu bytes run beyond the addresses EL2 can map",
			base, size);
		return 0;
	}
	if (!readable(base, size, &bad)) {
		log_err("device tree at 0x%lx (x0 at entry): its header says %lu bytes, but "
			"reading 0x%lx aborts: it runs past memory",
			base, size, bad);
		return 0;
	}
	return size;
}

/*
 * Whether the RAM [b, e) the memory nodes claim (mapped) is there: its
 * first and last page and one page in every 2 MiB are read with
 * fault-catching loads, so a node that claims absent RAM is refused at boot
 * rather than found when a VM's memory is zeroed at EL2. A hole smaller
 * than 2 MiB inside a range is not seen.
 */
static bool ram_there(u64 b, u64 e, u64 *bad)
{
	u64 a = ALIGN_DOWN(b, PAGE_SIZE), last = ALIGN_DOWN(e - 1, PAGE_SIZE);
	u32 v;

	for (;;) {
		if (!arch_probe_read32(a, &v)) {
			*bad = a;
			return false;
		}
		if (a == last)
			return true;
		a = MIN(ALIGN_DOWN(a, SZ_2M) + SZ_2M, last);
	}
}

/*
 * Maps [b, e) read-write, minus the holes from index h on: the image and
 * the device tree (which keep the permissions they were mapped with, so
 * re-mapping them never splits a block and needs no table page) and no-map
 * reserved regions (which must not be mapped cacheable at all, or
 * speculation could reach them).
 */
static void map_ram_range(u64 b, u64 e, unsigned int h)
{
	u64 bad;

	for (; h < plat.reserved_count + 2; h++) {
		u64 hb, he;

		if (h == plat.reserved_count) {
			hb = (u64)__image_start;
			he = (u64)__image_end;
		} else if (h == plat.reserved_count + 1) {
			hb = ALIGN_DOWN(plat.fdt.base, PAGE_SIZE);
			he = ALIGN_UP(plat.fdt.base + plat.fdt.size, PAGE_SIZE);
		} else if (plat.reserved[h].no_map) {
			hb = ALIGN_DOWN(plat.reserved[h].base, PAGE_SIZE);
			he = ALIGN_UP(plat.reserved[h].base + plat.reserved[h].size, PAGE_SIZE);
		} else {
			continue;
		}
		if (hb < e && b < he) {
			if (b < hb)
				map_ram_range(b, hb, h + 1);
			if (he < e)
				map_ram_range(he, e, h + 1);
			return;
		}
	}
	if (hyp_map(pa_init(b), e - b, HYP_MEM_RW)) {
		log_err("memory: cannot map RAM 0x%lx-0x%lx at EL2 (beyond the 48-bit EL2 map, or "
			"out of table pages); stopping",
			b, e - 1);
		cpu_park();
	}
	if (!ram_there(b, e, &bad)) {
		log_err("memory: RAM 0x%lx-0x%lx from the memory nodes is not there: reading 0x%lx "
			"aborts; stopping",
			b, e - 1, bad);
		cpu_park();
	}
}

static void map_ram(void)
{
	unsigned int i;

	for (i = 0; i < plat.mem_count; i++)
		map_ram_range(plat.mem[i].base, plat.mem[i].base + plat.mem[i].size, 0);
}

static void map_devices(void)
{
	const struct plat_gic *g = &plat.gic;
	const struct plat_range *frames[] = { &g->dist, &g->cpu, &g->hyp, &g->vcpu };
	unsigned int i;

	/* Discovery refused frames that are empty, wrap or lie beyond the EL2 map. */
	for (i = 0; i < ARRAY_SIZE(frames); i++) {
		if (frames[i]->size &&
		    hyp_map(pa_init(frames[i]->base), frames[i]->size, HYP_MEM_DEVICE)) {
			log_err("gic: cannot map the frame 0x%lx-0x%lx at EL2 (out of table "
				"pages); stopping",
				frames[i]->base, frames[i]->base + frames[i]->size - 1);
			cpu_park();
		}
	}
	for (i = 0; i < g->redist_count; i++) {
		if (g->redists[i].size &&
		    hyp_map(pa_init(g->redists[i].base), g->redists[i].size, HYP_MEM_DEVICE))
			panic("cannot map GIC redistributor region 0x%lx at EL2",
			      g->redists[i].base);
	}
	if (plat.uart.kind != UART_NONE &&
	    hyp_map(pa_init(plat.uart.reg.base), MAX(plat.uart.reg.size, PAGE_SIZE),
		    HYP_MEM_DEVICE)) {
		log_warn("fdt: %s: cannot map 0x%lx at EL2; keeping the built-in console",
			 plat.uart.path, plat.uart.reg.base);
		plat.uart.kind = UART_NONE;
	}
}

/*
 * Gives every page of RAM that is not Partita, the FDT, the initrd or
 * reserved to the allocator. A range the allocator cannot record would
 * leave one of those pages free for a VM, so a full table stops the boot.
 */
static void init_palloc(void)
{
	unsigned int i;
	int err = 0;

	palloc_reset();
	for (i = 0; i < plat.mem_count; i++)
		err = err ?: palloc_add(pa_init(plat.mem[i].base), plat.mem[i].size);
	err = err
		      ?: palloc_exclude(pa_init((u64)__image_start),
					((u64)__image_end - (u64)__image_start));
	err = err ?: palloc_exclude(pa_init(plat.fdt.base), plat.fdt.size);
	if (plat.has_initrd)
		err = err ?: palloc_exclude(pa_init(plat.initrd.base), plat.initrd.size);
	for (i = 0; i < plat.reserved_count; i++)
		err = err ?: palloc_exclude(pa_init(plat.reserved[i].base), plat.reserved[i].size);
	if (err) {
		log_err("memory: the free memory is split into more than %d pieces, more than the "
			"page allocator can track; stopping",
			PALLOC_MAX_RANGES);
		cpu_park();
	}
	hyp_mmu_use_palloc();
}

static const char *uart_name(enum uart_kind k)
{
	return k == UART_PL011 ? "pl011" : k == UART_NS16550 ? "ns16550" : "none";
}

static void report(unsigned int boot_cpu)
{
	unsigned int i;

	log_info("fdt: 0x%lx, %lu bytes", plat.fdt.base, plat.fdt.size);
	for (i = 0; i < plat.mem_count; i++)
		log_info("memory: 0x%lx-0x%lx (%lu MiB)", plat.mem[i].base,
			 plat.mem[i].base + plat.mem[i].size - 1, MiB(plat.mem[i].size));
	for (i = 0; i < plat.reserved_count; i++)
		log_info("reserved: 0x%lx-0x%lx%s", plat.reserved[i].base,
			 plat.reserved[i].base + plat.reserved[i].size - 1,
			 plat.reserved[i].no_map ? " (no-map)" : "");
	for (i = 0; i < plat.cpu_count; i++)
		log_info("cpu%u: mpidr 0x%lx%s%s", i, plat.cpus[i].mpidr,
			 i == boot_cpu ? " (boot)" : "",
			 plat.cpus[i].fault ? " (cannot be started)" : "");
	if (plat.gic.version == 3) {
		log_info("gic: v3, distributor 0x%lx, redistributors 0x%lx (%lu KiB)",
			 plat.gic.dist.base, plat.gic.redist.base, plat.gic.redist.size >> 10);
		for (i = 1; i < plat.gic.redist_count; i++)
			log_info("gic: redistributor region %u: 0x%lx (%lu KiB)", i,
				 plat.gic.redists[i].base, plat.gic.redists[i].size >> 10);
	} else {
		log_info("gic: v2, distributor 0x%lx, cpu 0x%lx, hyp 0x%lx, vcpu 0x%lx",
			 plat.gic.dist.base, plat.gic.cpu.base, plat.gic.hyp.base,
			 plat.gic.vcpu.base);
	}
	log_info("timer: PPIs phys %u, virt %u, hyp %u", plat.timer.phys_ppi, plat.timer.virt_ppi,
		 plat.timer.hyp_ppi);
	log_info("psci: method smc");
	log_info("console: %s at 0x%lx (%s)", uart_name(console_uart()->kind),
		 console_uart()->reg.base, console_uart()->path);
	if (plat.has_initrd)
		log_info("initrd: 0x%lx-0x%lx", plat.initrd.base,
			 plat.initrd.base + plat.initrd.size - 1);
}

/* Why gic_init_cpu() failed, for the line that says this CPU stays without a GIC. */
static const char *gic_failure(int err)
{
	return err == -E_BUSY ? "its GIC redistributor never woke (GICR_WAKER.ChildrenAsleep "
				"stayed 1)"
			      : "no GIC redistributor or CPU interface was found for it";
}

static void init_gic_this_cpu(unsigned int cpu)
{
	int err = gic_init_cpu(cpu, plat.cpus[cpu].mpidr);

	if (err)
		log_err("cpu%u (mpidr 0x%lx): %s", cpu, plat.cpus[cpu].mpidr, gic_failure(err));
	else
		vgic_init_cpu(cpu);
}

/*
 * Builds every VM of the configuration that passed its checks. One that
 * fails, at the checks or while being built, is not started, with its
 * message; the others still are.
 */
static void build_vms(void)
{
	static struct config cfg;
	unsigned int i, id = 0;

	if (config_boot(&plat, (const void *)plat.fdt.base, &cfg))
		return;
	for (i = 0; i < cfg.vm_count; i++) {
		int err = cfg.refused[i] ? -E_INVAL : vm_create(id, &cfg.vm[i]);

		/* -E_NOENT (an offline CPU) said already that the VM is not started. */
		if (err && err != -E_NOENT)
			log_err("vm %s is not started", cfg.vm[i].name);
		if (!err)
			id++;
	}
	if (cfg.vm_count && !id)
		log_err("no VM of the configuration can run on this machine: idling");
}

/*
 * "partita.selftest=el2-fault" in the bootargs makes the boot CPU read an
 * address the EL2 map leaves out, so the system tests can check the report
 * a hypervisor fault prints. Nothing a guest does can reach this.
 */
#define SELFTEST_UNMAPPED 0x1000UL /* in the flash, which EL2 does not map */
#define SELFTEST_SPI 34 /* qemu-virt's PL031 RTC (SPI 2), which no VM owns */

/* The bootargs' "partita." words that are wrong, each said once, before any VM is built. */
static void warn_bootargs(void)
{
	int chosen = plat.chosen;

	bootargs_warn(chosen >= 0
			      ? fdt_getprop((const void *)plat.fdt.base, chosen, "bootargs", NULL)
			      : NULL);
}

static void selftest_el2_fault(void)
{
	int chosen = plat.chosen;
	const char *args =
		chosen >= 0 ? fdt_getprop((const void *)plat.fdt.base, chosen, "bootargs", NULL)
			    : NULL;
	struct bootargs ba;

	/* A whole word only: "guest=partita.selftest=el2-fault" is the guest's. */
	bootargs_parse(args, &ba);
	if (ba.selftest == BOOTARGS_SELFTEST_EL2_FAULT) {
		log_info("selftest: reading unmapped address 0x%lx at EL2", SELFTEST_UNMAPPED);
		(void)*(volatile u64 *)SELFTEST_UNMAPPED;
	}
	if (ba.selftest == BOOTARGS_SELFTEST_SLOW_UART) {
		log_info("selftest: the UART takes one character at a time; the rest waits for "
			 "its transmit interrupt");
		console_test_slow();
	}
	if (ba.selftest == BOOTARGS_SELFTEST_LIFECYCLE) {
		log_info("selftest: a CPU without a vCPU will stop and restart vm0");
		vm_selftest_lifecycle_on();
	}
	if (ba.selftest == BOOTARGS_SELFTEST_SPI) {
		/*
		 * An SPI nobody owns, enabled and pending as a boot loader might
		 * leave one: it is taken once the boot CPU runs a guest, and must
		 * then be disabled for good.
		 */
		log_info("selftest: SPI %u enabled and pending, routed to cpu%u", SELFTEST_SPI,
			 this_cpu()->id);
		gic_route_spi(SELFTEST_SPI, this_cpu()->id);
		gic_enable(this_cpu()->id, SELFTEST_SPI);
		gic_set_pending(this_cpu()->id, SELFTEST_SPI);
	}
}

/* The boot loader's placement of the FDT and initrd, and the console UART's address. */
static void check_boot_inputs(void)
{
	u64 image = (u64)__image_start, image_size = (u64)__image_end - image;

	if (platform_check_placement(&plat, image, image_size)) {
		log_err("cannot continue with these boot inputs; stopping");
		cpu_park();
	}
	platform_check_uart(&plat, image, image_size);
}

static void core_main_on_cpu_stack(void *arg)
{
	unsigned int boot_cpu = (unsigned int)(u64)arg, online;

	percpu_init(boot_cpu, plat.cpus[boot_cpu].mpidr);
	percpu[boot_cpu].online = true;
	if (gic_init(&plat))
		panic("GICv%u is not supported", plat.gic.version);
	/* Partita's own interrupts of every CPU, before any CPU can take one. */
	for (unsigned int i = 0; i < plat.cpu_count; i++)
		irq_init_cpu(i);
	vgic_init(&plat);
	vm_init(&plat);
	serror_init();
	init_gic_this_cpu(boot_cpu);
	hvc_probe_firmware();
	online = smp_start(&plat, boot_cpu);
	warn_bootargs();
	build_vms();
	vuart_start(&monitor_console, plat.timer.hyp_ppi);
	log_info("ready: cpus=%u gic=v%u mem=%luMiB free=%luMiB vms=%u", online, plat.gic.version,
		 MiB(platform_mem_total(&plat)), MiB(palloc_free_bytes()), vm_count());
	selftest_el2_fault();
	vm_start_all();
	vm_run_this_cpu();
}

void core_main(void *fdt)
{
	u64 fdt_size, mpidr = read_sysreg(mpidr_el1) & MPIDR_AFFINITY_MASK;
	int boot_cpu;

	context_init_cpu();
	/*
	 * CNTFRQ_EL0 is the firmware's to set (writable at the highest EL only).
	 * Every timeout here (a CPU coming online, a UART) and every guest's
	 * sense of time is counted in its ticks: 0 would make them all expire
	 * at once, or never.
	 */
	if (!counter_freq()) {
		log_err("CNTFRQ_EL0 is 0: the firmware did not set the system counter's "
			"frequency; stopping");
		cpu_park();
	}
	fdt_size = map_fdt(fdt);
	if (!fdt_size || platform_discover(fdt, fdt_size, &plat)) {
		log_err("cannot continue without a usable device tree; stopping");
		cpu_park();
	}
	if (plat.psci != PSCI_CONDUIT_SMC) {
		log_err("fdt: /psci: method is \"hvc\", but at EL2 an hvc would call Partita "
			"itself; the firmware must take PSCI calls by smc; stopping");
		cpu_park();
	}
	check_boot_inputs();
	boot_cpu = platform_cpu_index(&plat, mpidr);
	if (boot_cpu < 0) {
		log_err("fdt: the boot CPU (mpidr 0x%lx) is not in /cpus; stopping", mpidr);
		cpu_park();
	}
	/* RAM is read-write at EL2; the device tree stays as map_fdt mapped it, read-only. */
	map_ram();
	map_devices();
	if (plat.uart.kind != UART_NONE && !console_uart_present(&plat.uart))
		log_warn("fdt: %s: no %s answers at 0x%lx (reads abort, or its %s); keeping the "
			 "built-in console",
			 plat.uart.path, uart_name(plat.uart.kind), plat.uart.reg.base,
			 plat.uart.kind == UART_PL011 ? "ID registers say it is another device"
						      : "scratch register does not keep a value");
	else
		console_use(&plat.uart);
	init_palloc();
	report((unsigned int)boot_cpu);
	boot_call_on_stack((u64)cpu_stacks[boot_cpu + 1], core_main_on_cpu_stack,
			   (void *)(u64)boot_cpu);
}

void core_secondary(unsigned int cpu)
{
	int err;

	context_init_cpu();
	/* Without its GIC interface a CPU cannot be kicked out of a guest: it must run none. */
	err = gic_init_cpu(cpu, plat.cpus[cpu].mpidr);
	if (!err)
		vgic_init_cpu(cpu);
	smp_secondary_online(cpu, err ? gic_failure(err) : NULL);
	vm_run_this_cpu();
}
