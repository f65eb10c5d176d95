/* Integer limits for a freestanding LP64 target. */
#ifndef LIB_LIMITS_H
#define LIB_LIMITS_H

#define CHAR_BIT 8
#define INT_MAX 0x7fffffff
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX 0xffffffffU
#define LONG_MAX 0x7fffffffffffffffL
#define ULONG_MAX 0xffffffffffffffffUL

#endif
