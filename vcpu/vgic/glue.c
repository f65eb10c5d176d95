#include "vcpu/vgic/glue.h"

#include "arch/atomic.h"
#include "lib/log.h"
#include "platform/gic.h"
#include "vcpu/irq.h"
#include "vcpu/irq_owner.h"
#include "vcpu/vgic/hw.h"

static const struct vgic_hw_ops *hw; /* NULL: no backend, guests get no virtual GIC */
static enum vgic_version version;
static u32 maint_ppi, vtimer_ppi, ptimer_ppi;

static bool hw_waiting_but(const struct vgic_cpu *c, u32 done);

/*
 * The maintenance interrupt (underflow, or the EOI of a level interrupt
 * without HW bit) says the guest made room in or finished with its LRs:
 * refill them on the way back. It is level: writing the LRs and
 * ICH_HCR_EL2.UIE anew drops it before the guest runs. What the backend
 * can finish alone (GICv2: the EOI of a HW entry, whose physical interrupt
 * it deactivates) needs no refill: the LR stays for the next re-arm.
 */
static void maint_handler(struct vcpu *v, u32 intid)
{
	u32 done = hw->maint_finish ? hw->maint_finish(&v->vgic) : 0;

	(void)intid;
	if (!done) {
		atomic_or32_release(&v->requests, VCPU_REQ_VGIC_UPDATE);
		return;
	}
	/* The entries the guest finished no longer wait: nothing to resample for them. */
	if (v->vgic_resample && !hw_waiting_but(&v->vgic, done))
		v->vgic_resample = false;
}

void vgic_init(const struct platform *p)
{
	unsigned int cpu;

	version = gic_version() == 3 ? VGIC_V3 : VGIC_V2;
	hw = version == VGIC_V3 ? &vgic_hw_v3 : &vgic_hw_v2;
	if (!hw->cpu_init) {
		log_warn("vgic: no GICv%u virtualization in this build: guests get no virtual GIC",
			 version);
		hw = NULL;
		return;
	}
	maint_ppi = p->gic.maint_ppi;
	vtimer_ppi = p->timer.virt_ppi;
	ptimer_ppi = p->timer.phys_ppi;
	for (cpu = 0; cpu < p->cpu_count; cpu++) {
		/* Only fails for a CPU out of range or a PPI registered twice: neither happens. */
		(void)irq_owner_set_hyp(cpu, maint_ppi, maint_handler);
	}
}

void vgic_init_cpu(unsigned int cpu)
{
	if (!hw)
		return;
	hw->cpu_init();
	gic_set_edge(cpu, maint_ppi, false);
	gic_enable(cpu, maint_ppi);
	/* The architected timers' outputs are levels (Arm ARM D11.2.4). */
	gic_set_edge(cpu, vtimer_ppi, false);
	gic_set_edge(cpu, ptimer_ppi, false);
}

/* Gives the timer PPIs of v's physical CPU to v, each HW-mapped to the same virtual PPI. */
static int own_timers(struct vm *vm, struct vcpu *v)
{
	const u32 ppis[2] = { vtimer_ppi, ptimer_ppi };
	unsigned int i;

	for (i = 0; i < 2; i++) {
		int err = irq_owner_set_vm(v->pcpu, ppis[i], v);

		err = err ?: vgic_map_hw(&vm->vgic, v->id, ppis[i], ppis[i]);
		if (err) {
			log_err("vm %s: vCPU %u: timer PPI %u of cpu%u cannot be given to it "
				"(error "
				"%d)",
				vm->name, v->id, ppis[i], v->pcpu, err);
			return err;
		}
	}
	return 0;
}

int vgic_vm_init(struct vm *vm)
{
	unsigned int i;
	int err;

	if (!hw)
		return 0;
	err = vgic_dist_init(&vm->vgic, version, vm->vcpu_count, VGIC_VM_SPIS, vm->vgic_spis);
	if (err) {
		log_err("vm %s: %u vCPUs are more than a virtual GICv%u can address", vm->name,
			vm->vcpu_count, version);
		return err;
	}
	for (i = 0; i < vm->vcpu_count && !err; i++) {
		vgic_cpu_init(&vm->vgic, &vm->vcpus[i].vgic, i, hw->lr_count());
		err = own_timers(vm, &vm->vcpus[i]);
	}
	return err ?: hw->attach_vm(vm);
}

