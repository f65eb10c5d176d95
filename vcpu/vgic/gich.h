/*
 * The GICv2 virtualization extensions as the GICv2 backend (v2.c) drives
 * them: the GICH register layout (IHI 0048B, chapter 5.3) and the pure
 * computations on its values, kept apart so that they are unit-tested on
 * the host.
 */
#ifndef VCPU_VGIC_GICH_H
#define VCPU_VGIC_GICH_H

#include "vcpu/vgic/vgic.h"

/* GICH: the virtual interface control registers, one banked frame per CPU. */
#define GICH_HCR 0x000
#define GICH_HCR_En BIT(0)
#define GICH_HCR_UIE BIT(1)
#define GICH_VTR 0x004
#define GICH_VTR_ListRegs_MASK GENMASK(5, 0)
#define GICH_VMCR 0x008
#define GICH_VMCR_VMABP_SHIFT 18
#define GICH_VMCR_VMBP_SHIFT 21
#define GICH_MISR 0x010
#define GICH_MISR_EOI BIT(0)
#define GICH_EISR0 0x020
#define GICH_ELRSR0 0x030
#define GICH_APR 0x0f0
#define GICH_LR0 0x100

/* GICV (and the guest's GICC): the CPU interface is two 4 KiB pages, GICC_DIR in the second. */
#define GICV_SIZE 0x2000UL

/*
 * The smallest GICC_BPR and GICC_ABPR of a CPU interface with 5 priority
 * bits (32 levels), which is what the virtual CPU interface implements
 * (GICH_LR holds 5 priority bits): their reset values.
 */
#define GICV_BPR_MIN 2
#define GICV_ABPR_MIN 3

/** The number of list registers GICH_VTR value vtr announces, clamped to VGIC_MAX_LRS. */
unsigned int gich_lr_count(u32 vtr);

/**
 * The GICH_HCR value for a running vCPU: the virtual CPU interface on
 * (En), and the underflow maintenance interrupt (UIE) when underflow says
 * that more interrupts wait than the list registers hold.
 */
u32 gich_hcr(bool underflow);

/**
 * The GICH_VMCR value of a virtual CPU interface at reset: GICV_CTLR and
 * GICV_PMR zero (both groups off, every priority masked), GICV_BPR and
 * GICV_ABPR at their smallest values.
 */
u32 gich_vmcr_reset(void);

/*
 * A HW-mapped interrupt (a timer PPI, a passed-through SPI) goes into its
 * GICH_LR with HW = 0 and EOI = 1, and Partita deactivates the physical
 * interrupt itself when it finds the LR gone invalid (after the EOI
 * maintenance interrupt, or at the next exit), and clears the LR's EOI bit
 * as it does: the LR itself then records that the deactivation was done
 * (it also drops the maintenance interrupt, and GICH_ELRSR shows the LR
 * empty, ready to be re-armed in place). With HW = 1 the guest's
 * deactivation would deactivate it without an exit, but QEMU's GICv2 (7.2)
 * then does not signal the physical interrupt again while its line stays
 * high, until some unrelated access to the physical GIC: a level timer
 * would not fire again. This costs one maintenance exit per such interrupt.
 * The LR shadow keeps hw and pintid, so the logic sees a HW entry either way.
 */

/**
 * The GICH_LR<n> value for lr: vgic_lr_v2_encode(), a HW entry as HW = 0,
 * EOI = 1 (EOI = 0 if it is invalid: it delivers nothing, so nothing is to
 * be deactivated, and no maintenance interrupt must fire for it).
 */
u32 gich_lr_encode(const struct vgic_lr *lr);

/**
 * The neutral form of GICH_LR<n> value val, whose shadow entry (what was
 * written, or what the last decode returned) is *shadow: a HW entry comes
 * back as HW with its pINTID. Sets *deactivate when the guest has
 * deactivated a HW entry since the shadow was taken and its EOI bit still
 * says the physical deactivation is owed: the caller then deactivates
 * shadow->pintid and writes val & ~GICH_LR_EOI back to the LR, so that no
 * later look, whatever its shadow, deactivates it again.
 */
struct vgic_lr gich_lr_decode(u32 val, const struct vgic_lr *shadow, bool *deactivate);

/**
 * Finds the guest's 8 KiB CPU interface within the host's GICV frame
 * [base, base+size) from the FDT. An 8 KiB (or larger, e.g. QEMU's 64 KiB
 * window) frame holds it at its start. A frame of 128 KiB or more is the
 * layout of a GIC-400 on a 64 KiB-page system: each 4 KiB page repeated
 * over 64 KiB, so the second page starts at base + 64 KiB; its first page
 * is then also at base + 60 KiB, and the 8 KiB from there are contiguous.
 * Sets *offset to where the 8 KiB start. Returns 0, or -E_INVAL for a frame
 * smaller than 8 KiB or not page-aligned (an FDT error).
 */
int gich_gicv_offset(u64 base, u64 size, u64 *offset);

#endif
