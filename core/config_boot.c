/*
 * The configuration at boot: the blob the boot loader passed as the
 * initrd, parsed and checked against this machine by the parser the host
 * tool runs too (core/config.c). A VM that fails a check is not started;
 * the others are.
 */
#include <string.h>

#include "core/config.h"
#include "core/smp.h"
#include "lib/log.h"
#include "mm/palloc.h"

extern char __image_start[], __image_end[];

static u32 online_cpus(const struct platform *p)
{
	u32 mask = 0;
	unsigned int c;

	for (c = 0; c < p->cpu_count && c < PLAT_MAX_CPUS; c++) {
		if (!smp_offline_reason(c))
			mask |= 1U << c;
	}
	return mask;
}

/*
 * Identity RAM is taken from the allocator before any VM is built, so no
 * other VM's memory or table can land in it. The checks made sure it is
 * RAM that Partita does not keep; what can still be in it is a page the
 * allocator already gave out (EL2 tables, stacks).
 */
static void claim_identity(struct config *c)
{
	unsigned int v;

	for (v = 0; v < c->vm_count; v++) {
		const struct vm_config *cfg = &c->vm[v];

		if (c->refused[v] || !cfg->ram_identity ||
		    palloc_claim(pa_init(cfg->ram_ipa), cfg->ram_size))
			continue;
		log_err("vm %s: memory-identity: 0x%lx-0x%lx is not free: Partita already uses "
			"some of it",
			cfg->name, cfg->ram_ipa, cfg->ram_ipa + cfg->ram_size - 1);
		c->refused[v] = true;
	}
}

int config_boot(const struct platform *p, const void *host_fdt, struct config *c)
{
	struct config_machine m = {
		.plat = p,
		.fdt = host_fdt,
		.hyp = { (u64)__image_start, (u64)__image_end - (u64)__image_start },
		.online = online_cpus(p),
	};

	memset(c, 0, sizeof(*c));
	if (!p->has_initrd) {
		log_info("no VM configured: idling");
		return 0;
	}
	if (config_parse((const void *)p->initrd.base, p->initrd.size, c)) {
		log_err("config: the initrd at 0x%lx-0x%lx is refused: no VM started",
			p->initrd.base, p->initrd.base + p->initrd.size - 1);
		return -E_INVAL;
	}
	config_check_machine(c, &m);
	claim_identity(c);
	return 0;
}
