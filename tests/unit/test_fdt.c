/*
 * platform/fdt.c: machine discovery from device trees that dtc compiled
 * from tests/unit/dts, and from blobs damaged in memory. Every refusal must
 * come with exactly one error line that says what is wrong.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "log_capture.h"
#include "platform/platform.h"

#ifndef DTB_DIR
#error "DTB_DIR must name the directory of the compiled test trees"
#endif

#define BLOB_MAX (64 * 1024)

static _Alignas(8) unsigned char blob[BLOB_MAX];
static struct platform plat;

/* Reads DTB_DIR/name.dtb into blob and returns its size. */
static size_t load_dtb(const char *name)
{
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dtb", DTB_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run the tests through make unit)", path);
	n = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	assert_true(n > 0 && n < sizeof(blob));
	return n;
}

/* Runs discovery on a blob in memory, with a clean log. */
static int discover_blob(const void *fdt, u64 max_size)
{
	log_capture_reset();
	return platform_discover(fdt, max_size, &plat);
}

static int discover(const char *name)
{
	size_t n = load_dtb(name);

	return discover_blob(blob, n);
}

/* Discovery of name must succeed without an error line. */
static void expect_discovered(const char *name)
{
	int rc = discover(name);

	if (rc || log_capture_count(LOG_ERROR))
		log_capture_dump();
	assert_int_equal(rc, 0);
	assert_int_equal(log_capture_count(LOG_ERROR), 0);
}

/* A refusal: -E_INVAL, one error line, and that line holds every needle. */
#define EXPECT_REFUSED(rc, ...)                                                             \
	do {                                                                                \
		int rc_ = (rc);                                                             \
		if (rc_ != -E_INVAL || log_capture_count(LOG_ERROR) != 1 ||                 \
		    !log_capture_has(LOG_ERROR, __VA_ARGS__, NULL)) {                       \
			log_capture_dump();                                                 \
			fail_msg("expected -E_INVAL with one error line naming %s; got %d", \
				 #__VA_ARGS__, rc_);                                        \
		}                                                                           \
	} while (0)

/* A warning line holding every needle was logged. */
#define EXPECT_WARNED(...)                                                      \
	do {                                                                    \
		if (!log_capture_has(LOG_WARN, __VA_ARGS__, NULL)) {            \
			log_capture_dump();                                     \
			fail_msg("expected a warning naming %s", #__VA_ARGS__); \
		}                                                               \
	} while (0)

static void assert_range(const struct plat_range *r, u64 base, u64 size)
{
	assert_int_equal(r->base, base);
	assert_int_equal(r->size, size);
}

/* Whether the reserved region found at base carries no-map. */
static bool reserved_no_map(u64 base)
{
	for (unsigned int i = 0; i < plat.reserved_count; i++) {
		if (plat.reserved[i].base == base)
			return plat.reserved[i].no_map;
	}
	return false;
}

/* Whether [base, base+size) is one of the reserved regions found. */
static bool reserved_has(u64 base, u64 size)
{
	unsigned int i;

	for (i = 0; i < plat.reserved_count; i++) {
		if (plat.reserved[i].base == base && plat.reserved[i].size == size)
			return true;
	}
	return false;
}

/* A QEMU-virt-like GICv3 machine is described completely and without complaint. */
static void test_virt_gicv3_machine(void **state)
{
	static const u64 mpidrs[] = { 0x0, 0x1, 0x100, 0x101 };
	unsigned int i;

	(void)state;
	expect_discovered("virt-gicv3");
	assert_int_equal(log_capture_count(LOG_WARN), 0);

	assert_int_equal(plat.mem_count, 2);
	assert_range(&plat.mem[0], 0x40000000, 0x40000000);
	assert_range(&plat.mem[1], 0x100000000, 0x20000000);
	assert_int_equal(plat.reserved_count, 0);

	assert_int_equal(plat.cpu_count, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(plat.cpus[i].mpidr, mpidrs[i]);
		assert_int_equal(plat.cpus[i].enable, CPU_ENABLE_PSCI);
	}
	assert_string_equal(plat.cpus[2].name, "/cpus/cpu@100");

	assert_int_equal(plat.gic.version, 3);
	assert_range(&plat.gic.dist, 0x08000000, 0x10000);
	assert_range(&plat.gic.redist, 0x080a0000, 0xf60000);
	assert_int_equal(plat.gic.redist_count, 1);
	assert_range(&plat.gic.redists[0], 0x080a0000, 0xf60000);
	assert_int_equal(plat.gic.maint_ppi, 25);

	/* The binding's order is secure, non-secure physical, virtual, hypervisor. */
	assert_int_equal(plat.timer.sec_phys_ppi, 29);
	assert_int_equal(plat.timer.phys_ppi, 30);
	assert_int_equal(plat.timer.virt_ppi, 27);
	assert_int_equal(plat.timer.hyp_ppi, 26);

	assert_int_equal(plat.psci, PSCI_CONDUIT_SMC);

	/* stdout-path "serial0:115200n8": the alias, options stripped, resolved. */
	assert_int_equal(plat.uart.kind, UART_PL011);
	assert_range(&plat.uart.reg, 0x09000000, 0x1000);
	assert_string_equal(plat.uart.path, "serial0");
	/* interrupts = <0 1 4>: SPI 1, the INTID the console's interrupt mode uses. */
	assert_int_equal(plat.uart.intid, 33);

	assert_true(plat.has_initrd);
	assert_range(&plat.initrd, 0x48200000, 0x800000);

	assert_int_equal(plat.fdt.base, (u64)(uintptr_t)blob);
	assert_int_equal(plat.fdt.size, fdt_totalsize(blob));
}

/* linux,initrd-start/end given as 32-bit values read the same as 64-bit ones. */
static void test_initrd_32bit_values(void **state)
{
	(void)state;
	expect_discovered("initrd-32bit");
	assert_true(plat.has_initrd);
	assert_range(&plat.initrd, 0x48200000, 0x800000);
}

/* An initrd that ends before it starts is refused, naming the property. */
static void test_initrd_inverted(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("initrd-inverted"), "linux,initrd-end");
}

/* A tree without memory is refused, and the message says memory is what lacks. */
static void test_no_memory(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("no-memory"), "memory");
}

