/*
 * Virtual interrupt state and the per-vCPU pending lists.
 *
 * Lock order: vgic_dist.lock is a leaf (see vgic.h). The public functions
 * here take it; the vgic_irq_* helpers of internal.h expect it held.
 *
 * A pending list holds every interrupt routed to its vCPU that the guest may
 * need to see: active ones (the guest must be able to deactivate them) and
 * pending-and-enabled ones. It is kept in delivery order: active first, then
 * by priority (lowest value first), then by INTID. An interrupt in an LR
 * stays on its list until vgic_fold() sees the guest finished with it.
 */
#include "vcpu/vgic/internal.h"

struct vgic_irq *vgic_irq_get(struct vgic_dist *d, unsigned int id, u32 intid)
{
	if (intid < VGIC_PRIVATE_COUNT) {
		if (id >= d->cpu_count || !d->cpu[id])
			return NULL;
		return &d->cpu[id]->priv[intid];
	}
	if (intid - VGIC_PRIVATE_COUNT < d->spi_count)
		return &d->spis[intid - VGIC_PRIVATE_COUNT];
	return NULL;
}

bool vgic_irq_pending(const struct vgic_irq *irq)
{
	if (irq->sources)
		return true;
	if (irq->level && !irq->hw)
		return irq->line || irq->latch;
	return irq->latch;
}

bool vgic_group_enabled(const struct vgic_dist *d, const struct vgic_irq *irq)
{
	return irq->group1 ? d->grp1_enabled : d->grp0_enabled;
}

static bool should_queue(const struct vgic_irq *irq)
{
	return irq->active || (irq->enabled && vgic_irq_pending(irq));
}

/* The vCPU an interrupt goes to: its owner, its IROUTER affinity, or the
 * lowest-numbered CPU of its GICv2 target list (1-of-N). */
static int route_target(const struct vgic_dist *d, const struct vgic_irq *irq)
{
	unsigned int i;

	if (irq->owner >= 0)
		return irq->owner;
	if (d->version == VGIC_V3)
		return vgic_affinity_vcpu(d, irq->route);
	for (i = 0; i < d->cpu_count; i++)
		if (irq->targets & BIT(i))
			return (int)i;
	return -1;
}

static bool irq_before(const struct vgic_irq *a, const struct vgic_irq *b)
{
	if (a->active != b->active)
		return a->active;
	if (a->priority != b->priority)
		return a->priority < b->priority;
	return a->intid < b->intid;
}

static void list_remove(struct vgic_dist *d, struct vgic_irq *irq)
{
	struct vgic_cpu *c = d->cpu[irq->vcpu];

	if (irq->prev)
		irq->prev->next = irq->next;
	else
		c->head = irq->next;
	if (irq->next)
		irq->next->prev = irq->prev;
	irq->next = irq->prev = NULL;
	irq->vcpu = -1;
}

/* Inserts irq after every entry that goes before it. */
static void list_insert(struct vgic_cpu *c, struct vgic_irq *irq)
{
	struct vgic_irq *prev = NULL, *pos = c->head;

	while (pos && !irq_before(irq, pos)) {
		prev = pos;
		pos = pos->next;
	}
	irq->prev = prev;
	irq->next = pos;
	if (pos)
		pos->prev = irq;
	if (prev)
		prev->next = irq;
	else
		c->head = irq;
	irq->vcpu = (s8)c->id;
}

void vgic_irq_update(struct vgic_dist *d, struct vgic_irq *irq, u32 *kick)
{
	int target;

	if (irq->vcpu >= 0) {
		struct vgic_cpu *c = d->cpu[irq->vcpu];
		bool stays = irq->in_lr || irq->active;

		*kick |= (u32)BIT(irq->vcpu);
		list_remove(d, irq);
		/* The guest may be handling it there: it stays until folded and
		 * inactive, but moves to where its new priority puts it. */
		if (stays) {
			list_insert(c, irq);
			return;
		}
	}
	if (!should_queue(irq))
		return;
	target = route_target(d, irq);
	if (target < 0 || !d->cpu[target])
		return;
	list_insert(d->cpu[target], irq);
	*kick |= (u32)BIT(target);
}

void vgic_irq_pend(struct vgic_dist *d, struct vgic_irq *irq, u32 *kick)
{
	irq->latch = true;
	irq->clr_pend = false;
	vgic_irq_update(d, irq, kick);
}

static void irq_reset(struct vgic_dist *d, struct vgic_irq *irq, u32 intid, int owner)
{
	bool hw = irq->hw;
	u16 pintid = irq->pintid;
	/* A HW-mapped SPI stays pinned to its vCPU (vgic_map_hw()). */
	s8 pinned = hw && intid >= VGIC_PRIVATE_COUNT ? irq->owner : (s8)owner;
	u64 route = hw && intid >= VGIC_PRIVATE_COUNT ? irq->route : 0;

	*irq = (struct vgic_irq){ .vcpu = -1, .owner = pinned, .intid = (u16)intid };
	/* A mapping is the hypervisor's wiring (the timer, a passed-through
	 * device), not guest state: it survives a reset. */
	irq->hw = hw;
	irq->pintid = pintid;
	irq->route = route;
	/* A non-secure OS with DS = 1 expects Group 1, as on KVM; GICv2 resets to Group 0. */
	irq->group1 = d->version == VGIC_V3;
	/* SGIs are always edge-triggered; PPIs and SPIs reset level-sensitive. */
	irq->level = intid >= VGIC_SGI_COUNT;
	/* IROUTER 0 is vCPU 0 (GICv3); GICv2 SPIs target CPU 0. */
	irq->targets = intid >= VGIC_PRIVATE_COUNT ? 1 : 0;
}

