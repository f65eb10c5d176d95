#include "vcpu/ram.h"

#include "arch/cache.h"
#include "mm/stage2.h"

/* Translation fault, levels 0 to 3: 0b0001LL (Arm ARM, ISS encoding for an abort). */
#define ISS_xFSC_TRANS_MASK 0x3cUL
#define ISS_xFSC_TRANS 0x04UL

static u8 *ram_va(const struct vm *vm, u64 off)
{
	return (u8 *)pa_addr(vm->ram_pa) + off;
}

void ram_clear(struct vm *vm, u64 from, u64 to)
{
	u64 a = ALIGN_UP(from, RAM_BLOCK), b = ALIGN_DOWN(to, RAM_BLOCK);

	/*
	 * Blocks wholly between from and to hold no image byte (the caller
	 * passes the gaps between images): unmapping them clears them for the
	 * guest. Each one mapped in the last run is invalidated at stage 2 on
	 * every CPU before it is gone (pgtable_unmap(): break-before-make,
	 * TLBI by VMID, DSB ISH); the untouched ones were never mapped again.
	 * Should the unmap fail (a 1 GiB block with no page left to split it),
	 * all of it is zeroed now: a block it did unmap is zeroed again on use.
	 */
	if (!vm->ram_lazy || a >= b || pgtable_unmap(&vm->s2, vm->ram_ipa + a, b - a) != 0) {
		dcache_zero_clean_poc(ram_va(vm, from), to - from);
		return;
	}
	dcache_zero_clean_poc(ram_va(vm, from), a - from);
	dcache_zero_clean_poc(ram_va(vm, b), to - b);
}

bool ram_populate(struct vm *vm, u64 ipa)
{
	u64 off = ipa - vm->ram_ipa, block = ALIGN_DOWN(off, RAM_BLOCK);
	paddr_t pa;
	int err = 0;

	if (!vm->ram_lazy || off >= vm->ram_size)
		return false;
	/* Two vCPUs faulting on one block at once: the first zeroes and maps it, the second sees it mapped. */
	spin_lock(&vm->ram_lock);
	if (!pgtable_translate(&vm->s2, vm->ram_ipa + block, &pa, NULL, NULL)) {
		/*
		 * Zeroed and cleaned to the PoC before the mapping is written
		 * (the clean ends with a DSB): a guest with its caches off
		 * reads memory, and must see no byte of an earlier run. The
		 * entry was invalid, which no TLB holds: writing it needs a
		 * DSB but no invalidation (pgtable_map()).
		 */
		dcache_zero_clean_poc(ram_va(vm, block), RAM_BLOCK);
		err = stage2_map(&vm->s2, ipa_init(vm->ram_ipa + block),
				 pa_init(pa_addr(vm->ram_pa) + block), RAM_BLOCK, S2_MEM_RAM);
	}
	spin_unlock(&vm->ram_lock);
	return !err;
}

bool ram_fault(struct vm *vm, u64 esr, u64 ipa)
{
	return (esr & ISS_xFSC_TRANS_MASK) == ISS_xFSC_TRANS && ram_populate(vm, ipa);
}
