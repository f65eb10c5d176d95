#include "platform/psci_fw.h"

#include "arch/smccc.h"
#include "platform/console.h"

/* At EL2 the only firmware below is EL3, reached by SMC; HVC would trap to Partita itself. */
static s64 call(u64 fid, u64 a1, u64 a2, u64 a3)
{
	return (s64)smccc_smc(fid, a1, a2, a3);
}

s64 psci_fw_cpu_on(u64 mpidr, paddr_t entry, u64 ctx)
{
	/* Only the affinity fields: firmware (QEMU's among them) rejects other bits. */
	return call(PSCI_0_2_FN64_CPU_ON, mpidr & MPIDR_AFFINITY_MASK, pa_addr(entry), ctx);
}

void psci_fw_system_off(void)
{
	/* The last lines may still wait for the UART's transmit interrupt. */
	console_flush();
	call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
}

const char *psci_fw_strerror(s64 ret)
{
	static const char *const names[] = {
		"SUCCESS",    "NOT_SUPPORTED",	 "INVALID_PARAMETERS", "DENIED",
		"ALREADY_ON", "ON_PENDING",	 "INTERNAL_FAILURE",   "NOT_PRESENT",
		"DISABLED",   "INVALID_ADDRESS",
	};

	if (ret > 0 || -ret >= (s64)ARRAY_SIZE(names))
		return "unknown error";
	return names[-ret];
}
