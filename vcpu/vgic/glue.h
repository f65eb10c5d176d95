/*
 * The virtual GIC wired into the hypervisor: per-VM and per-vCPU state in
 * struct vm and struct vcpu, the hardware backend of the host's GIC version
 * (vcpu/vgic/hw.h), the maintenance interrupt, kicks, the HW-mapped timer
 * PPIs and passed-through SPIs. Nothing here is version-specific.
 *
 * Flow: whatever changes what a vCPU should see (a register write, an SGI,
 * a physical interrupt of its VM) posts VCPU_REQ_VGIC_UPDATE to it; its exit
 * path then calls vgic_update() before it returns to the guest. The list
 * registers, VMCR and active priorities stay live in the hardware across
 * exits (vCPUs are pinned), so an exit without a request costs nothing here.
 */
#ifndef VCPU_VGIC_GLUE_H
#define VCPU_VGIC_GLUE_H

#include "platform/platform.h"
#include "vcpu/mmio.h"
#include "vcpu/vcpu.h"

/**
 * Boot CPU, once, after gic_init(): picks the backend of the host GIC's
 * version and makes the maintenance interrupt Partita's on every CPU of p.
 * Without a backend for that version guests get no virtual GIC (logged).
 */
void vgic_init(const struct platform *p);

/**
 * On each physical CPU, after its GIC interface is up: the virtual CPU
 * interface on, the maintenance interrupt enabled, the timer PPIs made
 * level-sensitive.
 */
void vgic_init_cpu(unsigned int cpu);

/**
 * At VM build, once its vCPUs are pinned: the distributor and every vCPU's
 * interface, the timer PPIs of each vCPU's CPU given to it and HW-mapped,
 * the emulated registers on the MMIO bus. Returns 0, or a negative error
 * after a log line naming the VM.
 */
int vgic_vm_init(struct vm *vm);

/**
 * Gives the physical SPI intid to vm: owned by it, routed to its vCPU 0's
 * CPU, HW-mapped to the same virtual INTID, and enabled while the guest
 * enables it; a VM may own up to VM_MAX_PT_SPIS. Returns 0, or -E_INVAL /
 * -E_BUSY / -E_NOMEM (too many) after a log line naming the VM.
 */
int vgic_vm_passthrough_spi(struct vm *vm, u32 intid);

/**
 * Drives the input line of virtual SPI intid of vm: the interrupt of a
 * device Partita emulates (not HW-mapped), pending while the line is high
 * if the guest configured it level-sensitive, on each rise if edge. self
 * is the vCPU running on this CPU, or NULL: a vCPU of vm whose list
 * registers this makes stale gets the request, and a kick unless it is
 * self. Returns 0 (also without a virtual GIC, which has nothing to
 * drive), or -E_INVAL for an INTID that is not one of vm's SPIs.
 */
int vgic_vm_set_spi_line(struct vm *vm, struct vcpu *self, u32 intid, bool high);

/**
 * At vCPU power-on, on its own CPU: its interrupts and CPU interface back to
 * reset, physical timer PPIs the previous life left active deactivated, the
 * timer PPIs enabled.
 */
void vgic_vcpu_power_on(struct vcpu *v);

/**
 * When a vCPU stops (CPU_OFF, a kick, its VM stopping), on its own CPU: its
 * list registers are folded and emptied, the physical interrupts of HW
 * entries it held deactivated (no guest will deactivate them now), and the
 * SPIs queued on it handed to the vCPUs they route to, which are kicked.
 */
void vgic_vcpu_power_off(struct vcpu *v);

/**
 * When a VM stops or resets, with all its vCPUs off: the whole vGIC back to
 * reset, its passed-through SPIs disabled and no longer active.
 */
void vgic_vm_reset(struct vm *vm);

/** VCPU_REQ_VGIC_UPDATE: folds the LRs the guest changed, refills them, writes them back. */
void vgic_update(struct vcpu *v);

/**
 * Before an emulated GIC register access by v: folds v's LRs into the
 * interrupt state, so that the registers read what the guest did (an
 * acknowledge, an EOI), and asks for a refill before the guest runs again.
 */
void vgic_sync(struct vcpu *v);

/**
 * Called by vcpu/entry.S on the way back to the guest while v->vgic_resample
 * is set: an injected HW interrupt whose physical source went quiet before
 * the guest took it is withdrawn (and its physical interrupt deactivated).
 */
void vgic_resample(struct vcpu *v);

/** struct vcpu.vgic_resample: look at the source on every return, or from the next one on. */
#define VGIC_RESAMPLE_NOW 1
#define VGIC_RESAMPLE_LATER 2

/**
 * Delivers private interrupt intid, just made pending for v (with pend:
 * made pending here; v is the vCPU running on this CPU), by writing the one
 * LR that carries it, without the
 * fold and flush of a VCPU_REQ_VGIC_UPDATE. Returns false when that cannot
 * be done (no free LR, its own LR still busy, no such backend operation):
 * the caller then posts the update as usual.
 */
bool vgic_inject_local(struct vcpu *v, u32 intid, bool pend);

/**
 * Posts VCPU_REQ_VGIC_UPDATE to every vCPU of self's VM in the kick mask:
 * self just gets the bit (it is on its way back to the guest), the others
 * also get the kick SGI.
 */
void vgic_kick(struct vcpu *self, u32 kick);

/**
 * Finishes an emulated GIC register read: err (-E_INVAL: a width or
 * alignment the specification forbids) refuses it with an external abort
 * and a rate-limited line, else val is returned to the guest.
 */
enum vcpu_stop vgic_read_done(struct vcpu *v, struct mmio_access a, int err, u64 val);

/** Finishes an emulated GIC register write: refused as vgic_read_done(), else kicks. */
enum vcpu_stop vgic_write_done(struct vcpu *v, struct mmio_access a, int err, u32 kick);

/**
 * A trapped write to ICC_SGI1R_EL1, ICC_ASGI1R_EL1 or ICC_SGI0R_EL1 (reg is
 * the ISS register encoding, vcpu/sysreg_trap.h): delivered to the VM's
 * own vCPUs. Returns false for a read (the registers are write-only).
 */
bool vgic_v3_sgi_trap(struct vcpu *v, u64 reg, bool read, u64 val);

/**
 * A trapped write to ICC_DIR_EL1 (ICH_HCR_EL2.TDIR, set while an active
 * interrupt has no list register): deactivates the interrupt val names,
 * as the virtual CPU interface would. Returns false for a read (the
 * register is write-only).
 */
bool vgic_v3_dir_trap(struct vcpu *v, bool read, u64 val);

#endif
