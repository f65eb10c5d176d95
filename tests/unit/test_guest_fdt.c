/*
 * core/guest_fdt.c: the DTB a VM boots with. Built from a host tree shaped
 * like QEMU virt (tests/unit/dts/guest-host.dts) and read back with libfdt:
 * what Linux needs is there in the form its bindings ask for, and nothing of
 * the host that the VM does not own.
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

#include "core/guest_fdt.h"

static void *host;
static char dtb[GUEST_FDT_MAX];

static void *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	static char buf[1 << 16];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(n > 0 && n < sizeof(buf));
	return buf;
}

static int setup(void **state)
{
	(void)state;
	host = read_file(DTB_DIR "/guest-host.dtb");
	return fdt_check_header(host);
}

/* Two vCPUs, 256 MiB, an initrd, the console UART: a Linux VM. */
static struct guest_fdt_vm linux_vm(unsigned int gic)
{
	struct guest_fdt_vm vm = {
		.name = "linux0",
		.bootargs = "earlycon",
		.ram_ipa = 0x40000000,
		.ram_size = 0x10000000,
		.vcpu_count = 2,
		.initrd_ipa = 0x4f000000,
		.initrd_size = 0x123456,
		.gic_version = gic,
		.timer = { .sec_phys_ppi = 29, .phys_ppi = 30, .virt_ppi = 27, .hyp_ppi = 26 },
		.host_fdt = host,
		.console = 0,
		.node_count = 1,
		.nodes = { { "/pl011@9000000", 1, { { 0x09000000, 0x1000 } } } },
	};
	return vm;
}

static void build(const struct guest_fdt_vm *vm)
{
	memset(dtb, 0xa5, sizeof(dtb));
	assert_int_equal(guest_fdt_build(vm, dtb, sizeof(dtb)), 0);
	assert_int_equal(fdt_check_full(dtb, sizeof(dtb)), 0);
}

static int node(const char *path)
{
	return fdt_path_offset(dtb, path);
}

/* The property's cells, compared with want[0..n). */
static void assert_cells(const char *path, const char *prop, const u32 *want, int n)
{
	int len = 0;
	const fdt32_t *v = fdt_getprop(dtb, node(path), prop, &len);

	assert_non_null(v);
	assert_int_equal(len, 4 * n);
	for (int i = 0; i < n; i++)
		assert_int_equal(fdt32_to_cpu(v[i]), want[i]);
}

static void assert_string(const char *path, const char *prop, const char *want)
{
	const char *v = fdt_getprop(dtb, node(path), prop, NULL);

	assert_non_null(v);
	assert_string_equal(v, want);
}

static u32 phandle_of(const char *path)
{
	int n = node(path);

	assert_true(n >= 0);
	return fdt_get_phandle(dtb, n);
}

static void test_gicv3(void **state)
{
	struct guest_fdt_vm vm = linux_vm(3);
	const u32 gic_reg[] = { 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0x40000 };
	const u32 timer[] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };
	const char *gic = "/interrupt-controller@8000000";

	(void)state;
	build(&vm);
	assert_string(gic, "compatible", "arm,gic-v3");
	/* One 128 KiB redistributor (RD_base + SGI_base) per vCPU. */
	assert_cells(gic, "reg", gic_reg, 8);
	assert_cells(gic, "#interrupt-cells", (u32[]){ 3 }, 1);
	assert_non_null(fdt_getprop(dtb, node(gic), "interrupt-controller", NULL));
	/* The guest has no EL2: no maintenance interrupt. */
	assert_null(fdt_getprop(dtb, node(gic), "interrupts", NULL));
	assert_cells("/", "interrupt-parent", (u32[]){ phandle_of(gic) }, 1);
	/* No host phandle is reused: the copied clock keeps its own. */
	assert_true(phandle_of(gic) > 0x8000);
	assert_string("/timer", "compatible", "arm,armv8-timer");
	assert_cells("/timer", "interrupts", timer, 12);
}

