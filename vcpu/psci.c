/*
 * PSCI 1.1 (Arm DEN 0022) for guests. Power state lives in the vCPUs;
 * whole-VM requests (SYSTEM_OFF, SYSTEM_RESET) stop this vCPU and are
 * carried out by core/, which owns VM lifecycles.
 */
#include "arch/sysreg.h"
#include "lib/log.h"
#include "platform/psci_fw.h"
#include "vcpu/exit.h"
#include "vcpu/hvc.h"
#include "vcpu/smccc.h"

#define PSCI_VERSION 0x84000000UL
#define PSCI_CPU_SUSPEND 0x84000001UL
#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON 0x84000003UL
#define PSCI_AFFINITY_INFO 0x84000004UL
#define PSCI_MIGRATE_INFO_TYPE 0x84000006UL
#define PSCI_SYSTEM_OFF 0x84000008UL
#define PSCI_SYSTEM_RESET 0x84000009UL
#define PSCI_FEATURES 0x8400000aUL

#define PSCI_VERSION_1_1 0x10001UL
#define PSCI_MIGRATE_NOT_NEEDED 2 /* no Trusted OS that needs migrating */

/* Functions that exist in both SMC32 and SMC64 forms; the rest are SMC32 only. */
static bool has_64bit_form(u32 fn)
{
	return fn == (PSCI_CPU_SUSPEND & 0xffff) || fn == (PSCI_CPU_ON & 0xffff) ||
	       fn == (PSCI_AFFINITY_INFO & 0xffff);
}

/* The 32-bit calling convention passes 32-bit arguments in w1..w3. */
static u64 arg(const struct vcpu *v, u32 fid, unsigned int n)
{
	return (fid & SMCCC_64) ? v->regs.x[n] : (u32)v->regs.x[n];
}

/* The vCPU whose MPIDR is mpidr: Aff0 is the vCPU index, Aff1..Aff3 are 0. */
static struct vcpu *vcpu_by_mpidr(struct vm *vm, u64 mpidr)
{
	if (mpidr >= vm->vcpu_count)
		return NULL;
	return &vm->vcpus[mpidr];
}

static bool valid_entry(const struct vm *vm, u64 entry)
{
	return IS_ALIGNED(entry, 4) && entry >= vm->ram_ipa && entry - vm->ram_ipa < vm->ram_size;
}

static s64 cpu_on(struct vcpu *v, u32 fid)
{
	struct vcpu *t = vcpu_by_mpidr(v->vm, arg(v, fid, 1));
	u64 entry = arg(v, fid, 2);
	s64 ret = PSCI_RET_SUCCESS;

	if (!t)
		return PSCI_RET_INVALID_PARAMS;
	if (!valid_entry(v->vm, entry))
		return PSCI_RET_INVALID_ADDRESS;
	spin_lock(&v->vm->lock);
	if (v->vm->state != VM_RUNNING) {
		/* The VM is going down or restarting: nothing may be started now. */
		ret = PSCI_RET_INTERNAL_FAILURE;
	} else if (t->power == VCPU_ON) {
		ret = PSCI_RET_ALREADY_ON;
	} else if (t->power == VCPU_ON_PENDING) {
		ret = PSCI_RET_ON_PENDING;
	} else {
		t->on_entry = entry;
		t->on_context = arg(v, fid, 3);
		t->power = VCPU_ON_PENDING;
	}
	spin_unlock(&v->vm->lock);
	/* The target's physical CPU waits in WFE for exactly this. */
	dsb(ish);
	sev();
	return ret;
}

static s64 affinity_info(struct vcpu *v, u32 fid)
{
	struct vcpu *t = vcpu_by_mpidr(v->vm, arg(v, fid, 1));

	/* Only level 0 is meaningful: each vCPU is its own cluster of one. */
	if (!t || arg(v, fid, 2) != 0)
		return PSCI_RET_INVALID_PARAMS;
	return t->power;
}

static s64 features(struct vcpu *v)
{
	u32 fid = (u32)v->regs.x[1];
	u32 fn = fid & SMCCC_FUNC_MASK;

	if (fid == SMCCC_VERSION)
		return PSCI_RET_SUCCESS;
	if (smccc_owner(fid) != SMCCC_OWNER_STANDARD || (fid & SMCCC_MBZ_MASK) ||
	    ((fid & SMCCC_64) && !has_64bit_form(fn)))
		return PSCI_RET_NOT_SUPPORTED;
	switch (fid & ~SMCCC_64) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_AFFINITY_INFO:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return PSCI_RET_SUCCESS;
	case PSCI_CPU_SUSPEND:
		/* Flags 0: the original power_state format, no OS-initiated mode. */
		return 0;
	default:
		return PSCI_RET_NOT_SUPPORTED;
	}
}

/*
 * A vCPU owns its physical CPU, so suspending it saves nothing: return at
 * once, which PSCI allows for standby and, as a wake-up without context
 * loss, for power-down requests too.
 */
static s64 cpu_suspend(struct vcpu *v, u32 fid)
{
	(void)v;
	(void)fid;
	return PSCI_RET_SUCCESS;
}

static enum vcpu_stop cpu_off(struct vcpu *v)
{
	spin_lock(&v->vm->lock);
	v->power = VCPU_OFF;
	spin_unlock(&v->vm->lock);
	return VCPU_STOP_OFF;
}

enum vcpu_stop psci_handle(struct vcpu *v, u32 fid)
{
	u32 fn = fid & SMCCC_FUNC_MASK;
	s64 ret;

	if ((fid & SMCCC_64) && !has_64bit_form(fn)) {
		v->regs.x[0] = (u64)PSCI_RET_NOT_SUPPORTED;
		return VCPU_RUNS;
	}
	switch (fid & ~SMCCC_64) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_CPU_SUSPEND:
		ret = cpu_suspend(v, fid);
		break;
	case PSCI_CPU_OFF:
		return cpu_off(v);
	case PSCI_CPU_ON:
		ret = cpu_on(v, fid);
		break;
	case PSCI_AFFINITY_INFO:
		ret = affinity_info(v, fid);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = PSCI_MIGRATE_NOT_NEEDED;
		break;
	case PSCI_SYSTEM_OFF:
		return VCPU_STOP_VM_OFF;
	case PSCI_SYSTEM_RESET:
		return VCPU_STOP_VM_RESET;
	case PSCI_FEATURES:
		ret = features(v);
		break;
	default:
		ret = PSCI_RET_NOT_SUPPORTED;
		break;
	}
	v->regs.x[0] = (u64)ret;
	return VCPU_RUNS;
}
