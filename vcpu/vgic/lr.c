/*
 * List register allocation: vgic_flush() fills a vCPU's LR shadow from its
 * pending list, vgic_fold() folds what the guest did with them back.
 *
 * Lock order: vgic_dist.lock is a leaf (see vgic.h); both functions take it.
 *
 * Pending state moves into the LR at flush: the latch of an edge or HW
 * interrupt is cleared there and set again at fold if the LR is still
 * pending. A level interrupt keeps its latch until the guest acknowledges it,
 * and its LR asks for an EOI maintenance interrupt, so that its line is
 * looked at again when the guest deactivates it (it is pending again if
 * still high). A HW interrupt needs neither: the physical GIC raises it again.
 */
#include "vcpu/vgic/internal.h"

static unsigned int lowest_bit(u32 bits)
{
	return (unsigned int)__builtin_ctz(bits);
}

/* The state the LR gives the guest: pending only if it may be signalled. */
static bool lr_pending(const struct vgic_dist *d, const struct vgic_irq *irq)
{
	if (!irq->enabled || !vgic_group_enabled(d, irq) || !vgic_irq_pending(irq))
		return false;
	/* HW = 1 has no pending-and-active state; a GICv2 LR holds one SGI source. */
	if (irq->active && (irq->hw || irq->sources))
		return false;
	return true;
}

/* Moves the pending state of irq into lr. */
static void take_pending(struct vgic_irq *irq, struct vgic_lr *lr)
{
	lr->state |= VGIC_LR_PENDING;
	if (irq->sources) {
		lr->source = (u8)lowest_bit(irq->sources);
		irq->sources &= (u8)~BIT(lr->source);
		/* Ask to be told when the guest is done, to give it the next source. */
		lr->eoi = irq->sources != 0;
	} else if (!irq->level || irq->hw) {
		irq->latch = false;
	}
}

static struct vgic_lr make_lr(const struct vgic_dist *d, struct vgic_irq *irq)
{
	struct vgic_lr lr = {
		.intid = irq->intid,
		.pintid = irq->hw ? irq->pintid : 0,
		.priority = irq->priority,
		.group1 = irq->group1,
		.hw = irq->hw,
		.eoi = irq->level && !irq->hw,
	};

	if (irq->active) {
		lr.state = VGIC_LR_ACTIVE;
		lr.source = irq->active_source;
		if (irq->sources)
			lr.eoi = true;
	}
	if (lr_pending(d, irq))
		take_pending(irq, &lr);
	return lr;
}

/* Whether flush should give irq an LR. */
static bool wants_lr(const struct vgic_dist *d, const struct vgic_irq *irq)
{
	return irq->active || lr_pending(d, irq);
}

/*
 * More is waiting than fits: ask to be told when there is room. Underflow
 * (UIE: at most one valid LR) rather than NPIE (no pending LR), which would
 * fire at once and forever while every LR holds an active interrupt. With a
 * single LR, UIE would fire at once too: ask for the EOI maintenance
 * interrupt of that entry instead (a HW entry cannot have one; its physical
 * deactivation is not seen, and the rest waits for the next exit).
 */
static void overflow(struct vgic_cpu *c)
{
	if (c->lr_count >= 2)
		c->underflow = true;
	else if (c->lr_count == 1 && !c->lr[0].hw)
		c->lr[0].eoi = true;
}

/* Which interrupts a round of flush_round() gives LRs to. */
enum round {
	ROUND_PENDING, /* pending and not active */
	ROUND_ACTIVE, /* active (perhaps pending too) */
};

/*
 * Gives LRs to the interrupts of c's list that want one and that round
 * takes, in list order, from lr[*n] on; notes what found no room. Returns
 * whether an interrupt that round skips wanted an LR.
 */
static bool flush_round(const struct vgic_dist *d, struct vgic_cpu *c, unsigned int *n,
			enum round round)
{
	struct vgic_irq *irq;
	bool skipped = false;

	for (irq = c->head; irq; irq = irq->next) {
		/* A sleeping redistributor forwards nothing (GICR_WAKER). */
		if (!wants_lr(d, irq) || (c->asleep && !irq->active))
			continue;
		if (irq->active != (round == ROUND_ACTIVE)) {
			skipped = true;
			continue;
		}
		if (*n == c->lr_count) {
			overflow(c);
			if (irq->active)
				c->active_out = true;
			else
				c->pending_out = true;
			continue;
		}
		c->lr[(*n)++] = make_lr(d, irq);
		irq->in_lr = true;
	}
	return skipped;
}

