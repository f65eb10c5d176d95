/*
 * Machine discovery from the flattened device tree, with libfdt. Every
 * refusal logs one line naming the node or property at fault, because a
 * user facing a board that does not boot has nothing else to go on.
 */
#include "platform/platform.h"

#include <libfdt.h>
#include <string.h>

#include "board.h"
#include "lib/fmt.h"
#include "lib/log.h"

#define MAX_CELLS 2

static u32 cells_of(const void *fdt, int node, const char *name, u32 dflt)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);

	if (!v || len != 4)
		return dflt;
	return fdt32_to_cpu(*v);
}

static u64 read_cells(const fdt32_t *p, u32 n)
{
	u64 v = 0;

	while (n--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

#define ANCESTRY_MAX 16

/*
 * A node's nearest ancestors, found in one walk from the root: libfdt's
 * fdt_parent_offset() walks from the root twice a call, and reading a reg
 * asks for the parent of every bus above the node. up[0] is the parent,
 * up[1] the grandparent, count of them known; above those (a tree deeper
 * than ANCESTRY_MAX, or an offset the walk does not meet) libfdt answers.
 */
struct ancestry {
	int count;
	int up[ANCESTRY_MAX];
};

static void ancestry_of(const void *fdt, int node, struct ancestry *a)
{
	int seen[ANCESTRY_MAX]; /* the last node met at each depth, modulo ANCESTRY_MAX */
	int off = 0, depth = 0, k;

	a->count = 0;
	while (off >= 0 && off < node && depth >= 0) {
		seen[depth % ANCESTRY_MAX] = off;
		off = fdt_next_node(fdt, off, &depth);
	}
	if (off != node || depth < 0)
		return;
	for (k = 0; k < depth && k < ANCESTRY_MAX; k++)
		a->up[k] = seen[(depth - 1 - k) % ANCESTRY_MAX];
	a->count = k;
}

/* Ancestor k of the node a describes (0: its parent); of is ancestor k - 1, or the node. */
static int ancestor(const void *fdt, const struct ancestry *a, int k, int of)
{
	return k < a->count ? a->up[k] : fdt_parent_offset(fdt, of);
}

/*
 * Translates a bus address of node's children to the CPU's physical address
 * through the "ranges" of every bus above. An absent "ranges" on a bus means
 * its children are not memory-mapped at all. a is the node's ancestry: bus
 * is its parent.
 */
static int translate(const void *fdt, int bus, const struct ancestry *a, u64 *addr)
{
	for (int k = 1; bus > 0; k++) {
		int parent = ancestor(fdt, a, k, bus), len, i;
		const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
		u32 ca, pa, cs, stride;

		/* Not -E_NOENT: that would read as "no such reg entry" to reg_at's callers. */
		if (!r)
			return -E_NOTSUPP;
		ca = cells_of(fdt, bus, "#address-cells", 2);
		cs = cells_of(fdt, bus, "#size-cells", 1);
		pa = cells_of(fdt, parent, "#address-cells", 2);
		stride = ca + pa + cs;
		/*
		 * A bus whose children have no address cells has nothing to
		 * translate, and its entries would be zero cells apart: the walk
		 * below would never move on.
		 */
		if (ca == 0 || ca > MAX_CELLS || pa > MAX_CELLS || cs > MAX_CELLS)
			return -E_NOTSUPP;
		for (i = 0; len && i + (int)stride * 4 <= len; i += (int)stride * 4) {
			const fdt32_t *e = r + i / 4;
			u64 child = read_cells(e, ca), paddr = read_cells(e + ca, pa);
			u64 size = read_cells(e + ca + pa, cs);

			if (*addr >= child && *addr - child < size) {
				*addr = *addr - child + paddr;
				break;
			}
		}
		if (len && i + (int)stride * 4 > len)
			return -E_RANGE;
		bus = parent;
	}
	return 0;
}

/**
 * Reads entry idx of node's "reg" as a CPU physical range; a is the node's
 * ancestry (ancestry_of()), found once for all its entries. Returns 0,
 * -E_NOENT when there is no such entry, or another negative error when the
 * cells cannot be understood.
 */
static int reg_in(const void *fdt, int node, const struct ancestry *a, int idx,
		  struct plat_range *out)
{
	int parent = ancestor(fdt, a, 0, node), len;
	u32 ac, sc, stride;
	const fdt32_t *reg;

	ac = cells_of(fdt, parent, "#address-cells", 2);
	sc = cells_of(fdt, parent, "#size-cells", 1);
	reg = fdt_getprop(fdt, node, "reg", &len);
	stride = ac + sc;

	if (ac == 0 || ac > MAX_CELLS || sc > MAX_CELLS)
		return -E_NOTSUPP;
	if (!reg || (u32)len < (u32)(idx + 1) * stride * 4)
		return -E_NOENT;
	reg += (u32)idx * stride;
	out->base = read_cells(reg, ac);
	out->size = read_cells(reg + ac, sc);
	return translate(fdt, parent, a, &out->base);
}

/* reg_in() for one entry. */
static int reg_at(const void *fdt, int node, int idx, struct plat_range *out)
{
	struct ancestry a;

	ancestry_of(fdt, node, &a);
	return reg_in(fdt, node, &a, idx, out);
}

static bool node_is(const void *fdt, int node, const char *prop, const char *value)
{
	int len;
	const char *v = fdt_getprop(fdt, node, prop, &len);

	return v && len > 0 && strnlen(v, (size_t)len) == strlen(value) && !strcmp(v, value);
}

/* The node's full path, for messages; its name alone if the path does not fit. */
static const char *node_path(const void *fdt, int node, char *buf, int size)
{
	if (fdt_get_path(fdt, node, buf, size))
		return fdt_get_name(fdt, node, NULL);
	return buf;
}

/* Whether [base, base+size) ends beyond the top of the address space. */
static bool wraps(u64 base, u64 size)
{
	return size > ~0UL - base;
}

static void remove_mem(struct platform *p, unsigned int i)
{
	for (; i + 1 < p->mem_count; i++)
		p->mem[i] = p->mem[i + 1];
	p->mem_count--;
}

/*
 * Adds one memory range, keeping p->mem sorted and disjoint: a range that
 * overlaps or repeats ones already found is merged with them (and said so),
 * because everything after discovery (the EL2 map, the allocator, the
 * initrd checks) counts on each byte of RAM being listed once.
 */
static void add_memory(struct platform *p, struct plat_range r, const char *node, int idx)
{
	u64 end = r.base + r.size;
	unsigned int i;
	bool merged = false;

	for (i = 0; i < p->mem_count;) {
		u64 b = p->mem[i].base, e = b + p->mem[i].size;

		if (b < end && r.base < e) {
			r.base = MIN(r.base, b);
			end = MAX(end, e);
			remove_mem(p, i);
			merged = true;
		} else {
			i++;
		}
	}
	r.size = end - r.base;
	if (merged)
		log_warn("fdt: %s: reg[%d] overlaps memory listed before; merged into "
			 "0x%lx-0x%lx",
			 node, idx, r.base, end - 1);
	if (p->mem_count == PLAT_MAX_MEM) {
		log_warn("fdt: more than %d memory ranges; ignoring %s reg[%d]", PLAT_MAX_MEM, node,
			 idx);
		return;
	}
	for (i = p->mem_count; i > 0 && p->mem[i - 1].base > r.base; i--)
		p->mem[i] = p->mem[i - 1];
	p->mem[i] = r;
	p->mem_count++;
}

/* The next enabled node after node with device_type "memory", or a negative value. */
static int next_memory_node(const void *fdt, int node)
{
	for (node = fdt_next_node(fdt, node, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		if (!node_is(fdt, node, "device_type", "memory"))
			continue;
		if (fdt_getprop(fdt, node, "status", NULL) && !node_is(fdt, node, "status", "okay"))
			continue;
		return node;
	}
	return node;
}

#define MEM_NODES_MAX 8

/*
 * The first memory nodes discover_memory() met, in tree order, so that
 * check_memory_devices() goes over them again without a walk of the tree.
 */
struct mem_nodes {
	unsigned int count;
	int node[MEM_NODES_MAX];
};

/* The memory node after node, the i-th: from m while it lasts, then, if m is full, walking on. */
static int next_known_memory(const void *fdt, const struct mem_nodes *m, unsigned int *i, int node)
{
	if (*i < m->count)
		return m->node[(*i)++];
	return m->count < MEM_NODES_MAX ? -FDT_ERR_NOTFOUND : next_memory_node(fdt, node);
}

static int discover_memory(const void *fdt, struct platform *p, struct mem_nodes *m)
{
	int node;

	for (node = next_memory_node(fdt, -1); node >= 0; node = next_memory_node(fdt, node)) {
		char path[PLAT_PATH_MAX];
		const char *name;
		struct ancestry a;
		struct plat_range r;
		int i;

		if (m->count < MEM_NODES_MAX)
			m->node[m->count++] = node;

		name = node_path(fdt, node, path, sizeof(path));
		ancestry_of(fdt, node, &a);
		for (i = 0; reg_in(fdt, node, &a, i, &r) == 0; i++) {
			if (!r.size)
				continue;
			if (wraps(r.base, r.size)) {
				log_err("fdt: %s: reg[%d] (base 0x%lx, size 0x%lx) wraps around "
					"the "
					"end of the address space",
					name, i, r.base, r.size);
				return -E_INVAL;
			}
			add_memory(p, r, name, i);
		}
	}
	if (!p->mem_count) {
		log_err("fdt: no memory: no node with device_type = \"memory\" and a non-empty "
			"reg");
		return -E_INVAL;
	}
	return 0;
}

/*
 * Names the device that memory range r (entry idx of node name) lies over
 * and returns true, or returns false. Memory is mapped as Normal at EL2
 * and read, and its pages handed to VMs and page tables: a range over the
 * GIC, the board's UART or anything below the board's RAM would have
 * Partita read device registers and build stage-2 tables in them.
 */
static bool memory_on_device(const struct platform *p, struct plat_range r, const char *name,
			     int idx)
{
	struct plat_gic_frame f[PLAT_GIC_MAX_FRAMES];
	unsigned int i, n = platform_gic_frames(&p->gic, f);
	u64 end = r.base + r.size;

	for (i = 0; i < n; i++) {
		const struct plat_range *g = f[i].reg;

		if (r.base < g->base + g->size && g->base < end) {
			log_err("fdt: %s: reg[%d] 0x%lx-0x%lx overlaps the GIC %s at 0x%lx-0x%lx; "
				"it is not RAM",
				name, idx, r.base, end - 1, f[i].name, g->base,
				g->base + g->size - 1);
			return true;
		}
	}
	if (r.base < BOARD_UART_BASE + BOARD_UART_SIZE && BOARD_UART_BASE < end) {
		log_err("fdt: %s: reg[%d] 0x%lx-0x%lx overlaps " BOARD_NAME "'s UART at 0x%lx; it "
			"is not RAM",
			name, idx, r.base, end - 1, BOARD_UART_BASE);
		return true;
	}
	if (r.base < BOARD_RAM_BASE) {
		log_err("fdt: %s: reg[%d] 0x%lx-0x%lx starts below " BOARD_NAME "'s RAM at 0x%lx, "
			"among its devices; it is not RAM",
			name, idx, r.base, end - 1, BOARD_RAM_BASE);
		return true;
	}
	return false;
}

/* Refuses any memory node entry over device space (memory_on_device); the GIC is known. */
static int check_memory_devices(const void *fdt, const struct platform *p,
				const struct mem_nodes *m)
{
	unsigned int k = 0;
	int node;

	for (node = next_known_memory(fdt, m, &k, -1); node >= 0;
	     node = next_known_memory(fdt, m, &k, node)) {
		char path[PLAT_PATH_MAX];
		const char *name = node_path(fdt, node, path, sizeof(path));
		struct ancestry a;
		struct plat_range r;
		int i;

		ancestry_of(fdt, node, &a);
		for (i = 0; reg_in(fdt, node, &a, i, &r) == 0; i++) {
			if (r.size && memory_on_device(p, r, name, i))
				return -E_INVAL;
		}
	}
	return 0;
}

/*
 * Records one reserved region. Returns 0, or -E_INVAL after one line when
 * it cannot be kept: a region left out of the table would be handed out as
 * free memory, so too many of them stop the boot instead.
 */
static int add_reserved(struct platform *p, u64 base, u64 size, bool no_map, const char *what)
{
	if (!size)
		return 0;
	if (wraps(base, size)) {
		log_err("fdt: %s (base 0x%lx, size 0x%lx) wraps around the end of the address "
			"space",
			what, base, size);
		return -E_INVAL;
	}
	if (p->reserved_count == PLAT_MAX_RESERVED) {
		log_err("fdt: more than %d reserved regions (%s at 0x%lx is one too many); "
			"Partita cannot keep track of them all",
			PLAT_MAX_RESERVED, what, base);
		return -E_INVAL;
	}
	p->reserved[p->reserved_count].base = base;
	p->reserved[p->reserved_count].size = size;
	p->reserved[p->reserved_count].no_map = no_map;
	p->reserved_count++;
	return 0;
}

/* rm: the offset of /reserved-memory, or negative. */
static int discover_reserved(const void *fdt, int rm, struct platform *p)
{
	int i, n = fdt_num_mem_rsv(fdt), node, err;

	for (i = 0; i < n; i++) {
		u64 base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0) {
			err = add_reserved(p, base, size, false, "a /memreserve/ entry");
			if (err)
				return err;
		}
	}
	if (rm < 0)
		return 0;
	fdt_for_each_subnode (node, fdt, rm) {
		char path[PLAT_PATH_MAX];
		const char *name = node_path(fdt, node, path, sizeof(path));
		struct ancestry a;
		struct plat_range r;
		int j;

		ancestry_of(fdt, node, &a);
		/* A node with only "size" asks the OS to allocate; nothing is fixed. */
		for (j = 0; (err = reg_in(fdt, node, &a, j, &r)) == 0; j++) {
			err = add_reserved(p, r.base, r.size,
					   fdt_getprop(fdt, node, "no-map", NULL) != NULL, name);
			if (err)
				return err;
		}
		if (err != -E_NOENT) {
			log_err("fdt: %s: reg cannot be translated (%d), so the memory it reserves "
				"is unknown",
				name, err);
			return -E_INVAL;
		}
	}
	return 0;
}

/* Index of the first fault-free CPU before count with this MPIDR, or -1. */
static int mpidr_owner(const struct platform *p, unsigned int count, u64 mpidr)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (!p->cpus[i].fault && p->cpus[i].mpidr == mpidr)
			return (int)i;
	}
	return -1;
}

