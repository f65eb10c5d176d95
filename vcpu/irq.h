/*
 * Physical interrupts taken while a guest runs, and requests posted to a
 * vCPU by other CPUs (or by this one): the work for a vCPU is a bit in its
 * request word, checked by the exit path before every return to the guest;
 * a kick is that bit plus a physical SGI that makes the target leave its
 * guest to look.
 */
#ifndef VCPU_IRQ_H
#define VCPU_IRQ_H

#include "vcpu/vcpu.h"

/* Bits of struct vcpu's requests word. */
#define VCPU_REQ_STOP BIT(0) /* leave the guest and return VCPU_STOP_KICKED to the run loop */
#define VCPU_REQ_KICK BIT(1) /* just go through the exit path once (nothing else to do) */
#define VCPU_REQ_VGIC_UPDATE BIT(2) /* the vGIC has new virtual interrupts for this vCPU */

/**
 * Registers Partita's own interrupts of physical CPU cpu in the owner
 * table (the kick SGI). Called once per CPU after its GIC interface is up.
 */
void irq_init_cpu(unsigned int cpu);

/**
 * Posts the request bits req to v and kicks its physical CPU with the kick
 * SGI, so that a guest running there exits and sees them before it runs
 * again. Safe from any CPU, with or without v's VM lock; never waits.
 */
void vcpu_request(struct vcpu *v, u32 req);

/** Asks the vCPU to go through its exit path once: vcpu_request(v, VCPU_REQ_KICK). */
void vcpu_kick(struct vcpu *v);

/** Forgets every request of v: when it is (re)claimed for a new power-on. */
void vcpu_requests_clear(struct vcpu *v);

/**
 * Handles and clears v's pending requests; called by vcpu/entry.S when the
 * word is not zero on the way back to the guest. Returns VCPU_RUNS, or
 * VCPU_STOP_KICKED for a stop request.
 */
enum vcpu_stop vcpu_handle_requests(struct vcpu *v);

/**
 * Handles a physical interrupt taken to EL2 while v's guest ran: it is
 * acknowledged, looked up in the owner table and handled by Partita, given
 * to the owning VM's vGIC, or, owned by nobody, disabled for good with a
 * rate-limited warning. Returns VCPU_RUNS (requests decide about stops).
 */
enum vcpu_stop vcpu_irq(struct vcpu *v);

/**
 * Hands the physical interrupt intid, acknowledged and priority-dropped, to
 * the vGIC of v's VM, which injects it with the HW bit so that the guest's
 * deactivation finishes it (vcpu/vgic/glue.c). Without a virtual GIC it is
 * deactivated at once, so nothing stays active.
 */
void vgic_inject_hw(struct vcpu *v, u32 intid);

#endif
