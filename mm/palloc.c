#include "mm/palloc.h"

#include "arch/spinlock.h"

/* Lock order: palloc's lock is a leaf; nothing is called while holding it. */
static struct spinlock lock = SPINLOCK_INIT;
static struct {
	u64 base;
	u64 end;
} ranges[PALLOC_MAX_RANGES];
static unsigned int range_count;

void palloc_reset(void)
{
	range_count = 0;
}

static void remove_at(unsigned int i)
{
	for (; i + 1 < range_count; i++)
		ranges[i] = ranges[i + 1];
	range_count--;
}

static int insert_at(unsigned int i, u64 base, u64 end)
{
	unsigned int j;

	if (range_count == PALLOC_MAX_RANGES)
		return -E_NOMEM;
	for (j = range_count; j > i; j--)
		ranges[j] = ranges[j - 1];
	ranges[i].base = base;
	ranges[i].end = end;
	range_count++;
	return 0;
}

/*
 * Inserts [base, end) in order, merged with every range it overlaps or
 * touches, so the table stays sorted and disjoint whatever the caller adds:
 * a page added twice (a repeated memory node, a double free) is still one
 * page, and palloc_exclude only ever has one copy of it to remove.
 */
static int add_locked(u64 base, u64 end)
{
	unsigned int i = 0, j;

	while (i < range_count && ranges[i].end < base)
		i++;
	for (j = i; j < range_count && ranges[j].base <= end; j++) {
		base = MIN(base, ranges[j].base);
		end = MAX(end, ranges[j].end);
	}
	if (j == i)
		return insert_at(i, base, end);
	ranges[i].base = base;
	ranges[i].end = end;
	for (; j > i + 1; j--)
		remove_at(i + 1);
	return 0;
}

/* base + size, or the top of the address space when that wraps. */
static u64 end_of(u64 base, u64 size)
{
	return size > ~0UL - base ? ~0UL : base + size;
}

int palloc_add(paddr_t base, u64 size)
{
	u64 b = ALIGN_UP(pa_addr(base), PAGE_SIZE);
	u64 e = ALIGN_DOWN(end_of(pa_addr(base), size), PAGE_SIZE);
	int err = 0;

	if (b < pa_addr(base) || e <= b)
		return 0;
	spin_lock(&lock);
	err = add_locked(b, e);
	spin_unlock(&lock);
	return err;
}

static int exclude_locked(u64 b, u64 e)
{
	unsigned int i = 0;

	while (i < range_count) {
		u64 rb = ranges[i].base, re = ranges[i].end;

		if (re <= b || rb >= e) {
			i++;
			continue;
		}
		if (rb < b && re > e) {
			/* The hole is inside this range: split it in two. */
			if (range_count == PALLOC_MAX_RANGES)
				return -E_NOMEM;
			ranges[i].end = b;
			return insert_at(i + 1, e, re);
		}
		if (rb < b) {
			ranges[i].end = b;
			i++;
		} else if (re > e) {
			ranges[i].base = e;
			i++;
		} else {
			remove_at(i);
		}
	}
	return 0;
}

int palloc_exclude(paddr_t base, u64 size)
{
	u64 b = ALIGN_DOWN(pa_addr(base), PAGE_SIZE);
	u64 e = end_of(pa_addr(base), size);
	int err;

	/* A range reaching into the top page excludes up to the top, never wraps to 0. */
	e = e > ALIGN_DOWN(~0UL, PAGE_SIZE) ? ~0UL : ALIGN_UP(e, PAGE_SIZE);
	if (!size)
		return 0;
	spin_lock(&lock);
	err = exclude_locked(b, e);
	spin_unlock(&lock);
	return err;
}

int palloc_claim(paddr_t base, u64 size)
{
	u64 b = pa_addr(base), e = b + size;
	unsigned int i;
	int err = -E_BUSY;

	if (!size || !IS_ALIGNED(b, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) || e < b)
		return -E_INVAL;
	spin_lock(&lock);
	/* Free ranges are disjoint and merged: the claim must lie inside one. */
	for (i = 0; i < range_count; i++) {
		if (ranges[i].base <= b && e <= ranges[i].end) {
			err = exclude_locked(b, e);
			break;
		}
	}
	spin_unlock(&lock);
	return err;
}

bool palloc_alloc(u64 size, u64 align, paddr_t *out)
{
	unsigned int i;
	bool found = false;

	size = ALIGN_UP(size, PAGE_SIZE);
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	if (!size || (align & (align - 1)))
		return false;
	spin_lock(&lock);
	for (i = 0; i < range_count; i++) {
		u64 b = ALIGN_UP(ranges[i].base, align);

		if (b < ranges[i].base || b >= ranges[i].end || ranges[i].end - b < size)
			continue;
		/* Carving from inside needs a slot for the part left below; else try the next. */
		if (exclude_locked(b, b + size) == 0) {
			*out = pa_init(b);
			found = true;
			break;
		}
	}
	spin_unlock(&lock);
	return found;
}

int palloc_free(paddr_t base, u64 size)
{
	return palloc_add(base, size);
}

u64 palloc_free_bytes(void)
{
	u64 total = 0;
	unsigned int i;

	spin_lock(&lock);
	for (i = 0; i < range_count; i++)
		total += ranges[i].end - ranges[i].base;
	spin_unlock(&lock);
	return total;
}

u64 palloc_largest(u64 align)
{
	u64 best = 0;
	unsigned int i;

	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	if (align & (align - 1))
		return 0;
	spin_lock(&lock);
	for (i = 0; i < range_count; i++) {
		u64 b = ALIGN_UP(ranges[i].base, align);

		/* An aligned start past the range's end (or wrapped) leaves nothing. */
		if (b >= ranges[i].base && b < ranges[i].end)
			best = MAX(best, ranges[i].end - b);
	}
	spin_unlock(&lock);
	return best;
}
