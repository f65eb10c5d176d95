/*
 * The VM configuration parser (see config.h and docs/configuration.md).
 * Compiled into the hypervisor and into the host tool: it uses libfdt,
 * string functions and log_err(), nothing else, and never trusts a length,
 * an offset or a string of the blob before checking it.
 */
#include "core/config.h"

#include <libfdt.h>
#include <string.h>

#include "core/guest_fdt.h"
#include "core/vm_layout.h"
#include "lib/log.h"
#include "vcpu/testdev.h"

#define COMPATIBLE "partita,config"
#define BOOTARGS_MAX 2047 /* Linux's arm64 COMMAND_LINE_SIZE is 2048, with the NUL */
#define DEVICE_PATH_MAX 256
#define SPI_MAX 987 /* GIC SPIs are INTIDs 32 to 1019 */
#define GIC_SPI 0 /* the first cell of a GIC interrupt specifier */

/* What one VM's properties are read into, besides its vm_config. */
struct vm_parse {
	struct config *c;
	unsigned int idx;
	const char *blob;
	bool has_cpus, has_memory;
};

static u64 be_cells(const u8 *p, unsigned int n)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < n * 4; i++)
		v = (v << 8) | p[i];
	return v;
}

static bool overlaps(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

int config_layout(const struct vm_config *cfg, struct config_layout *out)
{
	struct vm_layout l;
	u64 need = 0;

	memset(out, 0, sizeof(*out));
	/* The placement vm_create() makes (core/vm_layout.c): the check and the load agree. */
	if (vm_layout_place(cfg->ram_ipa, cfg->ram_size, cfg->kernel_format == VM_KERNEL_RAW,
			    cfg->image, cfg->image_size, cfg->initrd ? cfg->initrd_size : 0, &l,
			    &need) != VM_LAYOUT_OK) {
		out->need_ram = need;
		return -E_INVAL;
	}
	out->kernel_offset = l.kernel_offset;
	out->kernel_footprint = l.kernel_end - l.kernel_offset;
	out->initrd_offset = l.initrd_offset;
	out->dtb_offset = l.dtb_offset;
	return 0;
}

/* -- values ---------------------------------------------------------------------- */

/* Whether the property is one NUL-terminated string with no NUL inside. */
static bool is_string(const char *v, int len)
{
	return len >= 1 && v[len - 1] == '\0' && strlen(v) == (size_t)len - 1;
}

/* Whether the property is one or more non-empty NUL-terminated strings. */
static bool is_string_list(const char *v, int len)
{
	int i;

	if (len < 2 || v[len - 1] != '\0' || v[0] == '\0')
		return false;
	for (i = 1; i < len; i++) {
		if (v[i] == '\0' && v[i - 1] == '\0')
			return false;
	}
	return true;
}

/* VM names appear in log lines and guest DTBs: letters, digits and "-_.,+@" only. */
static bool name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n >= VM_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || strchr("-_.,+@", ch)))
			return false;
	}
	return true;
}

/* -- one property each ------------------------------------------------------------ */

