#include "lib/fmt.h"

#include <stdbool.h>
#include <stdint.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left) {
		/* A zero pad goes after the sign, as in "-0042". */
		if (pad == '0' && n && *s == '-') {
			put(o, *s++);
			n--;
		}
		while (fill--)
			put(o, pad);
	}
	while (n--)
		put(o, *s++);
	if (left) {
		while (fill--)
			put(o, ' ');
	}
}

static size_t to_digits(char *tmp, uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	size_t n = 0, i;

	do {
		rev[n++] = digits[v % base];
		v /= base;
	} while (v);
	for (i = 0; i < n; i++)
		tmp[i] = rev[n - 1 - i];
	return n;
}

static uint64_t take_unsigned(va_list *ap, int longs)
{
	if (longs >= 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t take_signed(va_list *ap, int longs)
{
	if (longs >= 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void format_one(struct out *o, char conv, int longs, int width, bool left, char pad,
		       va_list *ap)
{
	char tmp[32];
	const char *s;
	size_t n = 0;
	int64_t sv;

	switch (conv) {
	case 'd':
	case 'i':
		sv = take_signed(ap, longs);
		if (sv < 0)
			tmp[n++] = '-';
		n += to_digits(tmp + n, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10, false);
		put_padded(o, tmp, n, width, left, pad);
		break;
	case 'u':
		n = to_digits(tmp, take_unsigned(ap, longs), 10, false);
		put_padded(o, tmp, n, width, left, pad);
		break;
	case 'x':
	case 'X':
		n = to_digits(tmp, take_unsigned(ap, longs), 16, conv == 'X');
		put_padded(o, tmp, n, width, left, pad);
		break;
	case 'p':
		tmp[0] = '0';
		tmp[1] = 'x';
		n = 2 + to_digits(tmp + 2, (uintptr_t)va_arg(*ap, void *), 16, false);
		put_padded(o, tmp, n, width, left, pad);
		break;
	case 'c':
		tmp[0] = (char)va_arg(*ap, int);
		put_padded(o, tmp, 1, width, left, ' ');
		break;
	case 's':
		s = va_arg(*ap, const char *);
		if (!s)
			s = "(null)";
		for (n = 0; s[n]; n++)
			;
		put_padded(o, s, n, width, left, ' ');
		break;
	default:
		put(o, '%');
		put(o, conv);
		break;
	}
}

int fmt_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		int width = 0, longs = 0;
		bool left = false;
		char pad = ' ';

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			put(&o, *fmt++);
			continue;
		}
		for (; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				left = true;
			else
				pad = '0';
		}
		if (*fmt == '*') {
			width = va_arg(args, int);
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			longs++;
		if (!*fmt)
			break;
		format_one(&o, *fmt++, longs, width, left, left ? ' ' : pad, &args);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int fmt_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

size_t fmt_escape(char *out, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";

	if (c == '\\') {
		out[0] = '\\';
		out[1] = '\\';
		return 2;
	}
	if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 0xf];
	return FMT_ESCAPE_MAX;
}
