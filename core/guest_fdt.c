#include "core/guest_fdt.h"

#include <libfdt.h>
#include <string.h>

#include "lib/fmt.h"
#include "vcpu/vgic/vgic.h"

/* The interrupt specifier of the GIC binding: type, number, flags. */
#define GIC_SPI 0
#define GIC_PPI 1
#define IRQ_TYPE_LEVEL_HIGH 4
#define GIC_V2_PPI_CPU_SHIFT 8 /* GICv2 PPIs: a mask of the CPUs that have it */
#define GIC_PPI_BASE 16
#define MAX_CLOCKS 8
#define MAX_KNOWN (2 * MAX_CLOCKS)

/* The fixed clocks the copied nodes name, and the phandles everything is linked by. */
struct links {
	u32 gic;
	unsigned int clock_count;
	u32 clock[MAX_CLOCKS]; /* host phandles, kept in the guest */
	/* The phandles the devices' clocks name, and their host nodes (scan_host()). */
	unsigned int known_count;
	u32 known[MAX_KNOWN];
	int known_node[MAX_KNOWN];
};

static int prop_cells(void *fdt, const char *name, u64 a, u64 b)
{
	fdt32_t v[4] = { cpu_to_fdt32((u32)(a >> 32)), cpu_to_fdt32((u32)a),
			 cpu_to_fdt32((u32)(b >> 32)), cpu_to_fdt32((u32)b) };

	return fdt_property(fdt, name, v, sizeof(v));
}

static int prop_ranges(void *fdt, const char *name, const struct plat_range *r, unsigned int n)
{
	fdt32_t v[4 * GUEST_FDT_MAX_REGS];
	unsigned int i;

	for (i = 0; i < n && i < GUEST_FDT_MAX_REGS; i++) {
		v[4 * i] = cpu_to_fdt32((u32)(r[i].base >> 32));
		v[4 * i + 1] = cpu_to_fdt32((u32)r[i].base);
		v[4 * i + 2] = cpu_to_fdt32((u32)(r[i].size >> 32));
		v[4 * i + 3] = cpu_to_fdt32((u32)r[i].size);
	}
	return fdt_property(fdt, name, v, (int)(4 * i * sizeof(fdt32_t)));
}

static int begin_node_at(void *fdt, const char *name, u64 addr)
{
	char n[48];

	fmt_format(n, sizeof(n), "%s@%lx", name, addr);
	return fdt_begin_node(fdt, n);
}

static int add_cpus(void *fdt, const struct guest_fdt_vm *vm)
{
	unsigned int i;
	int err = fdt_begin_node(fdt, "cpus");

	err = err ?: fdt_property_u32(fdt, "#address-cells", 2);
	err = err ?: fdt_property_u32(fdt, "#size-cells", 0);
	for (i = 0; i < vm->vcpu_count && !err; i++) {
		/* The MPIDR the vCPU reads (VMPIDR_EL2), which PSCI CPU_ON names it by. */
		u64 mpidr = vgic_vcpu_affinity(i);
		fdt64_t reg = cpu_to_fdt64(mpidr);

		err = begin_node_at(fdt, "cpu", mpidr);
		err = err ?: fdt_property_string(fdt, "device_type", "cpu");
		err = err ?: fdt_property_string(fdt, "compatible", "arm,armv8");
		err = err ?: fdt_property(fdt, "reg", &reg, sizeof(reg));
		err = err ?: fdt_property_string(fdt, "enable-method", "psci");
		err = err ?: fdt_end_node(fdt);
	}
	return err ?: fdt_end_node(fdt);
}

static int add_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int err = fdt_begin_node(fdt, "psci");

	err = err ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
	err = err ?: fdt_property_string(fdt, "method", "hvc");
	return err ?: fdt_end_node(fdt);
}