#define VM_ERR(ps, prop, fmt, ...) \
	log_err("vm %s: %s: " fmt, (ps)->c->vm[(ps)->idx].name, prop, ##__VA_ARGS__)

static int prop_cpus(struct vm_parse *ps, const char *prop, const void *v, int len)
{
	struct vm_config *cfg = &ps->c->vm[ps->idx];
	const u8 *cells = v;
	unsigned int i, j, n = (unsigned int)len / 4;

	ps->has_cpus = true;
	if (is_string(v, len) && !strcmp(v, "all")) {
		ps->c->cpus_all[ps->idx] = true;
		return 0;
	}
	if (!len || len % 4) {
		VM_ERR(ps, prop, "must be a list of physical CPU numbers (<0 1>), or \"all\"");
		return -E_INVAL;
	}
	if (n > VM_MAX_VCPUS) {
		VM_ERR(ps, prop, "%u vCPUs, more than the %d a VM can have", n, VM_MAX_VCPUS);
		return -E_INVAL;
	}
	for (i = 0; i < n; i++) {
		u32 cpu = (u32)be_cells(cells + i * 4, 1);

		if (cpu >= PLAT_MAX_CPUS) {
			VM_ERR(ps, prop, "physical CPU %u: Partita supports CPUs 0 to %d", cpu,
			       PLAT_MAX_CPUS - 1);
			return -E_INVAL;
		}
		for (j = 0; j < i; j++) {
			if (cfg->cpus[j] == cpu) {
				VM_ERR(ps, prop, "physical CPU %u is listed twice", cpu);
				return -E_INVAL;
			}
		}
		cfg->cpus[i] = cpu;
	}
	cfg->cpu_count = n;
	return 0;
}

static int prop_memory(struct vm_parse *ps, const char *prop, const void *v, int len)
{
	struct vm_config *cfg = &ps->c->vm[ps->idx];
	u64 base, size;

	if (ps->has_memory) {
		VM_ERR(ps, prop, "a VM has either memory or memory-identity, not both");
		return -E_INVAL;
	}
	ps->has_memory = true;
	if (len != 16) {
		VM_ERR(ps, prop,
		       "must be a 64-bit base and a 64-bit size "
		       "(<0x0 0x40000000 0x0 0x4000000>), not %d bytes",
		       len);
		return -E_INVAL;
	}
	base = be_cells(v, 2);
	size = be_cells((const u8 *)v + 8, 2);
	cfg->ram_identity = !strcmp(prop, "memory-identity");
	if (!size || !IS_ALIGNED(base, SZ_2M) || !IS_ALIGNED(size, SZ_2M)) {
		VM_ERR(ps, prop, "base 0x%lx and size 0x%lx must be non-zero multiples of 2 MiB",
		       base, size);
		return -E_INVAL;
	}
	if (base >= CONFIG_IPA_LIMIT || size > CONFIG_IPA_LIMIT - base) {
		VM_ERR(ps, prop, "0x%lx+0x%lx reaches beyond 2^40, the largest IPA Partita maps",
		       base, size);
		return -E_INVAL;
	}
	cfg->ram_ipa = base;
	cfg->ram_size = size;
	return 0;
}

static int prop_kernel(struct vm_parse *ps, const char *prop, const void *v, int len)
{
	struct vm_config *cfg = &ps->c->vm[ps->idx];

	if (!len) {
		VM_ERR(ps, prop, "is empty");
		return -E_INVAL;
	}
	if (!strcmp(prop, "kernel")) {
		cfg->image = v;
		cfg->image_size = (u64)len;
	} else {
		cfg->initrd = v;
		cfg->initrd_size = (u64)len;
	}
	return 0;
}

/* A property whose value is one of two words; sets *out to 0 for the first, 1 for the second. */
static int one_of(struct vm_parse *ps, const char *prop, const void *v, int len, const char *a,
		  const char *b, unsigned int *out)
{
	if (is_string(v, len) && (!strcmp(v, a) || !strcmp(v, b))) {
		*out = strcmp(v, a) ? 1 : 0;
		return 0;
	}
	VM_ERR(ps, prop, "must be \"%s\" or \"%s\"", a, b);
	return -E_INVAL;
}

static int prop_kernel_format(struct vm_parse *ps, const char *prop, const void *v, int len)
{
	unsigned int raw = 0;
	int err = one_of(ps, prop, v, len, "image", "raw", &raw);

	ps->c->vm[ps->idx].kernel_format = raw ? VM_KERNEL_RAW : VM_KERNEL_IMAGE;
	return err;
}

static int prop_console(struct vm_parse *ps, const char *prop, const void *v, int len)
{
	unsigned int pt = 0;
	int err = one_of(ps, prop, v, len, "emulated", "passthrough", &pt);

	ps->c->vm[ps->idx].console = pt ? VM_CONSOLE_PASSTHROUGH : VM_CONSOLE_EMULATED;
	return err;
}

static int prop_on_crash(struct vm_parse *ps, const char *prop, const void *v, int len)
{
	unsigned int restart = 0;
	int err = one_of(ps, prop, v, len, "stop", "restart", &restart);

	ps->c->vm[ps->idx].on_crash = restart ? VM_ON_CRASH_RESTART : VM_ON_CRASH_STOP;
	return err;
}

static int prop_bootargs(struct vm_parse *ps, const char *prop, const void *v, int len)
{
	if (!is_string(v, len)) {
		VM_ERR(ps, prop, "must be one string");
		return -E_INVAL;
	}
	if (len - 1 > BOOTARGS_MAX) {
		VM_ERR(ps, prop, "%d characters, more than Linux's %d", len - 1, BOOTARGS_MAX);
		return -E_INVAL;
	}
	ps->c->vm[ps->idx].bootargs = v;
	return 0;
}

static int prop_devices(struct vm_parse *ps, const char *prop, const void *v, int len)
{
	struct vm_config *cfg = &ps->c->vm[ps->idx];
	const char *s = v;
	unsigned int n = 0, i;

	if (!is_string_list(v, len)) {
		VM_ERR(ps, prop,
		       "must be a list of host device-tree paths "
		       "(\"/pl031@9010000\", ...)");
		return -E_INVAL;
	}
	for (; s < (const char *)v + len; s += strlen(s) + 1) {
		if (n == VM_MAX_DEVICES) {
			VM_ERR(ps, prop, "more than %d devices", VM_MAX_DEVICES);
			return -E_INVAL;
		}
		if (strlen(s) >= DEVICE_PATH_MAX) {
			VM_ERR(ps, prop, "a path of %zu characters, more than %d", strlen(s),
			       DEVICE_PATH_MAX - 1);
			return -E_INVAL;
		}
		for (i = 0; i < n; i++) {
			if (!strcmp(cfg->devices[i].path, s)) {
				VM_ERR(ps, prop, "%s is listed twice", s);
				return -E_INVAL;
			}
		}
		cfg->devices[n++].path = s;
	}
	cfg->device_count = n;
	return 0;
}

static int prop_test_device(struct vm_parse *ps, const char *prop, const void *v, int len)
{
	(void)v;
	if (len) {
		VM_ERR(ps, prop, "is a flag and takes no value");
		return -E_INVAL;
	}
	ps->c->vm[ps->idx].test_device = true;
	return 0;
}

/* Every property a VM node may have (docs/configuration.md). */
static const struct {
	const char *name;
	int (*parse)(struct vm_parse *ps, const char *prop, const void *v, int len);
} vm_props[] = {
	{ "cpus", prop_cpus },
	{ "memory", prop_memory },
	{ "memory-identity", prop_memory },
	{ "kernel", prop_kernel },
	{ "kernel-format", prop_kernel_format },
	{ "initrd", prop_kernel },
	{ "bootargs", prop_bootargs },
	{ "console", prop_console },
	{ "devices", prop_devices },
	{ "on-crash", prop_on_crash },
	{ "partita,test-device", prop_test_device },
};

/* -- one VM ------------------------------------------------------------------------ */

/*
 * The VM's name is its node name: dtc insists that a "name" property equal
 * the node name, so a separate one could only repeat it.
 */
static int vm_name(struct vm_parse *ps, int node)
{
	struct vm_config *cfg = &ps->c->vm[ps->idx];
	int len = 0;
	const char *n = fdt_get_name(ps->blob, node, &len);

	if (n && len > 0 && len < VM_NAME_MAX && name_ok(n)) {
		memcpy(cfg->name, n, (size_t)len);
		return 0;
	}
	/* Something to name the VM by in the message: as much of it as fits. */
	memcpy(cfg->name, n && len > 0 ? n : "?", n && len > 0 ? MIN((size_t)len, 16) : 2);
	VM_ERR(ps, "name",
	       "the node name is not a usable VM name: 1 to %d letters, digits or "
	       "\"-_.,+@\"",
	       VM_NAME_MAX - 1);
	return -E_INVAL;
}

static int parse_prop(struct vm_parse *ps, int prop)
{
	const char *name;
	int len;
	const void *v = fdt_getprop_by_offset(ps->blob, prop, &name, &len);
	unsigned int i;

	if (!v || !name)
		return -E_INVAL;
	for (i = 0; i < ARRAY_SIZE(vm_props); i++) {
		if (!strcmp(name, vm_props[i].name))
			return vm_props[i].parse(ps, name, v, len);
	}
	VM_ERR(ps, name, "unknown property (docs/configuration.md lists them)");
	return -E_INVAL;
}

/* The checks that need every property of the VM: what is missing, the kernel, the fit. */
static int check_vm(struct vm_parse *ps)
{
	const struct vm_config *cfg = &ps->c->vm[ps->idx];
	struct config_layout l;
	const char *mem = cfg->ram_identity ? "memory-identity" : "memory";
	int err = 0;

	if (!ps->has_cpus) {
		VM_ERR(ps, "cpus", "missing: which physical CPUs run the VM");
		err = -E_INVAL;
	}
	if (!ps->has_memory) {
		VM_ERR(ps, "memory", "missing: give memory or memory-identity");
		err = -E_INVAL;
	}
	if (!cfg->image) {
		VM_ERR(ps, "kernel", "missing");
		return -E_INVAL;
	}
	if (cfg->kernel_format == VM_KERNEL_IMAGE &&
	    !vm_layout_is_image(cfg->image, cfg->image_size)) {
		VM_ERR(ps, "kernel",
		       "not an arm64 Image (no Image magic \"ARMd\" at offset 56); "
		       "for another image, say kernel-format = \"raw\"");
		return -E_INVAL;
	}
	if (err)
		return err;
	if (config_layout(cfg, &l)) {
		VM_ERR(ps, mem,
		       "%lu KiB cannot hold the kernel (%lu KiB in its file, more if its header "
		       "asks), the initrd (%lu KiB) and the device tree (%lu KiB); %lu KiB would",
		       cfg->ram_size >> 10, cfg->image_size >> 10, cfg->initrd_size >> 10,
		       VM_LAYOUT_DTB_MAX >> 10, l.need_ram >> 10);
		return -E_INVAL;
	}
	if (cfg->test_device && overlaps(cfg->ram_ipa, cfg->ram_size, TESTDEV_IPA, TESTDEV_SIZE)) {
		VM_ERR(ps, mem, "0x%lx+0x%lx covers the test device at 0x%lx", cfg->ram_ipa,
		       cfg->ram_size, TESTDEV_IPA);
		return -E_INVAL;
	}
	return 0;
}

static int parse_vm(struct config *c, const char *blob, int node)
{
	struct vm_parse ps = { .c = c, .idx = c->vm_count, .blob = blob };
	int prop, sub, err;

	memset(&c->vm[ps.idx], 0, sizeof(c->vm[ps.idx]));
	err = vm_name(&ps, node);
	fdt_for_each_property_offset (prop, blob, node) {
		if (parse_prop(&ps, prop))
			err = -E_INVAL;
	}
	fdt_for_each_subnode (sub, blob, node) {
		VM_ERR(&ps, fdt_get_name(blob, sub, NULL) ?: "?",
		       "a VM node has properties, not child nodes");
		err = -E_INVAL;
	}
	if (!err)
		err = check_vm(&ps);
	c->refused[ps.idx] = err != 0;
	c->vm_count++;
	return err;
}

/* -- between VMs ------------------------------------------------------------------ */

static bool has_cpu(const struct vm_config *cfg, unsigned int cpu)
{
	unsigned int i;

	for (i = 0; i < cfg->cpu_count; i++) {
		if (cfg->cpus[i] == cpu)
			return true;
	}
	return false;
}

static bool has_device(const struct vm_config *cfg, const char *path)
{
	unsigned int i;

	for (i = 0; i < cfg->device_count; i++) {
		if (!strcmp(cfg->devices[i].path, path))
			return true;
	}
	return false;
}

/* What VM j shares with an earlier VM i, said from j's side: j is refused. */
static bool conflicts(struct config *c, unsigned int i, unsigned int j)
{
	const struct vm_config *a = &c->vm[i], *b = &c->vm[j];
	unsigned int k;

	if (!strcmp(a->name, b->name)) {
		log_err("vm %s: name: two VMs have this name", b->name);
		return true;
	}
	if (c->cpus_all[i] || c->cpus_all[j]) {
		log_err("vm %s: cpus: \"all\" is for a configuration of one VM; vm %s is here "
			"too",
			c->cpus_all[j] ? b->name : a->name, c->cpus_all[j] ? a->name : b->name);
		return true;
	}
	for (k = 0; k < b->cpu_count; k++) {
		if (has_cpu(a, b->cpus[k])) {
			log_err("vm %s: cpus: physical CPU %u is given to vm %s too", b->name,
				b->cpus[k], a->name);
			return true;
		}
	}
	/* RAM at an IPA is each VM's own; only physical addresses can collide. */
	if (a->ram_identity && b->ram_identity &&
	    overlaps(a->ram_ipa, a->ram_size, b->ram_ipa, b->ram_size)) {
		log_err("vm %s: memory-identity: 0x%lx-0x%lx overlaps vm %s's 0x%lx-0x%lx", b->name,
			b->ram_ipa, b->ram_ipa + b->ram_size - 1, a->name, a->ram_ipa,
			a->ram_ipa + a->ram_size - 1);
		return true;
	}
	if (a->console == VM_CONSOLE_PASSTHROUGH && b->console == VM_CONSOLE_PASSTHROUGH) {
		log_err("vm %s: console: the UART is passed through to vm %s already", b->name,
			a->name);
		return true;
	}
	for (k = 0; k < b->device_count; k++) {
		if (has_device(a, b->devices[k].path)) {
			log_err("vm %s: devices: %s is given to vm %s too", b->name,
				b->devices[k].path, a->name);
			return true;
		}
	}
	return false;
}

static void check_between(struct config *c)
{
	unsigned int i, j;

	for (j = 1; j < c->vm_count; j++) {
		for (i = 0; i < j && !c->refused[j]; i++)
			c->refused[j] = conflicts(c, i, j);
	}
}

/* -- the blob --------------------------------------------------------------------- */

static int check_blob(const void *blob, u64 size)
{
	if (size < sizeof(struct fdt_header) || fdt_magic(blob) != FDT_MAGIC) {
		log_err("config: not a Partita configuration: no device-tree magic (a blob "
			"compiled by dtc from a .dts with compatible \"" COMPATIBLE
			"\" is expected)");
		return -E_INVAL;
	}
	if (fdt_totalsize(blob) > size) {
		log_err("config: the device tree says %u bytes, but only %lu were passed",
			fdt_totalsize(blob), size);
		return -E_INVAL;
	}
	/* Older versions crash Debian's libfdt 1.6.1 fdt_check_full() (see platform/fdt.c). */
	if (fdt_version(blob) < 16) {
		log_err("config: device-tree version %u; Partita reads version 16 and later (what "
			"dtc writes)",
			fdt_version(blob));
		return -E_INVAL;
	}
	if (fdt_check_full(blob, fdt_totalsize(blob))) {
		log_err("config: not a sound device tree (libfdt: %s)",
			fdt_strerror(fdt_check_full(blob, fdt_totalsize(blob))));
		return -E_INVAL;
	}
	if (fdt_node_check_compatible(blob, 0, COMPATIBLE)) {
		log_err("config: a device tree, but not a Partita configuration: its root is not "
			"compatible with \"" COMPATIBLE "\"");
		return -E_INVAL;
	}
	return 0;
}

/* Root properties dtc or a user may well write; anything else is a mistake. */
static int check_root_props(const void *blob)
{
	static const char *const known[] = { "compatible", "model", "#address-cells",
					     "#size-cells" };
	const char *name;
	int prop;
	unsigned int i;

	fdt_for_each_property_offset (prop, blob, 0) {
		if (!fdt_getprop_by_offset(blob, prop, &name, NULL) || !name)
			return -E_INVAL;
		for (i = 0; i < ARRAY_SIZE(known) && strcmp(name, known[i]); i++)
			;
		if (i == ARRAY_SIZE(known)) {
			log_err("config: /: %s: unknown property; VMs are the root's child nodes",
				name);
			return -E_INVAL;
		}
	}
	return 0;
}

int config_parse(const void *blob, u64 size, struct config *out)
{
	int node, count = 0;

	memset(out, 0, sizeof(*out));
	if (size >= CONFIG_HEADER_SIZE && !memcmp(blob, CONFIG_HEADER, CONFIG_HEADER_SIZE)) {
		blob = (const u8 *)blob + CONFIG_HEADER_SIZE;
		size -= CONFIG_HEADER_SIZE;
	}
	if (check_blob(blob, size) || check_root_props(blob))
		return -E_INVAL;
	fdt_for_each_subnode (node, blob, 0) {
		count++;
	}
	if (!count || count > VM_MAX) {
		log_err("config: %d VMs: a configuration has 1 to %d", count, VM_MAX);
		return -E_INVAL;
	}
	fdt_for_each_subnode (node, blob, 0) {
		parse_vm(out, blob, node);
	}
	check_between(out);
	return 0;
}

unsigned int config_usable(const struct config *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->vm_count; i++)
		n += !c->refused[i];
	return n;
}
