/*
 * The virtual GIC's logic: interrupt state, the per-vCPU pending list, list
 * register allocation and the emulated distributor and redistributor
 * registers of GICv3 and GICv2. Pure C: no system register, no MMIO, no
 * asm. The hardware glue (ICH_*_EL2 or GICH, the maintenance interrupt,
 * traps, MMIO bus registration, kicks) sits on top of these functions and
 * embeds struct vgic_dist in its VM object and struct vgic_cpu in its vCPU.
 *
 * Locking: one spinlock per VM, vgic_dist.lock, guards every interrupt of
 * that VM (SPIs and every vCPU's SGIs and PPIs), every pending list and every
 * LR shadow. Every non-static function of vcpu/vgic/ that takes a
 * struct vgic_dist takes that lock itself, except the LR format functions,
 * which touch no state. It is a leaf lock: nothing else is taken while it is
 * held, and it is never held across a guest entry or a wait for another CPU.
 * A caller may hold its own VM or vCPU locks around these calls (those come
 * first in the order). EL2 runs with interrupts masked, so no handler can
 * re-enter while the lock is held on the same CPU.
 *
 * Kicks: a function that changes what some vCPU should see ORs that vCPU's
 * bit into *kick. The caller posts a request to each vCPU in the mask (and
 * sends a physical SGI to the CPU running it) so that it folds and flushes
 * its list registers before it next runs the guest.
 */
#ifndef VCPU_VGIC_VGIC_H
#define VCPU_VGIC_VGIC_H

#include "arch/spinlock.h"
#include "arch/types.h"

#define VGIC_SGI_COUNT 16
#define VGIC_PRIVATE_COUNT 32 /* SGIs 0-15 and PPIs 16-31, per vCPU */
#define VGIC_MAX_SPIS 988 /* INTIDs 32..1019; 1020-1023 are special */
#define VGIC_MAX_VCPUS 16 /* a kick mask is a u32; GICv2 allows 8 */
#define VGIC_V2_MAX_VCPUS 8
#define VGIC_MAX_LRS 16 /* ICH_VTR_EL2.ListRegs is 4 bits */
#define VGIC_PRIO_BITS 5 /* what a GICv2 LR holds; GICv3 has at least 5 */

/** The GIC architecture a VM sees. */
enum vgic_version {
	VGIC_V2 = 2,
	VGIC_V3 = 3,
};

/** State of a list register, as both LR formats encode it (bit 0 pending, bit 1 active). */
enum vgic_lr_state {
	VGIC_LR_INVALID = 0,
	VGIC_LR_PENDING = 1,
	VGIC_LR_ACTIVE = 2,
	VGIC_LR_PENDING_ACTIVE = 3,
};

/**
 * A list register in neutral form: the glue converts it to ICH_LR<n>_EL2 or
 * GICH_LR<n> with vgic_lr_v3_encode() or vgic_lr_v2_encode() and back.
 */
struct vgic_lr {
	u32 intid; /* virtual INTID */
	u32 pintid; /* physical INTID, meaningful when hw */
	u8 priority; /* 8-bit priority; the encoders keep the bits the format holds */
	u8 source; /* GICv2 SGIs: the requesting CPU (GICH_LR.CPUID) */
	u8 state; /* enum vgic_lr_state */
	bool group1;
	bool hw; /* the guest's deactivation deactivates pintid */
	bool eoi; /* HW == 0: maintenance interrupt when the guest deactivates it */
};

/**
 * One virtual interrupt. Private ones (INTID < 32) live in their vCPU's
 * struct vgic_cpu, SPIs in the array the VM gives vgic_dist_init().
 */
struct vgic_irq {
	struct vgic_irq *next, *prev; /* links in the pending list of vcpu */
	s8 vcpu; /* the vCPU whose pending list holds it, -1 if none */
	s8 owner; /* private: the vCPU it belongs to; SPI: -1 */
	u16 intid;
	u16 pintid; /* physical INTID when hw */
	u8 priority; /* only the implemented bits (vgic_dist.prio_mask) */
	u8 targets; /* GICv2 GICD_ITARGETSR byte (SPIs) */
	u8 sources; /* GICv2 SGIs: pending bit per requesting CPU */
	u8 active_source; /* GICv2 SGIs: the requester of the active instance */
	u64 route; /* GICv3 GICD_IROUTER: Aff3 [39:32], Aff2..Aff0 [23:0] */
	bool enabled;
	bool latch; /* pending latch: an edge, an ISPENDR write, or a HW injection */
	bool line; /* input level of a level-sensitive interrupt */
	bool active;
	bool group1;
	bool level; /* level-sensitive (else edge-triggered) */
	bool hw; /* mapped to physical pintid: the LR carries HW = 1 */
	bool in_lr; /* written to an LR by the last flush, not yet folded */
	bool clr_pend, clr_act, set_act; /* register writes made while in an LR */
	bool phys_stale; /* hw: the physical state must follow the virtual one (vgic_take_stale_hw()) */
	bool sw_pend; /* hw: made pending by register, not by its source: not resampled */
};

