/* List register encodings of GICv3 (ICH_LR<n>_EL2) and GICv2 (GICH_LR<n>). */
#include "vcpu/vgic/lr_format.h"

u64 vgic_lr_v3_encode(const struct vgic_lr *lr)
{
	u64 val = lr->intid & ICH_LR_EL2_vINTID_MASK;

	val |= ((u64)lr->priority << ICH_LR_EL2_Priority_SHIFT) & ICH_LR_EL2_Priority_MASK;
	val |= (u64)(lr->state & 3) << ICH_LR_EL2_State_SHIFT;
	if (lr->group1)
		val |= ICH_LR_EL2_Group;
	if (lr->hw)
		val |= ICH_LR_EL2_HW |
		       (((u64)lr->pintid << ICH_LR_EL2_pINTID_SHIFT) & ICH_LR_EL2_pINTID_MASK);
	else if (lr->eoi)
		val |= ICH_LR_EL2_EOI;
	return val;
}

struct vgic_lr vgic_lr_v3_decode(u64 val)
{
	struct vgic_lr lr = {
		.intid = (u32)(val & ICH_LR_EL2_vINTID_MASK),
		.priority = (u8)((val & ICH_LR_EL2_Priority_MASK) >> ICH_LR_EL2_Priority_SHIFT),
		.state = (u8)(val >> ICH_LR_EL2_State_SHIFT),
		.group1 = (val & ICH_LR_EL2_Group) != 0,
		.hw = (val & ICH_LR_EL2_HW) != 0,
	};

	if (lr.hw)
		lr.pintid = (u32)((val & ICH_LR_EL2_pINTID_MASK) >> ICH_LR_EL2_pINTID_SHIFT);
	else
		lr.eoi = (val & ICH_LR_EL2_EOI) != 0;
	return lr;
}

u32 vgic_lr_v2_encode(const struct vgic_lr *lr)
{
	u32 val = lr->intid & GICH_LR_VirtualID_MASK;

	val |= ((u32)lr->priority >> 3 << GICH_LR_Priority_SHIFT) & GICH_LR_Priority_MASK;
	val |= (u32)(lr->state & 3) << GICH_LR_State_SHIFT;
	if (lr->group1)
		val |= GICH_LR_Grp1;
	if (lr->hw) {
		val |= GICH_LR_HW |
		       ((lr->pintid << GICH_LR_PhysicalID_SHIFT) & GICH_LR_PhysicalID_MASK);
	} else {
		val |= ((u32)lr->source << GICH_LR_CPUID_SHIFT) & GICH_LR_CPUID_MASK;
		if (lr->eoi)
			val |= GICH_LR_EOI;
	}
	return val;
}

struct vgic_lr vgic_lr_v2_decode(u32 val)
{
	struct vgic_lr lr = {
		.intid = val & GICH_LR_VirtualID_MASK,
		.priority = (u8)(((val & GICH_LR_Priority_MASK) >> GICH_LR_Priority_SHIFT) << 3),
		.state = (u8)((val >> GICH_LR_State_SHIFT) & 3),
		.group1 = (val & GICH_LR_Grp1) != 0,
		.hw = (val & GICH_LR_HW) != 0,
	};

	if (lr.hw) {
		lr.pintid = (val & GICH_LR_PhysicalID_MASK) >> GICH_LR_PhysicalID_SHIFT;
	} else {
		lr.source = (u8)((val & GICH_LR_CPUID_MASK) >> GICH_LR_CPUID_SHIFT);
		lr.eoi = (val & GICH_LR_EOI) != 0;
	}
	return lr;
}
