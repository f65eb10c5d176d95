/*
 * GICv2 interrupts active beyond the list registers (vcpu/vgic/dir_v2.c):
 * what the GICv2 backend (v2.c) adds to its GICH_HCR and reads back from
 * it, and the guest's GICC_DIR, emulated.
 */
#ifndef VCPU_VGIC_DIR_V2_H
#define VCPU_VGIC_DIR_V2_H

#include "vcpu/vcpu.h"

/** Where GICC_DIR sits in the guest's CPU interface: the start of its second 4 KiB page. */
#define VGIC_V2_GICC_DIR 0x1000UL

/**
 * The GICH_HCR bits c's last flush asks for beyond En and UIE: NPIE while
 * a pending interrupt waits without an LR, LRENPIE while an active one
 * has none (its EOImode 0 EOI is then counted in EOICount).
 */
u32 vgic_v2_hcr_overflow(const struct vgic_cpu *c);

/**
 * While c's last flush left an active interrupt without an LR: reads
 * GICH_HCR.EOICount of this CPU's GICH frame gich into c->eoi_count for
 * vgic_fold() (only with EOImode 0: with EOImode 1 the DIR trap says which
 * interrupt goes) and zeroes it, so that it is counted once.
 */
void vgic_v2_take_eoi_count(struct vgic_cpu *c, u64 gich);

/**
 * Registers the guest's GICC_DIR page (4 KiB at ipa, the second page of
 * its CPU interface, which stage 2 leaves unmapped) on vm's MMIO bus: a
 * GICV_DIR write would not say which interrupt it deactivated when that
 * one has no LR, so every DIR is emulated. Returns 0, or a negative error
 * after a log line naming the VM.
 */
int vgic_v2_attach_dir(struct vm *vm, u64 ipa);

#endif