/** Per-vCPU state: its private interrupts, pending list, LR shadow and redistributor. */
struct vgic_cpu {
	struct vgic_irq priv[VGIC_PRIVATE_COUNT];
	struct vgic_irq *head; /* pending list: active first, then by priority, then INTID */
	struct vgic_lr lr[VGIC_MAX_LRS]; /* shadow of the hardware LRs */
	unsigned int lr_count; /* LRs the hardware has */
	unsigned int lr_used; /* LRs the last flush filled: lr[0..lr_used) */
	bool underflow; /* more to deliver than LRs: set ICH_HCR_EL2.UIE / GICH_HCR.UIE */
	bool pending_out; /* a pending interrupt got no LR: set ICH_HCR_EL2.NPIE */
	bool active_out; /* an active one got no LR: set ICH_HCR_EL2.LRENPIE and TDIR */
	unsigned int eoi_count; /* EOImode 0 EOIs that found no LR (EOIcount), for vgic_fold() */
	bool asleep; /* GICR_WAKER.ProcessorSleep (GICv3) */
	bool hw_stale; /* one of the HW interrupts it owns has phys_stale set */
	unsigned int id;
};

/** Per-VM state: the distributor and the interrupts it shares. */
struct vgic_dist {
	struct spinlock lock; /* see the top of this file */
	enum vgic_version version;
	bool grp0_enabled; /* GICD_CTLR.EnableGrp0 */
	bool grp1_enabled; /* GICD_CTLR.EnableGrp1 (EnableGrp1A with DS = 1) */
	u8 prio_mask; /* implemented priority bits, e.g. 0xf8 */
	unsigned int spi_count;
	struct vgic_irq *spis; /* spi_count entries, INTID 32 + i */
	unsigned int cpu_count;
	struct vgic_cpu *cpu[VGIC_MAX_VCPUS];
};

/**
 * Sets up d for a VM of vcpu_count vCPUs and spi_count SPIs (a multiple of
 * 32, at most VGIC_MAX_SPIS) kept in spis, then resets it. Every vCPU must
 * then be attached with vgic_cpu_init(). Returns 0, or -E_INVAL for a count
 * the architecture cannot express (a VM configuration error).
 */
int vgic_dist_init(struct vgic_dist *d, enum vgic_version version, unsigned int vcpu_count,
		   unsigned int spi_count, struct vgic_irq *spis);

/**
 * Attaches c to d as vCPU id with lr_count list registers (ICH_VTR_EL2.ListRegs
 * + 1, or GICH_VTR.ListRegs + 1; clamped to VGIC_MAX_LRS) and resets it.
 */
void vgic_cpu_init(struct vgic_dist *d, struct vgic_cpu *c, unsigned int id, unsigned int lr_count);

/**
 * Returns vCPU id's private interrupts, LR shadow and redistributor to their
 * reset values and empties its pending list; SPIs queued on it lose their
 * active state (the guest that was handling them is gone) and are routed
 * again; a HW-mapped one among them is left for vgic_take_stale_hw() on
 * its owner's CPU. For a vCPU reset, CPU_OFF or stop. Returns the vCPUs
 * whose pending lists gained an interrupt, which the caller must kick.
 */
u32 vgic_cpu_reset(struct vgic_dist *d, unsigned int id);

/** Returns the whole VM's interrupt state to reset values: distributor, every vCPU, every SPI. */
void vgic_reset(struct vgic_dist *d);

/**
 * Drives the input line of intid of vCPU id (id is ignored for an SPI, but
 * must still be a vCPU of the VM). Level-sensitive: pending while
 * high. Edge-triggered: a low-to-high change makes it pending. Returns 0, or
 * -E_INVAL for an INTID outside the VM or a vCPU that does not exist.
 */
int vgic_set_line(struct vgic_dist *d, unsigned int id, u32 intid, bool high, u32 *kick);

/**
 * Makes intid pending once, whatever its configuration: an edge, or the
 * physical interrupt of a HW-mapped one taken at EL2. Returns as vgic_set_line().
 */
int vgic_set_pending(struct vgic_dist *d, unsigned int id, u32 intid, u32 *kick);

/**
 * Withdraws the pending state of HW-mapped intid (of vCPU id if private)
 * because its physical source is no longer asserted (a timer the guest
 * disabled before taking its interrupt): as a level input that went low.
 * Returns 0, -E_INVAL for an INTID outside the VM or not HW-mapped, or
 * -E_BUSY (nothing changed) when the guest made it pending by register
 * (ISPENDR): that pending state is not its source's to withdraw.
 */