/* Every reg entry of every enabled memory node is a bank; disabled ones are not. */
static void test_multiple_memory_banks(void **state)
{
	(void)state;
	expect_discovered("multi-memory");
	assert_int_equal(plat.mem_count, 4);
	assert_range(&plat.mem[0], 0x40000000, 0x10000000);
	assert_range(&plat.mem[1], 0x60000000, 0x08000000);
	assert_range(&plat.mem[2], 0x100000000, 0x20000000);
	assert_range(&plat.mem[3], 0x300000000, 0x40000000);
	assert_int_equal(platform_mem_total(&plat), 0x78000000);
}

/* /memreserve/ entries and /reserved-memory children with a reg are all reported. */
static void test_reserved_regions(void **state)
{
	(void)state;
	expect_discovered("reserved");
	assert_int_equal(plat.reserved_count, 6);
	assert_true(reserved_has(0x48000000, 0x100000)); /* /memreserve/: the FDT */
	assert_true(reserved_has(0x40000000, 0x1000)); /* /memreserve/: first page */
	assert_true(reserved_has(0x40200000, 0x400000)); /* where the image would load */
	assert_true(reserved_has(0x41000000, 0x1000)); /* two reg entries, one node */
	assert_true(reserved_has(0x41100000, 0x2000));
	assert_true(reserved_no_map(0x40200000)); /* no-map: kept out of the EL2 map too */
	assert_false(reserved_no_map(0x41000000));
	assert_false(reserved_no_map(0x48000000));
	assert_true(reserved_has(0x7ffff000, 0x1000)); /* last page of the bank */
}

/* One address cell and one size cell read correctly everywhere, PSCI 0.2 is enough. */
static void test_32bit_cells(void **state)
{
	(void)state;
	expect_discovered("cells32");
	assert_int_equal(plat.mem_count, 2);
	assert_range(&plat.mem[0], 0x80000000, 0x20000000);
	assert_range(&plat.mem[1], 0xc0000000, 0x10000000);
	assert_int_equal(plat.reserved_count, 1);
	assert_int_equal(plat.reserved[0].base, 0x80000000);
	assert_int_equal(plat.reserved[0].size, 0x100000);
	assert_int_equal(plat.cpu_count, 2);
	assert_int_equal(plat.cpus[1].mpidr, 1);
	assert_int_equal(plat.gic.version, 3);
	assert_range(&plat.gic.dist, 0x2f000000, 0x10000);
	assert_range(&plat.gic.redist, 0x2f100000, 0x200000);
	assert_int_equal(plat.psci, PSCI_CONDUIT_SMC);
	assert_int_equal(plat.uart.kind, UART_PL011);
	assert_range(&plat.uart.reg, 0x1c090000, 0x1000);
	assert_false(plat.has_initrd);
}

/* A GICv2 gives its four frames: GICD, GICC, GICH, GICV. */
static void test_gicv2(void **state)
{
	(void)state;
	expect_discovered("gicv2");
	assert_int_equal(plat.gic.version, 2);
	assert_range(&plat.gic.dist, 0x08000000, 0x10000);
	assert_range(&plat.gic.cpu, 0x08010000, 0x10000);
	assert_range(&plat.gic.hyp, 0x08030000, 0x10000);
	assert_range(&plat.gic.vcpu, 0x08040000, 0x10000);
	assert_int_equal(plat.gic.maint_ppi, 25);
}

/* Every region #redistributor-regions announces is read, not only the first. */
static void test_gicv3_redist_regions(void **state)
{
	(void)state;
	expect_discovered("gicv3-redist-regions");
	assert_int_equal(plat.gic.redist_count, 2);
	assert_range(&plat.gic.redists[0], 0x080a0000, 0x40000);
	assert_range(&plat.gic.redists[1], 0x080e0000, 0x40000);
	assert_range(&plat.gic.redist, 0x080a0000, 0x40000);
}

/* More regions announced than reg gives: refused, naming the node and the count. */
static void test_gicv3_redist_regions_short(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("gicv3-redist-regions-short"), "intc@8000000",
		       "redistributor region 2 of the 3");
}

/* A GICv2 without GICH and GICV cannot be virtualized: refused, naming the node. */
static void test_gicv2_without_virt_frames(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("gicv2-no-gich"), "intc@8000000", "GICH");
}

/* The PSCI conduit follows the method property. */
static void test_psci_hvc(void **state)
{
	(void)state;
	expect_discovered("psci-hvc");
	assert_int_equal(plat.psci, PSCI_CONDUIT_HVC);
}

/* PSCI 0.1 has no standard function IDs: refused, naming the node. */
static void test_psci_0_1_refused(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("psci-0.1"), "psci", "0.1");
}