/*
 * Reads the MPIDR of cpu node idx. A node without one, or with one an
 * earlier node already has, cannot be started: it is kept (so CPU numbers
 * follow /cpus, as a VM configuration counts them) with its fault set, and
 * one line says why it stays offline. Only that CPU is lost.
 */
static void read_cpu_mpidr(const void *fdt, int node, u32 ac, struct platform *p, unsigned int idx)
{
	struct plat_cpu *c = &p->cpus[idx];
	const fdt32_t *reg;
	int len, owner;

	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < (int)ac * 4) {
		c->fault = CPU_FAULT_NO_REG;
		log_err("fdt: cpu%u (%s): %s, so it has no MPIDR to be started with; cpu%u "
			"stays offline",
			idx, c->name, reg ? "reg is shorter than #address-cells" : "no reg", idx);
		return;
	}
	c->mpidr = read_cells(reg, ac) & MPIDR_AFFINITY_MASK;
	owner = mpidr_owner(p, idx, c->mpidr);
	if (owner >= 0) {
		c->fault = CPU_FAULT_DUP_MPIDR;
		c->dup_of = (unsigned int)owner;
		log_err("fdt: cpu%u (%s): reg 0x%lx is the MPIDR of cpu%u (%s) too; cpu%u stays "
			"offline",
			idx, c->name, c->mpidr, owner, p->cpus[owner].name, idx);
	}
}

