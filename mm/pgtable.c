#include "mm/pgtable.h"

#define ENTRIES 512

static unsigned int index_of(u64 ia, unsigned int level)
{
	return (unsigned int)((ia >> (12 + 9 * (3 - level))) & (ENTRIES - 1));
}

static bool is_table(u64 pte, unsigned int level)
{
	return level < 3 && (pte & PTE_TYPE_MASK) == (PTE_VALID | PTE_TABLE);
}

static u64 leaf(u64 pa, u64 attrs, unsigned int level)
{
	return (pa & PTE_ADDR_MASK) | (attrs & PTE_ATTR_MASK) |
	       (level == 3 ? PTE_VALID | PTE_TABLE : PTE_TYPE_BLOCK);
}

int pgtable_init(struct pgtable *pt, unsigned int ia_bits, bool stage2,
		 const struct pgtable_ops *ops, void *owner)
{
	unsigned int bits_at_root;

	if (ia_bits < 25 || ia_bits > 48)
		return -E_RANGE;
	pt->ia_bits = ia_bits;
	pt->ops = ops;
	pt->owner = owner;
	/*
	 * Level 0 resolves bits 47:39, level 1 bits 38:30, level 2 bits 29:21.
	 * Stage 2 may start one level lower with up to 16 concatenated root
	 * tables (Arm ARM D8.2.7), which saves a level of walk.
	 */
	pt->start_level = ia_bits > 39 ? 0 : ia_bits > 30 ? 1 : 2;
	if (stage2 && pt->start_level < 2 && ia_bits <= 39 + 4 - 9 * pt->start_level)
		pt->start_level++;
	bits_at_root = ia_bits - (12 + 9 * (3 - pt->start_level));
	pt->root_tables = bits_at_root > 9 ? 1U << (bits_at_root - 9) : 1;
	if (!ops->alloc_tables(pt->root_tables, &pt->root))
		return -E_NOMEM;
	return 0;
}

static void free_level(struct pgtable *pt, paddr_t table, unsigned int level, unsigned int n)
{
	u64 *t = pt->ops->table_va(table);
	unsigned int i;

	for (i = 0; i < n * ENTRIES; i++) {
		if (is_table(t[i], level))
			free_level(pt, pa_init(t[i] & PTE_ADDR_MASK), level + 1, 1);
	}
	pt->ops->free_tables(table, n);
}

void pgtable_destroy(struct pgtable *pt)
{
	free_level(pt, pt->root, pt->start_level, pt->root_tables);
}

/* The entry for ia in the root table (the roots act as one larger table). */
static u64 *root_entry(const struct pgtable *pt, u64 ia)
{
	u64 shift = 12 + 9 * (3 - pt->start_level);

	return pt->ops->table_va(pt->root) + ((ia >> shift) & (ENTRIES * pt->root_tables - 1));
}

/*
 * Replaces a valid entry. Break-before-make (Arm ARM D8.16.1): the old entry
 * must be invalid and its TLB entries gone before the new one is written, or
 * two translations for one address could be live at once.
 */
static void replace(struct pgtable *pt, u64 *pte, u64 new, u64 ia, unsigned int level)
{
	if (*pte & PTE_VALID) {
		*pte = 0;
		pt->ops->tlb_inval(pt, ALIGN_DOWN(ia, pgtable_level_size(level)),
				   pgtable_level_size(level));
	}
	*pte = new;
}

/* Makes *pte a table: allocates one, splitting a block into equal pieces. */
static int descend(struct pgtable *pt, u64 *pte, u64 ia, unsigned int level, u64 **next)
{
	u64 old = *pte, step = pgtable_level_size(level + 1);
	paddr_t table;
	u64 *t;

	if (is_table(old, level)) {
		*next = pt->ops->table_va(pa_init(old & PTE_ADDR_MASK));
		return 0;
	}
	if (!pt->ops->alloc_tables(1, &table))
		return -E_NOMEM;
	t = pt->ops->table_va(table);
	if (old & PTE_VALID) {
		for (unsigned int i = 0; i < ENTRIES; i++)
			t[i] = leaf((old & PTE_ADDR_MASK) + i * step, old, level + 1);
	}
	/* The new table's contents must be visible to walkers before the link is. */
	pt->ops->tlb_inval(pt, 0, 0);
	replace(pt, pte, pa_addr(table) | PTE_VALID | PTE_TABLE, ia, level);
	*next = t;
	return 0;
}

