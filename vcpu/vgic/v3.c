/*
 * GICv3 virtualization: the ICH_*_EL2 virtual CPU interface of each
 * physical CPU, and the emulated distributor and redistributors on the MMIO
 * bus at the IPAs of QEMU's virt machine. The guest's ICC_* accesses (but
 * the SGI registers) reach the ICV_* registers in hardware and never trap:
 * ICH_HCR_EL2.TC, TALL0 and TALL1 stay clear, and ICC_SRE_EL2.Enable (set
 * by platform/gic.c) lets EL1 reach ICC_SRE_EL1.
 */
#include "arch/gicv3.h"
#include "lib/log.h"
#include "vcpu/mmio.h"
#include "vcpu/sysreg_trap.h"
#include "vcpu/vgic/glue.h"
#include "vcpu/vgic/hw.h"
#include "vcpu/vgic/lr_format.h"

#define V3_GICD_IPA 0x08000000UL
#define V3_GICD_SIZE 0x10000UL
#define V3_GICR_IPA 0x080a0000UL
#define V3_GICR_STRIDE 0x20000UL /* RD_base and SGI_base, 64 KiB each */

/* The same on every CPU of the machines Partita runs on; the smallest is kept if not. */
static unsigned int lr_count_all = VGIC_MAX_LRS;
static unsigned int apr_count = 4; /* ICH_AP{0,1}R<n>_EL2 implemented: 1, 2 or 4 */
static u64 vmcr_reset;

/*
 * The reset state of the guest's CPU interface, as ICH_VMCR_EL2 holds it:
 * PMR 0 (everything masked), both groups off, EOImode 0, and each binary
 * point at its minimum (7 - PRIbits for Group 0, one more for Group 1), the
 * reset values of ICC_BPR0_EL1 and ICC_BPR1_EL1.
 */
static u64 vmcr_reset_value(u64 vtr)
{
	u64 pri_bits = ((vtr >> 29) & 7) + 1;
	u64 bpr0 = 7 - pri_bits;

	return (bpr0 << ICH_VMCR_EL2_VBPR0_SHIFT) | ((bpr0 + 1) << ICH_VMCR_EL2_VBPR1_SHIFT);
}

static void v3_reset_cpu_if(void)
{
	unsigned int i;

	write_sysreg(ICH_HCR_EL2, 0);
	write_sysreg(ICH_VMCR_EL2, vmcr_reset);
	for (i = 0; i < apr_count; i++)
		ich_apr_write_both(i, 0);
	for (i = 0; i < lr_count_all; i++)
		ich_lr_write(i, 0);
	/* En only: TC, TALL0 and TALL1 clear, so the guest's ICC_* accesses never trap. */
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EL2_En);
	isb();
}

static void v3_cpu_init(void)
{
	u64 vtr = read_sysreg(ICH_VTR_EL2);
	unsigned int lrs = (unsigned int)(vtr & ICH_VTR_EL2_ListRegs_MASK) + 1;
	unsigned int pre_bits = (unsigned int)((vtr >> ICH_VTR_EL2_PREbits_SHIFT) & 7) + 1;
	unsigned int i;

	/*
	 * Every LR this CPU has, not only the count all CPUs share: their reset
	 * values are UNKNOWN, and the ones above the shared count are never
	 * written again, so a stale valid entry there would live forever.
	 */
	for (i = 0; i < lrs; i++)
		ich_lr_write(i, 0);
	if (lrs < lr_count_all)
		lr_count_all = lrs;
	/* 5 preemption bits need one active-priority register, 6 two, 7 four. */
	apr_count = pre_bits <= 5 ? 1 : pre_bits == 6 ? 2 : 4;
	vmcr_reset = vmcr_reset_value(vtr);
	v3_reset_cpu_if();
}

static unsigned int v3_lr_count(void)
{
	return lr_count_all;
}

/*
 * EOIcount counts the guest's EOIs and DIRs that found no LR. With
 * EOImode 0 each deactivated an active interrupt left outside the LRs,
 * which vgic_fold() works out; with EOImode 1 its EOIs only dropped
 * priority, and its DIRs trap (TDIR) while such an interrupt exists.
 * Taken here, the count is zeroed, so that no later read counts it again.
 */