/* cpus: the offset of /cpus, or negative. */
static int discover_cpus(const void *fdt, int cpus, struct platform *p)
{
	int node;
	u32 ac;

	if (cpus < 0) {
		log_err("fdt: no /cpus node");
		return -E_INVAL;
	}
	ac = cells_of(fdt, cpus, "#address-cells", 2);
	if (ac < 1 || ac > 2) {
		log_err("fdt: /cpus: #address-cells is %u; a cpu reg (MPIDR) takes 1 or 2 cells",
			ac);
		return -E_INVAL;
	}
	fdt_for_each_subnode (node, fdt, cpus) {
		const char *name = fdt_get_name(fdt, node, NULL);
		struct plat_cpu *c;

		if (!node_is(fdt, node, "device_type", "cpu"))
			continue;
		if (fdt_getprop(fdt, node, "status", NULL) && !node_is(fdt, node, "status", "okay"))
			continue;
		if (p->cpu_count == PLAT_MAX_CPUS) {
			log_warn("fdt: more than %d CPUs; /cpus/%s is left off", PLAT_MAX_CPUS,
				 name);
			continue;
		}
		c = &p->cpus[p->cpu_count];
		fmt_format(c->name, sizeof(c->name), "/cpus/%s", name);
		read_cpu_mpidr(fdt, node, ac, p, p->cpu_count);
		p->cpu_count++;
		if (!fdt_getprop(fdt, node, "enable-method", NULL))
			c->enable = CPU_ENABLE_NONE;
		else if (node_is(fdt, node, "enable-method", "psci"))
			c->enable = CPU_ENABLE_PSCI;
		else
			c->enable = CPU_ENABLE_OTHER;
	}
	if (!p->cpu_count) {
		log_err("fdt: /cpus has no cpu node");
		return -E_INVAL;
	}
	return 0;
}

