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

/** As fmt_vformat(), with the arguments given directly; returns the same length. */
int fmt_format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** The most characters fmt_escape() writes for one byte. */
#define FMT_ESCAPE_MAX 4

/**
 * Writes byte c into out (room for FMT_ESCAPE_MAX characters) as it may
 * appear on the console, where nothing may move the cursor or start a line:
 * printable ASCII and tab as they are, a backslash doubled (so an escape is
 * never ambiguous), any other byte, newline included, as "\xHH" in lower
 * case. Returns the number of characters written: 1, 2 or 4.
 */
size_t fmt_escape(char *out, unsigned char c);

#endif