/* A method other than smc or hvc is refused, naming the property. */
static void test_psci_bad_method(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("psci-bad-method"), "psci", "method");
}

/* Without stdout-path the machine is still usable: no UART, and a warning says so. */
static void test_no_stdout_path(void **state)
{
	(void)state;
	expect_discovered("no-stdout");
	assert_int_equal(plat.uart.kind, UART_NONE);
	EXPECT_WARNED("stdout-path");
}

/* An ns16550a stdout (full path, no options) keeps its register shift and width. */
static void test_ns16550_stdout(void **state)
{
	(void)state;
	expect_discovered("ns16550");
	assert_int_equal(plat.uart.kind, UART_NS16550);
	assert_range(&plat.uart.reg, 0x10000000, 0x100);
	assert_int_equal(plat.uart.reg_shift, 2);
	assert_int_equal(plat.uart.reg_io_width, 4);
	assert_string_equal(plat.uart.path, "/serial@10000000");
	/* No interrupts property: the console will poll it. */
	assert_int_equal(plat.uart.intid, 0);
}

/* A reg behind two buses is translated through each bus's ranges, using the matching entry. */
static void test_bus_ranges_translation(void **state)
{
	(void)state;
	expect_discovered("bus-ranges");
	assert_int_equal(plat.uart.kind, UART_PL011);
	assert_range(&plat.uart.reg, 0x2c003000, 0x1000);
}

/* Nineteen buses down, past the ancestors one walk keeps: every ranges still applies. */
static void test_bus_deep_translation(void **state)
{
	(void)state;
	expect_discovered("bus-deep");
	assert_int_equal(plat.uart.kind, UART_PL011);
	assert_range(&plat.uart.reg, 0x20000000 + 18 * 0x100 + 0x1000, 0x1000);
}

/* More memory nodes than discovery remembers: the ones past them are checked too. */
static void test_memory_many_on_gic(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("memory-many-on-gic"),
		       "/memory@8000000: reg[0] 0x8000000-0x800ffff", "GIC distributor (GICD)",
		       "not RAM");
}

/* A UART on a bus without ranges is not memory-mapped: warned about, not used. */
static void test_bus_without_ranges(void **state)
{
	(void)state;
	expect_discovered("bus-no-ranges");
	assert_int_equal(plat.uart.kind, UART_NONE);
	EXPECT_WARNED("serial@48");
}

/* No enable-method, spin-table and PSCI are told apart; disabled and non-CPU nodes skipped. */
static void test_cpu_enable_methods(void **state)
{
	(void)state;
	expect_discovered("cpu-methods");
	assert_int_equal(plat.cpu_count, 3);
	assert_int_equal(plat.cpus[0].mpidr, 0x0);
	assert_int_equal(plat.cpus[0].enable, CPU_ENABLE_NONE);
	assert_int_equal(plat.cpus[1].mpidr, 0x1);
	assert_int_equal(plat.cpus[1].enable, CPU_ENABLE_OTHER);
	assert_int_equal(plat.cpus[2].mpidr, 0x100000100);
	assert_int_equal(plat.cpus[2].enable, CPU_ENABLE_PSCI);
	assert_string_equal(plat.cpus[2].name, "/cpus/cpu@100000100");
}

/* Without an interrupt controller nothing can run: refused, naming the GIC wanted. */
static void test_no_gic(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("no-gic"), "interrupt controller", "arm,gic-v3");
}

/* Without the architected timer: refused, naming the timer. */
static void test_no_timer(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("no-timer"), "timer");
}

/* A blob whose header claims more than max_size allows is truncated, whatever is there. */
static void test_truncated_by_max_size(void **state)
{
	size_t n = load_dtb("virt-gicv3");

	(void)state;
	EXPECT_REFUSED(discover_blob(blob, n - 1), "truncated");
	EXPECT_REFUSED(discover_blob(blob, n / 2), "truncated");
}

/* A blob cut short in memory (only the first part copied) is refused as truncated. */
static void test_truncated_copy(void **state)
{
	size_t n = load_dtb("virt-gicv3") / 2;
	unsigned char *part = malloc(n);

	(void)state;
	assert_non_null(part);
	memcpy(part, blob, n);
	EXPECT_REFUSED(discover_blob(part, n), "truncated");
	free(part);
}

/* Fewer bytes than a header are refused as such, before the header is read. */
static void test_shorter_than_header(void **state)
{
	(void)state;
	load_dtb("virt-gicv3");
	EXPECT_REFUSED(discover_blob(blob, sizeof(struct fdt_header) - 1), "header");
	/* Reading the header would have found the tree truncated instead. */
	assert_false(log_capture_has(LOG_ERROR, "truncated", NULL));
}

/* Something that is not a device tree is refused for its magic number. */
static void test_bad_magic(void **state)
{
	size_t n = load_dtb("virt-gicv3");

	(void)state;
	blob[0] ^= 0xff;
	EXPECT_REFUSED(discover_blob(blob, n), "magic");
}

/* A bad token inside the structure block is found before anything is read from it. */
static void test_corrupt_structure(void **state)
{
	size_t n = load_dtb("virt-gicv3");
	/* The root's FDT_BEGIN_NODE and empty name take 8 bytes; its first property follows. */
	fdt32_t *token = (fdt32_t *)(blob + fdt_off_dt_struct(blob) + 8);

	(void)state;
	assert_int_equal(fdt32_to_cpu(*token), FDT_PROP);
	*token = cpu_to_fdt32(0xdeadbeef);
	EXPECT_REFUSED(discover_blob(blob, n), "device tree");
}