/* The virtual GIC at the IPAs vcpu/vgic emulates, of the host's version. */
static int add_gic(void *fdt, const struct guest_fdt_vm *vm, u32 phandle)
{
	struct plat_range reg[2] = { { GUEST_GICD_IPA, GUEST_GICD_V3_SIZE },
				     { GUEST_GICR_IPA, GUEST_GICR_STRIDE * vm->vcpu_count } };
	int err = begin_node_at(fdt, "interrupt-controller", GUEST_GICD_IPA);

	if (vm->gic_version == 2) {
		reg[0].size = GUEST_GICD_V2_SIZE;
		reg[1] = (struct plat_range){ GUEST_GICC_IPA, GUEST_GICC_SIZE };
		err = err ?: fdt_property_string(fdt, "compatible", "arm,cortex-a15-gic");
	} else {
		err = err ?: fdt_property_string(fdt, "compatible", "arm,gic-v3");
		err = err ?: fdt_property_u32(fdt, "#redistributor-regions", 1);
	}
	err = err ?: fdt_property_u32(fdt, "#interrupt-cells", 3);
	err = err ?: fdt_property_u32(fdt, "#address-cells", 0);
	err = err ?: fdt_property(fdt, "interrupt-controller", NULL, 0);
	err = err ?: prop_ranges(fdt, "reg", reg, 2);
	err = err ?: fdt_property_u32(fdt, "phandle", phandle);
	return err ?: fdt_end_node(fdt);
}

/*
 * The architected timer with the host's PPIs: the vGIC gives each vCPU's
 * timers to it at the same INTIDs (vcpu/vgic/glue.c). The binding's order:
 * secure physical, non-secure physical, virtual, hypervisor physical.
 */
static int add_timer(void *fdt, const struct guest_fdt_vm *vm)
{
	static const char compat[] = "arm,armv8-timer\0arm,armv7-timer";
	const u32 ppis[4] = { vm->timer.sec_phys_ppi, vm->timer.phys_ppi, vm->timer.virt_ppi,
			      vm->timer.hyp_ppi };
	u32 flags = IRQ_TYPE_LEVEL_HIGH;
	fdt32_t v[12];
	int err;

	/* GICv2's PPI flags name the CPUs that have the interrupt: all of them. */
	if (vm->gic_version == 2)
		flags |= (u32)GENMASK(vm->vcpu_count - 1, 0) << GIC_V2_PPI_CPU_SHIFT;
	for (unsigned int i = 0; i < 4; i++) {
		v[3 * i] = cpu_to_fdt32(GIC_PPI);
		v[3 * i + 1] = cpu_to_fdt32(ppis[i] - GIC_PPI_BASE);
		v[3 * i + 2] = cpu_to_fdt32(flags);
	}
	err = fdt_begin_node(fdt, "timer");
	err = err ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
	err = err ?: fdt_property(fdt, "interrupts", v, sizeof(v));
	return err ?: fdt_end_node(fdt);
}

static int add_testdev(void *fdt, const struct plat_range *r)
{
	int err = begin_node_at(fdt, "test", r->base);

	err = err ?: fdt_property_string(fdt, "compatible", "partita,test-device");
	err = err ?: prop_cells(fdt, "reg", r->base, r->size);
	return err ?: fdt_end_node(fdt);
}

/* node if it is a fixed clock (no register, no input), safe to describe to a guest; or -1. */
static int fixed_clock(const void *host, int node)
{
	int len = 0;
	const fdt32_t *cells = node >= 0 ? fdt_getprop(host, node, "#clock-cells", &len) : NULL;

	if (node < 0 || fdt_node_check_compatible(host, node, "fixed-clock") || !cells ||
	    len != 4 || fdt32_to_cpu(*cells) != 0)
		return -1;
	return node;
}

/* Notes a phandle that a device's "clocks" names, for scan_host() to find. */
static void want_clocks(const void *host, int node, struct links *l)
{
	int len = 0;
	const fdt32_t *c = fdt_getprop(host, node, "clocks", &len);
	unsigned int i, j, n = c && len > 0 ? (unsigned int)len / 4 : 0;

	for (i = 0; i < n && l->known_count < MAX_KNOWN; i++) {
		u32 ph = fdt32_to_cpu(c[i]);

		for (j = 0; j < l->known_count && l->known[j] != ph; j++)
			;
		if (j == l->known_count) {
			l->known[l->known_count] = ph;
			l->known_node[l->known_count++] = -FDT_ERR_NOTFOUND;
		}
	}
}

/*
 * One walk of the host tree for the two things that need one: the largest
 * phandle, into max (left as it was when the walk fails), and the node of
 * each phandle in l->known (the first node that has it, as
 * fdt_node_offset_by_phandle() finds; 0 and -1 are no node's). Each of
 * those libfdt calls would walk the whole tree, reading every node's
 * properties. Returns 0 or the walk's libfdt error.
 */
