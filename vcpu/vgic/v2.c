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
 * A HW-mapped interrupt (a timer PPI, a passed-through SPI) goes into its
 * GICH_LR with HW = 0 and EOI = 1, and Partita deactivates the physical
 * interrupt itself when it finds the LR gone invalid (after the EOI
 * maintenance interrupt, or at the next exit). With HW = 1 the guest's
 * deactivation would deactivate it without an exit, but QEMU's GICv2 (7.2)
 * then does not signal the physical interrupt again while its line stays
 * high, until some unrelated access to the physical GIC: a level timer
 * would not fire again. This costs one maintenance exit per such interrupt.
 * The shadow keeps hw and pintid, so the logic sees a HW entry either way.
 */
static u32 encode(const struct vgic_lr *lr)
{
	struct vgic_lr sw = *lr;

	if (sw.hw) {
		sw.hw = false;
		sw.eoi = true;
		sw.source = 0;
	}
	return vgic_lr_v2_encode(&sw);
}

/* The neutral form of LR n, whose shadow entry (what was written) is *lr. */
static struct vgic_lr decode(unsigned int n, const struct vgic_lr *lr)
{
	struct vgic_lr now = vgic_lr_v2_decode(mmio_read32(gich_lr(n)));

	if (!lr->hw)
		return now;
	now.hw = true;
	now.pintid = lr->pintid;
	now.eoi = false;
	now.source = 0;
	/* Deactivated by the guest since the last look: so is the physical interrupt now. */
	if (now.state == VGIC_LR_INVALID && lr->state != VGIC_LR_INVALID)
		gic_deactivate(lr->pintid);
	return now;
}

static void v2_read_lrs(struct vgic_cpu *c)
{
	for (unsigned int i = 0; i < c->lr_used; i++)
		c->lr[i] = decode(i, &c->lr[i]);
}

static void v2_write_lrs(const struct vgic_cpu *c)
{
	unsigned int i;

	for (i = 0; i < c->lr_used; i++)
		mmio_write32(gich_lr(i), encode(&c->lr[i]));
	/* An LR left from the last run would be delivered again, or keep an EOI maintenance up. */
	for (; i < lrs; i++)
		mmio_write32(gich_lr(i), 0);
	mmio_write32(gich + GICH_HCR, gich_hcr(c->underflow));
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

/* A GICD_SGIR write comes here too: the logic makes the SGIs, the kick delivers them. */
static enum vcpu_stop gicd_write(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a,
				 u64 val)
{
	u32 kick = 0;
	int err;

	vgic_sync(v);
	err = vgic_v2_dist_write(&v->vm->vgic, v->id, a.off, mmio_size(a), val, &kick);
	(void)d;
	return vgic_write_done(v, a, err, kick);
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
	err = stage2_map(&vm->s2, ipa_init(VGIC_V2_GICC_IPA), pa_init(gicv->base + off), GICV_SIZE,
			 S2_MEM_DEVICE);
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
	return map_gicv(vm);
}

const struct vgic_hw_ops vgic_hw_v2 = {
	.cpu_init = v2_cpu_init,
	.lr_count = v2_lr_count,
	.read_lrs = v2_read_lrs,
	.write_lrs = v2_write_lrs,
	.reset_cpu_if = v2_reset_cpu_if,
	.attach_vm = v2_attach_vm,
};
