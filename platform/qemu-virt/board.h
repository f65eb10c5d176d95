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
/*
 * Where RAM starts: everything below is devices and flash, so an x0 there
 * is refused without being read (a read could have side effects). How far
 * RAM goes is only known from the FDT.
 */
#define BOARD_RAM_BASE 0x40000000UL

#endif
