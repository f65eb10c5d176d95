/* Device register access: single-copy-atomic loads and stores the compiler cannot merge. */
#ifndef ARCH_MMIO_H
#define ARCH_MMIO_H

#include "arch/types.h"

/** Reads the 32-bit device register at addr. */
static inline u32 mmio_read32(u64 addr)
{
	return *(volatile u32 *)addr;
}

/** Writes v to the 32-bit device register at addr. */
static inline void mmio_write32(u64 addr, u32 v)
{
	*(volatile u32 *)addr = v;
}

/** Reads the 64-bit device register at addr. */
static inline u64 mmio_read64(u64 addr)
{
	return *(volatile u64 *)addr;
}

/** Writes v to the 64-bit device register at addr. */
static inline void mmio_write64(u64 addr, u64 v)
{
	*(volatile u64 *)addr = v;
}

/** Reads the 8-bit device register at addr. */
static inline u8 mmio_read8(u64 addr)
{
	return *(volatile u8 *)addr;
}

/** Writes v to the 8-bit device register at addr. */
static inline void mmio_write8(u64 addr, u8 v)
{
	*(volatile u8 *)addr = v;
}

#endif