int vgic_retire_hw(struct vgic_dist *d, unsigned int id, u32 intid, u32 *kick);

/**
 * Maps intid (of vCPU id if private) to physical pintid: its LRs then carry
 * HW = 1 so that the guest's deactivation deactivates pintid. A mapped SPI
 * is pinned to vCPU id, where its physical interrupt is routed: the guest's
 * IROUTER/ITARGETSR writes for it are ignored. pintid 0 removes the mapping. Returns 0, or -E_INVAL for an INTID outside the VM or
 * a pintid that is not an SGI-free INTID below 1020.
 */
int vgic_map_hw(struct vgic_dist *d, unsigned int id, u32 intid, u32 pintid);

/**
 * Fills vCPU id's LR shadow with the highest-priority deliverable interrupts
 * of its pending list (active ones first, so the guest can always deactivate
 * them) and sets its underflow flag when some did not fit. Called on the way
 * into the guest after vgic_fold() (it leaves a shadow that was not folded
 * alone); the glue then writes lr[0..lr_used) and zeroes the other LRs.
 */
void vgic_flush(struct vgic_dist *d, unsigned int id);

/**
 * Folds vCPU id's LR shadow (read back from the hardware by the glue) into
 * the interrupt state: an LR that went invalid was deactivated by the guest,
 * a level interrupt whose line is still high becomes pending again. Empties
 * the shadow. Called on every exit that may have changed the LRs (or at least
 * on a maintenance interrupt and before vgic_flush()). Returns the vCPUs
 * whose pending lists gained an interrupt (an SPI the guest re-routed while
 * it sat in id's LRs moves when folded): the caller must kick the others.
 */
u32 vgic_fold(struct vgic_dist *d, unsigned int id);

/**
 * After a fold on vCPU id's CPU: the physical INTIDs (at most max, into
 * pintids) of HW-mapped interrupts owned by id whose virtual pending or
 * active state changed other than through an LR with HW = 1: set or
 * cleared by register (ISPENDR, ICPENDR, ISACTIVER, ICACTIVER), or
 * deactivated outside the LRs (EOIcount, a trapped DIR). A pintid with
 * VGIC_PHYS_ACTIVE set must be made active at the physical GIC: the
 * virtual interrupt is pending or active, and the guest's deactivation of
 * its HW = 1 LR will deactivate it (so the physical one cannot fire in
 * between). Without the bit, its pending and active state must be
 * cleared: no guest deactivation will reach it any more. Returns how many.
 */
unsigned int vgic_take_stale_hw(struct vgic_dist *d, unsigned int id, u32 *pintids,
				unsigned int max);

/** In a vgic_take_stale_hw() entry: make the physical interrupt active (else clear it). */
#define VGIC_PHYS_ACTIVE BIT(31)

/**
 * A deactivation by vCPU id (a trapped ICC_DIR_EL1 or GICC_DIR write of
 * value, with EOImode 1), after id's LRs were folded: the interrupt value
 * names (a GICv2 SGI: only the instance of the requester in CPUID) loses
 * its active state, as the GIC's DIR would (a HW-mapped one's physical
 * interrupt through vgic_take_stale_hw()). Returns 0, or -E_INVAL for an
 * INTID outside the VM (ignored, as DIR does).
 */
int vgic_deactivate(struct vgic_dist *d, unsigned int id, u32 value, u32 *kick);

/**
 * The fast path of an injection: private interrupt intid of vCPU id (which
 * runs on this CPU) was just made pending (or, with pend, is made pending
 * here, as vgic_set_pending()); fills the one LR shadow entry that delivers
 * it, if that needs no other LR. slot is the LR the shadow
 * gives intid (live: what the hardware LR holds now), or -1 if none.
 * Returns the index n whose c->lr[n] the glue must write to the hardware,
 * or -1 when the full vgic_fold()/vgic_flush() is needed instead (then
 * nothing changed, and with pend the interrupt is not pending yet).
 */
int vgic_flush_one(struct vgic_dist *d, unsigned int id, u32 intid, bool pend, int slot,
		   const struct vgic_lr *live);

/**
 * The fastest injection: private edge (or HW-mapped) interrupt intid of
 * vCPU id (running on this CPU) fires again, and the hardware says its
 * shadow LR slot is empty now. Returns true when c->lr[slot], written back
 * to the hardware as it is, delivers it exactly as a fold and flush would
 * (the interrupt state is then up to date); false when the caller must go
 * the long way (vgic_flush_one() or the full update), nothing changed.
 */
bool vgic_rearm(struct vgic_dist *d, unsigned int id, u32 intid, unsigned int slot);

/** Whether vCPU id has an interrupt it would take (for waking it from WFI). */
bool vgic_has_deliverable(struct vgic_dist *d, unsigned int id);

