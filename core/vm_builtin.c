/*
 * The built-in VM table, until the device-tree configuration lands. The
 * guest image is the initrd the boot loader passed; by default one VM gets
 * every CPU that came online, and "partita.vms=2" in the hypervisor's
 * bootargs splits the CPUs between two VMs running the same image. Guests
 * get the rest of the hypervisor's bootargs as theirs.
 */
#include <libfdt.h>
#include <string.h>

#include "core/bootargs.h"
#include "core/smp.h"
#include "core/vm_config.h"
#include "lib/fmt.h"
#include "lib/log.h"

#define BUILTIN_RAM_IPA 0x40000000UL
#define BUILTIN_RAM_SIZE (64UL << 20)

extern char __image_start[];

static const char *host_bootargs(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *args = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", NULL) : NULL;

	return args ? args : "";
}

/* The bootargs without Partita's own "partita.*" words: those are the guests'. */
static const char *guest_bootargs(const char *args)
{
	static char out[256];
	const char *rest = bootargs_guest(args, out, sizeof(out));

	if (rest)
		log_warn("vm config: guest bootargs longer than %zu characters; the rest, from "
			 "\"%s\", is left out",
			 sizeof(out) - 1, rest);
	return out;
}

/*
 * The physical CPUs of VM i. One VM gets every CPU that came online; two
 * split the machine's CPUs in halves of per_vm, as /cpus lists them, whether
 * online or not, so each VM's CPUs do not depend on which others came up: a
 * VM whose half has an offline CPU is refused alone, by vm_create.
 */
static unsigned int pick_cpus(const struct platform *p, unsigned int i, unsigned int count,
			      unsigned int per_vm, unsigned int *cpus)
{
	unsigned int n = 0, c;

	if (count > 1) {
		for (n = 0; n < per_vm; n++)
			cpus[n] = i * per_vm + n;
		return n;
	}
	for (c = 0; c < p->cpu_count && n < VM_MAX_VCPUS; c++) {
		if (!smp_offline_reason(c))
			cpus[n++] = c;
	}
	return n;
}

/*
 * Fills cfg's passed-through device from the host FDT's first node
 * compatible with compat: its first reg range (page-aligned, as stage 2 maps
 * pages) and its first interrupt, which must be an SPI in the GIC binding's
 * three cells. Returns 0, or -E_INVAL after a line saying what is missing.
 */
static int find_passthrough(const void *fdt, const char *compat, const char *name,
			    struct vm_config *cfg)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, compat), len = 0;
	const fdt32_t *irq = node >= 0 ? fdt_getprop(fdt, node, "interrupts", &len) : NULL;
	int reg_len = 0;
	const fdt32_t *reg = node >= 0 ? fdt_getprop(fdt, node, "reg", &reg_len) : NULL;

	if (node < 0 || !reg || reg_len < 16 || !irq || len < 12 ||
	    fdt_address_cells(fdt, 0) != 2 || fdt_size_cells(fdt, 0) != 2 ||
	    fdt32_to_cpu(irq[0]) != 0 /* GIC_SPI */) {
		log_err("vm config: partita.passthrough=%s: no \"%s\" node with a reg range and "
			"an SPI in the device tree",
			name, compat);
		return -E_INVAL;
	}
	cfg->pt_base = ((u64)fdt32_to_cpu(reg[0]) << 32) | fdt32_to_cpu(reg[1]);
	cfg->pt_size =
		ALIGN_UP(((u64)fdt32_to_cpu(reg[2]) << 32) | fdt32_to_cpu(reg[3]), PAGE_SIZE);
	cfg->pt_intid = 32 + fdt32_to_cpu(irq[1]);
	if (!IS_ALIGNED(cfg->pt_base, PAGE_SIZE) || cfg->pt_intid > 1019) {
		log_err("vm config: partita.passthrough=%s: reg 0x%lx is not page-aligned or SPI "
			"%u "
			"is out of range",
			name, cfg->pt_base, cfg->pt_intid - 32);
		return -E_INVAL;
	}
	fmt_format(cfg->pt_name, sizeof(cfg->pt_name), "%s", name);
	cfg->has_passthrough = true;
	return 0;
}

int vm_builtin_configs(const struct platform *p, const void *host_fdt, struct vm_config *out,
		       unsigned int max)
{
	const char *args = host_bootargs(host_fdt);
	struct bootargs ba;
	unsigned int count, per_vm, i;

	/* Said once, here, where the bootargs are read first. */
	bootargs_warn(args);
	bootargs_parse(args, &ba);
	count = ba.vms;
	if (!p->has_initrd)
		return 0;
	/* U-Boot, given no initrd, hands over a copy of the kernel (Partita) instead. */
	if (p->initrd.size >= 64 && !memcmp((const void *)p->initrd.base, __image_start, 64)) {
		log_warn("vm config: the initrd is a copy of Partita itself, not a guest: no VM");
		return 0;
	}
	per_vm = p->cpu_count / count;
	if (per_vm > VM_MAX_VCPUS)
		per_vm = VM_MAX_VCPUS;
	if (count > max || per_vm == 0) {
		log_err("vm config: %u VMs need %u CPUs, this machine has %u", count, count,
			p->cpu_count);
		return -E_INVAL;
	}
	for (i = 0; i < count; i++) {
		struct vm_config *cfg = &out[i];

		memset(cfg, 0, sizeof(*cfg));
		fmt_format(cfg->name, sizeof(cfg->name), "test%u", i);
		cfg->cpu_count = pick_cpus(p, i, count, per_vm, cfg->cpus);
		cfg->ram_ipa = BUILTIN_RAM_IPA;
		cfg->ram_size = BUILTIN_RAM_SIZE;
		cfg->image = (const void *)p->initrd.base;
		cfg->image_size = p->initrd.size;
		cfg->bootargs = guest_bootargs(args);
		cfg->test_device = true;
	}
	/* The device goes to VM 0 alone: an interrupt has one owner. */
	if (ba.passthrough == BOOTARGS_PASSTHROUGH_PL031 &&
	    find_passthrough(host_fdt, "arm,pl031", "pl031", &out[0]))
		return -E_INVAL;
	return (int)count;
}