static __attribute__((noinline, cold)) void take_eoi_count(struct vgic_cpu *c, u64 hcr)
{
	if (!(read_sysreg(ICH_VMCR_EL2) & ICH_VMCR_EL2_VEOIM))
		c->eoi_count += (unsigned int)((hcr & ICH_HCR_EL2_EOIcount_MASK) >>
					       ICH_HCR_EL2_EOIcount_SHIFT);
	write_sysreg(ICH_HCR_EL2, hcr & ~ICH_HCR_EL2_EOIcount_MASK);
}

static void v3_read_lrs(struct vgic_cpu *c)
{
	unsigned int i;

	/* Only counted while an active interrupt is outside the LRs; each refill zeroes it. */
	if (c->active_out) {
		u64 hcr = read_sysreg(ICH_HCR_EL2);

		if (hcr & ICH_HCR_EL2_EOIcount_MASK)
			take_eoi_count(c, hcr);
	}
	for (i = 0; i < c->lr_used; i++)
		c->lr[i] = vgic_lr_v3_decode(ich_lr_read(i));
}

/*
 * The maintenance interrupts a flush asks for: underflow to refill when
 * more waited than fitted; no pending LR left while a pending interrupt
 * waits outside (NPIE); and while an active interrupt has no LR, an EOI
 * that found no LR (LRENPIE, EOImode 0) and every DIR trapped (TDIR,
 * EOImode 1), since the hardware cannot deactivate what it does not hold.
 */
static u64 v3_hcr(const struct vgic_cpu *c)
{
	u64 hcr = ICH_HCR_EL2_En;

	if (c->underflow)
		hcr |= ICH_HCR_EL2_UIE;
	if (c->pending_out)
		hcr |= ICH_HCR_EL2_NPIE;
	if (c->active_out)
		hcr |= ICH_HCR_EL2_LRENPIE | ICH_HCR_EL2_TDIR;
	return hcr;
}

static void v3_write_lrs(const struct vgic_cpu *c)
{
	unsigned int i;

	for (i = 0; i < lr_count_all; i++)
		ich_lr_write(i, i < c->lr_used ? vgic_lr_v3_encode(&c->lr[i]) : 0);
	write_sysreg(ICH_HCR_EL2, v3_hcr(c));
	/* The next exception return is context synchronizing: no ISB needed before the guest. */
}

static struct vgic_lr v3_read_lr(unsigned int n, const struct vgic_lr *shadow)
{
	(void)shadow;
	return vgic_lr_v3_decode(ich_lr_read(n));
}

static void v3_write_lr(unsigned int n, const struct vgic_lr *lr)
{
	ich_lr_write(n, vgic_lr_v3_encode(lr));
}

static void v3_lr_set_pending(unsigned int n, const struct vgic_lr *lr)
{
	(void)lr;
	/* An empty LR keeps its other fields (IHI 0069 12.4.6): only State changes. */
	ich_lr_or(n, (u64)VGIC_LR_PENDING << ICH_LR_EL2_State_SHIFT);
}

static bool v3_lr_empty(unsigned int n)
{
	/* Invalid, and no EOI maintenance interrupt owed (IHI 0069 12.4.6). */
	return (read_sysreg(ICH_ELRSR_EL2) >> n) & 1;
}

static enum vcpu_stop gicd_read(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a)
{
	u64 val = 0;
	int err;

	vgic_sync(v);
	err = vgic_v3_dist_read(&v->vm->vgic, v->id, a.off, mmio_size(a), &val);

	(void)d;
	return vgic_read_done(v, a, err, val);
}

static enum vcpu_stop gicd_write(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a,
				 u64 val)
{
	u32 kick = 0;
	int err;

	vgic_sync(v);
	err = vgic_v3_dist_write(&v->vm->vgic, v->id, a.off, mmio_size(a), val, &kick);

	(void)d;
	return vgic_write_done(v, a, err, kick);
}

static enum vcpu_stop gicr_read(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a)
{
	u64 val = 0;
	int err;

