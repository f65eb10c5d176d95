#include "vcpu/mmio.h"

#include "arch/esr.h"
#include "arch/sysreg.h"
#include "lib/log.h"
#include "vcpu/emul.h"
#include "vcpu/exit.h"
#include "vcpu/inject.h"
#include "vcpu/ram.h"

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
	const struct mmio_dev *d = vm->mmio, *end = d + vm->mmio_count;

	for (; d < end; d++) {
		if (ipa - d->base < d->size)
			return d;
	}
	return NULL;
}

static __attribute__((noinline, cold)) enum vcpu_stop refuse(struct vcpu *v, u64 esr, u64 ipa,
							     const char *why)
{
	u64 pc = vcpu_pc(v);

	/* Said only once done: it may not be (inject.h). */
	if (inject_abort(v, esr, true))
		return VCPU_STOP_VM_CRASH;
	vcpu_warn(v, "%s of IPA 0x%lx at pc 0x%lx %s; injected a synchronous external abort",
		  (esr & ISS_WNR) ? "write" : "read", ipa, pc, why);
	return VCPU_RUNS;
}

/* Says why an access cannot be emulated; the cold half of mmio_handle_abort. */
static __attribute__((noinline, cold)) enum vcpu_stop refuse_access(struct vcpu *v, u64 esr,
								    u64 ipa)
{
	/* RAM not used yet (vcpu/ram.c): here, off the hot path, as no device matched. */
	if (ram_fault(v->vm, esr, ipa))
		return VCPU_RUNS;
	if (esr & ISS_S1PTW)
		return refuse(v, esr, ipa, "by the guest's own table walk, outside its memory");
	if (!find(v->vm, ipa))
		return refuse(v, esr, ipa, "outside every region");
	/*
	 * With ISV clear (a load/store pair, or one with writeback) the
	 * syndrome does not say which registers are involved, so the access
	 * cannot be emulated; refusing it is what Arm permits for MMIO.
	 */
	return refuse(v, esr, ipa, "with ISV=0 (a load/store pair or writeback)");
}

enum vcpu_stop mmio_refuse(struct vcpu *v, struct mmio_access a)
{
	return refuse(v, a.esr, mmio_fault_ipa(), "refused by its device");
}

enum vcpu_stop mmio_read_done_slow(struct vcpu *v, struct mmio_access a, u64 val)
{
	if (emul_big_endian(vcpu_pstate(v), read_sysreg(sctlr_el1)))
		val = emul_bswap(val, mmio_size(a));
	mmio_load_reg(v, a, val);
	mmio_skip(v, a);
	return VCPU_RUNS;
}

/* The value a store writes: its source register (31 = XZR reads 0), narrowed to the size. */
static inline u64 store_value(const struct vcpu *v, struct mmio_access a)
{
	unsigned int size = mmio_size(a);
	u64 val = vcpu_reg(v, (a.esr >> ISS_SRT_SHIFT) & 0x1f);

	if (size < 8)
		val &= (1UL << (size * 8)) - 1;
	return val;
}

/*
 * Whether this access needs more than the AArch64 little-endian fast path:
 * one test of PSTATE and one of SCTLR_EL1's endianness bits (E0E too, so
 * that a big-endian EL0 under a little-endian kernel is not missed).
 */
static inline bool slow_state(const struct vcpu *v)
{
	return (vcpu_pstate(v) & EMUL_PSTATE_SLOW) ||
	       (read_sysreg(sctlr_el1) & (SCTLR_ELx_EE | SCTLR_EL1_E0E));
}

/* The rare half of mmio_handle_abort: AArch32, big-endian data, single-step, BTYPE. */
static __attribute__((noinline, cold)) enum vcpu_stop
handle_slow(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a)
{
	u64 val;

	/*
	 * For AArch32, SRT names R0-R14, which are X0-X14 (only EL0 is
	 * AArch32, so no banked registers); an access using R15 has ISV = 0.
	 */
	a.esr |= MMIO_ACCESS_SLOW;
	if (!(a.esr & ISS_WNR))
		return d->read(v, d, a);
	val = store_value(v, a);
	if (emul_big_endian(vcpu_pstate(v), read_sysreg(sctlr_el1)))
		val = emul_bswap(val, mmio_size(a));
	if (a.esr & ISS_AR)
		dmb(ish);
	return d->write(v, d, a, val);
}

/*
 * The hot path: decode, find the device, and hand it the access; the
 * device finishes it (a tail call, so this needs no stack frame).
 */
enum vcpu_stop mmio_handle_abort(struct vcpu *v, u64 esr)
{
	u64 ipa = mmio_fault_ipa();
	const struct mmio_dev *d;
	struct mmio_access a = { esr, 0 };
	u64 val;

	vcpu_count_exit(v, VCPU_EXIT_MMIO);
	if (!(esr & ISS_ISV))
		return refuse_access(v, esr, ipa);
	d = find(v->vm, ipa);
	if ((esr & ISS_S1PTW) || !d)
		return refuse_access(v, esr, ipa);
	a.off = ipa - d->base;
	if (__builtin_expect(slow_state(v), 0))
		return handle_slow(v, d, a);
	if (!(esr & ISS_WNR))
		return d->read(v, d, a);
	val = store_value(v, a);
	/* A store-release orders the guest's earlier accesses before it. */
	if (esr & ISS_AR)
		dmb(ish);
	return d->write(v, d, a, val);
}