/* A header whose blocks lie outside the blob is refused. */
static void test_corrupt_header(void **state)
{
	size_t n = load_dtb("virt-gicv3");

	(void)state;
	fdt_set_off_dt_strings(blob, fdt_totalsize(blob) + 0x100);
	EXPECT_REFUSED(discover_blob(blob, n), "device tree");
}

/* Reads the fuzzer-found input tests/unit/crashes/name into blob; returns its size. */
static size_t load_crash(const char *name)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", CRASH_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	return n;
}

/*
 * Found by make fuzz (fuzz_fdt): a version 14 blob made Debian's libfdt
 * 1.6.1 fdt_check_full() follow a NULL pointer. It is refused by version
 * first, as is a sound tree whose header says version 15.
 */
static void test_old_version(void **state)
{
	size_t n;

	(void)state;
	n = load_crash("fdt-version14-check-full.dtb");
	EXPECT_REFUSED(discover_blob(blob, n),
		       "has version 14; Partita reads version 16 and later");
	n = load_dtb("virt-gicv3");
	fdt_set_version(blob, 15);
	fdt_set_last_comp_version(blob, 15);
	EXPECT_REFUSED(discover_blob(blob, n), "has version 15");
}

/*
 * Found by make fuzz (fuzz_fdt): a tree on which Debian's libfdt 1.6.1
 * fdt_check_full() loops forever. Partita's own bounded walk of the tags
 * refuses it first.
 */
static void test_check_full_loop(void **state)
{
	size_t n;

	(void)state;
	n = load_crash("fdt-check-full-loop.dtb");
	EXPECT_REFUSED(discover_blob(blob, n), "is malformed");
}

/* More CPUs than Partita tracks: the extra ones are left off with a warning, not a failure. */
static void test_extra_cpus_warned(void **state)
{
	unsigned int i;
	int cpus;

	(void)state;
	load_dtb("virt-gicv3");
	assert_int_equal(fdt_open_into(blob, blob, sizeof(blob)), 0);
	cpus = fdt_path_offset(blob, "/cpus");
	assert_true(cpus >= 0);
	for (i = 0; i < PLAT_MAX_CPUS; i++) {
		char name[16];
		int node;

		snprintf(name, sizeof(name), "cpu@%x", 0x200 + i);
		node = fdt_add_subnode(blob, cpus, name);
		assert_true(node >= 0);
		assert_int_equal(fdt_setprop_string(blob, node, "device_type", "cpu"), 0);
		assert_int_equal(fdt_setprop_u32(blob, node, "reg", 0x200 + i), 0);
		assert_int_equal(fdt_setprop_string(blob, node, "enable-method", "psci"), 0);
	}
	assert_int_equal(discover_blob(blob, sizeof(blob)), 0);
	assert_int_equal(plat.cpu_count, PLAT_MAX_CPUS);
	assert_int_equal(log_capture_count(LOG_WARN), 4);
	EXPECT_WARNED("CPUs", "/cpus/cpu@");
}

/* platform_mem_total adds up every bank. */
static void test_mem_total(void **state)
{
	(void)state;
	expect_discovered("virt-gicv3");
	assert_int_equal(platform_mem_total(&plat), 0x60000000);
	expect_discovered("cells32");
	assert_int_equal(platform_mem_total(&plat), 0x30000000);
}

/* platform_cpu_index matches affinity bits only, as MPIDR_EL1 is read with bit 31 set. */
static void test_cpu_index(void **state)
{
	(void)state;
	expect_discovered("virt-gicv3");
	assert_int_equal(platform_cpu_index(&plat, 0x0), 0);
	assert_int_equal(platform_cpu_index(&plat, 0x101), 3);
	assert_int_equal(platform_cpu_index(&plat, 0x80000101), 3);
	assert_int_equal(platform_cpu_index(&plat, 0x80000100), 2);
	assert_int_equal(platform_cpu_index(&plat, 0x2), -1);
	assert_int_equal(platform_cpu_index(&plat, 0x10000), -1);

	expect_discovered("cpu-methods");
	assert_int_equal(platform_cpu_index(&plat, 0x180000100), 2);
	assert_int_equal(platform_cpu_index(&plat, 0x100), -1);
}

/* A memory range that runs past the top of the address space is refused, naming the node. */
static void test_memory_wrap_refused(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("memory-wrap"), "/memory@fffffffffffff000", "reg[0]", "wraps");
}

/*
 * Repeated and overlapping memory ranges are merged, with a warning naming
 * the node: the machine has 1.25 GiB, listed once, however often it is told.
 */
static void test_memory_overlap_merged(void **state)
{
	(void)state;
	expect_discovered("memory-overlap");
	assert_int_equal(plat.mem_count, 2);
	assert_range(&plat.mem[0], 0x40000000, 0x50000000);
	assert_range(&plat.mem[1], 0x100000000, 0x20000000);
	assert_int_equal(platform_mem_total(&plat), 0x70000000);
	EXPECT_WARNED("/memory@40000000", "reg[1]", "merged");
	EXPECT_WARNED("/memory-again@40000000", "merged");
	EXPECT_WARNED("/memory@70000000", "merged", "0x40000000-0x8fffffff");
}

/* More reserved regions than the table holds: refused, never treated as free memory. */
static void test_reserved_too_many_refused(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("reserved-too-many"), "more than 32 reserved regions",
		       "/memreserve/", "0x40200000");
}

