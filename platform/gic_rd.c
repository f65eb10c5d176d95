#include "platform/gic_rd.h"

u32 gic_rd_affinity(u64 mpidr)
{
	return (u32)(((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff));
}

/* One region: Last ends it, and so does its end (a region may lack Last). */
static u64 find_in_region(const struct plat_range *r, u32 aff, gic_rd_read_typer read_typer)
{
	u64 off = 0;

	while (r->size >= GICR_FRAMES_SIZE && off <= r->size - GICR_FRAMES_SIZE) {
		u64 rd = r->base + off, typer = read_typer(rd);

		if ((u32)(typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		off += (typer & GICR_TYPER_VLPIS) ? GICR_FRAMES_SIZE_VLPI : GICR_FRAMES_SIZE;
	}
	return 0;
}

u64 gic_rd_find(const struct plat_range *regions, unsigned int count, u64 mpidr,
		gic_rd_read_typer read_typer)
{
	u32 aff = gic_rd_affinity(mpidr);

	for (unsigned int i = 0; i < count; i++) {
		u64 rd = find_in_region(&regions[i], aff, read_typer);

		if (rd)
			return rd;
	}
	return 0;
}