static void cpu_clear(struct vgic_dist *d, struct vgic_cpu *c)
{
	unsigned int i;
	u32 kick = 0;

	while (c->head) {
		struct vgic_irq *irq = c->head;

		list_remove(d, irq);
		/* A HW SPI the guest was handling: its physical state follows (vgic_cpu_reset()). */
		vgic_mark_phys(d, irq, &kick);
		irq->in_lr = false;
		irq->active = false;
	}
	for (i = 0; i < VGIC_MAX_LRS; i++)
		c->lr[i] = (struct vgic_lr){ 0 };
	c->lr_used = 0;
	c->underflow = false;
	c->asleep = d->version == VGIC_V3;
	for (i = 0; i < VGIC_PRIVATE_COUNT; i++)
		irq_reset(d, &c->priv[i], i, (int)c->id);
}

/*
 * SPIs that lost their list when a vCPU was cleared go where they route now;
 * returns the vCPUs whose lists gained one.
 */
static u32 spis_requeue(struct vgic_dist *d)
{
	u32 kick = 0;
	unsigned int i;

	for (i = 0; i < d->spi_count; i++)
		if (d->spis[i].vcpu < 0)
			vgic_irq_update(d, &d->spis[i], &kick);
	return kick;
}

u32 vgic_cpu_reset(struct vgic_dist *d, unsigned int id)
{
	u32 kick = 0;

	spin_lock(&d->lock);
	if (id < d->cpu_count && d->cpu[id]) {
		cpu_clear(d, d->cpu[id]);
		kick = spis_requeue(d);
	}
	spin_unlock(&d->lock);
	return kick;
}

static void dist_clear(struct vgic_dist *d)
{
	unsigned int i;

	for (i = 0; i < d->cpu_count; i++)
		if (d->cpu[i])
			cpu_clear(d, d->cpu[i]);
	for (i = 0; i < d->spi_count; i++)
		irq_reset(d, &d->spis[i], VGIC_PRIVATE_COUNT + i, -1);
	d->grp0_enabled = false;
	d->grp1_enabled = false;
}

void vgic_reset(struct vgic_dist *d)
{
	spin_lock(&d->lock);
	dist_clear(d);
	spin_unlock(&d->lock);
}

int vgic_dist_init(struct vgic_dist *d, enum vgic_version version, unsigned int vcpu_count,
		   unsigned int spi_count, struct vgic_irq *spis)
{
	unsigned int max = version == VGIC_V2 ? VGIC_V2_MAX_VCPUS : VGIC_MAX_VCPUS;
	unsigned int i;

	if (vcpu_count == 0 || vcpu_count > max || spi_count % 32 || spi_count > VGIC_MAX_SPIS)
		return -E_INVAL;
	if (version != VGIC_V2 && version != VGIC_V3)
		return -E_INVAL;
	*d = (struct vgic_dist){ .lock = SPINLOCK_INIT, .version = version };
	d->prio_mask = (u8)(0xff << (8 - VGIC_PRIO_BITS));
	d->spi_count = spi_count;
	d->spis = spis;
	d->cpu_count = vcpu_count;
	for (i = 0; i < spi_count; i++)
		spis[i] = (struct vgic_irq){ 0 };
	dist_clear(d);
	return 0;
}

void vgic_cpu_init(struct vgic_dist *d, struct vgic_cpu *c, unsigned int id, unsigned int lr_count)
{
	spin_lock(&d->lock);
	/* Zeroed first: irq_reset() keeps a HW mapping, and there is none yet. */
	*c = (struct vgic_cpu){ .id = id, .lr_count = MIN(lr_count, VGIC_MAX_LRS) };
	if (id < d->cpu_count) {
		d->cpu[id] = c;
		cpu_clear(d, c);
	}
	spin_unlock(&d->lock);
}

static struct vgic_irq *irq_for_input(struct vgic_dist *d, unsigned int id, u32 intid)
{
	if (id >= d->cpu_count)
		return NULL;
	return vgic_irq_get(d, id, intid);
}

int vgic_set_line(struct vgic_dist *d, unsigned int id, u32 intid, bool high, u32 *kick)
{
	struct vgic_irq *irq;
	int ret = -E_INVAL;

	spin_lock(&d->lock);
	irq = irq_for_input(d, id, intid);
	if (irq) {
		bool rising = high && !irq->line;

		irq->line = high;
		if (rising && (!irq->level || irq->hw))
			vgic_irq_pend(d, irq, kick);
		else
			vgic_irq_update(d, irq, kick);
		ret = 0;
	}
	spin_unlock(&d->lock);
	return ret;
}