/* A reserved region whose reg cannot be translated is refused, naming it. */
static void test_reserved_untranslatable_refused(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("reserved-no-ranges"), "/reserved-memory/secmon@40200000",
		       "translated");
}

/* linux,initrd-end equal to linux,initrd-start is an empty initrd: refused. */
static void test_initrd_empty_refused(void **state)
{
	(void)state;
	EXPECT_REFUSED(discover("initrd-empty"), "linux,initrd-end", "equal to");
}

/* stdout-path through an alias with options ("serial7:115200n8") finds the PL011. */
static void test_stdout_alias(void **state)
{
	(void)state;
	expect_discovered("stdout-alias");
	assert_int_equal(plat.uart.kind, UART_PL011);
	assert_range(&plat.uart.reg, 0x09000000, 0x1000);
	assert_string_equal(plat.uart.path, "serial7");
}

/* An alias that does not exist: a warning that says so, and the built-in console. */
static void test_stdout_missing_alias(void **state)
{
	(void)state;
	expect_discovered("stdout-no-alias");
	assert_int_equal(plat.uart.kind, UART_NONE);
	EXPECT_WARNED("stdout-path", "\"serial3\"", "no such alias");
	assert_false(log_capture_has(LOG_WARN, "no /chosen/stdout-path", NULL));
}

/* A full path to a node that does not exist: a warning naming it. */
static void test_stdout_missing_node(void **state)
{
	(void)state;
	expect_discovered("stdout-missing-node");
	assert_int_equal(plat.uart.kind, UART_NONE);
	EXPECT_WARNED("stdout-path", "\"/pl011@1c090000\"", "names no node");
}

/* A UART whose reg lies in RAM or in Partita's image is not used as the console. */
static void test_stdout_reg_in_ram(void **state)
{
	(void)state;
	expect_discovered("stdout-in-ram");
	assert_int_equal(plat.uart.kind, UART_PL011);
	platform_check_uart(&plat, 0x48000000, 0x100000);
	assert_int_equal(plat.uart.kind, UART_NONE);
	EXPECT_WARNED("/pl011@40010000", "0x40010000-0x40010fff", "RAM");

	expect_discovered("virt-gicv3");
	plat.mem_count = 0; /* the UART is not in RAM, but Partita is loaded over it */
	platform_check_uart(&plat, 0x09000000, 0x100000);
	assert_int_equal(plat.uart.kind, UART_NONE);
	EXPECT_WARNED("0x9000000-0x9000fff", "Partita");

	expect_discovered("virt-gicv3");
	platform_check_uart(&plat, 0x40200000, 0x100000);
	assert_int_equal(plat.uart.kind, UART_PL011);
	assert_int_equal(log_capture_count(LOG_WARN), 0);
}

#define IMAGE 0x40200000UL
#define IMAGE_SIZE 0x100000UL

/*
 * Discovers name, then pretends the blob sat at fdt_base (the host buffer's
 * address means nothing) and checks the placement against an image at IMAGE.
 */
static int placement(const char *name, u64 fdt_base)
{
	expect_discovered(name);
	plat.fdt.base = fdt_base;
	log_capture_reset();
	return platform_check_placement(&plat, IMAGE, IMAGE_SIZE);
}

/* QEMU's layout (image at 0x40200000, FDT at 0x48000000, initrd above) is accepted. */
static void test_placement_ok(void **state)
{
	(void)state;
	assert_int_equal(placement("virt-gicv3", 0x48000000), 0);
	assert_int_equal(log_capture_count(LOG_ERROR), 0);
	/* An initrd across two touching banks is in RAM. */
	plat.mem[0].size = 0x10000000;
	plat.mem[1].base = 0x50000000;
	plat.mem[1].size = 0x30000000;
	plat.mem_count = 2;
	plat.initrd.base = 0x4ff00000;
	assert_int_equal(platform_check_placement(&plat, IMAGE, IMAGE_SIZE), 0);
}

/* A device tree whose totalsize runs past the end of RAM is refused. */
static void test_placement_fdt_past_ram(void **state)
{
	(void)state;
	u64 size;

	expect_discovered("virt-gicv3");
	size = plat.fdt.size;
	assert_true(size > 16);
	EXPECT_REFUSED(placement("virt-gicv3", 0x80000000 - size + 8), "device tree",
		       "not inside the RAM");
	EXPECT_REFUSED(placement("virt-gicv3", 0x20000000), "device tree", "0x20000000");
}

/* An initrd over Partita's image, over the FDT, or over a no-map region is refused. */
static void test_placement_initrd_overlaps(void **state)
{
	(void)state;
	assert_int_equal(placement("virt-gicv3", 0x48000000), 0);
	plat.initrd.base = IMAGE + IMAGE_SIZE - 0x1000;
	log_capture_reset();
	EXPECT_REFUSED(platform_check_placement(&plat, IMAGE, IMAGE_SIZE), "initrd 0x402ff000",
		       "Partita's own image at 0x40200000-0x402fffff");

	EXPECT_REFUSED(placement("virt-gicv3", 0x48200000 + 0x800000 - 0x1000), "initrd",
		       "device tree");

	assert_int_equal(placement("reserved", 0x48000000), 0);
	plat.initrd.base = 0x40500000; /* inside secmon@40200000 (no-map) */
	log_capture_reset();
	EXPECT_REFUSED(platform_check_placement(&plat, 0x44000000, IMAGE_SIZE), "initrd",
		       "no-map reserved region 0x40200000-0x405fffff");
	plat.initrd.base = 0x41000000; /* over a reserved region that is mapped: fine */
	assert_int_equal(platform_check_placement(&plat, 0x44000000, IMAGE_SIZE), 0);
}