static bool leaf_allowed(unsigned int level)
{
	/* 4 KiB granule: 1 GiB blocks at level 1, 2 MiB at 2, pages at 3; none at 0. */
	return level >= 1;
}

/*
 * Maps or (with map false) unmaps [ia, end) within the table at this level.
 * Each entry is either handled whole or split into the next level.
 */
static int walk_change(struct pgtable *pt, u64 *table, unsigned int level, u64 ia, u64 end, u64 pa,
		       u64 attrs, bool map)
{
	u64 size = pgtable_level_size(level);

	while (ia < end) {
		u64 *pte =
			level == pt->start_level ? root_entry(pt, ia) : &table[index_of(ia, level)];
		u64 next_ia = ALIGN_DOWN(ia, size) + size;
		u64 chunk_end = MIN(next_ia, end);
		u64 *next;
		int err;

		if (IS_ALIGNED(ia, size) && chunk_end - ia == size && leaf_allowed(level) &&
		    (!map || IS_ALIGNED(pa, size))) {
			u64 old = *pte, new = map ? leaf(pa, attrs, level) : 0;

			if (old != new) {
				replace(pt, pte, new, ia, level);
				/* The TLB no longer holds walks through it: free the old table. */
				if (is_table(old, level))
					free_level(pt, pa_init(old & PTE_ADDR_MASK), level + 1, 1);
			}
		} else if (!map && !(*pte & PTE_VALID)) {
			/* Nothing mapped here: nothing to unmap. */
		} else {
			err = descend(pt, pte, ia, level, &next);
			if (err)
				return err;
			err = walk_change(pt, next, level + 1, ia, chunk_end, pa, attrs, map);
			if (err)
				return err;
		}
		pa += chunk_end - ia;
		ia = chunk_end;
	}
	return 0;
}

static int check_range(const struct pgtable *pt, u64 ia, u64 size)
{
	if (!IS_ALIGNED(ia, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) || !size)
		return -E_INVAL;
	if (ia + size < ia || ia + size > (1UL << pt->ia_bits))
		return -E_RANGE;
	return 0;
}

int pgtable_map(struct pgtable *pt, u64 ia, paddr_t pa, u64 size, u64 attrs)
{
	int err = check_range(pt, ia, size);

	if (err)
		return err;
	/* The output range must fit the 48 bits a descriptor holds, without wrapping. */
	if (!IS_ALIGNED(pa_addr(pa), PAGE_SIZE) || pa_addr(pa) + size < pa_addr(pa) ||
	    pa_addr(pa) + size > (1UL << 48))
		return -E_INVAL;
	err = walk_change(pt, NULL, pt->start_level, ia, ia + size, pa_addr(pa), attrs | PTE_AF,
			  true);
	/* New entries over invalid ones need no TLBI, but must be visible to the walker. */
	pt->ops->tlb_inval(pt, 0, 0);
	return err;
}

int pgtable_unmap(struct pgtable *pt, u64 ia, u64 size)
{
	int err = check_range(pt, ia, size);

	if (err)
		return err;
	return walk_change(pt, NULL, pt->start_level, ia, ia + size, 0, 0, false);
}

bool pgtable_translate(const struct pgtable *pt, u64 ia, paddr_t *pa, u64 *attrs,
		       unsigned int *level)
{
	unsigned int l = pt->start_level;
	u64 pte;

	if (ia >= (1UL << pt->ia_bits))
		return false;
	pte = *root_entry(pt, ia);
	while (is_table(pte, l)) {
		l++;
		pte = pt->ops->table_va(pa_init(pte & PTE_ADDR_MASK))[index_of(ia, l)];
	}
	if (!(pte & PTE_VALID))
		return false;
	*pa = pa_init((pte & PTE_ADDR_MASK) + (ia & (pgtable_level_size(l) - 1)));
	if (attrs)
		*attrs = pte & PTE_ATTR_MASK;
	if (level)
		*level = l;
	return true;
}
