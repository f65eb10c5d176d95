/* A small printf-style formatter: pure, so the host unit tests cover it. */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/**
 * Formats into buf (always NUL-terminated when size > 0) and returns the
 * length the full output would have had. Supports %d %i %u %x %X %p %s %c %%,
 * the flags '0' and '-', a width (or '*'), and the length modifiers l, ll, z.
 */
int fmt_vformat(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
