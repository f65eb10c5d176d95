#include "mm/stage2.h"

#include <string.h>

#include "arch/sysreg.h"
#include "arch/tlb.h"
#include "mm/palloc.h"

#define VMID_COUNT 256 /* 8-bit VMIDs; VMID 0 is never given to a VM */

static bool vmid_used[VMID_COUNT];

static const unsigned int parange_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

u64 stage2_attrs(enum s2_mem kind)
{
	u64 rw = PTE_S2_S2AP_R | PTE_S2_S2AP_W | PTE_AF;

	if (kind == S2_MEM_RAM)
		return rw | PTE_S2_MEMATTR_NORMAL_WB | PTE_SH_INNER;
	return rw | PTE_S2_MEMATTR_DEVICE_nGnRE | PTE_XN;
}

static unsigned int parange(void)
{
	unsigned int pa = (unsigned int)(read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK);

	return pa < ARRAY_SIZE(parange_bits) ? pa : ARRAY_SIZE(parange_bits) - 1;
}

unsigned int stage2_ipa_bits(void)
{
	return MIN(parange_bits[parange()], STAGE2_MAX_IPA_BITS);
}

static bool alloc_tables(unsigned int n, paddr_t *out)
{
	if (!palloc_alloc(n * PAGE_SIZE, n * PAGE_SIZE, out))
		return false;
	memset((void *)pa_addr(*out), 0, n * PAGE_SIZE);
	return true;
}

static void free_tables(paddr_t pa, unsigned int n)
{
	palloc_free(pa, n * PAGE_SIZE);
}

static u64 *table_va(paddr_t pa)
{
	return (u64 *)pa_addr(pa);
}

u16 stage2_vmid(const struct pgtable *pt)
{
	return (u16)(u64)pt->owner;
}

u64 stage2_vttbr(const struct pgtable *pt)
{
	return pa_addr(pt->root) | ((u64)stage2_vmid(pt) << VTTBR_VMID_SHIFT);
}

/*
 * TLBI by IPA acts on the VMID in VTTBR_EL2, so the VM's VTTBR is loaded
 * for the duration. An IPA invalidation leaves combined stage-1+2 entries,
 * hence the VMALLE1IS that follows it (Arm ARM D8.13.5).
 */
static void tlb_inval(const struct pgtable *pt, u64 ipa, u64 size)
{
	u64 saved;

	dsb(ishst);
	if (!size)
		return;
	saved = read_sysreg(vttbr_el2);
	write_sysreg(vttbr_el2, stage2_vttbr(pt));
	isb();
	if (size > 64 * PAGE_SIZE) {
		tlbi_vmalls12e1is();
	} else {
		for (u64 p = ipa; p < ipa + size; p += PAGE_SIZE)
			tlbi_ipas2e1is(p);
		dsb(ish);
		tlbi_vmalle1is();
	}
	dsb(ish);
	write_sysreg(vttbr_el2, saved);
	isb();
}

static const struct pgtable_ops s2_ops = {
	.alloc_tables = alloc_tables,
	.free_tables = free_tables,
	.table_va = table_va,
	.tlb_inval = tlb_inval,
};

static u16 vmid_alloc(void)
{
	u16 id;

	for (id = 1; id < VMID_COUNT; id++) {
		if (!vmid_used[id]) {
			vmid_used[id] = true;
			return id;
		}
	}
	return 0;
}

int stage2_init(struct pgtable *pt, u64 *vtcr)
{
	unsigned int bits = stage2_ipa_bits();
	u16 vmid = vmid_alloc();
	int err;

	if (!vmid)
		return -E_BUSY;
	err = pgtable_init(pt, bits, true, &s2_ops, (void *)(u64)vmid);
	if (err) {
		vmid_used[vmid] = false;
		return err;
	}
	/* SL0 for the 4 KiB granule: 0 starts at level 2, 1 at level 1, 2 at level 0. */
	*vtcr = VTCR_EL2_RES1 | VTCR_EL2_T0SZ(bits) |
		((u64)(2 - pt->start_level) << VTCR_EL2_SL0_SHIFT) | VTCR_EL2_IRGN0_WBWA |
		VTCR_EL2_ORGN0_WBWA | VTCR_EL2_SH0_INNER | VTCR_EL2_TG0_4K |
		((u64)MIN(parange(), 5U) << VTCR_EL2_PS_SHIFT);
	return 0;
}

void stage2_flush_tlb(const struct pgtable *pt)
{
	tlb_inval(pt, 0, ~0UL);
}

int stage2_map(struct pgtable *pt, ipaddr_t ipa, paddr_t pa, u64 size, enum s2_mem kind)
{
	return pgtable_map(pt, ipa_addr(ipa), pa, size, stage2_attrs(kind));
}
