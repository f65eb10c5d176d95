/*
 * The console's output buffer: a ring of pieces of text, each from one
 * source (Partita itself, or a VM), waiting for the UART. Pure logic,
 * unit-tested on the host (tests/unit/test_conbuf.c); platform/console.c
 * holds the lock and drives the UART.
 *
 * Why pieces: a piece is written whole or not at all, so a line is never
 * cut by another source's text. A source whose piece does not end its line
 * (a shell prompt) keeps the line open; a piece of another source first
 * ends that line, and the next piece of the first source starts a new one
 * behind its tag again. Why quotas: a VM may hold at most
 * CONBUF_SRC_QUOTA bytes, so a VM that floods its console loses its own
 * characters (counted) while Partita's lines and the other VMs' still fit.
 */
#ifndef PLATFORM_CONBUF_H
#define PLATFORM_CONBUF_H

#include "arch/types.h"

#define CONBUF_SIZE 16384U /* a power of two */
#define CONBUF_SRCS 8U /* source 0 is Partita; 1.. are VMs */
#define CONBUF_SRC_HYP 0U
#define CONBUF_SRC_QUOTA 2048U /* most bytes a VM source may hold, headers included */
#define CONBUF_PIECE_MAX 1024U /* longest piece, tag and line breaks included */
#define CONBUF_HDR 3U /* per piece: its source, then its length (16 bits) */

/** The ring and its drain position. All zero is an empty buffer with no line open. */
struct conbuf {
	u8 data[CONBUF_SIZE];
	u32 head, tail; /* free-running byte counts: written, sent */
	u32 held[CONBUF_SRCS]; /* bytes each source has in the ring */
	u32 lost[CONBUF_SRCS]; /* characters lost since conbuf_take_lost() */
	u64 lost_total[CONBUF_SRCS];
	u32 piece_left; /* bytes of the piece being sent */
	u8 piece_src;
	u8 open; /* 1 + the source whose line is unfinished in the ring, or 0 */
};

/** Empties b and forgets every count. */
void conbuf_reset(struct conbuf *b);

/**
 * Adds text s (n bytes) of source src as one piece: first a line break if
 * another source's line is open, then tag (tag_len bytes) unless src's own
 * line is open, then s with each "\n" sent as "\r\n". Returns true, or false
 * when it does not fit (the ring is full, src is a VM over its quota, the
 * piece is longer than CONBUF_PIECE_MAX, src is out of range): then nothing
 * is added and n characters are counted as lost to src.
 */
bool conbuf_put(struct conbuf *b, unsigned int src, const char *tag, size_t tag_len, const char *s,
		size_t n);

/**
 * Sends bytes in order through put until put refuses one (the UART's FIFO
 * is full: that byte stays first) or the ring is empty. Returns how many
 * bytes were sent.
 */
size_t conbuf_drain(struct conbuf *b, bool (*put)(void *ctx, u8 c), void *ctx);

/** Whether nothing waits to be sent. */
static inline bool conbuf_empty(const struct conbuf *b)
{
	return b->head == b->tail;
}

/** Returns the characters src lost since the last call, and clears that count. */
u32 conbuf_take_lost(struct conbuf *b, unsigned int src);

#endif
