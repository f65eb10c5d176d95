/*
 * partita.selftest=lifecycle: a physical CPU that runs no vCPU drives
 * vm_stop() and vm_restart() on VM 0 as the hypervisor monitor does from
 * the console's interrupt, from another CPU than the VM's, so that the
 * system tests can check the requests and their refusals, and that a VM
 * restarted after a stop counts as running again
 * (tests/system/test_lifecycle.py).
 */
#include "core/vm.h"

#include "arch/sysreg.h"
#include "lib/log.h"

#define WAIT_MS 10000 /* for one boot or stop of a small bare-metal VM */
#define PAUSE_MS 500 /* for the VM to run a little in between */

static void pause_ms(u64 ms)
{
	u64 end = counter_read() + counter_freq() * ms / 1000;

	while (counter_read() < end)
		wfe();
}

/* Waits until vm was started boots times (and runs), or stopped if boots is 0. */
static bool wait_for(const struct vm *vm, u64 boots)
{
	u64 end = counter_read() + counter_freq() * WAIT_MS / 1000;

	while (counter_read() < end) {
		if (boots ? *(const volatile u64 *)&vm->boots >= boots && vm->state == VM_RUNNING
			  : vm->state == VM_STOPPED)
			return true;
		wfe();
	}
	log_err("selftest: vm %s did not %s in %d ms", vm->name, boots ? "start" : "stop", WAIT_MS);
	return false;
}

void vm_selftest_lifecycle(void)
{
	struct vm *vm = vm_get(0);
	u64 boots;
	int a, b;

	if (!vm || !wait_for(vm, 1))
		return;
	pause_ms(PAUSE_MS);
	a = vm_stop(vm);
	b = vm_stop(vm);
	log_info("selftest: vm_stop(%s) = %d, again = %d", vm->name, a, b);
	if (!wait_for(vm, 0))
		return;
	a = vm_stop(vm);
	log_info("selftest: %s stopped; vm_stop = %d", vm->name, a);
	a = vm_restart(vm);
	b = vm_restart(vm);
	/* The second is refused while the first is under way, taken once it is done. */
	log_info("selftest: vm_restart(%s) = %d, again = %d", vm->name, a, b);
	boots = b ? 2 : 3;
	if (!wait_for(vm, boots))
		return;
	pause_ms(PAUSE_MS);
	a = vm_restart(vm);
	log_info("selftest: vm_restart(%s) while it runs = %d", vm->name, a);
	if (wait_for(vm, boots + 1))
		log_info("selftest: lifecycle done");
}
