#include "vcpu/irq.h"

#include "arch/atomic.h"
#include "lib/log.h"
#include "platform/gic.h"
#include "vcpu/exit.h"
#include "vcpu/irq_owner.h"
#include "vcpu/serror.h"
#include "vcpu/vgic/glue.h"

#define UNOWNED_LOG_PER_SECOND 10

/* The kick SGI carries no work of its own: the request word says what to do. */
static void kick_handler(struct vcpu *v, u32 intid)
{
	(void)v;
	(void)intid;
}

void irq_init_cpu(unsigned int cpu)
{
	/* Only fails for a CPU out of range or if registered twice: neither happens. */
	(void)irq_owner_set_hyp(cpu, GIC_SGI_KICK, kick_handler);
}

void vcpu_request(struct vcpu *v, u32 req)
{
	/* Release: what the requester wrote is visible before the bit; gic_send_sgi() orders the SGI. */
	atomic_or32_release(&v->requests, req);
	gic_send_sgi(v->pcpu, GIC_SGI_KICK);
}

void vcpu_kick(struct vcpu *v)
{
	vcpu_request(v, VCPU_REQ_KICK);
}

void vcpu_requests_clear(struct vcpu *v)
{
	*(volatile u32 *)&v->requests = 0;
}

enum vcpu_stop vcpu_handle_requests(struct vcpu *v)
{
	u32 req = atomic_take32_acquire(&v->requests);

	if (req & VCPU_REQ_VGIC_UPDATE)
		vgic_update(v);
	/* VCPU_REQ_KICK needs nothing more: the exit itself was the point. */
	return (req & VCPU_REQ_STOP) ? VCPU_STOP_KICKED : VCPU_RUNS;
}

/* At most UNOWNED_LOG_PER_SECOND warnings a second, whatever the machine does. */
static bool unowned_log_allowed(void)
{
	static u64 window;
	static unsigned int count;
	u64 now = counter_read();

	if (now - window > counter_freq()) {
		window = now;
		count = 0;
	}
	return count++ < UNOWNED_LOG_PER_SECOND;
}

/*
 * An interrupt nobody owns should never have been enabled (gic_init()
 * disables them all): disable it for good, so it cannot fire again.
 */
static void irq_unowned(unsigned int pcpu, u32 intid, u32 token)
{
	gic_disable(pcpu, intid);
	gic_eoi(token);
	gic_deactivate(token);
	if (unowned_log_allowed())
		log_warn("cpu%u: interrupt %u has no owner; disabled", pcpu, intid);
}

/*
 * No stack-protector check: its one address-taken local is intid, which
 * only gic_ack() writes (a u32), and the check is a tenth of the budget of
 * the timer's path through here.
 */
__attribute__((no_stack_protector)) enum vcpu_stop vcpu_irq(struct vcpu *v)
{
	u32 intid, token;
	const struct irq_owner *o;

	/* The GIC is a device: its errors are Partita's, not the guest's (vcpu/serror.h). */
	serror_collect_guest(v);
	token = gic_ack(&intid);
	if (gic_is_special(intid))
		return VCPU_RUNS;
	o = irq_owner_get(v->pcpu, intid);
	switch (o->kind) {
	case IRQ_OWNER_HYP:
		gic_eoi(token);
		gic_deactivate(token);
		o->handler(v, intid);
		break;
	case IRQ_OWNER_VM:
		gic_eoi(token);
		vcpu_count_injected(o->vcpu);
		/* The timer of the vCPU it interrupted: straight into an LR if it can. */
		if (o->vcpu != v || !vgic_inject_local(v, intid, true))
			vgic_inject_hw(o->vcpu, intid);
		break;
	default:
		irq_unowned(v->pcpu, intid, token);
		break;
	}
	serror_collect_hyp(v, "handled a physical interrupt");
	return VCPU_RUNS;
}