int vgic_vm_passthrough_spi(struct vm *vm, u32 intid)
{
	struct vcpu *v0 = &vm->vcpus[0];
	int err;

	if (!hw)
		return 0;
	if (vm->passthrough_count == VM_MAX_PT_SPIS) {
		log_err("vm %s: SPI %u cannot be passed through: the VM owns %d already, the most "
			"one VM may",
			vm->name, intid, VM_MAX_PT_SPIS);
		return -E_NOMEM;
	}
	if (intid < GIC_NR_PRIVATE || intid >= 32 + VGIC_VM_SPIS || intid >= gic_nr_lines()) {
		log_err("vm %s: SPI %u cannot be passed through: its virtual GIC has INTIDs 32 to "
			"%u",
			vm->name, intid, 32 + VGIC_VM_SPIS - 1);
		return -E_INVAL;
	}
	err = irq_owner_set_vm(v0->pcpu, intid, v0);
	err = err ?: vgic_map_hw(&vm->vgic, 0, intid, intid);
	if (err) {
		log_err("vm %s: SPI %u cannot be passed through: %s", vm->name, intid,
			err == -E_BUSY ? "it has another owner" : "it is no SPI");
		return err;
	}
	/* Disabled until the guest enables it (vgic_write_done()). */
	gic_disable(v0->pcpu, intid);
	gic_set_edge(v0->pcpu, intid, false);
	gic_route_spi(intid, v0->pcpu);
	vm->passthrough_spis[vm->passthrough_count++] = intid;
	return 0;
}

static void release_stale_hw(struct vcpu *v);

int vgic_vm_set_spi_line(struct vm *vm, struct vcpu *self, u32 intid, bool high)
{
	u32 kick = 0;
	int err;

	if (!hw)
		return 0;
	if (intid < GIC_NR_PRIVATE || intid >= 32 + VGIC_VM_SPIS)
		return -E_INVAL;
	err = vgic_set_line(&vm->vgic, 0, intid, high, &kick);
	while (!err && kick) {
		unsigned int i = (unsigned int)__builtin_ctz(kick);

		kick &= kick - 1;
		if (i >= vm->vcpu_count)
			continue;
		if (self == &vm->vcpus[i])
			atomic_or32_release(&self->requests, VCPU_REQ_VGIC_UPDATE);
		else
			vcpu_request(&vm->vcpus[i], VCPU_REQ_VGIC_UPDATE);
	}
	return err;
}

/* Clears the physical pending and active state of the private HW-mapped interrupts of v. */
static void clear_private_hw(struct vcpu *v)
{
	gic_clear_pending_active(v->pcpu, vtimer_ppi);
	gic_clear_pending_active(v->pcpu, ptimer_ppi);
}

void vgic_vcpu_power_on(struct vcpu *v)
{
	struct vgic_dist *d = &v->vm->vgic;
	u32 kick;

	if (!hw)
		return;
	/*
	 * The timers were just reset (their outputs are low): an interrupt of
	 * the previous life, left pending or active, is forgotten here, so
	 * nothing of it reaches the new one.
	 */
	clear_private_hw(v);
	kick = vgic_cpu_reset(d, v->id);
	hw->reset_cpu_if();
	vgic_flush(d, v->id);
	hw->write_lrs(&v->vgic);
	/* SPIs this vCPU held in its earlier life went to the others: tell them. */
	vgic_kick(v, kick & ~(u32)BIT(v->id));
	gic_enable(v->pcpu, vtimer_ppi);
	gic_enable(v->pcpu, ptimer_ppi);
}

void vgic_vcpu_power_off(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;
	struct vgic_dist *d = &v->vm->vgic;
	unsigned int i;
	u32 kick;

	if (!hw)
		return;
	hw->read_lrs(c);
	/*
	 * A HW entry still pending or active in an LR has its physical
	 * interrupt active (taken here, priority dropped): the guest that
	 * would have deactivated it is gone, so deactivate it on this CPU,
	 * where it was taken.
	 */
	for (i = 0; i < c->lr_used; i++) {
		if (c->lr[i].hw && c->lr[i].state != VGIC_LR_INVALID)
			gic_deactivate(c->lr[i].pintid);
	}
	kick = vgic_fold(d, v->id);
	kick |= vgic_cpu_reset(d, v->id);
	/* A passed-through SPI it held active outside the LRs, or still pending. */
	if (c->hw_stale)
		release_stale_hw(v);
	hw->reset_cpu_if();
	vgic_kick(v, kick & ~(u32)BIT(v->id));
}

