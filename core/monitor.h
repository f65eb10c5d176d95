/*
 * Partita's monitor: a command line on the console, reached by moving the
 * input focus past the last VM (Ctrl-] three times, vcpu/vuart.h). Its
 * commands are in core/monitor.c's table: help, list (the VMs: state,
 * vCPUs, physical CPUs, RAM), stats (each VM's exits by reason and the
 * interrupts Partita injected), restart NAME and stop NAME.
 */
#ifndef CORE_MONITOR_H
#define CORE_MONITOR_H

#include "vcpu/vuart.h"

/** The monitor's side of the console's input, for vuart_start(). */
extern const struct vuart_monitor monitor_console;

#endif