/* GICv2: GICD and the CPU interface where vcpu/vgic/v2.c puts them; PPI masks of 2 CPUs. */
static void test_gicv2(void **state)
{
	struct guest_fdt_vm vm = linux_vm(2);
	const u32 gic_reg[] = { 0, 0x08000000, 0, 0x1000, 0, 0x08010000, 0, 0x2000 };
	const u32 timer[] = { 1, 13, 0x304, 1, 14, 0x304, 1, 11, 0x304, 1, 10, 0x304 };
	const char *gic = "/interrupt-controller@8000000";

	(void)state;
	build(&vm);
	assert_string(gic, "compatible", "arm,cortex-a15-gic");
	assert_cells(gic, "reg", gic_reg, 8);
	assert_cells("/timer", "interrupts", timer, 12);
	vm.vcpu_count = 1;
	build(&vm);
	assert_int_equal(fdt32_to_cpu(((const fdt32_t *)fdt_getprop(dtb, node("/timer"),
								    "interrupts", NULL))[2]),
			 0x104);
}

/* The vCPUs by the MPIDRs they read (VMPIDR_EL2: the index in Aff0), PSCI over HVC. */
static void test_cpus_psci_memory(void **state)
{
	struct guest_fdt_vm vm = linux_vm(3);
	char path[32];

	(void)state;
	vm.vcpu_count = 4;
	build(&vm);
	assert_cells("/cpus", "#address-cells", (u32[]){ 2 }, 1);
	assert_cells("/cpus", "#size-cells", (u32[]){ 0 }, 1);
	for (unsigned int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/cpus/cpu@%u", i);
		assert_cells(path, "reg", (u32[]){ 0, i }, 2);
		assert_string(path, "enable-method", "psci");
		assert_string(path, "device_type", "cpu");
	}
	assert_true(node("/cpus/cpu@4") < 0);
	assert_string("/psci", "compatible", "arm,psci-1.0");
	assert_string("/psci", "method", "hvc");
	assert_cells("/memory@40000000", "reg", (u32[]){ 0, 0x40000000, 0, 0x10000000 }, 4);
	assert_string("/memory@40000000", "device_type", "memory");
	/* The redistributor region grows with the vCPUs. */
	assert_cells("/interrupt-controller@8000000", "reg",
		     (u32[]){ 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0x80000 }, 8);
}

/* /chosen: bootargs, stdout-path naming the console node, initrd as 64-bit values. */
static void test_chosen(void **state)
{
	struct guest_fdt_vm vm = linux_vm(3);

	(void)state;
	build(&vm);
	assert_string("/chosen", "bootargs", "earlycon");
	assert_string("/chosen", "stdout-path", "/pl011@9000000");
	assert_true(node("/pl011@9000000") >= 0);
	assert_cells("/chosen", "linux,initrd-start", (u32[]){ 0, 0x4f000000 }, 2);
	assert_cells("/chosen", "linux,initrd-end", (u32[]){ 0, 0x4f123456 }, 2);
	/* No initrd, no console, no bootargs: none of their properties. */
	vm.initrd_size = 0;
	vm.console = -1;
	vm.node_count = 0;
	vm.bootargs = NULL;
	build(&vm);
	assert_null(fdt_getprop(dtb, node("/chosen"), "linux,initrd-start", NULL));
	assert_null(fdt_getprop(dtb, node("/chosen"), "linux,initrd-end", NULL));
	assert_null(fdt_getprop(dtb, node("/chosen"), "stdout-path", NULL));
	assert_string("/chosen", "bootargs", "");
	assert_true(node("/pl011@9000000") < 0);
	assert_true(node("/apb-pclk") < 0);
}

/* The console UART as the host has it, its fixed clocks with it (the AMBA bus needs apb_pclk). */
static void test_console_node(void **state)
{
	struct guest_fdt_vm vm = linux_vm(3);
	const char *uart = "/pl011@9000000";
	int len = 0;
	const char *compat;

	(void)state;
	build(&vm);
	compat = fdt_getprop(dtb, node(uart), "compatible", &len);
	assert_int_equal(len, sizeof("arm,pl011\0arm,primecell"));
	assert_memory_equal(compat, "arm,pl011\0arm,primecell", len);
	assert_cells(uart, "reg", (u32[]){ 0, 0x09000000, 0, 0x1000 }, 4);
	assert_cells(uart, "interrupts", (u32[]){ 0, 1, 4 }, 3);
	assert_cells(uart, "clocks", (u32[]){ 0x8000, 0x8000 }, 2);
	assert_string("/apb-pclk", "compatible", "fixed-clock");
	assert_cells("/apb-pclk", "clock-frequency", (u32[]){ 24000000 }, 1);
	assert_int_equal(phandle_of("/apb-pclk"), 0x8000);
}