static int find_compatible(const void *fdt, const char *const *compat, size_t n, size_t *which)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, compat[i]);

		while (node >= 0 && fdt_getprop(fdt, node, "status", NULL) &&
		       !node_is(fdt, node, "status", "okay"))
			node = fdt_node_offset_by_compatible(fdt, node, compat[i]);
		if (node >= 0) {
			*which = i;
			return node;
		}
	}
	return -1;
}

/* Decodes the index-th (type, number, flags) triple of interrupts as an INTID. */
static int ppi_at(const void *fdt, int node, int index, u32 *intid)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, "interrupts", &len);

	if (!v || len < (index + 1) * 12)
		return -E_NOENT;
	v += index * 3;
	/* GIC binding: type 0 is SPI (INTID = n + 32), type 1 is PPI (n + 16). */
	*intid = fdt32_to_cpu(v[1]) + (fdt32_to_cpu(v[0]) == 1 ? 16 : 32);
	return 0;
}

/*
 * GICv3: #redistributor-regions (1 when absent) reg entries follow the
 * distributor's; a large machine splits its redistributors over several.
 */
static int discover_redists(const void *fdt, int node, const struct ancestry *a, const char *name,
			    struct platform *p)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, "#redistributor-regions", &len);
	u32 count = v && len >= 4 ? fdt32_to_cpu(*v) : 1;

	if (!count || count > PLAT_MAX_REDIST_REGIONS) {
		log_err("fdt: %s: #redistributor-regions is %u, must be 1 to %d", name, count,
			PLAT_MAX_REDIST_REGIONS);
		return -E_INVAL;
	}
	for (u32 i = 0; i < count; i++) {
		if (reg_in(fdt, node, a, 1 + (int)i, &p->gic.redists[i])) {
			log_err("fdt: %s: reg lacks redistributor region %u of the %u "
				"#redistributor-regions says",
				name, i, count);
			return -E_INVAL;
		}
	}
	p->gic.redist_count = count;
	return 0;
}

