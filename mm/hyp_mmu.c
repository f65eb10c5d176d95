#include "mm/hyp_mmu.h"

#include <string.h>

#include "arch/cache.h"
#include "arch/sysreg.h"
#include "arch/tlb.h"
#include "mm/palloc.h"
#include "mm/pgtable.h"

#define HYP_VA_BITS 48
/*
 * Table pages for everything mapped before the page allocator exists: the
 * image, the FDT, RAM and the devices. Every edge of a mapping that is not
 * 2 MiB aligned costs a level-3 table, and one that is not 1 GiB aligned a
 * level-2 table: at worst 2 per memory range (16) and per no-map reserved
 * region (32), which the DT may place so, plus the image, the FDT, the GIC
 * frames and the UART, and a level-2 table at each end of every range:
 * about 150. A valid device tree must never run out.
 */
#define POOL_PAGES 160

/* Linker-script symbols bounding the image's sections. */
extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

/* Tables come from here until the page allocator exists. */
static u8 pool[POOL_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned int pool_used;
static bool from_palloc;
static struct pgtable hyp_pt;

static bool alloc_tables(unsigned int n, paddr_t *out)
{
	unsigned int first = (unsigned int)ALIGN_UP(pool_used, n);

	if (from_palloc) {
		if (!palloc_alloc(n * PAGE_SIZE, n * PAGE_SIZE, out))
			return false;
		memset((void *)pa_addr(*out), 0, n * PAGE_SIZE);
		return true;
	}
	if (first + n > POOL_PAGES)
		return false;
	pool_used = first + n;
	*out = pa_init((u64)pool[first]);
	return true;
}

static void free_tables(paddr_t pa, unsigned int n)
{
	/* Pool pages are never returned; the hypervisor's map only grows. */
	if (pa_addr(pa) < (u64)pool || pa_addr(pa) >= (u64)(pool + POOL_PAGES))
		palloc_free(pa, n * PAGE_SIZE);
}

static u64 *table_va(paddr_t pa)
{
	return (u64 *)pa_addr(pa);
}

static void tlb_inval(const struct pgtable *pt, u64 va, u64 size)
{
	(void)pt;
	dsb(ishst);
	if (!size) {
		/* New entries where there were none: this CPU may use them right away. */
		isb();
		return;
	}
	if (size > 64 * PAGE_SIZE) {
		tlbi_alle2is();
	} else {
		for (u64 p = va; p < va + size; p += PAGE_SIZE)
			tlbi_vae2is(p);
	}
	dsb(ish);
	isb();
}

static const struct pgtable_ops hyp_ops = {
	.alloc_tables = alloc_tables,
	.free_tables = free_tables,
	.table_va = table_va,
	.tlb_inval = tlb_inval,
};

static u64 attrs_of(enum hyp_mem kind)
{
	u64 normal = PTE_S1_ATTRINDX(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_S1_AP_RES1;

	switch (kind) {
	case HYP_MEM_TEXT:
		return normal | PTE_S1_AP_RO;
	case HYP_MEM_RODATA:
		return normal | PTE_S1_AP_RO | PTE_XN;
	case HYP_MEM_RW:
		return normal | PTE_XN;
	case HYP_MEM_DEVICE:
	default:
		return PTE_S1_ATTRINDX(MAIR_IDX_DEVICE) | PTE_S1_AP_RES1 | PTE_XN;
	}
}

int hyp_map(paddr_t pa, u64 size, enum hyp_mem kind)
{
	u64 base = ALIGN_DOWN(pa_addr(pa), PAGE_SIZE);
	u64 end = ALIGN_UP(pa_addr(pa) + size, PAGE_SIZE);

	return pgtable_map(&hyp_pt, base, pa_init(base), end - base, attrs_of(kind));
}

int hyp_mmu_init(void)
{
	u64 text = (u64)__image_start, rodata = (u64)__text_end;
	u64 rw = (u64)__rodata_end, end = (u64)__image_end;
	int err = pgtable_init(&hyp_pt, HYP_VA_BITS, false, &hyp_ops, NULL);

	if (!err)
		err = hyp_map(pa_init(text), rodata - text, HYP_MEM_TEXT);
	if (!err)
		err = hyp_map(pa_init(rodata), rw - rodata, HYP_MEM_RODATA);
	if (!err)
		err = hyp_map(pa_init(rw), end - rw, HYP_MEM_RW);
	return err;
}

void hyp_mmu_use_palloc(void)
{
	from_palloc = true;
}

static u64 tcr_value(void)
{
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;

	/* PS encodings 0..5 are 32..48 bits; larger ones need 52-bit support. */
	if (parange > 5)
		parange = 5;
	return TCR_EL2_RES1 | TCR_EL2_T0SZ(HYP_VA_BITS) | TCR_EL2_IRGN0_WBWA | TCR_EL2_ORGN0_WBWA |
	       TCR_EL2_SH0_INNER | TCR_EL2_TG0_4K | (parange << TCR_EL2_PS_SHIFT);
}

void hyp_mmu_regs(struct hyp_mmu_regs *out)
{
	out->mair = MAIR_EL2_VALUE;
	out->tcr = tcr_value();
	out->ttbr = pa_addr(hyp_pt.root);
	out->sctlr = SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_SA | SCTLR_EL2_I |
		     SCTLR_EL2_WXN;
}

void hyp_mmu_enable_boot(void)
{
	struct hyp_mmu_regs r;

	hyp_mmu_regs(&r);
	/*
	 * With the MMU off every data access was non-cacheable, so the image,
	 * the tables and the stack may have stale clean lines in the cache
	 * (from the loader); invalidate them before the cache is looked up.
	 */
	dmb(sy); /* the stores made with the MMU off come before the invalidation */
	dcache_inval_poc(__image_start, ((u64)__image_end - (u64)__image_start));
	write_sysreg(mair_el2, r.mair);
	write_sysreg(tcr_el2, r.tcr);
	write_sysreg(ttbr0_el2, r.ttbr);
	isb();
	tlbi_alle2();
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el2, r.sctlr);
	isb();
}
