/*
 * Each VM's emulated console UART: a PL011 (register model in
 * vcpu/vpl011.c) on the VM's MMIO bus at the IPA of the host's console
 * UART, its interrupt a virtual SPI driven as a level through the vGIC, its
 * output to the physical UART behind the VM's tag (vcpu/vconsole.c), and
 * the characters typed on the physical UART given to whoever has the
 * focus: one of these VMs or Partita's monitor, in turn, moved on by
 * Ctrl-] typed three times (vcpu/vconsole_in.h).
 */
#ifndef VCPU_VUART_H
#define VCPU_VUART_H

#include "vcpu/vcpu.h"

/**
 * Partita's monitor as the console's input sees it (core/monitor.c
 * provides it: vcpu/ does not call up into core/ otherwise). Both run on
 * the CPU that takes the console's interrupt, with the console's input
 * lock held: one at a time, in typing order.
 */
struct vuart_monitor {
	void (*enter)(void); /* the focus just moved to the monitor: show its prompt */
	void (*key)(u8 c); /* a character typed for it */
};

/**
 * Gives vm an emulated PL011 at IPA base whose interrupt is virtual SPI
 * intid (0: none). The first VM given one has the focus. Returns 0,
 * -E_NOMEM when vm has no MMIO slot left or its index is beyond the VMs
 * this file keeps, -E_EXIST when another emulated device is there, or
 * -E_INVAL for an intid the VM's virtual GIC does not have; logs nothing.
 */
int vuart_attach(struct vm *vm, u64 base, u32 intid);

/**
 * Boot CPU, after every VM is built and before any runs: if a VM has an
 * emulated PL011 and the console UART is a PL011 with an interrupt, makes
 * that interrupt Partita's, routed to the CPU of the focused VM's vCPU 0
 * (a CPU that runs a guest, so it takes the interrupt), and turns the
 * console to interrupt mode; the focus then cycles through those VMs and
 * mon (NULL: no monitor). Otherwise says why (a warning line) and the
 * console keeps polling, with no input for any VM. Either way, a VM's
 * unfinished line (a prompt) is sent after VUART_QUIET_MS without output
 * from it, by its CPU's EL2 timer, whose PPI is hyp_timer_ppi.
 */
void vuart_start(const struct vuart_monitor *mon, u32 hyp_timer_ppi);

/** The VM that gets the characters typed on the console, or NULL (the monitor, or none). */
struct vm *vuart_focus(void);

/**
 * For a CPU whose vCPU is off and which waits to power it on (core/vm.c),
 * on every turn of its wait: serves what Partita's interrupts would, which
 * EL2 cannot take (its interrupts are masked): the EL2 timer's flush of an
 * unfinished line, and the console's input while its interrupt is routed
 * here. v is the vCPU pinned to this CPU. Returns at once when there is
 * nothing to do.
 */
void vuart_idle(struct vcpu *v);

/**
 * Milliseconds without output after which a VM's unfinished line is sent:
 * long enough that a line written in one go is not cut (a busy host may
 * pause a vCPU mid-line), short enough that a prompt shows at once.
 */
#define VUART_QUIET_MS 50

#endif
