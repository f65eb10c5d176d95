/*
 * The built-in VM table, until the device-tree configuration lands. The
 * guest image is the initrd the boot loader passed; by default one VM gets
 * every CPU, and "partita.vms=2" in the hypervisor's bootargs splits the
 * CPUs between two VMs running the same image. Guests get the rest of the
 * hypervisor's bootargs as theirs.
 */
#include <libfdt.h>
#include <string.h>

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

static size_t token_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ')
		n++;
	return n;
}

/* Whether the space-separated args contain exactly the word w. */
static bool has_word(const char *args, const char *w)
{
	size_t n = strlen(w);

	for (; *args; args += token_len(args)) {
		while (*args == ' ')
			args++;
		if (token_len(args) == n && !strncmp(args, w, n))
			return true;
	}
	return false;
}

/* The bootargs without Partita's own "partita.*" words: those are the guests'. */
static const char *guest_bootargs(const char *args)
{
	static char out[256];
	size_t len = 0, n;

	for (; *args; args += n) {
		while (*args == ' ')
			args++;
		n = token_len(args);
		if (!n || !strncmp(args, "partita.", 8))
			continue;
		if (len + n + 2 > sizeof(out)) {
			log_warn("vm config: guest bootargs longer than %zu characters; the rest, "
				 "from \"%s\", is left out",
				 sizeof(out) - 1, args);
			break;
		}
		if (len)
			out[len++] = ' ';
		memcpy(out + len, args, n);
		len += n;
	}
	out[len] = '\0';
	return out;
}

int vm_builtin_configs(const struct platform *p, const void *host_fdt, struct vm_config *out,
		       unsigned int max)
{
	const char *args = host_bootargs(host_fdt);
	unsigned int count = has_word(args, "partita.vms=2") ? 2 : 1;
	unsigned int per_vm, i, c;

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
		cfg->cpu_count = per_vm;
		for (c = 0; c < per_vm; c++)
			cfg->cpus[c] = i * per_vm + c;
		cfg->ram_ipa = BUILTIN_RAM_IPA;
		cfg->ram_size = BUILTIN_RAM_SIZE;
		cfg->image = (const void *)p->initrd.base;
		cfg->image_size = p->initrd.size;
		cfg->bootargs = guest_bootargs(args);
		cfg->test_device = true;
	}
	return (int)count;
}
