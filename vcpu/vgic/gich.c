/*
 * Pure computations on GICv2 virtual interface register values; see
 * gich.h. No MMIO here: v2.c does the accesses.
 */
#include "vcpu/vgic/gich.h"

#include "vcpu/vgic/lr_format.h"

/* The 64 KiB-aliased GICV: every 4 KiB page of the interface repeated over 64 KiB. */
#define GICV_ALIAS_STRIDE 0x10000UL

unsigned int gich_lr_count(u32 vtr)
{
	unsigned int n = (vtr & GICH_VTR_ListRegs_MASK) + 1;

	/* ListRegs can say up to 64; the LR shadow keeps VGIC_MAX_LRS, the rest stay unused. */
	return MIN(n, (unsigned int)VGIC_MAX_LRS);
}

u32 gich_hcr(bool underflow)
{
	return GICH_HCR_En | (underflow ? GICH_HCR_UIE : 0);
}

u32 gich_vmcr_reset(void)
{
	return ((u32)GICV_ABPR_MIN << GICH_VMCR_VMABP_SHIFT) |
	       ((u32)GICV_BPR_MIN << GICH_VMCR_VMBP_SHIFT);
}

int gich_gicv_offset(u64 base, u64 size, u64 *offset)
{
	if (!IS_ALIGNED(base, PAGE_SIZE) || size < GICV_SIZE)
		return -E_INVAL;
	*offset = size >= 2 * GICV_ALIAS_STRIDE ? GICV_ALIAS_STRIDE - PAGE_SIZE : 0;
	return 0;
}

u32 gich_lr_encode(const struct vgic_lr *lr)
{
	struct vgic_lr sw = *lr;

	if (sw.hw) {
		sw.hw = false;
		sw.eoi = sw.state != VGIC_LR_INVALID;
		sw.source = 0;
	}
	return vgic_lr_v2_encode(&sw);
}

struct vgic_lr gich_lr_decode(u32 val, const struct vgic_lr *shadow, bool *deactivate)
{
	struct vgic_lr now = vgic_lr_v2_decode(val);

	*deactivate = false;
	if (!shadow->hw)
		return now;
	now.hw = true;
	now.pintid = shadow->pintid;
	now.eoi = false;
	now.source = 0;
	/*
	 * Only on the change, and only while the EOI bit says it is owed: a
	 * second look at the same invalid LR (the shadow updated, or the bit
	 * cleared by the caller) must not deactivate again.
	 */
	*deactivate = now.state == VGIC_LR_INVALID && shadow->state != VGIC_LR_INVALID &&
		      (val & GICH_LR_EOI);
	return now;
}
