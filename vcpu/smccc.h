/* SMC Calling Convention (Arm DEN 0028) function identifiers and return codes. */
#ifndef VCPU_SMCCC_H
#define VCPU_SMCCC_H

#include "arch/types.h"

#define SMCCC_FAST BIT(31)
#define SMCCC_64 BIT(30)
#define SMCCC_OWNER_SHIFT 24
#define SMCCC_OWNER_MASK 0x3fUL
#define SMCCC_MBZ_MASK GENMASK(23, 16)
#define SMCCC_FUNC_MASK 0xffffUL

#define SMCCC_OWNER_ARCH 0
#define SMCCC_OWNER_STANDARD 4
#define SMCCC_OWNER_VENDOR_HYP 6

#define SMCCC_VERSION 0x80000000UL
#define SMCCC_ARCH_FEATURES 0x80000001UL
#define SMCCC_ARCH_SOC_ID 0x80000002UL
#define SMCCC_ARCH_WORKAROUND_1 0x80008000UL
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffUL
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffUL

#define SMCCC_VERSION_1_1 0x10001UL

#define SMCCC_RET_SUCCESS 0
#define SMCCC_RET_NOT_SUPPORTED (-1)
#define SMCCC_RET_NOT_REQUIRED (-2)
#define SMCCC_RET_INVALID_PARAMETER (-3)

/** The owning entity of a function ID (SMCCC_OWNER_*): which service it calls. */
static inline unsigned int smccc_owner(u32 fid)
{
	return (fid >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK;
}

#endif