void vgic_vm_reset(struct vm *vm)
{
	if (!hw)
		return;
	vgic_reset(&vm->vgic);
	for (unsigned int i = 0; i < vm->passthrough_count; i++) {
		struct vcpu *v0 = &vm->vcpus[0];

		/* Disabled until the new run enables it; an activation the old run left is gone. */
		gic_disable(v0->pcpu, vm->passthrough_spis[i]);
		gic_clear_pending_active(v0->pcpu, vm->passthrough_spis[i]);
	}
	vm->passthrough_on = 0;
}

/* Whether an LR of c but those in done holds a HW-mapped interrupt the guest has not taken yet. */
static bool hw_waiting_but(const struct vgic_cpu *c, u32 done)
{
	unsigned int i;

	for (i = 0; i < c->lr_used; i++) {
		if (c->lr[i].hw && c->lr[i].state == VGIC_LR_PENDING && !(done & BIT(i)))
			return true;
	}
	return false;
}

static bool hw_waiting(const struct vgic_cpu *c)
{
	return hw_waiting_but(c, 0);
}

static void refill(struct vcpu *v)
{
	vgic_flush(&v->vm->vgic, v->id);
	hw->write_lrs(&v->vgic);
	v->vgic_resample = hw_waiting(&v->vgic);
}

/*
 * HW interrupts whose virtual pending or active state changed other than
 * through a HW = 1 list register, on the CPU that owns them (a GICv2 PPI's
 * registers are banked): by register (Linux writes all-ones to ICACTIVER
 * when it brings a CPU up; a guest may set ISPENDR or ISACTIVER), or by a
 * deactivation outside the LRs. One the guest made pending or active gets
 * its physical interrupt made active, so that it cannot fire again before
 * the guest's deactivation of the LR deactivates it; one the guest is done
 * with gets it cleared, since no guest deactivation will reach it any more.
 * Either way no guest action leaves it active once the guest is done.
 */
static __attribute__((noinline, cold)) void release_stale_hw(struct vcpu *v)
{
	u32 pintids[4];
	unsigned int i, n;

	do {
		n = vgic_take_stale_hw(&v->vm->vgic, v->id, pintids, ARRAY_SIZE(pintids));
		for (i = 0; i < n; i++) {
			u32 pintid = pintids[i] & ~(u32)VGIC_PHYS_ACTIVE;

			if (pintids[i] & VGIC_PHYS_ACTIVE)
				gic_set_active(v->pcpu, pintid);
			else
				gic_clear_pending_active(v->pcpu, pintid);
		}
	} while (n == ARRAY_SIZE(pintids));
}

void vgic_update(struct vcpu *v)
{
	if (!hw)
		return;
	u32 kick;

	hw->read_lrs(&v->vgic);
	kick = vgic_fold(&v->vm->vgic, v->id);
	/* Set under the vGIC lock before the request that brought us here. */
	if (v->vgic.hw_stale)
		release_stale_hw(v);
	refill(v);
	vgic_kick(v, kick & ~(u32)BIT(v->id));
}

void vgic_sync(struct vcpu *v)
{
	if (!hw)
		return;
	hw->read_lrs(&v->vgic);
	vgic_kick(v, vgic_fold(&v->vm->vgic, v->id) & ~(u32)BIT(v->id));
	/* The hardware LRs are stale now: refill them before the guest runs. */
	atomic_or32_release(&v->requests, VCPU_REQ_VGIC_UPDATE);
}

/*
 * A HW-mapped level interrupt (a timer) was injected while the guest had
 * interrupts masked, and the guest then turned its source off: a real GIC
 * would forget it, so the LR must not deliver it either. Its physical
 * interrupt is active (taken at EL2, not deactivated), so the GIC's pending
 * bit is exactly its line. Runs on each return to the guest while such an
 * LR waits (vcpu/entry.S), which in practice is the first exit after the
 * injection: the guest usually takes it at once.
 */
void vgic_resample(struct vcpu *v)
{
	struct vgic_cpu *c = &v->vgic;
	struct vgic_dist *d = &v->vm->vgic;
	bool retired = false;
	u32 kick = 0;
	unsigned int i;

	hw->read_lrs(c);
	for (i = 0; i < c->lr_used; i++) {
		const struct vgic_lr *lr = &c->lr[i];

		/* Made pending by register (-E_BUSY): the guest takes it whatever the line says. */
		if (lr->hw && lr->state == VGIC_LR_PENDING &&
		    !gic_is_pending(v->pcpu, lr->pintid) &&
		    vgic_retire_hw(d, v->id, lr->intid, &kick) == 0) {
			gic_deactivate(lr->pintid);
			retired = true;
		}
	}
	if (!retired) {
		v->vgic_resample = hw_waiting(c);
		return;
	}
	kick |= vgic_fold(d, v->id);
	refill(v);
	vgic_kick(v, kick & ~(u32)BIT(v->id));
}

