/*
 * The MMIO emulation bus: a data abort on an IPA that belongs to an emulated
 * device is decoded from its syndrome and turned into a read or write call.
 */
#ifndef VCPU_MMIO_H
#define VCPU_MMIO_H

#include "vcpu/exit.h"
#include "vcpu/vcpu.h"

/**
 * Adds an emulated device to vm. Returns 0, -E_NOMEM when the VM has no
 * slot left, or -E_EXIST when it overlaps another device.
 */
int mmio_register(struct vm *vm, const struct mmio_dev *dev);

/** The IPA of the current stage-2 fault, from HPFAR_EL2 and FAR_EL2. */
u64 mmio_fault_ipa(void);

/** The data-abort exit handler (ESR_EL2.EC == DABT_LOW). */
enum vcpu_stop mmio_handle_abort(struct vcpu *v, u64 esr);

/* Data abort ISS fields (Arm ARM D17.2.37, ISS encoding for a data abort). */
#define ISS_ISV BIT(24)
#define ISS_SAS_SHIFT 22
#define ISS_SSE BIT(21)
#define ISS_SRT_SHIFT 16
#define ISS_SF BIT(15)
#define ISS_AR BIT(14)
#define ISS_S1PTW BIT(7)
#define ISS_WNR BIT(6)

/**
 * Not part of ESR_EL2 (bit 63 is RES0 there): the bus sets it in
 * mmio_access.esr when the access needs more than the AArch64
 * little-endian fast path (AArch32, big-endian data, single-step, BTYPE).
 */
#define MMIO_ACCESS_SLOW BIT(63)

/** Returns the access size in bytes: 1, 2, 4 or 8. */
static inline unsigned int mmio_size(struct mmio_access a)
{
	return 1U << ((a.esr >> ISS_SAS_SHIFT) & 3);
}

/**
 * Writes a loaded value to the target register: narrowed to the access
 * size, sign-extended if SSE says so, zero-extended into a W register (SF
 * clear); XZR discards it.
 */
static inline void mmio_load_reg(struct vcpu *v, struct mmio_access a, u64 val)
{
	unsigned int shift = 64 - 8 * mmio_size(a);

	val = (a.esr & ISS_SSE) ? (u64)((s64)(val << shift) >> shift) : (val << shift) >> shift;
	if (!(a.esr & ISS_SF))
		val &= 0xffffffffUL;
	vcpu_set_reg(v, (a.esr >> ISS_SRT_SHIFT) & 0x1f, val);
	/* A load-acquire orders the guest's later accesses after it. */
	if (a.esr & ISS_AR)
		dmb(ish);
}

/** Moves the guest past the access: PC += 4 unless the bus marked it slow. */
static inline void mmio_skip(struct vcpu *v, struct mmio_access a)
{
	if (__builtin_expect((a.esr & MMIO_ACCESS_SLOW) != 0, 0))
		vcpu_skip_instr_slow(v, a.esr, vcpu_pstate(v));
	else
		vcpu_set_pc(v, vcpu_pc(v) + 4);
}

/** mmio_read_done() for an access marked MMIO_ACCESS_SLOW: big-endian data too. */
enum vcpu_stop mmio_read_done_slow(struct vcpu *v, struct mmio_access a, u64 val);

/**
 * Completes a read with val, the device's little-endian value: written to
 * the target register as mmio_load_reg() says, byte-reversed first if the
 * guest's data are big-endian, and the guest moves on.
 */
static inline enum vcpu_stop mmio_read_done(struct vcpu *v, struct mmio_access a, u64 val)
{
	if (__builtin_expect((a.esr & MMIO_ACCESS_SLOW) != 0, 0))
		return mmio_read_done_slow(v, a, val);
	mmio_load_reg(v, a, val);
	vcpu_set_pc(v, vcpu_pc(v) + 4);
	return VCPU_RUNS;
}

/** Completes a write: the guest moves on. */
static inline enum vcpu_stop mmio_write_done(struct vcpu *v, struct mmio_access a)
{
	mmio_skip(v, a);
	return VCPU_RUNS;
}

/** Refuses the access: the guest gets a synchronous external abort, with a log line. */
enum vcpu_stop mmio_refuse(struct vcpu *v, struct mmio_access a);

#endif