/*
 * Passed-through devices: reg as IPAs (a device behind a bus at its
 * translated address), named by it; properties naming host nodes the VM does
 * not get are left out, a clock that is not fixed with them.
 */
static void test_devices(void **state)
{
	struct guest_fdt_vm vm = linux_vm(3);
	const char *gadget = "/gadget@9200000";
	static const char *const gone[] = { "interrupt-parent", "clocks",	 "clock-names",
					    "pinctrl-0",	"pinctrl-names", "dmas",
					    "reset-gpios",	"vdd-supply",	 "phandle" };

	(void)state;
	vm.nodes[1] = (struct guest_fdt_node){ "/pl031@9010000", 1, { { 0x09010000, 0x1000 } } };
	vm.nodes[2] = (struct guest_fdt_node){ "/soc@a000000/virtio_mmio@200",
					       1,
					       { { 0x0a000200, 0x200 } } };
	vm.nodes[3] = (struct guest_fdt_node){ "/gadget@9200000", 1, { { 0x09200000, 0x1000 } } };
	vm.node_count = 4;
	build(&vm);
	assert_cells("/pl031@9010000", "clocks", (u32[]){ 0x8000 }, 1);
	assert_cells("/pl031@9010000", "interrupts", (u32[]){ 0, 2, 4 }, 3);
	assert_cells("/virtio_mmio@a000200", "reg", (u32[]){ 0, 0x0a000200, 0, 0x200 }, 4);
	assert_non_null(fdt_getprop(dtb, node("/virtio_mmio@a000200"), "dma-coherent", NULL));
	assert_cells(gadget, "interrupts", (u32[]){ 0, 5, 4 }, 3);
	assert_string(gadget, "status", "okay");
	for (unsigned int i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
		assert_null(fdt_getprop(dtb, node(gadget), gone[i], NULL));
	/* The clock only the gadget named is not described: it was left out with it. */
	assert_true(node("/pll") < 0);
	assert_true(fdt_node_offset_by_phandle(dtb, 0x8000) == node("/apb-pclk"));
}

/* Nothing of the host that the VM does not own. */
static void test_nothing_else(void **state)
{
	struct guest_fdt_vm vm = linux_vm(3);
	int n, count = 0;
	static const char *const allowed[] = {
		"chosen", "memory@40000000", "cpus",	     "psci", "interrupt-controller@8000000",
		"timer",  "apb-pclk",	     "pl011@9000000"
	};

	(void)state;
	build(&vm);
	fdt_for_each_subnode (n, dtb, 0) {
		const char *name = fdt_get_name(dtb, n, NULL);
		bool ok = false;

		for (unsigned int i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
			ok = ok || !strcmp(name, allowed[i]);
		if (!ok)
			fail_msg("unexpected node /%s", name);
		count++;
	}
	assert_int_equal(count, 8);
	/* The test device only where asked for. */
	vm.test_device = (struct plat_range){ 0x0a000000, 0x1000 };
	build(&vm);
	assert_string("/test@a000000", "compatible", "partita,test-device");
}

/* A path the host lacks, too many nodes, a buffer too small: errors, not a broken DTB. */
static void test_errors(void **state)
{
	struct guest_fdt_vm vm = linux_vm(3);

	(void)state;
	vm.nodes[1] = (struct guest_fdt_node){ "/nowhere@0", 0, { { 0, 0 } } };
	vm.node_count = 2;
	assert_int_equal(guest_fdt_build(&vm, dtb, sizeof(dtb)), -E_NOENT);
	vm.node_count = GUEST_FDT_MAX_NODES + 1;
	assert_int_equal(guest_fdt_build(&vm, dtb, sizeof(dtb)), -E_INVAL);
	vm = linux_vm(3);
	assert_int_equal(guest_fdt_build(&vm, dtb, 512), -E_NOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gicv3),
		cmocka_unit_test(test_gicv2),
		cmocka_unit_test(test_cpus_psci_memory),
		cmocka_unit_test(test_chosen),
		cmocka_unit_test(test_console_node),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_nothing_else),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