/*
 * Every GIC frame is mapped at EL2 and its registers read and written, at
 * offsets up to the architecture's frame size: an empty, short, wrapping
 * or unmappable frame would fault at EL2 (or stop the boot in the map).
 * Overlap with RAM is refused from the memory node's side
 * (check_memory_devices), with Partita's image in platform_check_placement.
 */
static int check_gic_frames(const struct platform *p, const char *name)
{
	struct plat_gic_frame f[PLAT_GIC_MAX_FRAMES];
	unsigned int i, n = platform_gic_frames(&p->gic, f);

	for (i = 0; i < n; i++) {
		u64 b = f[i].reg->base, sz = f[i].reg->size;

		if (sz < f[i].min_size) {
			log_err("fdt: %s: reg[%u], the %s at 0x%lx, is 0x%lx bytes; it takes at "
				"least 0x%lx",
				name, i, f[i].name, b, sz, f[i].min_size);
			return -E_INVAL;
		}
		if (wraps(b, sz) || b + sz > PLAT_EL2_MAP_LIMIT) {
			log_err("fdt: %s: reg[%u], the %s (base 0x%lx, size 0x%lx), %s", name, i,
				f[i].name, b, sz,
				wraps(b, sz) ? "wraps around the end of the address space"
					     : "lies beyond the 48-bit reach of the EL2 map");
			return -E_INVAL;
		}
	}
	return 0;
}

