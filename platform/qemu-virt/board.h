/*
 * QEMU virt machine: the console used before (or without) the FDT, so that
 * a missing or broken device tree is still reported somewhere a user sees.
 */
#ifndef PLATFORM_QEMU_VIRT_BOARD_H
#define PLATFORM_QEMU_VIRT_BOARD_H

#define BOARD_NAME "qemu-virt"
#define BOARD_UART_KIND UART_PL011
#define BOARD_UART_BASE 0x09000000UL
#define BOARD_UART_SIZE 0x1000UL

#endif
