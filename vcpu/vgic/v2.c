/*
 * GICv2 virtualization (IHI 0048B chapter 5): the backend of the vGIC for
 * a host GICv2 with the virtualization extensions. The guest sees a GICv2:
 *
 * - its CPU interface (GICC, 8 KiB at IPA VGIC_V2_GICC_IPA) is the host's
 *   GICV, mapped by stage 2, so acknowledge, EOI, priority mask and
 *   deactivation run without an exit;
 * - its distributor (GICD at VGIC_V2_GICD_IPA) is emulated by the vGIC's
 *   logic behind the MMIO bus; a GICD_SGIR write makes SGIs there;
 * - the interrupts it is to see are written to the list registers in this
 *   CPU's GICH frame, banked per CPU at one address, on the way into the
 *   guest, and read back on the way out.
 *
 * A vCPU is pinned to its physical CPU and only one runs there, so the
 * virtual CPU interface state beyond the list registers (GICH_VMCR,
 * GICH_APR) stays in the hardware and is reset, not switched.
 */
#include "arch/mmio.h"
#include "lib/log.h"
#include "mm/stage2.h"
#include "platform/gic.h"
#include "vcpu/mmio.h"
#include "vcpu/vgic/dir_v2.h"
#include "vcpu/vgic/gich.h"
#include "vcpu/vgic/glue.h"
#include "vcpu/vgic/hw.h"
#include "vcpu/vgic/lr_format.h"

/* The guest's GIC frames: where QEMU's virt machine has them, which guests expect. */
#define VGIC_V2_GICD_IPA 0x08000000UL
#define VGIC_V2_GICD_SIZE 0x10000UL /* the 4 KiB frame; the rest of the 64 KiB is RAZ/WI */
#define VGIC_V2_GICC_IPA 0x08010000UL

static u64 gich; /* this CPU's GICH frame, the same address on every CPU */
static unsigned int lrs; /* list registers, the same on every CPU */

static u64 gich_lr(unsigned int n)
{
	return gich + GICH_LR0 + 4UL * n;
}

static unsigned int v2_lr_count(void)
{
	return lrs;
}

/*
 * LR n's neutral form, whose shadow (what was written) is *lr; see
 * gich_lr_decode(). A HW entry the guest deactivated has its physical
 * interrupt deactivated here, on the CPU that took it, and its EOI bit
 * cleared in the same step: exactly once, whichever path looks first.
 */
static struct vgic_lr decode(unsigned int n, const struct vgic_lr *lr)
{
	bool deactivate;
	u32 val = mmio_read32(gich_lr(n));
	struct vgic_lr now = gich_lr_decode(val, lr, &deactivate);

	if (deactivate) {
		gic_deactivate(lr->pintid);
		mmio_write32(gich_lr(n), val & ~(u32)GICH_LR_EOI);
	}
	return now;
}

static void v2_read_lrs(struct vgic_cpu *c)
{
	vgic_v2_take_eoi_count(c, gich);
	for (unsigned int i = 0; i < c->lr_used; i++)
		c->lr[i] = decode(i, &c->lr[i]);
}

static void v2_write_lrs(const struct vgic_cpu *c)
{
	unsigned int i;

	for (i = 0; i < c->lr_used; i++)
		mmio_write32(gich_lr(i), gich_lr_encode(&c->lr[i]));
	/* An LR left from the last run would be delivered again, or keep an EOI maintenance up. */
	for (; i < lrs; i++)
		mmio_write32(gich_lr(i), 0);
	mmio_write32(gich + GICH_HCR, gich_hcr(c->underflow) | vgic_v2_hcr_overflow(c));
}

static struct vgic_lr v2_read_lr(unsigned int n, const struct vgic_lr *shadow)
{
	return decode(n, shadow);
}

static void v2_write_lr(unsigned int n, const struct vgic_lr *lr)
{
	mmio_write32(gich_lr(n), gich_lr_encode(lr));
}

static bool v2_lr_empty(unsigned int n)
{
	/* Invalid, and no EOI maintenance owed (IHI 0048B 5.3.9): a HW entry's deactivation done. */
	return (mmio_read32(gich + GICH_ELRSR0) >> n) & 1;
}

/*
 * An empty LR keeps its other fields (the guest's acknowledge and EOI only
 * change State), so State is set back to pending and, for a HW entry, the
 * EOI bit that decode() cleared when it deactivated the physical interrupt:
 * the LR is again what gich_lr_encode() wrote.
 */
static void v2_lr_set_pending(unsigned int n, const struct vgic_lr *lr)
{
	u32 set = (u32)VGIC_LR_PENDING << GICH_LR_State_SHIFT;

	if (lr->hw)
		set |= GICH_LR_EOI;
	mmio_write32(gich_lr(n), mmio_read32(gich_lr(n)) | set);
}

/*
 * The EOI maintenance interrupt of a HW entry (the timer's, each time the
 * guest handles it) only asks Partita to deactivate the physical interrupt:
 * done here, the LR left as its shadow says but for the state and the EOI
 * bit, so the next one re-arms it in place. Any other reason (underflow,
 * the EOI of a level or multi-source SGI entry, which the logic must fold)
 * takes the full update.
 */
