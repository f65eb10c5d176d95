/* Fixed-width types and address types shared by every layer. */
#ifndef ARCH_TYPES_H
#define ARCH_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Fixed-width integers, unsigned (u) and signed (s), by bit count. */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/*
 * Physical and intermediate-physical addresses are distinct types so that
 * one can never be passed where the other is meant; the compiler refuses.
 */
typedef struct {
	u64 bits;
} paddr_t;

/** An intermediate physical address: what a guest's stage 2 translates. */
typedef struct {
	u64 bits;
} ipaddr_t;

/** Makes a physical address from a number. */
static inline paddr_t pa_init(u64 bits)
{
	return (paddr_t){ bits };
}

/** The number of a physical address; usable as a pointer, since the EL2 map is VA == PA. */
static inline u64 pa_addr(paddr_t pa)
{
	return pa.bits;
}

/** Makes an intermediate physical address from a number. */
static inline ipaddr_t ipa_init(u64 bits)
{
	return (ipaddr_t){ bits };
}

/** The number of an intermediate physical address. */
static inline u64 ipa_addr(ipaddr_t ipa)
{
	return ipa.bits;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((u64)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((u64)(a)-1)) == 0)
#define BIT(n) (1UL << (n))
#define GENMASK(hi, lo) ((~0UL >> (63 - (hi))) & (~0UL << (lo)))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define SZ_4K 0x1000UL
#define SZ_2M 0x200000UL
#define SZ_1G 0x40000000UL
#define PAGE_SIZE SZ_4K
#define PAGE_SHIFT 12

/** Errors: functions that can fail return one of these, negated. */
enum err {
	E_OK = 0,
	E_INVAL = 1, /* bad argument or input */
	E_NOMEM = 2, /* out of memory or table space */
	E_RANGE = 3, /* address outside what is supported */
	E_EXIST = 4, /* already present */
	E_NOENT = 5, /* not found */
	E_NOTSUPP = 6, /* valid but not supported */
	E_BUSY = 7, /* resource in use */
};

#endif
