/*
 * The checks of a parsed configuration against the machine it boots on
 * (config_check_machine in config.h): CPUs, RAM and the devices passed
 * through, found in the host FDT. Pure: the machine comes as data, so the
 * host unit tests run it on dtc-compiled device trees.
 */
#include <libfdt.h>
#include <string.h>

#include "core/config.h"
#include "lib/log.h"
#include "vcpu/testdev.h"

#define SPI_COUNT 988 /* SPIs are INTIDs 32 to 1019 */
#define GIC_SPI 0 /* the first cell of a GIC interrupt specifier: SPI, or 1 for a PPI */

static bool overlaps(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

static const char *mem_prop(const struct vm_config *cfg)
{
	return cfg->ram_identity ? "memory-identity" : "memory";
}

/* -- CPUs ------------------------------------------------------------------------ */

static void fill_all_cpus(struct vm_config *cfg, u32 online)
{
	unsigned int c;

	cfg->cpu_count = 0;
	for (c = 0; c < PLAT_MAX_CPUS && cfg->cpu_count < VM_MAX_VCPUS; c++) {
		if (online & (1U << c))
			cfg->cpus[cfg->cpu_count++] = c;
	}
}

static int check_cpus(const struct vm_config *cfg, const struct platform *p)
{
	unsigned int i;

	for (i = 0; i < cfg->cpu_count; i++) {
		if (cfg->cpus[i] >= p->cpu_count) {
			log_err("vm %s: cpus: physical CPU %u is not in this machine, which has %u "
				"(0 to %u)",
				cfg->name, cfg->cpus[i], p->cpu_count, p->cpu_count - 1);
			return -E_INVAL;
		}
	}
	return 0;
}

/* -- RAM ------------------------------------------------------------------------- */

/* Whether [base, base+size) lies inside one RAM range of the machine (they are disjoint). */
static bool in_ram(const struct platform *p, u64 base, u64 size)
{
	unsigned int i;

	for (i = 0; i < p->mem_count; i++) {
		const struct plat_range *m = &p->mem[i];

		if (base >= m->base && base - m->base < m->size &&
		    size <= m->size - (base - m->base))
			return true;
	}
	return false;
}

static bool clash(const struct vm_config *cfg, const char *what, u64 base, u64 size)
{
	if (!size || !overlaps(cfg->ram_ipa, cfg->ram_size, base, size))
		return false;
	log_err("vm %s: %s: 0x%lx-0x%lx overlaps %s at 0x%lx-0x%lx", cfg->name, mem_prop(cfg),
		cfg->ram_ipa, cfg->ram_ipa + cfg->ram_size - 1, what, base, base + size - 1);
	return true;
}

/* Identity RAM is this very physical memory: it must be RAM that no one else keeps. */
static int check_identity(const struct vm_config *cfg, const struct config_machine *m)
{
	const struct platform *p = m->plat;
	unsigned int i;

	if (!in_ram(p, cfg->ram_ipa, cfg->ram_size)) {
		log_err("vm %s: memory-identity: 0x%lx-0x%lx is not RAM of this machine", cfg->name,
			cfg->ram_ipa, cfg->ram_ipa + cfg->ram_size - 1);
		return -E_INVAL;
	}
	if (clash(cfg, "Partita's own image", m->hyp.base, m->hyp.size) ||
	    clash(cfg, "the host device tree", p->fdt.base, p->fdt.size) ||
	    (p->has_initrd &&
	     clash(cfg, "the configuration (the initrd)", p->initrd.base, p->initrd.size)))
		return -E_INVAL;
	for (i = 0; i < p->reserved_count; i++) {
		if (clash(cfg, "reserved memory", p->reserved[i].base, p->reserved[i].size))
			return -E_INVAL;
	}
	return 0;
}

/*
 * Guest RAM must not hide what the VM reaches at the same IPA: the
 * virtual GIC and console sit at the host's addresses.
 */
static int check_ipa(const struct vm_config *cfg, const struct platform *p)
{
	struct plat_gic_frame f[PLAT_GIC_MAX_FRAMES];
	unsigned int i, n = platform_gic_frames(&p->gic, f);

	for (i = 0; i < n; i++) {
		if (clash(cfg, "the GIC", f[i].reg->base, f[i].reg->size))
			return -E_INVAL;
	}
	if (p->uart.kind != UART_NONE &&
	    clash(cfg, "the console UART", p->uart.reg.base, MAX(p->uart.reg.size, PAGE_SIZE)))
		return -E_INVAL;
	return 0;
}

static int check_ram(const struct vm_config *cfg, const struct config_machine *m)
{
	u64 total = platform_mem_total(m->plat);

	if (cfg->ram_identity)
		return check_identity(cfg, m);
	if (cfg->ram_size > total) {
		log_err("vm %s: memory: %lu MiB, more than this machine's %lu MiB of RAM",
			cfg->name, cfg->ram_size >> 20, total >> 20);
		return -E_INVAL;
	}
	return check_ipa(cfg, m->plat);
}

/* -- devices --------------------------------------------------------------------- */

/* Whether node is part of the GIC: it, or a node above it, is an arm,gic* or arm,cortex-a*-gic. */
static bool is_gic(const void *fdt, int node)
{
	for (; node >= 0; node = fdt_parent_offset(fdt, node)) {
		int len, at = 0;
		const char *compat = fdt_getprop(fdt, node, "compatible", &len);

		while (compat && at < len) {
			const char *s = compat + at;
			size_t n = strnlen(s, (size_t)(len - at));

			if ((n >= 7 && !strncmp(s, "arm,gic", 7)) ||
			    (n >= 4 && !strncmp(s + n - 4, "-gic", 4)))
				return true;
			at += (int)n + 1;
		}
		if (node == 0)
			break;
	}
	return false;
}

/* The interrupt parent of node: its or its nearest ancestor's "interrupt-parent". */
static int irq_parent(const void *fdt, int node)
{
	for (; node >= 0; node = fdt_parent_offset(fdt, node)) {
		int len;
		const fdt32_t *ph = fdt_getprop(fdt, node, "interrupt-parent", &len);

		if (ph && len == 4)
			return fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*ph));
		if (node == 0)
			break;
	}
	return -FDT_ERR_NOTFOUND;
}

