/*
 * Where the boot loader put things, checked against the machine it
 * described: the FDT and the initrd must be in RAM and clear of Partita and
 * of memory no one may touch, and the console UART must not be memory.
 * Every refusal is one line naming both ranges.
 */
#include "platform/platform.h"

#include "lib/log.h"

static bool overlaps(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

bool platform_in_ram(const struct platform *p, u64 base, u64 size)
{
	u64 end = base + size, at = base;
	unsigned int i;

	if (!size || end < base)
		return false;
	/* p->mem is sorted and disjoint: follow touching ranges from base on. */
	for (i = 0; i < p->mem_count && at < end; i++) {
		u64 b = p->mem[i].base, e = b + p->mem[i].size;

		if (b <= at && at < e)
			at = e;
	}
	return at >= end;
}

/* The first no-map reserved region [base, base+size) overlaps, or NULL. */
static const struct plat_reserved *no_map_hit(const struct platform *p, u64 base, u64 size)
{
	unsigned int i;

	for (i = 0; i < p->reserved_count; i++) {
		const struct plat_reserved *r = &p->reserved[i];

		if (r->no_map && overlaps(base, size, r->base, r->size))
			return r;
	}
	return NULL;
}

static int check_initrd(const struct platform *p, u64 image_base, u64 image_size)
{
	u64 b = p->initrd.base, e = p->initrd.base + p->initrd.size - 1;
	const struct plat_reserved *r;

	if (!platform_in_ram(p, p->initrd.base, p->initrd.size)) {
		log_err("initrd 0x%lx-0x%lx (/chosen/linux,initrd-*) is not inside the RAM the "
			"memory nodes describe",
			b, e);
		return -E_INVAL;
	}
	if (overlaps(p->initrd.base, p->initrd.size, image_base, image_size)) {
		log_err("initrd 0x%lx-0x%lx (/chosen/linux,initrd-*) overlaps Partita's own "
			"image at 0x%lx-0x%lx",
			b, e, image_base, image_base + image_size - 1);
		return -E_INVAL;
	}
	if (overlaps(p->initrd.base, p->initrd.size, p->fdt.base, p->fdt.size)) {
		log_err("initrd 0x%lx-0x%lx (/chosen/linux,initrd-*) overlaps the device tree at "
			"0x%lx-0x%lx",
			b, e, p->fdt.base, p->fdt.base + p->fdt.size - 1);
		return -E_INVAL;
	}
	r = no_map_hit(p, p->initrd.base, p->initrd.size);
	if (r) {
		log_err("initrd 0x%lx-0x%lx (/chosen/linux,initrd-*) overlaps the no-map reserved "
			"region 0x%lx-0x%lx",
			b, e, r->base, r->base + r->size - 1);
		return -E_INVAL;
	}
	return 0;
}

unsigned int platform_gic_frames(const struct plat_gic *g, struct plat_gic_frame *f)
{
	/*
	 * Minimum sizes: IHI 0069 (GICD 64 KiB; an RD_base and an SGI_base
	 * frame per redistributor) and the GIC-400 TRM (GICC and GICV 8 KiB,
	 * GICH 4 KiB).
	 */
	f[0] = (struct plat_gic_frame){ "distributor (GICD)", &g->dist, 0x10000 };
	if (g->version == 3) {
		unsigned int i, n = MAX(g->redist_count, 1U);

		for (i = 0; i < n && i < PLAT_MAX_REDIST_REGIONS; i++)
			f[1 + i] = (struct plat_gic_frame){ "redistributor region (GICR)",
							    &g->redists[i], 0x20000 };
		return 1 + i;
	}
	f[1] = (struct plat_gic_frame){ "CPU interface (GICC)", &g->cpu, 0x2000 };
	f[2] = (struct plat_gic_frame){ "virtual interface control (GICH)", &g->hyp, 0x1000 };
	f[3] = (struct plat_gic_frame){ "virtual CPU interface (GICV)", &g->vcpu, 0x2000 };
	return 4;
}

/* A GIC frame over Partita's image: mapping it as a device would unmap Partita. */
static int check_gic_clear_of_image(const struct platform *p, u64 image_base, u64 image_size)
{
	struct plat_gic_frame f[PLAT_GIC_MAX_FRAMES];
	unsigned int i, n = platform_gic_frames(&p->gic, f);

	for (i = 0; i < n; i++) {
		if (overlaps(f[i].reg->base, f[i].reg->size, image_base, image_size)) {
			log_err("fdt: GIC %s 0x%lx-0x%lx overlaps Partita's own image at "
				"0x%lx-0x%lx",
				f[i].name, f[i].reg->base, f[i].reg->base + f[i].reg->size - 1,
				image_base, image_base + image_size - 1);
			return -E_INVAL;
		}
	}
	return 0;
}

int platform_check_placement(const struct platform *p, u64 image_base, u64 image_size)
{
	if (check_gic_clear_of_image(p, image_base, image_size))
		return -E_INVAL;
	if (!platform_in_ram(p, p->fdt.base, p->fdt.size)) {
		log_err("fdt: the device tree at 0x%lx-0x%lx (x0 at entry, totalsize %lu) is not "
			"inside the RAM its memory nodes describe",
			p->fdt.base, p->fdt.base + p->fdt.size - 1, p->fdt.size);
		return -E_INVAL;
	}
	if (p->has_initrd)
		return check_initrd(p, image_base, image_size);
	return 0;
}

/* The GIC frame the UART's registers overlap, or NULL. */
static const char *uart_on_gic(const struct platform *p)
{
	struct plat_gic_frame f[PLAT_GIC_MAX_FRAMES];
	unsigned int i, n = platform_gic_frames(&p->gic, f);

	for (i = 0; i < n; i++) {
		if (overlaps(p->uart.reg.base, MAX(p->uart.reg.size, 1), f[i].reg->base,
			     f[i].reg->size))
			return f[i].name;
	}
	return NULL;
}

void platform_check_uart(struct platform *p, u64 image_base, u64 image_size)
{
	const struct plat_range *u = &p->uart.reg;
	const char *gic;
	unsigned int i;
	bool ram = false;

	if (p->uart.kind == UART_NONE)
		return;
	/* Checked first: the overlap tests below compute base + size. */
	if (u->size > PLAT_EL2_MAP_LIMIT || u->base > PLAT_EL2_MAP_LIMIT - MAX(u->size, 1)) {
		log_warn("fdt: %s: reg (base 0x%lx, size 0x%lx) %s; keeping the built-in console",
			 p->uart.path, u->base, u->size,
			 u->size > ~0UL - u->base ? "wraps around the end of the address space"
						  : "lies beyond the 48-bit EL2 map");
		p->uart.kind = UART_NONE;
		return;
	}
	gic = uart_on_gic(p);
	if (gic) {
		log_warn("fdt: %s: reg 0x%lx-0x%lx overlaps the GIC %s, not a UART; keeping the "
			 "built-in console",
			 p->uart.path, u->base, u->base + MAX(u->size, 1) - 1, gic);
		p->uart.kind = UART_NONE;
		return;
	}
	for (i = 0; i < p->mem_count; i++)
		ram = ram || overlaps(u->base, MAX(u->size, 1), p->mem[i].base, p->mem[i].size);
	if (ram || overlaps(u->base, MAX(u->size, 1), image_base, image_size)) {
		log_warn("fdt: %s: reg 0x%lx-0x%lx overlaps %s, not a UART; keeping the built-in "
			 "console",
			 p->uart.path, u->base, u->base + MAX(u->size, 1) - 1,
			 ram ? "RAM" : "Partita's own image");
		p->uart.kind = UART_NONE;
	}
}