void vgic_kick(struct vcpu *self, u32 kick)
{
	struct vm *vm = self->vm;

	while (kick) {
		unsigned int i = (unsigned int)__builtin_ctz(kick);

		kick &= kick - 1;
		if (i >= vm->vcpu_count)
			continue;
		if (i == self->id)
			atomic_or32_release(&self->requests, VCPU_REQ_VGIC_UPDATE);
		else
			vcpu_request(&vm->vcpus[i], VCPU_REQ_VGIC_UPDATE);
	}
}

/*
 * A passed-through SPI is enabled at the physical GIC exactly while the
 * guest enables it at its virtual one: one the guest does not want stays
 * quiet at the source. Checked after each distributor write, under the
 * VM's vGIC lock so that two vCPUs' writes apply in the order they happened.
 */
static void sync_passthrough(struct vm *vm)
{
	if (!vm->passthrough_count)
		return;
	spin_lock(&vm->vgic.lock);
	for (unsigned int i = 0; i < vm->passthrough_count; i++) {
		u32 intid = vm->passthrough_spis[i];
		bool on = vm->vgic.spis[intid - 32].enabled;

		if (on == !!(vm->passthrough_on & BIT(i)))
			continue;
		if (on)
			gic_enable(vm->vcpus[0].pcpu, intid);
		else
			gic_disable(vm->vcpus[0].pcpu, intid);
		vm->passthrough_on ^= (u32)BIT(i);
	}
	spin_unlock(&vm->vgic.lock);
}

enum vcpu_stop vgic_read_done(struct vcpu *v, struct mmio_access a, int err, u64 val)
{
	if (err)
		return mmio_refuse(v, a);
	return mmio_read_done(v, a, val);
}

enum vcpu_stop vgic_write_done(struct vcpu *v, struct mmio_access a, int err, u32 kick)
{
	if (err)
		return mmio_refuse(v, a);
	vgic_kick(v, kick);
	sync_passthrough(v->vm);
	return mmio_write_done(v, a);
}

/* The LR intid has in v's shadow, or -1 (the shadow is this CPU's: only it changes v's LRs). */
static int shadow_slot(const struct vgic_cpu *c, u32 intid)
{
	unsigned int i;

	for (i = 0; i < c->lr_used; i++)
		if (c->lr[i].intid == intid)
			return (int)i;
	return -1;
}

/* Out of line: the struct on its stack would cost the fast path a stack-protector check. */
static __attribute__((noinline)) int flush_one(struct vcpu *v, u32 intid, bool pend, int slot)
{
	struct vgic_lr live = { 0 };

	if (slot >= 0)
		live = hw->read_lr((unsigned int)slot, &v->vgic.lr[slot]);
	return vgic_flush_one(&v->vm->vgic, v->id, intid, pend, slot, &live);
}

bool vgic_inject_local(struct vcpu *v, u32 intid, bool pend)
{
	/* Read once: the calls below cannot change it, but the compiler does not know. */
	const struct vgic_hw_ops *ops = hw;
	struct vgic_cpu *c = &v->vgic;
	const struct vgic_lr *lr;
	int n;

	/* A backend has all four LR operations or none. */
	if (!ops || !ops->lr_empty)
		return false;
	n = shadow_slot(c, intid);
	if (n >= 0 && ops->lr_empty((unsigned int)n) &&
	    vgic_rearm(&v->vm->vgic, v->id, intid, (unsigned int)n)) {
		/* The LR still holds what c->lr[n] says, but for its state. */
		lr = c->lr + (unsigned int)n;
		ops->lr_set_pending((unsigned int)n, lr);
	} else {
		n = flush_one(v, intid, pend, n);
		if (n < 0)
			return false;
		lr = &c->lr[n];
		ops->write_lr((unsigned int)n, lr);
	}
	/* Its source was high a moment ago: look at it again from the next exit on. */
	if (lr->hw && lr->state == VGIC_LR_PENDING)
		v->vgic_resample = VGIC_RESAMPLE_LATER;
	return true;
}

void vgic_inject_hw(struct vcpu *v, u32 intid)
{
	u32 kick = 0;

	/* Every interrupt a VM owns is HW-mapped to the same virtual INTID. */
	if (!hw || vgic_set_pending(&v->vm->vgic, v->id, intid, &kick)) {
		gic_deactivate(intid);
		return;
	}
	vgic_kick(v, kick);
}