	vgic_sync(v);
	err = vgic_v3_redist_read(&v->vm->vgic, (unsigned int)(a.off / V3_GICR_STRIDE),
				  a.off % V3_GICR_STRIDE, mmio_size(a), &val);

	(void)d;
	return vgic_read_done(v, a, err, val);
}

static enum vcpu_stop gicr_write(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a,
				 u64 val)
{
	u32 kick = 0;
	int err;

	vgic_sync(v);
	err = vgic_v3_redist_write(&v->vm->vgic, (unsigned int)(a.off / V3_GICR_STRIDE),
				   a.off % V3_GICR_STRIDE, mmio_size(a), val, &kick);

	(void)d;
	return vgic_write_done(v, a, err, kick);
}

static int v3_attach_vm(struct vm *vm)
{
	const struct mmio_dev gicd = {
		.name = "GICv3 distributor",
		.base = V3_GICD_IPA,
		.size = V3_GICD_SIZE,
		.read = gicd_read,
		.write = gicd_write,
	};
	/* One device for every redistributor: the bus looks up fewer entries. */
	const struct mmio_dev gicr = {
		.name = "GICv3 redistributors",
		.base = V3_GICR_IPA,
		.size = V3_GICR_STRIDE * vm->vcpu_count,
		.read = gicr_read,
		.write = gicr_write,
	};
	int err = mmio_register(vm, &gicd);

	err = err ?: mmio_register(vm, &gicr);
	if (err)
		log_err("vm %s: cannot attach the virtual GICv3 at IPA 0x%lx: %s", vm->name,
			V3_GICD_IPA,
			err == -E_EXIST ? "another emulated device is there"
					: "every emulated-device slot is taken");
	return err;
}

/* Out of line, as the SGI to self need not pay for kick's stack-protector check. */
static __attribute__((noinline)) void sgi_slow(struct vcpu *v, u64 reg, u64 val)
{
	u32 kick = 0;

	/* With DS = 1, ICC_SGI0R_EL1 and ICC_ASGI1R_EL1 both make Group 0 SGIs. */
	vgic_v3_sgi(&v->vm->vgic, v->id, val, reg == SYS_ICC_SGI1R_EL1, &kick);
	/* An SGI to self goes straight into an LR when it can: no refill. */
	if ((kick & BIT(v->id)) && vgic_inject_local(v, (u32)(val >> 24) & 0xf, false))
		kick &= ~(u32)BIT(v->id);
	vgic_kick(v, kick);
}

bool vgic_v3_sgi_trap(struct vcpu *v, u64 reg, bool read, u64 val)
{
	if (read)
		return false;
	/* An SGI1R to this vCPU alone: made pending and delivered in one go. */
	if (reg != SYS_ICC_SGI1R_EL1 || !vgic_v3_sgi_self(v->id, val) ||
	    !vgic_inject_local(v, (u32)(val >> 24) & 0xf, true))
		sgi_slow(v, reg, val);
	return true;
}

bool vgic_v3_dir_trap(struct vcpu *v, bool read, u64 val)
{
	u32 kick = 0;

	if (read)
		return false;
	/* With EOImode 0 a DIR write is UNPREDICTABLE; ignored, as the interface does. */
	if (!(read_sysreg(ICH_VMCR_EL2) & ICH_VMCR_EL2_VEOIM))
		return true;
	/* The LRs first: the interrupt may be in one, active. */
	vgic_sync(v);
	/* An INTID outside the VM is ignored, as the interface ignores it. */
	(void)vgic_deactivate(&v->vm->vgic, v->id, (u32)val & 0xffffff, &kick);
	vgic_kick(v, kick);
	return true;
}

const struct vgic_hw_ops vgic_hw_v3 = {
	.cpu_init = v3_cpu_init,
	.lr_count = v3_lr_count,
	.read_lrs = v3_read_lrs,
	.write_lrs = v3_write_lrs,
	.reset_cpu_if = v3_reset_cpu_if,
	.attach_vm = v3_attach_vm,
	.read_lr = v3_read_lr,
	.write_lr = v3_write_lr,
	.lr_empty = v3_lr_empty,
	.lr_set_pending = v3_lr_set_pending,
};
