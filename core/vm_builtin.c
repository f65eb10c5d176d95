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

/*
 * A stopgap until the device-tree configuration parser lands: an initrd
 * that is a "partita,config" blob (DESIGN.md section 5) gives one VM from
 * its first vm node's name, cpus, memory (and "identity"), kernel,
 * kernel-format, initrd, bootargs and console, with no further checks than
 * vm_create() makes. Returns 1 with
 * *cfg filled, 0 if the initrd is no such blob, or -E_INVAL after a line.
 */
static int config_blob_vm(const void *blob, u64 size, struct vm_config *cfg)
{
	int vm, len = 0, klen = 0, ilen = 0, mlen = 0;
	const fdt32_t *cpus, *mem;
	const char *s;

	if (size < 64 || fdt_check_header(blob) || fdt_totalsize(blob) > size ||
	    fdt_node_check_compatible(blob, 0, "partita,config"))
		return 0;
	vm = fdt_first_subnode(blob, 0);
	while (vm >= 0 && strncmp(fdt_get_name(blob, vm, NULL), "vm@", 3))
		vm = fdt_next_subnode(blob, vm);
	cpus = vm >= 0 ? fdt_getprop(blob, vm, "cpus", &len) : NULL;
	mem = vm >= 0 ? fdt_getprop(blob, vm, "memory", &mlen) : NULL;
	memset(cfg, 0, sizeof(*cfg));
	cfg->image = vm >= 0 ? fdt_getprop(blob, vm, "kernel", &klen) : NULL;
	if (!cpus || len < 4 || len > 4 * VM_MAX_VCPUS || !mem || mlen != 16 || !cfg->image) {
		log_err("vm config: the initrd's \"partita,config\" blob has no vm node with cpus, "
			"memory (two address and two size cells) and kernel");
		return -E_INVAL;
	}
	s = fdt_getprop(blob, vm, "name", NULL);
	fmt_format(cfg->name, sizeof(cfg->name), "%s", s ? s : "vm0");
	cfg->cpu_count = (unsigned int)len / 4;
	for (unsigned int i = 0; i < cfg->cpu_count; i++)
		cfg->cpus[i] = fdt32_to_cpu(cpus[i]);
	cfg->ram_ipa = ((u64)fdt32_to_cpu(mem[0]) << 32) | fdt32_to_cpu(mem[1]);
	cfg->ram_size = ((u64)fdt32_to_cpu(mem[2]) << 32) | fdt32_to_cpu(mem[3]);
	cfg->image_size = (u64)klen;
	cfg->initrd = fdt_getprop(blob, vm, "initrd", &ilen);
	cfg->initrd_size = cfg->initrd ? (u64)ilen : 0;
	cfg->bootargs = fdt_getprop(blob, vm, "bootargs", NULL);
	s = fdt_getprop(blob, vm, "console", NULL);
	cfg->console =
		s && !strcmp(s, "passthrough") ? VM_CONSOLE_PASSTHROUGH : VM_CONSOLE_EMULATED;
	/* Stopgap's own spelling: an empty "identity" property maps RAM at IPA == PA. */
	cfg->ram_identity = fdt_getprop(blob, vm, "identity", NULL) != NULL;
	s = fdt_getprop(blob, vm, "kernel-format", NULL);
	cfg->kernel_format = s && !strcmp(s, "raw") ? VM_KERNEL_RAW : VM_KERNEL_IMAGE;
	return 1;
}

int vm_builtin_configs(const struct platform *p, const void *host_fdt, struct vm_config *out,
		       unsigned int max)
{
	const char *args = host_bootargs(host_fdt);
	struct bootargs ba;
	unsigned int count, per_vm, i;
	int blob;

	/* Said once, here, where the bootargs are read first. */
	bootargs_warn(args);
	bootargs_parse(args, &ba);
	if (!p->has_initrd)
		return 0;
	/* U-Boot, given no initrd, hands over a copy of the kernel (Partita) instead. */
	if (p->initrd.size >= 64 && !memcmp((const void *)p->initrd.base, __image_start, 64)) {
		log_warn("vm config: the initrd is a copy of Partita itself, not a guest: no VM");
		return 0;
	}
	blob = max ? config_blob_vm((const void *)p->initrd.base, p->initrd.size, &out[0]) : 0;
	if (blob > 0 && ba.passthrough == BOOTARGS_PASSTHROUGH_PL031 &&
	    find_passthrough(host_fdt, "arm,pl031", "pl031", &out[0]))
		return -E_INVAL;
	if (blob)
		return blob;
	count = ba.vms;
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
