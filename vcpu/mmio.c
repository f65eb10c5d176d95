#include "vcpu/mmio.h"

#include "arch/esr.h"
#include "arch/sysreg.h"
#include "lib/log.h"
#include "vcpu/exit.h"
#include "vcpu/inject.h"

/* Data abort ISS fields (Arm ARM D17.2.37, ISS encoding for a data abort). */
#define ISS_ISV BIT(24)
#define ISS_SAS_SHIFT 22
#define ISS_SSE BIT(21)
#define ISS_SRT_SHIFT 16
#define ISS_SF BIT(15)
#define ISS_AR BIT(14)
#define ISS_S1PTW BIT(7)
#define ISS_WNR BIT(6)

#define HPFAR_FIPA_MASK GENMASK(43, 4)

int mmio_register(struct vm *vm, const struct mmio_dev *dev)
{
	unsigned int i;

	if (vm->mmio_count == VM_MAX_MMIO)
		return -E_NOMEM;
	for (i = 0; i < vm->mmio_count; i++) {
		const struct mmio_dev *d = &vm->mmio[i];

		if (dev->base < d->base + d->size && d->base < dev->base + dev->size)
			return -E_EXIST;
	}
	vm->mmio[vm->mmio_count++] = *dev;
	return 0;
}

u64 mmio_fault_ipa(void)
{
	return ((read_sysreg(hpfar_el2) & HPFAR_FIPA_MASK) << 8) |
	       (read_sysreg(far_el2) & (PAGE_SIZE - 1));
}

static const struct mmio_dev *find(const struct vm *vm, u64 ipa)
{
	unsigned int i;

	for (i = 0; i < vm->mmio_count; i++) {
		if (ipa - vm->mmio[i].base < vm->mmio[i].size)
			return &vm->mmio[i];
	}
	return NULL;
}

static enum vcpu_stop refuse(struct vcpu *v, u64 esr, u64 ipa, const char *why)
{
	log_warn(VCPU_FMT ": %s of IPA 0x%lx at pc 0x%lx %s; injected a synchronous external "
		 "abort",
		 VCPU_ARGS(v), (esr & ISS_WNR) ? "write" : "read", ipa, v->regs.elr, why);
	inject_abort(v, esr, true);
	return VCPU_RUNS;
}

static u64 sign_extend(u64 val, unsigned int bits)
{
	return (u64)((s64)(val << (64 - bits)) >> (64 - bits));
}

enum vcpu_stop mmio_handle_abort(struct vcpu *v, u64 esr)
{
	u64 ipa = mmio_fault_ipa(), val;
	const struct mmio_dev *d = find(v->vm, ipa);
	unsigned int size = 1U << ((esr >> ISS_SAS_SHIFT) & 3);
	unsigned int rt = (esr >> ISS_SRT_SHIFT) & 0x1f;
	u64 mask = size == 8 ? ~0UL : (1UL << (size * 8)) - 1;

	if (esr & ISS_S1PTW)
		return refuse(v, esr, ipa, "by the guest's own table walk, outside its memory");
	if (!d)
		return refuse(v, esr, ipa, "outside every region");
	/*
	 * With ISV clear (a load/store pair, or one with writeback) the
	 * syndrome does not say which registers are involved, so the access
	 * cannot be emulated; refusing it is what Arm permits for MMIO.
	 */
	if (!(esr & ISS_ISV))
		return refuse(v, esr, ipa, "with ISV=0 (a load/store pair or writeback)");
	if (esr & ISS_WNR) {
		/* A store-release orders the guest's earlier accesses before it. */
		if (esr & ISS_AR)
			dmb(ish);
		if (!d->write(v, d, ipa - d->base, size, vcpu_reg(v, rt) & mask))
			return refuse(v, esr, ipa, "refused by its device");
	} else {
		if (!d->read(v, d, ipa - d->base, size, &val))
			return refuse(v, esr, ipa, "refused by its device");
		val &= mask;
		if ((esr & ISS_SSE) && size < 8)
			val = sign_extend(val, size * 8);
		if (!(esr & ISS_SF))
			val &= 0xffffffffUL;
		vcpu_set_reg(v, rt, val);
		if (esr & ISS_AR)
			dmb(ish);
	}
	vcpu_skip_instr(v, esr);
	return VCPU_RUNS;
}
