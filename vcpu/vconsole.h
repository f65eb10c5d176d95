/*
 * A VM's console output on its way to the physical UART: gathered into
 * lines, escaped so that no guest byte can move the cursor or forge a line,
 * and handed to the console behind the VM's tag "[name] ". Shared by the
 * CONSOLE_WRITE hypercall (a line per vCPU) and the emulated PL011 (a line
 * per VM).
 */
#ifndef VCPU_VCONSOLE_H
#define VCPU_VCONSOLE_H

#include "vcpu/vcpu.h"

#define VCONSOLE_LINE_MAX 160 /* bytes of one gathered line, its newline included */

/** The console source of vm's output (platform/console.h): its index + 1, 0 being Partita. */
static inline unsigned int vconsole_src(const struct vm *vm)
{
	return vm->id + 1;
}

/**
 * Adds byte c of v's guest output to line (VCONSOLE_LINE_MAX bytes, *len
 * used): a newline sends the line, a line that would grow too long is sent
 * first with a newline of its own, a carriage return is dropped (guests end
 * lines with CRLF; the console adds its own), every other control byte and
 * byte above 0x7e is escaped as \xHH, a backslash as \\.
 */
void vconsole_put(struct vcpu *v, char *line, unsigned int *len, unsigned char c);

/** Sends what line holds even though it does not end yet (a prompt); nothing if empty. */
void vconsole_flush(struct vcpu *v, char *line, unsigned int *len);

/**
 * As vconsole_flush(), from the CPU of v while v is off (no guest runs
 * there, so no guest's SError is collected first).
 */
void vconsole_flush_idle(struct vcpu *v, char *line, unsigned int *len);

#endif