/*
 * Pending interrupts get their LRs before active ones: a guest that
 * acknowledges more interrupts than there are LRs and deactivates them
 * later (EOImode 1, or deep preemption) must still be shown the next
 * pending one. An active interrupt left without an LR is deactivated
 * through the maintenance interrupt and EOIcount (EOImode 0: vgic_fold())
 * or a trapped DIR (EOImode 1: vgic_deactivate(); ICH_HCR_EL2.TDIR on
 * GICv3, GICC_DIR's page left unmapped on GICv2), which the glue asks for
 * with active_out.
 */
void vgic_flush(struct vgic_dist *d, unsigned int id)
{
	struct vgic_cpu *c;

	spin_lock(&d->lock);
	c = id < d->cpu_count ? d->cpu[id] : NULL;
	if (c && c->lr_used == 0) {
		unsigned int n = 0;

		c->underflow = c->pending_out = c->active_out = false;
		if (flush_round(d, c, &n, ROUND_PENDING))
			(void)flush_round(d, c, &n, ROUND_ACTIVE);
		c->lr_used = n;
	}
	spin_unlock(&d->lock);
}

/* GICv2 SGIs keep one pending bit per requesting CPU. */
static bool v2_sgi(const struct vgic_dist *d, const struct vgic_irq *irq)
{
	return d->version == VGIC_V2 && irq->intid < VGIC_SGI_COUNT;
}

/* Folds one LR back into irq. */
static void fold_one(const struct vgic_dist *d, struct vgic_irq *irq, const struct vgic_lr *lr)
{
	/* ICPENDR, ICACTIVER and ISACTIVER writes made meanwhile win over the LR. */
	bool pending = (lr->state & VGIC_LR_PENDING) && !irq->clr_pend;
	bool active = (lr->state & VGIC_LR_ACTIVE) && !irq->clr_act;

	irq->in_lr = false;
	irq->active = active || irq->set_act;
	irq->clr_pend = irq->clr_act = irq->set_act = false;
	/* Taken or withdrawn: a pending state set by register is spent. */
	if (!pending && !irq->latch)
		irq->sw_pend = false;
	if (v2_sgi(d, irq)) {
		if (active)
			irq->active_source = lr->source;
		if (pending)
			irq->sources |= (u8)BIT(lr->source);
	} else if (pending) {
		if (!irq->level || irq->hw)
			irq->latch = true;
	} else if (irq->level && !irq->hw) {
		/* Acknowledged: only the line keeps it pending now. */
		irq->latch = false;
	}
}

/*
 * The guest's EOImode 0 EOIs that found no LR (the hardware counted them
 * in EOIcount) each deactivated an active interrupt that had none: EOIs
 * come in the reverse order of acknowledges, so highest priority first,
 * and the LRs held the highest-priority active ones, so these are the
 * first active interrupts of c's list outside the LRs, in list order.
 */
static void fold_eoi_count(struct vgic_dist *d, struct vgic_cpu *c, u32 *kick)
{
	struct vgic_irq *done[32];
	struct vgic_irq *irq;
	unsigned int n = 0, i;

	for (irq = c->head; irq && n < c->eoi_count && n < ARRAY_SIZE(done); irq = irq->next) {
		if (irq->active && !irq->in_lr)
			done[n++] = irq;
	}
	c->eoi_count = 0;
	/* Not while walking: an update moves the interrupt in the list. */
	for (i = 0; i < n; i++) {
		done[i]->active = false;
		vgic_mark_phys(d, done[i], kick);
		vgic_irq_update(d, done[i], kick);
	}
}

u32 vgic_fold(struct vgic_dist *d, unsigned int id)
{
	struct vgic_cpu *c;
	unsigned int i;
	u32 kick = 0;

	spin_lock(&d->lock);
	c = id < d->cpu_count ? d->cpu[id] : NULL;
	if (c && c->eoi_count)
		fold_eoi_count(d, c, &kick);
	for (i = 0; c && i < c->lr_used; i++) {
		struct vgic_irq *irq = vgic_irq_get(d, id, c->lr[i].intid);
		/* Only this file writes LRs, so a stranger INTID is nothing of ours. */
		if (irq && irq->in_lr) {
			fold_one(d, irq, &c->lr[i]);
			vgic_irq_update(d, irq, &kick);
		}
		c->lr[i] = (struct vgic_lr){ 0 };
	}
	if (c) {
		c->lr_used = 0;
		c->underflow = c->pending_out = c->active_out = false;
	}
	spin_unlock(&d->lock);
	return kick;
}