/* An initrd outside RAM (here over the GIC) is refused, not copied in as a guest. */
static void test_placement_initrd_outside_ram(void **state)
{
	(void)state;
	EXPECT_REFUSED(placement("initrd-on-gic", 0x48000000), "initrd 0x8000000-0x800ffff",
		       "not inside the RAM");
	EXPECT_REFUSED(placement("initrd-on-gic", 0x48000000), "initrd");
	plat.initrd.base = 0x7ff00000; /* runs past the end of the first bank */
	plat.initrd.size = 0x200000;
	log_capture_reset();
	EXPECT_REFUSED(platform_check_placement(&plat, IMAGE, IMAGE_SIZE), "initrd 0x7ff00000",
		       "not inside");
}

/* platform_in_ram: inside, across touching banks, past the end, empty, wrapping. */
static void test_in_ram(void **state)
{
	(void)state;
	expect_discovered("virt-gicv3");
	assert_true(platform_in_ram(&plat, 0x40000000, 0x40000000));
	assert_true(platform_in_ram(&plat, 0x100000000, 0x1000));
	assert_false(platform_in_ram(&plat, 0x7ffff000, 0x2000));
	assert_false(platform_in_ram(&plat, 0x40000000, 0));
	assert_false(platform_in_ram(&plat, 0x100000000, ~0UL));
	assert_false(platform_in_ram(&plat, 0x3ffff000, 0x2000));
	plat.mem[1].base = 0x80000000; /* now touching the first bank */
	assert_true(platform_in_ram(&plat, 0x7ffff000, 0x2000));
}

/*
 * Discovery of name succeeds with exactly one error line, about the CPU that
 * cannot be started, and that line holds every needle.
 */