static u32 v2_maint_finish(const struct vgic_cpu *c)
{
	u32 eisr, bits;

	if (mmio_read32(gich + GICH_MISR) != GICH_MISR_EOI)
		return 0;
	eisr = mmio_read32(gich + GICH_EISR0);
	for (bits = eisr; bits; bits &= bits - 1) {
		unsigned int n = (unsigned int)__builtin_ctz(bits);

		/* Only entries decode() finishes: HW, and written as delivering something. */
		if (n >= c->lr_used || !c->lr[n].hw || c->lr[n].state == VGIC_LR_INVALID)
			return 0;
	}
	for (bits = eisr; bits; bits &= bits - 1) {
		unsigned int n = (unsigned int)__builtin_ctz(bits);

		(void)decode(n, &c->lr[n]);
	}
	return eisr;
}

/*
 * A vCPU powers on with the virtual CPU interface as the GICv2
 * specification resets GICC: no active priority, no list register, both
 * groups off, PMR 0.
 */
static void reset_if(unsigned int lr_count)
{
	for (unsigned int i = 0; i < lr_count; i++)
		mmio_write32(gich_lr(i), 0);
	mmio_write32(gich + GICH_APR, 0);
	mmio_write32(gich + GICH_VMCR, gich_vmcr_reset());
	mmio_write32(gich + GICH_HCR, gich_hcr(false));
}

static void v2_reset_cpu_if(void)
{
	reset_if(lrs);
}

static void v2_cpu_init(void)
{
	unsigned int n;
	u32 vtr;

	gich = gic_frames()->hyp.base;
	vtr = mmio_read32(gich + GICH_VTR);
	n = gich_lr_count(vtr);
	/* Every CPU uses as many LRs as the smallest has (they are all alike in practice). */
	if (!lrs || n < lrs)
		lrs = n;
	/* Whatever the firmware left in any LR, used or not, must not reach the first guest. */
	reset_if((vtr & GICH_VTR_ListRegs_MASK) + 1);
}

static enum vcpu_stop gicd_read(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a)
{
	u64 val = 0;
	int err;

	/* What the guest did through GICV (an acknowledge, an EOI) must show in the registers. */
	vgic_sync(v);
	err = vgic_v2_dist_read(&v->vm->vgic, v->id, a.off, mmio_size(a), &val);
	(void)d;
	return vgic_read_done(v, a, err, val);
}

/* Out of line, as the SGI to self need not pay for kick's stack-protector check. */
static __attribute__((noinline)) enum vcpu_stop gicd_write_slow(struct vcpu *v,
								struct mmio_access a, u64 val)
{
	u32 kick = 0;
	int err;

	vgic_sync(v);
	err = vgic_v2_dist_write(&v->vm->vgic, v->id, a.off, mmio_size(a), val, &kick);
	return vgic_write_done(v, a, err, kick);
}

/*
 * A GICD_SGIR write comes here too: the logic makes the SGIs, the kick
 * delivers them. One naming exactly the writer goes straight into its LR
 * when it can (vgic_inject_local()), with no fold, no refill and no kick:
 * the SGI to self whose cost make bench holds.
 */
static enum vcpu_stop gicd_write(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a,
				 u64 val)
{
	(void)d;
	if (vgic_v2_sgir_self(v->id, a.off, mmio_size(a), val) &&
	    vgic_inject_local(v, (u32)val & VGIC_GICD_SGIR_SGIINTID_MASK, true))
		return mmio_write_done(v, a);
	return gicd_write_slow(v, a, val);
}

/* The guest's GICC: the host's GICV, mapped so that the CPU interface needs no exit. */
static int map_gicv(struct vm *vm)
{
	const struct plat_range *gicv = &gic_frames()->vcpu;
	u64 off;
	int err = gich_gicv_offset(gicv->base, gicv->size, &off);

	if (err) {
		log_err("vm %s: the host's GICV frame 0x%lx (%lu bytes) holds no page-aligned "
			"8 KiB CPU interface to give it",
			vm->name, gicv->base, gicv->size);
		return err;
	}
	/* The first page only: GICC_DIR, in the second, is emulated (dir_v2.c). */
	err = stage2_map(&vm->s2, ipa_init(VGIC_V2_GICC_IPA), pa_init(gicv->base + off),
			 VGIC_V2_GICC_DIR, S2_MEM_DEVICE);
	if (err)
		log_err("vm %s: cannot map the GICV frame 0x%lx at IPA 0x%lx: no memory for "
			"stage-2 "
			"tables",
			vm->name, gicv->base + off, VGIC_V2_GICC_IPA);
	return err;
}

static int v2_attach_vm(struct vm *vm)
{
	const struct mmio_dev gicd = {
		.name = "GICv2 distributor",
		.base = VGIC_V2_GICD_IPA,
		.size = VGIC_V2_GICD_SIZE,
		.read = gicd_read,
		.write = gicd_write,
	};
	int err = mmio_register(vm, &gicd);

	if (err) {
		log_err("vm %s: cannot attach the virtual GICv2 distributor at IPA 0x%lx: %s",
			vm->name, VGIC_V2_GICD_IPA,
			err == -E_EXIST ? "another emulated device is there"
					: "every emulated-device slot is taken");
		return err;
	}
	return map_gicv(vm) ?: vgic_v2_attach_dir(vm, VGIC_V2_GICC_IPA + VGIC_V2_GICC_DIR);
}

const struct vgic_hw_ops vgic_hw_v2 = {
	.cpu_init = v2_cpu_init,
	.lr_count = v2_lr_count,
	.read_lrs = v2_read_lrs,
	.write_lrs = v2_write_lrs,
	.reset_cpu_if = v2_reset_cpu_if,
	.attach_vm = v2_attach_vm,
	.read_lr = v2_read_lr,
	.write_lr = v2_write_lr,
	.lr_empty = v2_lr_empty,
	.lr_set_pending = v2_lr_set_pending,
	.maint_finish = v2_maint_finish,
};
