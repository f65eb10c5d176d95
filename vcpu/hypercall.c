/*
 * Partita's hypercalls, in the SMCCC vendor-specific hypervisor range. They
 * are few on purpose: what a guest needs before it has devices, and the
 * null call the benchmarks measure the exit path with.
 */
#include "vcpu/hypercall.h"

#include "arch/cache.h"
#include "vcpu/hvc.h"
#include "vcpu/ram.h"
#include "vcpu/smccc.h"
#include "vcpu/vconsole.h"

/* The UID Partita answers CALL_UID with, as SMCCC's four 32-bit words. */
static const u32 partita_uid[4] = { 0x8c0e2b51, 0x4f276a3d, 0xa2504e9e, 0xf6b3c7d1 };

_Static_assert(sizeof(((struct vcpu *)0)->console_line) == VCONSOLE_LINE_MAX,
	       "a vCPU's console line is a vconsole line");

/*
 * Writes len bytes from the guest's RAM at ipa. The guest may run with its
 * MMU off, writing past the caches, so stale lines are dropped first.
 */
static s64 console_write_from(struct vcpu *v, u64 ipa, u64 len)
{
	struct vm *vm = v->vm;
	const u8 *p;
	u64 i;

	if (len > PARTITA_CONSOLE_WRITE_MAX || ipa < vm->ram_ipa ||
	    ipa - vm->ram_ipa > vm->ram_size || len > vm->ram_size - (ipa - vm->ram_ipa))
		return SMCCC_RET_INVALID_PARAMETER;
	/*
	 * RAM the guest has not used yet is mapped, zeroed, first: it must
	 * read as zeroes, not as what an earlier run left there; refused if
	 * that cannot be done.
	 */
	for (u64 b = ALIGN_DOWN(ipa, RAM_BLOCK); b < ipa + len; b += RAM_BLOCK) {
		if (vm->ram_lazy && !ram_populate(vm, b))
			return SMCCC_RET_INVALID_PARAMETER;
	}
	p = (const u8 *)(pa_addr(vm->ram_pa) + (ipa - vm->ram_ipa));
	dcache_clean_inval_poc(p, len);
	for (i = 0; i < len; i++)
		vconsole_put(v, v->console_line, &v->console_len, p[i]);
	return (s64)len;
}

static __attribute__((noinline)) enum vcpu_stop other_call(struct vcpu *v, u32 fid)
{
	u64 *x = v->regs.x;

	switch (fid) {
	case PARTITA_HC_VM_INFO:
		x[0] = SMCCC_RET_SUCCESS;
		x[1] = v->vm->id;
		x[2] = v->vm->vcpu_count;
		x[3] = v->id;
		break;
	case PARTITA_HC_CONSOLE_WRITE:
		x[0] = (u64)console_write_from(v, x[1], x[2]);
		break;
	case PARTITA_HC_VM_BOOTS:
		x[0] = SMCCC_RET_SUCCESS;
		x[1] = v->vm->boots;
		break;
	case PARTITA_HC_VCPU_EXITS:
		x[0] = SMCCC_RET_SUCCESS;
		x[1] = vcpu_exits(v);
		x[2] = v->exit_count[VCPU_EXIT_IRQ];
		x[3] = v->irq_injected;
		break;
	case PARTITA_HC_CALL_COUNT:
		x[0] = PARTITA_HC_FUNCTIONS;
		break;
	case PARTITA_HC_CALL_UID:
		x[0] = partita_uid[0];
		x[1] = partita_uid[1];
		x[2] = partita_uid[2];
		x[3] = partita_uid[3];
		break;
	case PARTITA_HC_REVISION:
		x[0] = 1;
		x[1] = 0;
		break;
	default:
		x[0] = (u64)SMCCC_RET_NOT_SUPPORTED;
		break;
	}
	return VCPU_RUNS;
}

enum vcpu_stop hypercall_handle(struct vcpu *v, u32 fid)
{
	/* The null call is what the exit-path benchmark measures: keep it first. */
	if (fid == PARTITA_HC_NULL) {
		v->regs.x[0] = SMCCC_RET_SUCCESS;
		return VCPU_RUNS;
	}
	return other_call(v, fid);
}
