/*
 * Shared between the files of vcpu/vgic/, not for the glue. Every function
 * here expects vgic_dist.lock held.
 */
#ifndef VCPU_VGIC_INTERNAL_H
#define VCPU_VGIC_INTERNAL_H

#include "vcpu/vgic/vgic.h"

#define GIC_PIDR2 0xffe8 /* GICD_PIDR2, GICR_PIDR2 */
#define GIC_PIDR2_ARM 0xb /* JEDEC = 1, JEP106 identity bits [6:4] of Arm (0x3b) */
/* ProductID 'P' (Partita), Implementer 0x43b (Arm's JEP106 code, as KVM does). */
#define VGIC_IIDR ((0x50U << 24) | 0x43bU)

/** Which per-interrupt bit a GIC*_I{GROUP,SENABLE,CENABLE,...}R register bank reaches. */
enum vgic_field {
	VGIC_F_GROUP,
	VGIC_F_ENABLE,
	VGIC_F_PENDING,
	VGIC_F_ACTIVE,
};

/** How a write reaches the bits: ISxxxR sets, ICxxxR clears, IGROUPR assigns. */
enum vgic_wmode {
	VGIC_W_SET,
	VGIC_W_CLEAR,
	VGIC_W_ASSIGN,
};

/** Interrupt intid as vCPU id sees it (private ones are banked), or NULL if outside the VM. */
struct vgic_irq *vgic_irq_get(struct vgic_dist *d, unsigned int id, u32 intid);

/** Whether irq is pending (latch, line, or a GICv2 SGI source). */
bool vgic_irq_pending(const struct vgic_irq *irq);

/** Whether the distributor's group enable lets irq be signalled. */
bool vgic_group_enabled(const struct vgic_dist *d, const struct vgic_irq *irq);

/**
 * Puts irq on, moves it between or takes it off pending lists after its state
 * changed, and ORs into *kick each vCPU whose LRs may now be stale.
 */
void vgic_irq_update(struct vgic_dist *d, struct vgic_irq *irq, u32 *kick);

/**
 * irq's virtual pending or active state changes other than through an LR
 * with HW = 1 (a register write, a deactivation outside the LRs): if it is
 * HW-mapped, its owning vCPU is told to bring the physical interrupt into
 * line on its CPU (vgic_take_stale_hw()) before it next runs the guest.
 */
void vgic_mark_phys(struct vgic_dist *d, struct vgic_irq *irq, u32 *kick);

/** Makes irq pending once (an edge). */
void vgic_irq_pend(struct vgic_dist *d, struct vgic_irq *irq, u32 *kick);

/** Reads 32 bits of field for INTIDs first..first+31 (RAZ outside the VM). */
u32 vgic_bits_read(struct vgic_dist *d, unsigned int id, u32 first, enum vgic_field f);

/** Writes 32 bits of field for INTIDs first..first+31 (WI outside the VM). */
void vgic_bits_write(struct vgic_dist *d, unsigned int id, u32 first, enum vgic_field f,
		     enum vgic_wmode mode, u32 bits, u32 *kick);

/** Reads size bytes of IPRIORITYR starting at INTID first (one byte per INTID). */
u64 vgic_prio_read(struct vgic_dist *d, unsigned int id, u32 first, unsigned int size);

/** Writes size bytes of IPRIORITYR starting at INTID first, keeping the implemented bits. */
void vgic_prio_write(struct vgic_dist *d, unsigned int id, u32 first, unsigned int size, u64 val,
		     u32 *kick);

/** Reads the ICFGR word for INTIDs first..first+15 (SGIs read as edge). */
u32 vgic_cfg_read(struct vgic_dist *d, unsigned int id, u32 first);

/** Writes the ICFGR word for INTIDs first..first+15 (SGIs are read-only). */
void vgic_cfg_write(struct vgic_dist *d, unsigned int id, u32 first, u32 val);

/** Whether size is one of the widths in the mask widths (bit n = n bytes) and offset is aligned. */
bool vgic_width_ok(u64 offset, unsigned int size, unsigned int widths);

#define VGIC_W8 BIT(1)
#define VGIC_W32 BIT(4)
#define VGIC_W64 BIT(8)

#endif