static int discover_gic(const void *fdt, struct platform *p)
{
	static const char *const compat[] = {
		"arm,gic-v3",
		"arm,cortex-a15-gic",
		"arm,gic-400",
		"arm,cortex-a9-gic",
	};
	struct ancestry a;
	size_t which = 0;
	int node = find_compatible(fdt, compat, ARRAY_SIZE(compat), &which);
	const char *name;

	if (node < 0) {
		log_err("fdt: no interrupt controller: no node compatible with \"arm,gic-v3\" or "
			"\"arm,cortex-a15-gic\" (GICv2)");
		return -E_INVAL;
	}
	name = fdt_get_name(fdt, node, NULL);
	p->gic.version = which == 0 ? 3 : 2;
	ancestry_of(fdt, node, &a);
	if (reg_in(fdt, node, &a, 0, &p->gic.dist) ||
	    reg_in(fdt, node, &a, 1, which == 0 ? &p->gic.redist : &p->gic.cpu)) {
		log_err("fdt: %s: reg must give the distributor and the %s", name,
			which == 0 ? "redistributors" : "CPU interface");
		return -E_INVAL;
	}
	if (which == 0 && discover_redists(fdt, node, &a, name, p))
		return -E_INVAL;
	if (which != 0) {
		/* GICH and GICV are optional in the binding but Partita needs them. */
		if (reg_in(fdt, node, &a, 2, &p->gic.hyp) ||
		    reg_in(fdt, node, &a, 3, &p->gic.vcpu)) {
			log_err("fdt: %s: reg lacks the GICH and GICV frames needed to virtualize "
				"GICv2",
				name);
			return -E_INVAL;
		}
	}
	if (ppi_at(fdt, node, 0, &p->gic.maint_ppi))
		p->gic.maint_ppi = 25; /* the SBSA's recommended maintenance PPI */
	return check_gic_frames(p, name);
}

static int discover_timer(const void *fdt, struct platform *p)
{
	static const char *const compat[] = { "arm,armv8-timer", "arm,armv7-timer" };
	size_t which;
	int node = find_compatible(fdt, compat, ARRAY_SIZE(compat), &which);

	if (node < 0) {
		log_err("fdt: no timer: no node compatible with \"arm,armv8-timer\"");
		return -E_INVAL;
	}
	if (ppi_at(fdt, node, 0, &p->timer.sec_phys_ppi) ||
	    ppi_at(fdt, node, 1, &p->timer.phys_ppi) || ppi_at(fdt, node, 2, &p->timer.virt_ppi) ||
	    ppi_at(fdt, node, 3, &p->timer.hyp_ppi)) {
		log_err("fdt: %s: interrupts must list the four timer PPIs",
			fdt_get_name(fdt, node, NULL));
		return -E_INVAL;
	}
	return 0;
}

static int discover_psci(const void *fdt, struct platform *p)
{
	static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };
	size_t which;
	int node = find_compatible(fdt, compat, ARRAY_SIZE(compat), &which);

	if (node < 0) {
		log_err("fdt: no PSCI: no node compatible with \"arm,psci-0.2\" or later");
		return -E_INVAL;
	}
	if (which == 2) {
		log_err("fdt: %s: PSCI 0.1 (\"arm,psci\" only) is not supported; PSCI 0.2 or "
			"later is needed",
			fdt_get_name(fdt, node, NULL));
		return -E_INVAL;
	}
	if (node_is(fdt, node, "method", "smc")) {
		p->psci = PSCI_CONDUIT_SMC;
	} else if (node_is(fdt, node, "method", "hvc")) {
		p->psci = PSCI_CONDUIT_HVC;
	} else {
		log_err("fdt: %s: method must be \"smc\" or \"hvc\"",
			fdt_get_name(fdt, node, NULL));
		return -E_INVAL;
	}
	return 0;
}

/*
 * Resolves stdout-path ("serial0:115200n8", an alias or a full path) to a
 * node. Returns it, -E_NOENT without a stdout-path, or -E_INVAL when the
 * path or alias names no node (libfdt's own codes would collide with these).
 */
static int stdout_node(const void *fdt, int chosen, char *path, size_t size)
{
	int len, node;
	const char *v, *colon;
	size_t n;

	if (chosen < 0)
		return -E_NOENT;
	v = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!v)
		v = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!v || len <= 0)
		return -E_NOENT;
	n = strnlen(v, (size_t)len);
	colon = memchr(v, ':', n);
	if (colon)
		n = (size_t)(colon - v);
	if (n >= size)
		n = size - 1;
	memcpy(path, v, n);
	path[n] = '\0';
	/* libfdt resolves an alias (no leading '/') through /aliases itself. */
	node = fdt_path_offset_namelen(fdt, v, (int)n);
	return node < 0 ? -E_INVAL : node;
}

/*
 * The console UART's interrupt, if its first interrupts triple (GIC binding)
 * is an SPI, or 0: without one the console just polls (platform/console.c).
 */
static u32 uart_spi(const void *fdt, int node)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, "interrupts", &len);

	if (!v || len < 12 || fdt32_to_cpu(v[0]) != 0 || fdt32_to_cpu(v[1]) >= 988)
		return 0;
	return 32 + fdt32_to_cpu(v[1]);
}

