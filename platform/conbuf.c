/*
 * The console's output ring (see platform/conbuf.h). Byte by byte on
 * purpose: it runs with the MMU off too, where memory is Device and an
 * unaligned or wide access could fault.
 */
#include "platform/conbuf.h"

#define MASK (CONBUF_SIZE - 1)

void conbuf_reset(struct conbuf *b)
{
	unsigned int i;

	b->head = b->tail = 0;
	b->piece_left = 0;
	b->piece_src = 0;
	b->open = 0;
	for (i = 0; i < CONBUF_SRCS; i++) {
		b->held[i] = 0;
		b->lost[i] = 0;
		b->lost_total[i] = 0;
	}
}

static void push(struct conbuf *b, u8 c)
{
	b->data[b->head++ & MASK] = c;
}

/* The bytes s takes in the ring, each "\n" being two. */
static size_t text_size(const char *s, size_t n)
{
	size_t i, size = n;

	for (i = 0; i < n; i++)
		size += s[i] == '\n';
	return size;
}

static void push_text(struct conbuf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			push(b, '\r');
		push(b, (u8)s[i]);
	}
}

static bool fits(const struct conbuf *b, unsigned int src, size_t size)
{
	if (size > CONBUF_PIECE_MAX || CONBUF_HDR + size > CONBUF_SIZE - (b->head - b->tail))
		return false;
	return src == CONBUF_SRC_HYP || b->held[src] + CONBUF_HDR + size <= CONBUF_SRC_QUOTA;
}

bool conbuf_put(struct conbuf *b, unsigned int src, const char *tag, size_t tag_len, const char *s,
		size_t n)
{
	bool other_open = b->open && b->open != src + 1;
	bool tagged = b->open != src + 1;
	size_t size;

	if (src >= CONBUF_SRCS)
		return false;
	if (!n)
		return true;
	size = (other_open ? 2 : 0) + (tagged ? text_size(tag, tag_len) : 0) + text_size(s, n);
	if (!fits(b, src, size)) {
		b->lost[src] += (u32)n;
		b->lost_total[src] += n;
		return false;
	}
	push(b, (u8)src);
	push(b, (u8)size);
	push(b, (u8)(size >> 8));
	if (other_open)
		push_text(b, "\n", 1);
	if (tagged)
		push_text(b, tag, tag_len);
	push_text(b, s, n);
	b->held[src] += CONBUF_HDR + (u32)size;
	b->open = s[n - 1] == '\n' ? 0 : (u8)(src + 1);
	return true;
}

size_t conbuf_drain(struct conbuf *b, bool (*put)(void *ctx, u8 c), void *ctx)
{
	size_t sent = 0;

	while (!conbuf_empty(b)) {
		if (!b->piece_left) {
			/* A piece header: its source and length. */
			b->piece_src = b->data[b->tail++ & MASK];
			b->piece_left = b->data[b->tail++ & MASK];
			b->piece_left |= (u32)b->data[b->tail++ & MASK] << 8;
			b->held[b->piece_src] -= CONBUF_HDR;
			continue;
		}
		if (!put(ctx, b->data[b->tail & MASK]))
			break;
		b->tail++;
		b->piece_left--;
		b->held[b->piece_src]--;
		sent++;
	}
	return sent;
}

u32 conbuf_take_lost(struct conbuf *b, unsigned int src)
{
	u32 n;

	if (src >= CONBUF_SRCS)
		return 0;
	n = b->lost[src];
	b->lost[src] = 0;
	return n;
}
