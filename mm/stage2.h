/*
 * Stage-2 translation: a VM's IPA space. RAM is Normal write-back,
 * passed-through devices Device-nGnRE, emulated devices stay unmapped so
 * that every access to them faults into the MMIO bus.
 */
#ifndef MM_STAGE2_H
#define MM_STAGE2_H

#include "mm/pgtable.h"

#define STAGE2_MAX_IPA_BITS 40

/** The kinds of memory a VM's IPA space maps, each with its stage-2 attributes. */
enum s2_mem {
	S2_MEM_RAM,
	S2_MEM_DEVICE,
};

/** Attribute bits of a stage-2 leaf for kind. */
u64 stage2_attrs(enum s2_mem kind);

/** IPA size for this machine: PARange, capped at STAGE2_MAX_IPA_BITS. */
unsigned int stage2_ipa_bits(void);

/**
 * Creates empty stage-2 tables for a VM and picks its VMID. Sets *vtcr to
 * the VTCR_EL2 value that matches them. Returns 0, -E_NOMEM, or -E_BUSY
 * when every VMID is taken.
 */
int stage2_init(struct pgtable *pt, u64 *vtcr);

/**
 * Maps [ipa, ipa+size) of a VM to [pa, pa+size) as kind, with the largest
 * blocks alignment allows. Returns 0 or a negative error, as pgtable_map().
 */
int stage2_map(struct pgtable *pt, ipaddr_t ipa, paddr_t pa, u64 size, enum s2_mem kind);

/** The VMID of pt. */
u16 stage2_vmid(const struct pgtable *pt);

/** The VTTBR_EL2 value for pt: its root table and its VMID. */
u64 stage2_vttbr(const struct pgtable *pt);

/** Invalidates every TLB entry of the VM (stage 1 and 2), on all CPUs. */
void stage2_flush_tlb(const struct pgtable *pt);

#endif