int vgic_deactivate(struct vgic_dist *d, unsigned int id, u32 value, u32 *kick)
{
	/* GICC_DIR: INTID [9:0], and for an SGI the requester in CPUID [12:10]. */
	bool v2 = d->version == VGIC_V2;
	u32 intid = v2 ? value & 0x3ff : value & 0xffffff;
	struct vgic_irq *irq;
	int ret = -E_INVAL;

	spin_lock(&d->lock);
	irq = id < d->cpu_count ? vgic_irq_get(d, id, intid) : NULL;
	if (irq) {
		bool source_ok = !v2_sgi(d, irq) || irq->active_source == ((value >> 10) & 7);

		/* Folded first, so no LR holds it: DIR of an inactive one does nothing. */
		if (irq->active && !irq->in_lr && source_ok) {
			irq->active = false;
			vgic_mark_phys(d, irq, kick);
			vgic_irq_update(d, irq, kick);
		}
		ret = 0;
	}
	spin_unlock(&d->lock);
	return ret;
}

/*
 * One LR instead of a fold and flush of them all: the cheap case of an
 * interrupt just made pending for the vCPU running here. Only private
 * interrupts (they never move to another vCPU), and only when that needs no
 * other LR looked at: its own LR is empty now (the guest finished with it),
 * or it has none and a free one is past the used ones with nothing
 * overflowing. Everything else goes the long way, and then nothing here
 * has changed any state.
 */
int vgic_flush_one(struct vgic_dist *d, unsigned int id, u32 intid, bool pend, int slot,
		   const struct vgic_lr *live)
{
	struct vgic_cpu *c;
	struct vgic_irq *irq;
	u32 kick = 0;
	int n = -1;

	spin_lock(&d->lock);
	c = id < d->cpu_count ? d->cpu[id] : NULL;
	irq = c && intid < VGIC_PRIVATE_COUNT ? vgic_irq_get(d, id, intid) : NULL;
	if (!irq || v2_sgi(d, irq) || (c->asleep && !irq->active))
		goto out;
	if (slot >= 0) {
		if ((unsigned int)slot >= c->lr_used || c->lr[slot].intid != intid || !irq->in_lr ||
		    live->state != VGIC_LR_INVALID)
			goto out;
		fold_one(d, irq, live);
		n = slot;
	} else {
		/* Pending now, it wants an LR if it can be signalled at all. */
		bool wants = pend ? irq->active || (irq->enabled && vgic_group_enabled(d, irq))
				  : wants_lr(d, irq);

		if (irq->in_lr || c->underflow || c->lr_used >= c->lr_count || !wants)
			goto out;
		n = (int)c->lr_used++;
	}
	if (pend) {
		/* As vgic_irq_pend(), after the fold: the new edge is not lost to it. */
		irq->latch = true;
		irq->clr_pend = false;
	}
	if (slot >= 0 || pend)
		vgic_irq_update(d, irq, &kick);
	/* An LR that delivers nothing is harmless: it folds as one the guest emptied. */
	c->lr[n] = make_lr(d, irq);
	irq->in_lr = true;
out:
	spin_unlock(&d->lock);
	return n;
}

/*
 * The fastest case: intid fires again (a new edge, a timer's new deadline)
 * after the guest finished with it, and its LR, now empty, was written with
 * exactly what a fold and flush would write again. The interrupt state does
 * not change (its position on the pending list neither: it stays inactive),
 * but for the latch, which the new LR takes. A GICv2 SGI is re-armed only
 * from the sender its LR names, id itself (an SGI to self), and only with
 * no other sender waiting: that sender's pending bit is what the LR takes.
 */
bool vgic_rearm(struct vgic_dist *d, unsigned int id, u32 intid, unsigned int slot)
{
	const struct vgic_lr *lr;
	struct vgic_cpu *c;
	struct vgic_irq *irq;
	bool ok = false;

	spin_lock(&d->lock);
	c = id < d->cpu_count ? d->cpu[id] : NULL;
	/* Private: no vgic_irq_get(). One test after another: this is the bench's path. */
	if (!c || intid >= VGIC_PRIVATE_COUNT || slot >= c->lr_used || c->asleep)
		goto out;
	lr = &c->lr[slot];
	irq = &c->priv[intid];
	if (lr->intid != intid || lr->state != VGIC_LR_PENDING || lr->eoi)
		goto out;
	/* Each flag refuses it: one test of them all, not a branch each (u8: bitwise on purpose). */
	if (((u8)!irq->in_lr | (u8)irq->active | ((u8)irq->level & (u8)!irq->hw) |
	     (u8)irq->clr_pend | (u8)irq->clr_act | (u8)irq->set_act | (u8)!irq->enabled) ||
	    !(irq->group1 ? d->grp1_enabled : d->grp0_enabled))
		goto out;
	/* A GICv2 SGI: only from the sender its LR names, id, with no other sender waiting. */
	if (d->version == VGIC_V2 && intid < VGIC_SGI_COUNT &&
	    (lr->source != id || (irq->sources & ~BIT(id))))
		goto out;
	irq->latch = false;
	irq->sources = 0; /* a GICv2 SGI's: at most id's bit, taken by the LR */
	ok = true;
out:
	spin_unlock(&d->lock);
	return ok;
}