/** The GICv3 affinity (MPIDR layout, Aff3 at [39:32]) of vCPU id: what VMPIDR_EL2 gives it. */
u64 vgic_vcpu_affinity(unsigned int id);

/** Returns the vCPU of d whose affinity is aff (bits outside the Aff fields ignored), or -1. */
int vgic_affinity_vcpu(const struct vgic_dist *d, u64 aff);

/**
 * Delivers the SGI a guest's write of value to ICC_SGI1R_EL1 (group1 true),
 * or ICC_SGI0R_EL1 / ICC_ASGI1R_EL1 (group1 false: with DS = 1 these make
 * Group 0 SGIs only) from vCPU id asks for: TargetList with RS and Aff1-3,
 * or every other vCPU with IRM. Targets outside the VM are ignored.
 */
void vgic_v3_sgi(struct vgic_dist *d, unsigned int id, u64 value, bool group1, u32 *kick);

/** Bits of the vCPUs that a GICv3 SGI register value from vCPU id targets. */
u32 vgic_v3_sgi_targets(const struct vgic_dist *d, unsigned int id, u64 value);

/** Whether an ICC_SGI1R_EL1 value of vCPU id names id itself and no other vCPU. */
bool vgic_v3_sgi_self(unsigned int id, u64 value);

/** Bits of the vCPUs that a GICD_SGIR value written by vCPU id targets (reserved filter: none). */
u32 vgic_v2_sgi_targets(const struct vgic_dist *d, unsigned int id, u32 value);

/*
 * Register access. offset is relative to the frame; size is the access
 * width in bytes. Each returns 0, or -E_INVAL for a width or alignment the
 * GIC specification does not allow there: the caller then injects an
 * external abort into the guest (with a rate-limited log line). Reserved and
 * unimplemented offsets read as zero and ignore writes. A write ORs into
 * *kick the vCPUs whose list registers it made stale.
 */

/** Reads the GICv3 distributor frame (64 KiB) as vCPU id; returns 0 or -E_INVAL. */
int vgic_v3_dist_read(struct vgic_dist *d, unsigned int id, u64 offset, unsigned int size,
		      u64 *val);
/** Writes the GICv3 distributor frame as vCPU id; returns 0 or -E_INVAL. */
int vgic_v3_dist_write(struct vgic_dist *d, unsigned int id, u64 offset, unsigned int size, u64 val,
		       u32 *kick);
/**
 * Reads redistributor rd (a vCPU id) at offset in its RD_base + SGI_base
 * frames (128 KiB); returns 0 or -E_INVAL.
 */
int vgic_v3_redist_read(struct vgic_dist *d, unsigned int rd, u64 offset, unsigned int size,
			u64 *val);
/** Writes redistributor rd at offset in its RD_base + SGI_base frames; returns 0 or -E_INVAL. */
int vgic_v3_redist_write(struct vgic_dist *d, unsigned int rd, u64 offset, unsigned int size,
			 u64 val, u32 *kick);
/** Reads the GICv2 distributor frame (4 KiB) as vCPU id; returns 0 or -E_INVAL. */
int vgic_v2_dist_read(struct vgic_dist *d, unsigned int id, u64 offset, unsigned int size,
		      u64 *val);
/* GICD_SGIR (IHI 0048B 4.3.15): its offset, and the fields that say who it targets. */
#define VGIC_GICD_SGIR 0xf00
#define VGIC_GICD_SGIR_SGIINTID_MASK 0xfU
#define VGIC_GICD_SGIR_CPUTargetList_SHIFT 16
#define VGIC_GICD_SGIR_TargetListFilter_SHIFT 24
#define VGIC_GICD_SGIR_FILTER_SELF 2 /* TargetListFilter 0b10: the requesting CPU only */

/**
 * Whether a write of val (size bytes) at offset of the GICv2 distributor
 * frame by vCPU id is a valid GICD_SGIR write whose only target is id
 * itself (TargetListFilter 0b10, or 0b00 with id's bit alone in
 * CPUTargetList): the SGI to self, which needs no target walk. Inline: it
 * is on the path whose cost make bench holds.
 */
static inline bool vgic_v2_sgir_self(unsigned int id, u64 offset, unsigned int size, u64 val)
{
	u32 filter = ((u32)val >> VGIC_GICD_SGIR_TargetListFilter_SHIFT) & 3;
	u32 list = ((u32)val >> VGIC_GICD_SGIR_CPUTargetList_SHIFT) & 0xff;

	return offset == VGIC_GICD_SGIR && size == 4 &&
	       (filter == VGIC_GICD_SGIR_FILTER_SELF || (filter == 0 && list == BIT(id)));
}

/** Writes the GICv2 distributor frame as vCPU id; returns 0 or -E_INVAL. */
int vgic_v2_dist_write(struct vgic_dist *d, unsigned int id, u64 offset, unsigned int size, u64 val,
		       u32 *kick);

#endif