static int scan_host(const void *host, struct links *l, u32 *max)
{
	u32 top = 0;
	int node;

	for (node = fdt_next_node(host, -1, NULL); node >= 0;
	     node = fdt_next_node(host, node, NULL)) {
		u32 ph = fdt_get_phandle(host, node);

		top = MAX(top, ph);
		for (unsigned int i = 0; ph && ph != ~0U && i < l->known_count; i++) {
			if (l->known[i] == ph && l->known_node[i] < 0)
				l->known_node[i] = node;
		}
	}
	if (node != -FDT_ERR_NOTFOUND)
		return node;
	*max = top;
	return 0;
}

/* The node of a fixed clock by its phandle, or -1: scan_host() found it, unless l was full. */
static int clock_node(const void *host, u32 phandle, const struct links *l)
{
	for (unsigned int i = 0; i < l->known_count; i++) {
		if (l->known[i] == phandle)
			return fixed_clock(host, l->known_node[i]);
	}
	return fixed_clock(host, fdt_node_offset_by_phandle(host, phandle));
}

/*
 * Whether every clock the node's "clocks" names is a fixed clock; if so
 * they are added to l (once each), to be described to the guest as well.
 */
static bool take_clocks(const void *host, int node, struct links *l)
{
	int len = 0;
	const fdt32_t *c = fdt_getprop(host, node, "clocks", &len);
	unsigned int i, j, n = len > 0 ? (unsigned int)len / 4 : 0;

	if (!c)
		return false;
	for (i = 0; i < n; i++) {
		if (clock_node(host, fdt32_to_cpu(c[i]), l) < 0)
			return false;
	}
	for (i = 0; i < n; i++) {
		u32 ph = fdt32_to_cpu(c[i]);

		for (j = 0; j < l->clock_count && l->clock[j] != ph; j++)
			;
		if (j == l->clock_count && l->clock_count < MAX_CLOCKS)
			l->clock[l->clock_count++] = ph;
		else if (j == l->clock_count)
			return false;
	}
	return true;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * Properties not copied from a host node: its reg (rewritten with the IPAs),
 * its own phandle and interrupt parent (the guest's GIC is the root's), and
 * every property that names other host nodes by phandle, which the guest
 * does not have (pins, DMA, resets, power domains, IOMMUs, GPIOs,
 * regulators, PHYs, ...). Its clocks stay when they are fixed clocks.
 */
static bool left_out(const char *name, bool clocks_ok)
{
	static const char *const names[] = {
		"reg",
		"phandle",
		"linux,phandle",
		"interrupt-parent",
		"interrupts-extended",
		"dmas",
		"dma-names",
		"resets",
		"reset-names",
		"power-domains",
		"power-domain-names",
		"iommus",
		"iommu-map",
		"msi-parent",
		"msi-map",
		"gpios",
		"phys",
		"phy-names",
		"memory-region",
		"interconnects",
		"interconnect-names",
		"nvmem-cells",
		"nvmem-cell-names",
		"assigned-clocks",
		"assigned-clock-parents",
		"assigned-clock-rates",
	};

	if (!clocks_ok && (!strcmp(name, "clocks") || !strcmp(name, "clock-names")))
		return true;
	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(name, names[i]))
			return true;
	}
	return has_prefix(name, "pinctrl-") || has_suffix(name, "-gpios") ||
	       has_suffix(name, "-gpio") || has_suffix(name, "-supply");
}

/* Copies the properties of host node src into the node being written, but those left out. */
static int copy_props(void *fdt, const void *host, int src, bool clocks_ok)
{
	int prop, err = 0;

	fdt_for_each_property_offset (prop, host, src) {
		const char *name;
		int len = 0;
		const void *val = fdt_getprop_by_offset(host, prop, &name, &len);

		if (!val || left_out(name, clocks_ok))
			continue;
		err = fdt_property(fdt, name, val, len);
		if (err)
			return err;
	}
	return 0;
}

/* The fixed clocks the copied nodes use, with their host phandles. */
static int add_clocks(void *fdt, const void *host, const struct links *l)
{
	int err = 0;

	for (unsigned int i = 0; i < l->clock_count && !err; i++) {
		int node = clock_node(host, l->clock[i], l);

		err = fdt_begin_node(fdt, fdt_get_name(host, node, NULL));
		err = err ?: copy_props(fdt, host, node, false);
		err = err ?: fdt_property_u32(fdt, "phandle", l->clock[i]);
		err = err ?: fdt_end_node(fdt);
	}
	return err;
}