#define DEV_ERR(cfg, d, fmt, ...) \
	log_err("vm %s: devices: %s: " fmt, (cfg)->name, (d)->path, ##__VA_ARGS__)

/* The pages the VM gets for a register range: stage 2 maps whole pages. */
struct pages {
	u64 first, end;
};

static struct pages pages_of(u64 base, u64 size)
{
	return (struct pages){ ALIGN_DOWN(base, PAGE_SIZE), ALIGN_UP(base + size, PAGE_SIZE) };
}

static bool pages_overlap(struct pages pg, u64 base, u64 size)
{
	struct pages o = pages_of(base, size);

	return size && pg.first < o.end && o.first < pg.end;
}

/*
 * A VM gets the whole page(s) around a device's registers, so whatever else
 * lies in them is the VM's too: refuse when that is Partita's (the GIC, its
 * console UART), the VM's emulated test device (the mapping would hide it)
 * or a device of another VM. Devices of one VM may share a page.
 */
static int check_pages(const struct config *c, unsigned int v, const struct vm_device *d,
		       struct pages pg, const struct platform *p)
{
	const struct vm_config *cfg = &c->vm[v];
	struct plat_gic_frame f[PLAT_GIC_MAX_FRAMES];
	unsigned int i, j, r, n = platform_gic_frames(&p->gic, f);

	for (i = 0; i < n; i++) {
		if (pages_overlap(pg, f[i].reg->base, f[i].reg->size)) {
			DEV_ERR(cfg, d,
				"page(s) 0x%lx-0x%lx hold the GIC's %s at 0x%lx, which Partita "
				"drives",
				pg.first, pg.end - 1, f[i].name, f[i].reg->base);
			return -E_INVAL;
		}
	}
	if (p->uart.kind != UART_NONE && cfg->console != VM_CONSOLE_PASSTHROUGH &&
	    pages_overlap(pg, p->uart.reg.base, p->uart.reg.size)) {
		DEV_ERR(cfg, d, "page(s) 0x%lx-0x%lx hold Partita's console UART at 0x%lx",
			pg.first, pg.end - 1, p->uart.reg.base);
		return -E_INVAL;
	}
	if (cfg->test_device && pages_overlap(pg, TESTDEV_IPA, TESTDEV_SIZE)) {
		DEV_ERR(cfg, d, "page(s) 0x%lx-0x%lx hold the VM's emulated test device at 0x%lx",
			pg.first, pg.end - 1, TESTDEV_IPA);
		return -E_INVAL;
	}
	for (i = 0; i < v; i++) {
		const struct vm_config *o = &c->vm[i];

		for (j = 0; j < o->device_count; j++) {
			const struct vm_device *od = &o->devices[j];

			for (r = 0; r < od->reg_count; r++) {
				if (!pages_overlap(pg, od->reg_base[r], od->reg_size[r]))
					continue;
				DEV_ERR(cfg, d,
					"page(s) 0x%lx-0x%lx also hold %s (0x%lx+0x%lx) of vm %s: "
					"a VM gets whole pages, so one page's devices cannot be "
					"split between VMs",
					pg.first, pg.end - 1, od->path, od->reg_base[r],
					od->reg_size[r], o->name);
				return -E_INVAL;
			}
		}
	}
	return 0;
}

/*
 * Records the device's register ranges as the host DT gives them (the
 * guest DTB repeats them); the VM gets the pages around them (core/vm.c).
 */
static int device_regs(const struct config *c, unsigned int v, struct vm_device *d, const void *fdt,
		       int node, const struct platform *p)
{
	const struct vm_config *cfg = &c->vm[v];
	struct plat_range r;
	int idx, err;

	for (idx = 0; (err = platform_node_reg(fdt, node, idx, &r)) == 0; idx++) {
		struct pages pg;

		if (idx == VM_DEV_MAX_REGS) {
			DEV_ERR(cfg, d, "more than %d reg ranges", VM_DEV_MAX_REGS);
			return -E_INVAL;
		}
		if (!r.size || r.base >= CONFIG_IPA_LIMIT || r.size > CONFIG_IPA_LIMIT - r.base) {
			DEV_ERR(cfg, d, "reg 0x%lx+0x%lx is empty or beyond 2^40", r.base, r.size);
			return -E_INVAL;
		}
		pg = pages_of(r.base, r.size);
		for (unsigned int i = 0; i < p->mem_count; i++) {
			if (pages_overlap(pg, p->mem[i].base, p->mem[i].size)) {
				DEV_ERR(cfg, d, "reg 0x%lx+0x%lx is RAM, not a device", r.base,
					r.size);
				return -E_INVAL;
			}
		}
		if (!cfg->ram_identity &&
		    overlaps(pg.first, pg.end - pg.first, cfg->ram_ipa, cfg->ram_size)) {
			DEV_ERR(cfg, d, "reg 0x%lx+0x%lx lies under the VM's memory at IPA 0x%lx",
				r.base, r.size, cfg->ram_ipa);
			return -E_INVAL;
		}
		if (check_pages(c, v, d, pg, p))
			return -E_INVAL;
		d->reg_base[idx] = r.base;
		d->reg_size[idx] = r.size;
		d->reg_count = (unsigned int)idx + 1;
	}
	if (err != -E_NOENT) {
		DEV_ERR(cfg, d, "its reg cannot be translated to a physical address");
		return -E_INVAL;
	}
	if (!d->reg_count) {
		DEV_ERR(cfg, d, "has no reg: nothing to map");
		return -E_INVAL;
	}
	return 0;
}

static int device_irqs(const struct vm_config *cfg, struct vm_device *d, const void *fdt, int node)
{
	int len, parent, cells_len;
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
	const fdt32_t *cells;
	unsigned int i, n;

	if (fdt_getprop(fdt, node, "interrupts-extended", NULL)) {
		DEV_ERR(cfg, d, "interrupts-extended is not supported; use interrupts");
		return -E_INVAL;
	}
	if (!irq)
		return 0;
	parent = irq_parent(fdt, node);
	cells = parent >= 0 ? fdt_getprop(fdt, parent, "#interrupt-cells", &cells_len) : NULL;
	if (parent < 0 || !is_gic(fdt, parent) || !cells || cells_len != 4 ||
	    fdt32_to_cpu(*cells) != 3 || len % 12) {
		DEV_ERR(cfg, d, "its interrupts are not GIC interrupts of three cells");
		return -E_INVAL;
	}
	n = (unsigned int)len / 12;
	if (n > VM_DEV_MAX_IRQS) {
		DEV_ERR(cfg, d, "more than %d interrupts", VM_DEV_MAX_IRQS);
		return -E_INVAL;
	}
	for (i = 0; i < n; i++) {
		u32 type = fdt32_to_cpu(irq[i * 3]), num = fdt32_to_cpu(irq[i * 3 + 1]);

		if (type != GIC_SPI || num >= SPI_COUNT) {
			DEV_ERR(cfg, d,
				"interrupt %u is not an SPI (type %u, number %u): only "
				"SPIs belong to a device alone",
				i, type, num);
			return -E_INVAL;
		}
		d->intid[i] = 32 + num;
	}
	d->irq_count = n;
	return 0;
}

static int check_device(struct config *c, unsigned int v, unsigned int k,
			const struct config_machine *m)
{
	struct vm_config *cfg = &c->vm[v];
	struct vm_device *d = &cfg->devices[k];
	const void *fdt = m->fdt;
	const struct platform *p = m->plat;
	int node = fdt_path_offset(fdt, d->path), uart;
	unsigned int i, j;

	d->reg_count = d->irq_count = 0;
	c->device_node[v][k] = node;
	if (node < 0) {
		DEV_ERR(cfg, d, "no such node in the host device tree");
		return -E_INVAL;
	}
	if (is_gic(fdt, node)) {
		DEV_ERR(cfg, d, "is the GIC, which Partita drives");
		return -E_INVAL;
	}
	uart = p->uart.kind != UART_NONE ? fdt_path_offset(fdt, p->uart.path) : -1;
	if (node == uart && cfg->console != VM_CONSOLE_PASSTHROUGH) {
		DEV_ERR(cfg, d,
			"is Partita's console UART (say console = \"passthrough\" to "
			"give it to this VM)");
		return -E_INVAL;
	}
	/* The same node by two paths (an alias, say) is still one device. */
	for (i = 0; i <= v; i++) {
		for (j = 0; j < (i == v ? k : c->vm[i].device_count); j++) {
			if (c->device_node[i][j] == node) {
				DEV_ERR(cfg, d, "is given to vm %s already", c->vm[i].name);
				return -E_INVAL;
			}
		}
	}
	return device_regs(c, v, d, fdt, node, p) ?: device_irqs(cfg, d, fdt, node);
}

static int check_vm(struct config *c, unsigned int v, const struct config_machine *m)
{
	struct vm_config *cfg = &c->vm[v];
	unsigned int k;
	int err;

	if (c->cpus_all[v])
		fill_all_cpus(cfg, m->online);
	err = check_cpus(cfg, m->plat) ?: check_ram(cfg, m);
	for (k = 0; k < cfg->device_count && !err; k++)
		err = check_device(c, v, k, m);
	return err;
}

void config_check_machine(struct config *c, const struct config_machine *m)
{
	unsigned int v, k;

	for (v = 0; v < c->vm_count; v++) {
		for (k = 0; k < VM_MAX_DEVICES; k++)
			c->device_node[v][k] = -1;
	}
	for (v = 0; v < c->vm_count; v++) {
		if (!c->refused[v])
			c->refused[v] = check_vm(c, v, m) != 0;
	}
}