static void discover_uart(const void *fdt, struct platform *p)
{
	int node = stdout_node(fdt, p->chosen, p->uart.path, sizeof(p->uart.path));

	if (node == -E_NOENT) {
		log_warn("fdt: no /chosen/stdout-path; keeping the built-in console");
		return;
	}
	if (node < 0) {
		log_warn("fdt: /chosen/stdout-path \"%s\" names no node%s; keeping the built-in "
			 "console",
			 p->uart.path, p->uart.path[0] == '/' ? "" : " (no such alias)");
		return;
	}
	if (fdt_node_check_compatible(fdt, node, "arm,pl011") == 0) {
		p->uart.kind = UART_PL011;
	} else if (fdt_node_check_compatible(fdt, node, "ns16550a") == 0 ||
		   fdt_node_check_compatible(fdt, node, "ns16550") == 0 ||
		   fdt_node_check_compatible(fdt, node, "snps,dw-apb-uart") == 0) {
		p->uart.kind = UART_NS16550;
		p->uart.reg_shift = cells_of(fdt, node, "reg-shift", 0);
		p->uart.reg_io_width = cells_of(fdt, node, "reg-io-width", 1);
		/* The registers sit 1 << reg-shift apart; 8250 drivers know shifts up to 4. */
		if (p->uart.reg_shift > 4) {
			log_warn("fdt: %s: reg-shift %u is more than 4; keeping the built-in "
				 "console",
				 p->uart.path, p->uart.reg_shift);
			p->uart.kind = UART_NONE;
			return;
		}
	} else {
		log_warn("fdt: stdout-path %s: no driver for this UART (Partita has pl011 and "
			 "ns16550); keeping the built-in console",
			 p->uart.path);
		return;
	}
	if (reg_at(fdt, node, 0, &p->uart.reg)) {
		log_warn("fdt: %s: no usable reg; keeping the built-in console", p->uart.path);
		p->uart.kind = UART_NONE;
		return;
	}
	p->uart.intid = uart_spi(fdt, node);
}

static int discover_initrd(const void *fdt, struct platform *p)
{
	int chosen = p->chosen, ls, le;
	const fdt32_t *s, *e;
	u64 start, end;

	if (chosen < 0)
		return 0;
	s = fdt_getprop(fdt, chosen, "linux,initrd-start", &ls);
	e = fdt_getprop(fdt, chosen, "linux,initrd-end", &le);
	if (!s && !e)
		return 0;
	if (!s || !e || (ls != 4 && ls != 8) || (le != 4 && le != 8)) {
		log_err("fdt: /chosen: linux,initrd-start and linux,initrd-end must both be 32- or "
			"64-bit values");
		return -E_INVAL;
	}
	start = read_cells(s, (u32)ls / 4);
	end = read_cells(e, (u32)le / 4);
	if (end <= start) {
		log_err("fdt: /chosen: linux,initrd-end 0x%lx is %s linux,initrd-start 0x%lx", end,
			end < start ? "below" : "equal to", start);
		return -E_INVAL;
	}
	p->has_initrd = true;
	p->initrd.base = start;
	p->initrd.size = end - start;
	return 0;
}

/*
 * Walks the structure block tag by tag: each must end past where it began,
 * and the walk must reach FDT_END. Returns 0 or a negative libfdt error.
 * Debian's libfdt 1.6.1 fdt_check_full() loops forever on some trees whose
 * tags do not move on (found by make fuzz); this walk is bounded.
 */
static int walk_tags(const void *fdt)
{
	int offset = 0, next = 0;
	u32 tag;

	do {
		tag = fdt_next_tag(fdt, offset, &next);
		if (next < 0)
			return next;
		if (next <= offset)
			return -FDT_ERR_BADSTRUCTURE;
		offset = next;
	} while (tag != FDT_END);
	return 0;
}

