/*
 * GICv2 interrupts active beyond the list registers. The virtual CPU
 * interface deactivates an interrupt only if an LR holds it; a guest EOI
 * (EOImode 0) or DIR (EOImode 1) of one that has none only counts in
 * GICH_HCR.EOICount. With EOImode 0 the count is enough: EOIs come in the
 * reverse order of acknowledges, so vgic_fold() knows which ones they were.
 * With EOImode 1 it is not, and GICv2 has no trap for DIR as GICv3 has
 * (ICH_HCR_EL2.TDIR): so the page of the guest's CPU interface that holds
 * GICC_DIR is never mapped, and every DIR write is emulated here. Only
 * guests that use EOImode 1 pay for it, with one exit per deactivation.
 */
#include "vcpu/vgic/dir_v2.h"

#include "arch/mmio.h"
#include "lib/log.h"
#include "platform/gic.h"
#include "vcpu/mmio.h"
#include "vcpu/vgic/gich.h"
#include "vcpu/vgic/glue.h"

#define GICH_HCR_LRENPIE BIT(2) /* maintenance while EOICount is not 0 */
#define GICH_HCR_NPIE BIT(3) /* maintenance while no LR is pending */
#define GICH_HCR_EOICount_SHIFT 27
#define GICH_HCR_EOICount_MASK (0x1fU << GICH_HCR_EOICount_SHIFT)
#define GICH_VMCR_VEM BIT(9) /* the guest's GICC_CTLR.EOImode */

u32 vgic_v2_hcr_overflow(const struct vgic_cpu *c)
{
	return (c->pending_out ? GICH_HCR_NPIE : 0) | (c->active_out ? GICH_HCR_LRENPIE : 0);
}

void vgic_v2_take_eoi_count(struct vgic_cpu *c, u64 gich)
{
	u32 hcr;

	/* Only counted while an active interrupt is outside the LRs; each refill zeroes it. */
	if (!c->active_out)
		return;
	hcr = mmio_read32(gich + GICH_HCR);
	if (!(hcr & GICH_HCR_EOICount_MASK))
		return;
	if (!(mmio_read32(gich + GICH_VMCR) & GICH_VMCR_VEM))
		c->eoi_count += (hcr & GICH_HCR_EOICount_MASK) >> GICH_HCR_EOICount_SHIFT;
	mmio_write32(gich + GICH_HCR, hcr & ~GICH_HCR_EOICount_MASK);
}

static enum vcpu_stop dir_read(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a)
{
	(void)d;
	/* GICC_DIR is write-only and the rest of the page reserved: RAZ, 32-bit only. */
	return vgic_read_done(v, a, mmio_size(a) == 4 ? 0 : -E_INVAL, 0);
}

static enum vcpu_stop dir_write(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a,
				u64 val)
{
	u64 gich = gic_frames()->hyp.base;
	u32 kick = 0;

	(void)d;
	if (mmio_size(a) != 4)
		return vgic_write_done(v, a, -E_INVAL, 0);
	/* DIR with EOImode 0 is UNPREDICTABLE: ignored, as the interface does. */
	if (a.off == 0 && (mmio_read32(gich + GICH_VMCR) & GICH_VMCR_VEM)) {
		/* The LRs first: the interrupt may be in one, active. */
		vgic_sync(v);
		(void)vgic_deactivate(&v->vm->vgic, v->id, (u32)val, &kick);
	}
	return vgic_write_done(v, a, 0, kick);
}

int vgic_v2_attach_dir(struct vm *vm, u64 ipa)
{
	const struct mmio_dev dir = {
		.name = "GICv2 GICC_DIR",
		.base = ipa,
		.size = PAGE_SIZE,
		.read = dir_read,
		.write = dir_write,
	};
	int err = mmio_register(vm, &dir);

	if (err)
		log_err("vm %s: cannot attach the virtual GICC_DIR at IPA 0x%lx: %s", vm->name, ipa,
			err == -E_EXIST ? "another emulated device is there"
					: "every emulated-device slot is taken");
	return err;
}
