/*
 * What a character typed on the console means: the key that moves the
 * focus (Ctrl-] three times in a row), or input for whoever has the focus.
 * Pure logic, unit-tested on the host (tests/unit/test_monitor.c);
 * vcpu/vuart.c feeds it.
 *
 * Why three in a row, held back: a single Ctrl-] (telnet's escape) or two
 * must still reach a guest, as on Xen's console (Ctrl-A three times); so
 * the first two are kept until the next character shows whether a third
 * follows. Anything else releases them, in order, before itself. Ctrl-A is
 * QEMU's own (-serial mon:stdio), so it could not be the key.
 */
#ifndef VCPU_VCONSOLE_IN_H
#define VCPU_VCONSOLE_IN_H

#include "arch/types.h"

#define VCONSOLE_ESC 0x1d /* Ctrl-] */
#define VCONSOLE_ESC_COUNT 3 /* in a row: the focus moves on */

/** How many Ctrl-] were typed in a row and are held back. All zero: none. */
struct vconsole_esc {
	unsigned int held;
};

/**
 * Feeds typed character c to the detector e. Returns how many characters
 * to pass on to the focus, written to out (room for VCONSOLE_ESC_COUNT):
 * the Ctrl-] held back and then c, or nothing while c may still be part of
 * the key. Sets *move when c completes the key (and returns 0).
 */
static inline unsigned int vconsole_esc_feed(struct vconsole_esc *e, u8 c, u8 *out, bool *move)
{
	unsigned int n = 0;

	*move = false;
	if (c == VCONSOLE_ESC) {
		if (++e->held < VCONSOLE_ESC_COUNT)
			return 0;
		e->held = 0;
		*move = true;
		return 0;
	}
	for (; e->held; e->held--)
		out[n++] = VCONSOLE_ESC;
	out[n++] = c;
	return n;
}

#endif
