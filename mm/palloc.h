/*
 * The physical page allocator: free memory kept as a sorted list of
 * page-aligned ranges. Pure bookkeeping, it never touches the memory it
 * manages, so the host unit tests exercise it as is.
 */
#ifndef MM_PALLOC_H
#define MM_PALLOC_H

#include "arch/types.h"

#define PALLOC_MAX_RANGES 64

/** Forgets everything: no memory is free. */
void palloc_reset(void);

/**
 * Adds [base, base+size) to the free memory, trimmed inward to whole pages
 * (and cut at the top of the address space if it would wrap). Ranges that
 * overlap what is already free merge with it: no page is ever free twice.
 * Returns 0, or -E_NOMEM when the range table is full.
 */
int palloc_add(paddr_t base, u64 size);

/**
 * Removes [base, base+size), widened outward to whole pages (up to the top
 * of the address space if it would wrap), from the free memory wherever it
 * overlaps, across as many free ranges as it spans. Returns 0, or -E_NOMEM when a split needs a
 * range slot and none is left.
 */
int palloc_exclude(paddr_t base, u64 size);

/**
 * Allocates size bytes (rounded up to pages) aligned to align (a power of
 * two, at least a page). Returns true and sets *out, or false when no free
 * range can hold it.
 */
bool palloc_alloc(u64 size, u64 align, paddr_t *out);

/**
 * Takes exactly [base, base+size) (page-aligned, size not zero) out of the
 * free memory, for RAM that must sit at a given physical address (a VM's
 * identity-mapped RAM). Returns 0; -E_BUSY when any page of it is not free
 * (Partita's own, another VM's, reserved, or no RAM at all), nothing taken;
 * -E_INVAL for a range not page-aligned, empty or wrapping.
 */
int palloc_claim(paddr_t base, u64 size);

/** Returns [base, base+size) to the free memory. */
int palloc_free(paddr_t base, u64 size);

/** Bytes currently free. */
u64 palloc_free_bytes(void);

/**
 * The size of the largest block palloc_alloc could hand out at alignment
 * align (a power of two; below a page means a page): the longest run of free
 * memory from an align-aligned start. 0 when there is none, or align is not
 * a power of two. Says how split the free memory is when an allocation fails.
 */
u64 palloc_largest(u64 align);

#endif
