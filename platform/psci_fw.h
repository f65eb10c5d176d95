/* Calls to the machine's PSCI firmware (EL3, through SMC). */
#ifndef PLATFORM_PSCI_FW_H
#define PLATFORM_PSCI_FW_H

#include "platform/platform.h"

#define PSCI_0_2_FN64_CPU_ON 0xc4000003UL
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008UL

#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_DENIED (-3)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_RET_INTERNAL_FAILURE (-6)
#define PSCI_RET_NOT_PRESENT (-7)
#define PSCI_RET_DISABLED (-8)
#define PSCI_RET_INVALID_ADDRESS (-9)

/** Starts the CPU with affinity mpidr at entry (a PA) with x0 = ctx. Returns a PSCI code. */
s64 psci_fw_cpu_on(u64 mpidr, paddr_t entry, u64 ctx);

/** Powers the machine off; returns only if the firmware refused. */
void psci_fw_system_off(void);

/** Names a PSCI return code for a log line. */
const char *psci_fw_strerror(s64 ret);

#endif