static int check_blob(const void *fdt, u64 max_size)
{
	int err = fdt_check_header(fdt);

	if (err == -FDT_ERR_BADMAGIC) {
		log_err("fdt: no device tree at %p: bad magic 0x%08x (expected 0xd00dfeed)", fdt,
			fdt32_to_cpu(*(const fdt32_t *)fdt));
		return -E_INVAL;
	}
	if (err) {
		log_err("fdt: device tree at %p: bad header: %s", fdt, fdt_strerror(err));
		return -E_INVAL;
	}
	if (fdt_totalsize(fdt) > PLAT_FDT_MAX_SIZE) {
		log_err("fdt: device tree at %p: its header says %u bytes, larger than the %lu MiB "
			"Partita reads",
			fdt, fdt_totalsize(fdt), PLAT_FDT_MAX_SIZE >> 20);
		return -E_INVAL;
	}
	if (fdt_totalsize(fdt) > max_size) {
		log_err("fdt: device tree at %p is truncated: its header says %u bytes, only %lu "
			"are there",
			fdt, fdt_totalsize(fdt), (unsigned long)max_size);
		return -E_INVAL;
	}
	/*
	 * Before version 16 nodes carry their full path and properties are
	 * read differently; Debian's libfdt 1.6.1 fdt_check_full() then
	 * follows a NULL property pointer (found by make fuzz). Boot loaders
	 * and dtc write version 17.
	 */
	if (fdt_version(fdt) < 16) {
		log_err("fdt: device tree at %p has version %u; Partita reads version 16 and "
			"later",
			fdt, fdt_version(fdt));
		return -E_INVAL;
	}
	/* fdt_check_full() of libfdt 1.6.1 can loop forever where a tag does not move on. */
	err = walk_tags(fdt);
	err = err ?: fdt_check_full(fdt, fdt_totalsize(fdt));
	if (err) {
		log_err("fdt: device tree at %p is malformed: %s", fdt, fdt_strerror(err));
		return -E_INVAL;
	}
	return 0;
}

enum { TOP_CHOSEN, TOP_CPUS, TOP_RESERVED };

/*
 * The offsets of the root's children called names[i] (as fdt_path_offset()
 * finds "/name": the first child named name or name@unit) into off[i], or
 * -FDT_ERR_NOTFOUND: one walk for them all, where each fdt_path_offset()
 * walks every node before the one it finds.
 */
static void top_nodes(const void *fdt, const char *const *names, int *off, size_t n)
{
	int node;
	size_t i;

	for (i = 0; i < n; i++)
		off[i] = -FDT_ERR_NOTFOUND;
	fdt_for_each_subnode (node, fdt, 0) {
		int len;
		const char *name = fdt_get_name(fdt, node, &len);

		for (i = 0; i < n && name; i++) {
			size_t w = strlen(names[i]);

			if (off[i] < 0 && (size_t)len >= w && !memcmp(name, names[i], w) &&
			    (name[w] == '\0' || name[w] == '@'))
				off[i] = node;
		}
	}
}

int platform_discover(const void *fdt, u64 max_size, struct platform *p)
{
	static const char *const top[] = {
		[TOP_CHOSEN] = "chosen", [TOP_CPUS] = "cpus", [TOP_RESERVED] = "reserved-memory"
	};
	struct mem_nodes mem = { 0 };
	int err, off[ARRAY_SIZE(top)];

	memset(p, 0, sizeof(*p));
	if (max_size < sizeof(struct fdt_header)) {
		log_err("fdt: device tree at %p: only %lu bytes, shorter than a header", fdt,
			(unsigned long)max_size);
		return -E_INVAL;
	}
	err = check_blob(fdt, max_size);
	if (err)
		return err;
	p->fdt.base = (u64)(uintptr_t)fdt;
	p->fdt.size = fdt_totalsize(fdt);
	top_nodes(fdt, top, off, ARRAY_SIZE(top));
	p->chosen = off[TOP_CHOSEN];
	err = discover_memory(fdt, p, &mem);
	if (!err)
		err = discover_cpus(fdt, off[TOP_CPUS], p);
	if (!err)
		err = discover_gic(fdt, p);
	if (!err)
		err = check_memory_devices(fdt, p, &mem);
	if (!err)
		err = discover_timer(fdt, p);
	if (!err)
		err = discover_psci(fdt, p);
	if (!err)
		err = discover_initrd(fdt, p);
	if (!err)
		err = discover_reserved(fdt, off[TOP_RESERVED], p);
	if (err)
		return err;
	discover_uart(fdt, p);
	return 0;
}

int platform_node_reg(const void *fdt, int node, int idx, struct plat_range *out)
{
	return reg_at(fdt, node, idx, out);
}

u64 platform_mem_total(const struct platform *p)
{
	u64 total = 0;
	unsigned int i;

	for (i = 0; i < p->mem_count; i++)
		total += p->mem[i].size;
	return total;
}

int platform_cpu_index(const struct platform *p, u64 mpidr)
{
	return mpidr_owner(p, p->cpu_count, mpidr & MPIDR_AFFINITY_MASK);
}
