/*
 * VMSAv8-64 translation tables with the 4 KiB granule, for both of
 * Partita's regimes: EL2 stage 1 (the hypervisor's own map) and stage 2 (a
 * VM's IPA space). The walker is shared; attributes and TLB maintenance come
 * from the caller, so the host unit tests run it with fakes.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include "arch/types.h"

/* Descriptor type bits. */
#define PTE_VALID BIT(0)
#define PTE_TABLE BIT(1) /* levels 0-2: next-level table; level 3: page */
#define PTE_TYPE_MASK 3UL
#define PTE_TYPE_BLOCK 1UL
#define PTE_ADDR_MASK GENMASK(47, 12)

/* Leaf attributes common to both stages (Arm ARM D8.3). */
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF BIT(10)
#define PTE_XN BIT(54)

/* Stage 1 (EL2 regime): AttrIndx selects a MAIR_EL2 slot; AP[1] is RES1. */
#define PTE_S1_ATTRINDX(i) ((u64)(i) << 2)
#define PTE_S1_AP_RES1 BIT(6)
#define PTE_S1_AP_RO BIT(7)

/* Stage 2: MemAttr is the memory type itself; S2AP grants read and write. */
#define PTE_S2_MEMATTR_DEVICE_nGnRE (1UL << 2)
#define PTE_S2_MEMATTR_NORMAL_WB (0xfUL << 2)
#define PTE_S2_S2AP_R BIT(6)
#define PTE_S2_S2AP_W BIT(7)

/* The attribute bits a caller may pass for a leaf. */
#define PTE_ATTR_MASK (GENMASK(11, 2) | GENMASK(63, 51))

struct pgtable;

/**
 * What a table walker needs from the regime that owns it: where table pages
 * come from and go to, how to reach them, how to make a change visible.
 */
struct pgtable_ops {
	/** Returns n zeroed, contiguous table pages aligned to n pages, or false. */
	bool (*alloc_tables)(unsigned int n, paddr_t *out);
	void (*free_tables)(paddr_t pa, unsigned int n);
	/** Where the hypervisor can access the table at pa. */
	u64 *(*table_va)(paddr_t pa);
	/**
	 * Makes a change to [ia, ia+size) visible: barriers and TLB
	 * invalidation. With size 0 only new entries over invalid ones were
	 * written, which needs a barrier but no invalidation.
	 */
	void (*tlb_inval)(const struct pgtable *pt, u64 ia, u64 size);
};

/** A translation table: its root, its shape, and the regime's operations. */
struct pgtable {
	paddr_t root;
	unsigned int start_level; /* 0..2 */
	unsigned int ia_bits; /* input address size */
	unsigned int root_tables; /* concatenated root tables (stage 2 only) */
	const struct pgtable_ops *ops;
	void *owner; /* for ops that need it, such as the VMID */
};

/**
 * Sets up an empty table for ia_bits of input address. The start level and
 * the number of concatenated root tables follow from ia_bits (the fewest
 * levels; stage 2 may concatenate up to 16 roots, stage 1 none). Returns 0,
 * -E_RANGE for an unsupported size, or -E_NOMEM.
 */
int pgtable_init(struct pgtable *pt, unsigned int ia_bits, bool stage2,
		 const struct pgtable_ops *ops, void *owner);

/** Frees every table, including the root. Nothing may use pt afterwards. */
void pgtable_destroy(struct pgtable *pt);

/**
 * Maps [ia, ia+size) to [pa, pa+size) with the leaf attributes attrs, using
 * the largest blocks the alignment allows. Replaces existing mappings with
 * break-before-make. Returns 0, -E_INVAL for unaligned arguments, -E_RANGE
 * beyond the input size, or -E_NOMEM (the range may then be partly mapped).
 */
int pgtable_map(struct pgtable *pt, u64 ia, paddr_t pa, u64 size, u64 attrs);

/** Unmaps [ia, ia+size), splitting blocks as needed. Returns 0 or as pgtable_map. */
int pgtable_unmap(struct pgtable *pt, u64 ia, u64 size);

/**
 * Translates ia. Returns true with the output address, the leaf's attribute
 * bits and its level, or false when ia is not mapped.
 */
bool pgtable_translate(const struct pgtable *pt, u64 ia, paddr_t *pa, u64 *attrs,
		       unsigned int *level);

/** Size covered by one entry at level (4 KiB granule). */
static inline u64 pgtable_level_size(unsigned int level)
{
	return 1UL << (12 + 9 * (3 - level));
}

#endif
