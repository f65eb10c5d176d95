/*
 * The C library subset Partita and Debian's libfdt.a need. Word-sized loops
 * when both pointers are 8-byte aligned, because guest images are copied and
 * guest memory is cleared with these.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WORD sizeof(uint64_t)

static int both_aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD - 1)) == 0;
}

/*
 * Copies whole words from 4-byte aligned s, 4 bytes past a word boundary, to
 * 8-byte aligned d: each word joins the halves of two aligned source words.
 * A device-tree property (a kernel in a VM configuration) is only 4-byte
 * aligned, and a byte loop would cost four instructions a byte. The last
 * aligned read ends inside the word holding the source's last byte.
 */
static size_t copy_words_off4(unsigned char *d, const unsigned char *s, size_t n)
{
	const uint64_t *w = (const uint64_t *)(const void *)(s - 4);
	uint64_t *o = (uint64_t *)(void *)d;
	uint64_t lo = *w++;
	size_t i, words = n / WORD;

	/* Four words a loop, as for aligned copies. */
	for (i = 0; i + 4 <= words; i += 4, w += 4) {
		uint64_t a = w[0], b = w[1], c = w[2], e = w[3];

		o[i] = (lo >> 32) | (a << 32);
		o[i + 1] = (a >> 32) | (b << 32);
		o[i + 2] = (b >> 32) | (c << 32);
		o[i + 3] = (c >> 32) | (e << 32);
		lo = e;
	}
	for (; i < words; i++) {
		uint64_t hi = *w++;

		o[i] = (lo >> 32) | (hi << 32);
		lo = hi;
	}
	return words * WORD;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Byte by byte up to d's word boundary, where s may be aligned too. */
	while (n && ((uintptr_t)d & (WORD - 1))) {
		*d++ = *s++;
		n--;
	}
	if (both_aligned(d, s)) {
		/* Four words a loop: guest images are tens of MiB. */
		for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD, s += 4 * WORD) {
			const uint64_t *from = (const uint64_t *)(const void *)s;
			uint64_t *to = (uint64_t *)(void *)d;
			uint64_t a = from[0], b = from[1], c = from[2], e = from[3];

			to[0] = a;
			to[1] = b;
			to[2] = c;
			to[3] = e;
		}
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
	} else if (((uintptr_t)s & (WORD - 1)) == 4 && n >= WORD) {
		size_t done = copy_words_off4(d, s, n);

		d += done;
		s += done;
		n -= done;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t word = (unsigned char)c * 0x0101010101010101ULL;

	while (n && ((uintptr_t)d & (WORD - 1))) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= WORD; n -= WORD, d += WORD)
		*(uint64_t *)(void *)d = word;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	}
	return 0;
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++) {
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	}
	return n ? NULL : (char *)hay;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	int d;

	while (*s == ' ' || *s == '\t')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	while ((d = digit_value(*s)) < base) {
		v = v * (unsigned long)base + (unsigned long)d;
		s++;
	}
	if (end)
		*end = (char *)s;
	return v;
}
