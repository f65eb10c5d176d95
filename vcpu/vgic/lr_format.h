/*
 * The two hardware list register formats, converted to and from the neutral
 * struct vgic_lr. Pure bit manipulation, no state and no lock.
 */
#ifndef VCPU_VGIC_LR_FORMAT_H
#define VCPU_VGIC_LR_FORMAT_H

#include "vcpu/vgic/vgic.h"

/* ICH_LR<n>_EL2 (GICv3, IHI 0069) */
#define ICH_LR_EL2_vINTID_MASK GENMASK(31, 0)
#define ICH_LR_EL2_pINTID_SHIFT 32
#define ICH_LR_EL2_pINTID_MASK GENMASK(44, 32)
#define ICH_LR_EL2_EOI BIT(41) /* HW == 0 */
#define ICH_LR_EL2_Priority_SHIFT 48
#define ICH_LR_EL2_Priority_MASK GENMASK(55, 48)
#define ICH_LR_EL2_Group BIT(60)
#define ICH_LR_EL2_HW BIT(61)
#define ICH_LR_EL2_State_SHIFT 62

/* GICH_LR<n> (GICv2, IHI 0048) */
#define GICH_LR_VirtualID_MASK GENMASK(9, 0)
#define GICH_LR_PhysicalID_SHIFT 10
#define GICH_LR_PhysicalID_MASK GENMASK(19, 10)
#define GICH_LR_CPUID_SHIFT 10 /* HW == 0: bits [12:10] */
#define GICH_LR_CPUID_MASK GENMASK(12, 10)
#define GICH_LR_EOI BIT(19) /* HW == 0 */
#define GICH_LR_Priority_SHIFT 23 /* the top 5 bits of the priority */
#define GICH_LR_Priority_MASK GENMASK(27, 23)
#define GICH_LR_State_SHIFT 28
#define GICH_LR_Grp1 BIT(30)
#define GICH_LR_HW BIT(31)

/** The ICH_LR<n>_EL2 value for lr (pINTID with HW = 1, the EOI bit with HW = 0). */
u64 vgic_lr_v3_encode(const struct vgic_lr *lr);

/** The neutral form of an ICH_LR<n>_EL2 value. */
struct vgic_lr vgic_lr_v3_decode(u64 val);

/** The GICH_LR<n> value for lr: 10-bit INTIDs, 5 priority bits, CPUID for SGIs. */
u32 vgic_lr_v2_encode(const struct vgic_lr *lr);

/** The neutral form of a GICH_LR<n> value. */
struct vgic_lr vgic_lr_v2_decode(u32 val);

#endif