#define EXPECT_ONE_CPU_LOST(name, ...)                                                     \
	do {                                                                               \
		int rc_ = discover(name);                                                  \
		if (rc_ || log_capture_count(LOG_ERROR) != 1 ||                            \
		    !log_capture_has(LOG_ERROR, __VA_ARGS__, NULL)) {                      \
			log_capture_dump();                                                \
			fail_msg("expected success with one error line naming %s; got %d", \
				 #__VA_ARGS__, rc_);                                       \
		}                                                                          \
	} while (0)

/* A cpu node without reg loses that CPU only; the others keep their numbers. */
static void test_cpu_without_reg(void **state)
{
	(void)state;
	EXPECT_ONE_CPU_LOST("cpu-no-reg", "cpu2 (/cpus/cpu@100)", "no reg", "stays offline");
	assert_int_equal(plat.cpu_count, 4);
	assert_int_equal(plat.cpus[2].fault, CPU_FAULT_NO_REG);
	assert_int_equal(plat.cpus[0].fault, CPU_FAULT_NONE);
	assert_int_equal(plat.cpus[3].fault, CPU_FAULT_NONE);
	assert_int_equal(plat.cpus[3].mpidr, 0x101);
	/* Its MPIDR reads as 0, but it is not the boot CPU's. */
	assert_int_equal(platform_cpu_index(&plat, 0x0), 0);
	assert_int_equal(platform_cpu_index(&plat, 0x101), 3);
}

/* A reg shorter than #address-cells is no MPIDR either. */
static void test_cpu_with_short_reg(void **state)
{
	(void)state;
	EXPECT_ONE_CPU_LOST("cpu-short-reg", "cpu1 (/cpus/cpu@1)", "shorter than #address-cells",
			    "stays offline");
	assert_int_equal(plat.cpu_count, 4);
	assert_int_equal(plat.cpus[1].fault, CPU_FAULT_NO_REG);
	assert_int_equal(plat.cpus[2].mpidr, 0x100);
	assert_int_equal(platform_cpu_index(&plat, 0x100), 2);
}

/* An MPIDR given twice: the first node keeps it, the repeat stays offline. */
static void test_cpu_duplicate_mpidr(void **state)
{
	(void)state;
	discover("cpu-dup-mpidr");
	if (log_capture_count(LOG_ERROR) != 2 ||
	    !log_capture_has(LOG_ERROR, "cpu2 (/cpus/cpu@100)", "reg 0x1", "cpu1 (/cpus/cpu@1)",
			     "stays offline", NULL) ||
	    !log_capture_has(LOG_ERROR, "cpu3 (/cpus/cpu@101)", "reg 0x0", "cpu0 (/cpus/cpu@0)",
			     "stays offline", NULL)) {
		log_capture_dump();
		fail_msg("expected one error line for each repeated MPIDR");
	}
	assert_int_equal(plat.cpu_count, 4);
	assert_int_equal(plat.cpus[2].fault, CPU_FAULT_DUP_MPIDR);
	assert_int_equal(plat.cpus[2].dup_of, 1);
	assert_int_equal(plat.cpus[3].fault, CPU_FAULT_DUP_MPIDR);
	assert_int_equal(plat.cpus[3].dup_of, 0);
	assert_int_equal(platform_cpu_index(&plat, 0x0), 0);
	assert_int_equal(platform_cpu_index(&plat, 0x1), 1);
}

/* A /cpus whose cells cannot hold an MPIDR makes every CPU unusable: refused. */
static void test_cpus_bad_address_cells(void **state)
{
	(void)state;
	load_dtb("virt-gicv3");
	assert_int_equal(
		fdt_setprop_inplace_u32(blob, fdt_path_offset(blob, "/cpus"), "#address-cells", 3),
		0);
	EXPECT_REFUSED(discover_blob(blob, fdt_totalsize(blob)), "/cpus", "#address-cells");
}

/*
 * Loads name and sets the reg of the node at path to n (address, size)
 * pairs of two cells each, as the test trees' root has them.
 */
static size_t load_with_reg(const char *name, const char *path, const u64 *pairs, int n)
{
	fdt32_t cells[16];
	int node, i;

	load_dtb(name);
	assert_int_equal(fdt_open_into(blob, blob, BLOB_MAX), 0);
	node = fdt_path_offset(blob, path);
	assert_true(node >= 0 && n <= 4);
	for (i = 0; i < 2 * n; i++) {
		cells[2 * i] = cpu_to_fdt32((u32)(pairs[i] >> 32));
		cells[2 * i + 1] = cpu_to_fdt32((u32)pairs[i]);
	}
	assert_int_equal(fdt_setprop(blob, node, "reg", cells, n * 16), 0);
	return fdt_totalsize(blob);
}

#define GICV3 "/intc@8000000"

/* Discovery of virt-gicv3 with the GIC's reg set to the two (base, size) pairs given. */
static int discover_gicv3_reg(u64 dist, u64 dist_size, u64 rd, u64 rd_size)
{
	const u64 reg[] = { dist, dist_size, rd, rd_size };
	size_t n = load_with_reg("virt-gicv3", GICV3, reg, 2);

	return discover_blob(blob, n);
}

/*
 * Memory over the GIC (the VM's stage-2 tables landed in the distributor)
 * or below the board's RAM (flash and devices) is refused naming the node
 * and reg index; so is memory over the redistributors.
 */
static void test_memory_on_device_refused(void **state)
{
	const u64 over_gicr[] = { 0x40000000, 0x40000000, 0x08100000, 0x1000 };
	size_t n;

	(void)state;
	EXPECT_REFUSED(discover("memory-on-gic"), "/memory@8000000: reg[0] 0x8000000-0x800ffff",
		       "GIC distributor (GICD) at 0x8000000-0x800ffff", "not RAM");
	EXPECT_REFUSED(discover("memory-below-ram"), "/memory@0: reg[1] 0x0-0xfff",
		       "below qemu-virt's RAM at 0x40000000");
	n = load_with_reg("virt-gicv3", "/memory@40000000", over_gicr, 2);
	EXPECT_REFUSED(discover_blob(blob, n), "/memory@40000000: reg[1]",
		       "GIC redistributor region (GICR)");
}

/*
 * GIC frames that are empty, smaller than the architecture's frame, that
 * wrap or that lie beyond the 48-bit EL2 map are refused at discovery,
 * naming the reg index and the frame, instead of faulting or panicking at
 * EL2 later.
 */
static void test_gic_frames_refused(void **state)
{
	const u64 small_gich[] = { 0x08000000, 0x10000, 0x08010000, 0x10000,
				   0x08030000, 0x800,	0x08040000, 0x10000 };
	size_t n;

	(void)state;
	EXPECT_REFUSED(discover_gicv3_reg(0x08000000, 0, 0x080a0000, 0xf60000), "reg[0]",
		       "distributor (GICD)", "is 0x0 bytes", "at least 0x10000");
	EXPECT_REFUSED(discover_gicv3_reg(0x08000000, 0x10000, 0x080a0000, 0), "reg[1]",
		       "redistributor region (GICR)", "is 0x0 bytes");
	EXPECT_REFUSED(discover_gicv3_reg(0x08000000, 0x10000, 0x080a0000, 0x10000), "reg[1]",
		       "redistributor region", "0x10000 bytes", "at least 0x20000");
	EXPECT_REFUSED(discover_gicv3_reg(0x1000008000000, 0x10000, 0x080a0000, 0xf60000), "reg[0]",
		       "0x1000008000000", "beyond the 48-bit");
	EXPECT_REFUSED(discover_gicv3_reg(0x08000000, 0x10000, 0xffffffffffff0000, 0x20000),
		       "reg[1]", "wraps around");
	n = load_with_reg("gicv2", GICV3, small_gich, 4);
	EXPECT_REFUSED(discover_blob(blob, n), "reg[2]", "virtual interface control (GICH)",
		       "0x800 bytes");
	expect_discovered("gicv2");
	expect_discovered("virt-gicv3");
}

/* A GIC frame over Partita's own image is refused at the placement check. */
static void test_gic_over_image_refused(void **state)
{
	(void)state;
	expect_discovered("virt-gicv3");
	plat.fdt.base = 0x48000000;
	log_capture_reset();
	EXPECT_REFUSED(platform_check_placement(&plat, 0x08000000, IMAGE_SIZE),
		       "GIC distributor (GICD) 0x8000000-0x800ffff",
		       "Partita's own image at 0x8000000");
}

/*
 * A bus whose children have no address cells, under a parent with none,
 * has ranges entries zero cells apart: translation must give up rather
 * than loop (the alarm fails the test if it does not return).
 */
static void test_ranges_stride_zero(void **state)
{
	(void)state;
	alarm(5);
	expect_discovered("ranges-stride-zero");
	alarm(0);
	assert_int_equal(plat.mem_count, 2);
}

/* A header claiming more than Partita's 8 MiB cap says so, not "truncated". */
static void test_fdt_larger_than_cap(void **state)
{
	(void)state;
	load_dtb("virt-gicv3");
	fdt_set_totalsize(blob, 16 << 20);
	EXPECT_REFUSED(discover_blob(blob, PLAT_FDT_MAX_SIZE), "16777216 bytes",
		       "larger than the 8 MiB Partita reads");
}

/* Discovers virt-gicv3 with the PL011 console at (base, size), then checks the UART. */
static void check_uart_at(u64 base, u64 size)
{
	const u64 reg[] = { base, size };
	size_t n = load_with_reg("virt-gicv3", "/pl011@9000000", reg, 1);

	assert_int_equal(discover_blob(blob, n), 0);
	assert_int_equal(plat.uart.kind, UART_PL011);
	platform_check_uart(&plat, IMAGE, IMAGE_SIZE);
}

/*
 * A console UART over a GIC frame, wrapping, or beyond the EL2 map, or a
 * 16550 with a reg-shift above 4, is warned about and the board's UART
 * kept: never mapped (which used to panic) nor written to.
 */
static void test_uart_unusable_reg(void **state)
{
	(void)state;
	check_uart_at(0x08000000, 0x1000);
	assert_int_equal(plat.uart.kind, UART_NONE);
	EXPECT_WARNED("serial0", "0x8000000-0x8000fff", "overlaps the GIC distributor (GICD)");
	check_uart_at(0x080b0000, 0x1000);
	assert_int_equal(plat.uart.kind, UART_NONE);
	EXPECT_WARNED("overlaps the GIC redistributor region");
	check_uart_at(0x1000009000000, 0x1000);
	assert_int_equal(plat.uart.kind, UART_NONE);
	EXPECT_WARNED("0x1000009000000", "beyond the 48-bit EL2 map");
	check_uart_at(0xfffffffffffff800, 0x1000);
	assert_int_equal(plat.uart.kind, UART_NONE);
	EXPECT_WARNED("wraps around");
	check_uart_at(0x09000000, 0x1000);
	assert_int_equal(plat.uart.kind, UART_PL011);

	expect_discovered("ns16550-reg-shift");
	assert_int_equal(plat.uart.kind, UART_NONE);
	EXPECT_WARNED("/serial@10000000", "reg-shift 40 is more than 4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virt_gicv3_machine),
		cmocka_unit_test(test_initrd_32bit_values),
		cmocka_unit_test(test_initrd_inverted),
		cmocka_unit_test(test_no_memory),
		cmocka_unit_test(test_multiple_memory_banks),
		cmocka_unit_test(test_reserved_regions),
		cmocka_unit_test(test_32bit_cells),
		cmocka_unit_test(test_gicv2),
		cmocka_unit_test(test_gicv3_redist_regions),
		cmocka_unit_test(test_gicv3_redist_regions_short),
		cmocka_unit_test(test_gicv2_without_virt_frames),
		cmocka_unit_test(test_psci_hvc),
		cmocka_unit_test(test_psci_0_1_refused),
		cmocka_unit_test(test_psci_bad_method),
		cmocka_unit_test(test_no_stdout_path),
		cmocka_unit_test(test_ns16550_stdout),
		cmocka_unit_test(test_bus_ranges_translation),
		cmocka_unit_test(test_bus_deep_translation),
		cmocka_unit_test(test_memory_many_on_gic),
		cmocka_unit_test(test_bus_without_ranges),
		cmocka_unit_test(test_cpu_enable_methods),
		cmocka_unit_test(test_no_gic),
		cmocka_unit_test(test_no_timer),
		cmocka_unit_test(test_truncated_by_max_size),
		cmocka_unit_test(test_truncated_copy),
		cmocka_unit_test(test_shorter_than_header),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_corrupt_structure),
		cmocka_unit_test(test_corrupt_header),
		cmocka_unit_test(test_old_version),
		cmocka_unit_test(test_check_full_loop),
		cmocka_unit_test(test_extra_cpus_warned),
		cmocka_unit_test(test_mem_total),
		cmocka_unit_test(test_cpu_index),
		cmocka_unit_test(test_memory_wrap_refused),
		cmocka_unit_test(test_memory_overlap_merged),
		cmocka_unit_test(test_reserved_too_many_refused),
		cmocka_unit_test(test_reserved_untranslatable_refused),
		cmocka_unit_test(test_initrd_empty_refused),
		cmocka_unit_test(test_stdout_alias),
		cmocka_unit_test(test_stdout_missing_alias),
		cmocka_unit_test(test_stdout_missing_node),
		cmocka_unit_test(test_stdout_reg_in_ram),
		cmocka_unit_test(test_placement_ok),
		cmocka_unit_test(test_placement_fdt_past_ram),
		cmocka_unit_test(test_placement_initrd_overlaps),
		cmocka_unit_test(test_placement_initrd_outside_ram),
		cmocka_unit_test(test_in_ram),
		cmocka_unit_test(test_cpu_without_reg),
		cmocka_unit_test(test_cpu_with_short_reg),
		cmocka_unit_test(test_cpu_duplicate_mpidr),
		cmocka_unit_test(test_cpus_bad_address_cells),
		cmocka_unit_test(test_memory_on_device_refused),
		cmocka_unit_test(test_gic_frames_refused),
		cmocka_unit_test(test_gic_over_image_refused),
		cmocka_unit_test(test_ranges_stride_zero),
		cmocka_unit_test(test_fdt_larger_than_cap),
		cmocka_unit_test(test_uart_unusable_reg),
	};

	return cmocka_run_group_tests_name("fdt", tests, NULL, NULL);
}
