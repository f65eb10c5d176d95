/*
 * Finding a CPU's GICv3 redistributor among the frames of every region the
 * FDT gives: pure logic, the register read passed in, so that the walk is
 * unit-tested on the host against fake frames.
 */
#ifndef PLATFORM_GIC_RD_H
#define PLATFORM_GIC_RD_H

#include "platform/platform.h"

#define GICR_TYPER 0x0008
#define GICR_TYPER_VLPIS BIT(1)
#define GICR_TYPER_LAST BIT(4)
#define GICR_FRAMES_SIZE 0x20000 /* RD_base + SGI_base */
#define GICR_FRAMES_SIZE_VLPI 0x40000 /* + VLPI_base and a reserved frame (GICv4) */

/** Reads the 64-bit GICR_TYPER of the redistributor whose RD_base is at addr. */
typedef u64 (*gic_rd_read_typer)(u64 addr);

/**
 * The affinity value GICR_TYPER[63:32] holds for a CPU:
 * Aff3.Aff2.Aff1.Aff0 from MPIDR_EL1.
 */
u32 gic_rd_affinity(u64 mpidr);

/**
 * Walks the redistributors of each of the count regions in turn, from the
 * region's base, frame by frame (two 64 KiB frames each, four with
 * GICR_TYPER.VLPIS), until GICR_TYPER.Last or the region's end, and returns
 * the RD_base of the one whose affinity is mpidr's; 0 if none is.
 * A frame that does not fit wholly in its region is never read.
 */
u64 gic_rd_find(const struct plat_range *regions, unsigned int count, u64 mpidr,
		gic_rd_read_typer read_typer);

#endif
