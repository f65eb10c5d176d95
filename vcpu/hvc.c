/*
 * The first stop for every HVC and SMC a guest makes. Nothing is ever
 * forwarded to firmware except the Spectre workarounds, and only when the
 * firmware said it implements them.
 */
#include "vcpu/hvc.h"

#include "arch/smccc.h"
#include "vcpu/smccc.h"

#define ISS_IMM16_MASK 0xffffUL

static const u32 workarounds[] = {
	SMCCC_ARCH_WORKAROUND_1,
	SMCCC_ARCH_WORKAROUND_2,
	SMCCC_ARCH_WORKAROUND_3,
};
static s64 workaround_state[ARRAY_SIZE(workarounds)];

void hvc_probe_firmware(void)
{
	unsigned int i;
	s64 version;

	for (i = 0; i < ARRAY_SIZE(workarounds); i++)
		workaround_state[i] = SMCCC_RET_NOT_SUPPORTED;
	/* SMCCC_VERSION is itself only safe to call once PSCI_FEATURES lists it. */
	if ((s64)smccc_smc(0x8400000aUL, SMCCC_VERSION, 0, 0) != 0)
		return;
	version = (s64)smccc_smc(SMCCC_VERSION, 0, 0, 0);
	if (version < (s64)SMCCC_VERSION_1_1)
		return;
	for (i = 0; i < ARRAY_SIZE(workarounds); i++)
		workaround_state[i] = (s64)smccc_smc(SMCCC_ARCH_FEATURES, workarounds[i], 0, 0);
}

static int workaround_index(u32 fid)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(workarounds); i++) {
		if (workarounds[i] == fid)
			return (int)i;
	}
	return -1;
}

static s64 arch_call(struct vcpu *v, u32 fid)
{
	int wa;

	switch (fid) {
	case SMCCC_VERSION:
		return SMCCC_VERSION_1_1;
	case SMCCC_ARCH_FEATURES:
		wa = workaround_index((u32)v->regs.x[1]);
		if (wa >= 0)
			return workaround_state[wa];
		return (u32)v->regs.x[1] == SMCCC_VERSION ||
				       (u32)v->regs.x[1] == SMCCC_ARCH_FEATURES
			       ? SMCCC_RET_SUCCESS
			       : SMCCC_RET_NOT_SUPPORTED;
	default:
		/*
		 * A workaround the firmware implements runs in the firmware;
		 * any other answer means there is nothing to run.
		 */
		wa = workaround_index(fid);
		if (wa >= 0 && workaround_state[wa] == SMCCC_RET_SUCCESS)
			return (s64)smccc_smc(fid, v->regs.x[1], 0, 0);
		return SMCCC_RET_NOT_SUPPORTED;
	}
}

enum vcpu_stop hvc_handle(struct vcpu *v, u64 esr)
{
	u32 fid = (u32)v->regs.x[0];

	/* SMCCC calls use immediate 0, are fast calls, and have bits 23:16 clear. */
	if ((fid & (SMCCC_FAST | SMCCC_MBZ_MASK)) != SMCCC_FAST || (esr & ISS_IMM16_MASK)) {
		v->regs.x[0] = (u64)SMCCC_RET_NOT_SUPPORTED;
		return VCPU_RUNS;
	}
	if (smccc_owner(fid) == SMCCC_OWNER_VENDOR_HYP)
		return hypercall_handle(v, fid);
	switch (smccc_owner(fid)) {
	case SMCCC_OWNER_STANDARD:
		return psci_handle(v, fid);
	case SMCCC_OWNER_ARCH:
		v->regs.x[0] = (u64)arch_call(v, fid);
		return VCPU_RUNS;
	default:
		v->regs.x[0] = (u64)SMCCC_RET_NOT_SUPPORTED;
		return VCPU_RUNS;
	}
}