/* The guest's name of a copied node: the host's, with the unit address of its first IPA. */
static void node_name(char *out, size_t size, const void *host, int node,
		      const struct guest_fdt_node *n)
{
	const char *name = fdt_get_name(host, node, NULL);
	const char *at = strchr(name, '@');
	size_t len = at ? (size_t)(at - name) : strlen(name);

	len = MIN(len, size - 1);
	memcpy(out, name, len);
	out[len] = '\0';
	if (n->reg_count)
		fmt_format(out + len, size - len, "@%lx", n->reg[0].base);
}

static int add_node(void *fdt, const void *host, int node, const struct guest_fdt_node *n,
		    bool clocks_ok)
{
	char name[PLAT_PATH_MAX];
	int err;

	node_name(name, sizeof(name), host, node, n);
	err = fdt_begin_node(fdt, name);
	err = err ?: copy_props(fdt, host, node, clocks_ok);
	if (n->reg_count)
		err = err ?: prop_ranges(fdt, "reg", n->reg, n->reg_count);
	return err ?: fdt_end_node(fdt);
}

/* /chosen: bootargs, the console as stdout-path, the initrd. */
static int add_chosen(void *fdt, const struct guest_fdt_vm *vm, int console_node)
{
	int err = fdt_begin_node(fdt, "chosen");

	err = err ?: fdt_property_string(fdt, "bootargs", vm->bootargs ? vm->bootargs : "");
	if (vm->console >= 0) {
		char path[PLAT_PATH_MAX + 1];

		path[0] = '/';
		node_name(path + 1, sizeof(path) - 1, vm->host_fdt, console_node,
			  &vm->nodes[vm->console]);
		err = err ?: fdt_property_string(fdt, "stdout-path", path);
	}
	if (vm->initrd_size) {
		err = err ?: fdt_property_u64(fdt, "linux,initrd-start", vm->initrd_ipa);
		err = err
			      ?: fdt_property_u64(fdt, "linux,initrd-end",
						  vm->initrd_ipa + vm->initrd_size);
	}
	return err ?: fdt_end_node(fdt);
}

int guest_fdt_build(const struct guest_fdt_vm *vm, void *buf, size_t size)
{
	struct links l = { 0 };
	int offs[GUEST_FDT_MAX_NODES];
	bool clocks_ok[GUEST_FDT_MAX_NODES];
	unsigned int i;
	int err;

	if (vm->node_count > GUEST_FDT_MAX_NODES)
		return -E_INVAL;
	for (i = 0; i < vm->node_count; i++) {
		offs[i] = fdt_path_offset(vm->host_fdt, vm->nodes[i].path);
		if (offs[i] < 0)
			return -E_NOENT;
		want_clocks(vm->host_fdt, offs[i], &l);
	}
	/* A phandle no host node has, so the copied clocks keep theirs. */
	l.gic = 1;
	if (vm->host_fdt && !scan_host(vm->host_fdt, &l, &l.gic))
		l.gic++;
	for (i = 0; i < vm->node_count; i++)
		clocks_ok[i] = take_clocks(vm->host_fdt, offs[i], &l);
	err = fdt_create(buf, (int)size);
	err = err ?: fdt_finish_reservemap(buf);
	err = err ?: fdt_begin_node(buf, "");
	err = err ?: fdt_property_u32(buf, "#address-cells", 2);
	err = err ?: fdt_property_u32(buf, "#size-cells", 2);
	err = err ?: fdt_property_string(buf, "compatible", "partita,vm");
	err = err ?: fdt_property_string(buf, "model", vm->name);
	err = err ?: fdt_property_u32(buf, "interrupt-parent", l.gic);
	err = err ?: add_chosen(buf, vm, vm->console >= 0 ? offs[vm->console] : -1);
	err = err ?: begin_node_at(buf, "memory", vm->ram_ipa);
	err = err ?: fdt_property_string(buf, "device_type", "memory");
	err = err ?: prop_cells(buf, "reg", vm->ram_ipa, vm->ram_size);
	err = err ?: fdt_end_node(buf);
	err = err ?: add_cpus(buf, vm);
	err = err ?: add_psci(buf);
	err = err ?: add_gic(buf, vm, l.gic);
	err = err ?: add_timer(buf, vm);
	err = err ?: add_clocks(buf, vm->host_fdt, &l);
	for (i = 0; i < vm->node_count && !err; i++)
		err = add_node(buf, vm->host_fdt, offs[i], &vm->nodes[i], clocks_ok[i]);
	if (vm->test_device.size)
		err = err ?: add_testdev(buf, &vm->test_device);
	err = err ?: fdt_end_node(buf);
	err = err ?: fdt_finish(buf);
	return err ? -E_NOMEM : 0;
}
