/*
 * Each VM's emulated console UART: a PL011 (register model in
 * vcpu/vpl011.c) on the VM's MMIO bus at the IPA of the host's console
 * UART, its interrupt a virtual SPI driven as a level through the vGIC, its
 * output to the physical UART behind the VM's tag (vcpu/vconsole.c), and
 * the characters typed on the physical UART given to the VM that has the
 * focus: for now the first VM that got an emulated console.
 */
#ifndef VCPU_VUART_H
#define VCPU_VUART_H

#include "vcpu/vcpu.h"

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
 * console to interrupt mode. Otherwise says why (a warning line) and the
 * console keeps polling, with no input for any VM.
 */
void vuart_start(void);

/** The VM that gets the characters typed on the console, or NULL. */
struct vm *vuart_focus(void);

#endif