int vgic_set_pending(struct vgic_dist *d, unsigned int id, u32 intid, u32 *kick)
{
	struct vgic_irq *irq;
	int ret = -E_INVAL;

	spin_lock(&d->lock);
	irq = irq_for_input(d, id, intid);
	if (irq) {
		vgic_irq_pend(d, irq, kick);
		ret = 0;
	}
	spin_unlock(&d->lock);
	return ret;
}

int vgic_retire_hw(struct vgic_dist *d, unsigned int id, u32 intid, u32 *kick)
{
	struct vgic_irq *irq;
	int ret = -E_INVAL;

	spin_lock(&d->lock);
	irq = irq_for_input(d, id, intid);
	if (irq && irq->hw && irq->sw_pend) {
		ret = -E_BUSY;
	} else if (irq && irq->hw) {
		/* As an ICPENDR write: an LR still holding it loses it at the next fold. */
		irq->latch = false;
		irq->line = false;
		irq->clr_pend = irq->in_lr;
		vgic_irq_update(d, irq, kick);
		ret = 0;
	}
	spin_unlock(&d->lock);
	return ret;
}

void vgic_mark_phys(struct vgic_dist *d, struct vgic_irq *irq, u32 *kick)
{
	int o = irq->owner >= 0 ? irq->owner : irq->vcpu;

	if (!irq->hw || o < 0 || !d->cpu[o])
		return;
	irq->phys_stale = true;
	d->cpu[o]->hw_stale = true;
	*kick |= (u32)BIT(o);
}

/*
 * Brings the physical state of a marked HW interrupt into line with the
 * virtual one. Pending or active virtually: the physical
 * interrupt must be active, so that it cannot fire again before the
 * guest's deactivation of the HW = 1 LR deactivates it; it is already if
 * EL2 took it. Idle virtually: nothing will deactivate it any more, so it
 * is cleared. An interrupt still in an LR that the guest is clearing by
 * register waits for the fold that shows the outcome.
 */
static bool take_stale(struct vgic_irq *irq, u32 *pintids, unsigned int *n, unsigned int max)
{
	bool busy = irq->latch || irq->active;

	if (!irq->phys_stale)
		return false;
	if ((irq->in_lr && !busy) || irq->clr_pend || irq->clr_act || *n == max)
		return true;
	irq->phys_stale = false;
	pintids[(*n)++] = irq->pintid | (busy ? VGIC_PHYS_ACTIVE : 0);
	return false;
}

unsigned int vgic_take_stale_hw(struct vgic_dist *d, unsigned int id, u32 *pintids,
				unsigned int max)
{
	struct vgic_cpu *c;
	unsigned int n = 0;

	spin_lock(&d->lock);
	c = id < d->cpu_count ? d->cpu[id] : NULL;
	if (c && c->hw_stale) {
		bool left = false;
		unsigned int i;

		for (i = 0; i < VGIC_PRIVATE_COUNT; i++)
			left |= take_stale(&c->priv[i], pintids, &n, max);
		for (i = 0; i < d->spi_count; i++) {
			if (d->spis[i].owner == (s8)id)
				left |= take_stale(&d->spis[i], pintids, &n, max);
		}
		c->hw_stale = left;
	}
	spin_unlock(&d->lock);
	return n;
}

int vgic_map_hw(struct vgic_dist *d, unsigned int id, u32 intid, u32 pintid)
{
	struct vgic_irq *irq;
	int ret = -E_INVAL;

	if (pintid != 0 && (pintid < VGIC_SGI_COUNT || pintid >= 1020))
		return -E_INVAL;
	spin_lock(&d->lock);
	irq = irq_for_input(d, id, intid);
	if (irq) {
		irq->hw = pintid != 0;
		irq->pintid = (u16)pintid;
		/*
		 * A HW-mapped SPI goes to vCPU id only: its physical interrupt is
		 * routed to that vCPU's CPU, and the guest's deactivation must
		 * come from there. The guest's routing writes are ignored.
		 */
		if (intid >= VGIC_PRIVATE_COUNT) {
			irq->owner = pintid ? (s8)id : -1;
			irq->route = pintid ? vgic_vcpu_affinity(id) : 0;
			irq->targets = pintid ? (u8)BIT(id) : 1;
		}
		ret = 0;
	}
	spin_unlock(&d->lock);
	return ret;
}

bool vgic_has_deliverable(struct vgic_dist *d, unsigned int id)
{
	const struct vgic_irq *irq;
	bool found = false;

	spin_lock(&d->lock);
	if (id < d->cpu_count && d->cpu[id] && !d->cpu[id]->asleep) {
		for (irq = d->cpu[id]->head; irq && !found; irq = irq->next)
			found = irq->enabled && vgic_irq_pending(irq) && vgic_group_enabled(d, irq);
	}
	spin_unlock(&d->lock);
	return found;
}
