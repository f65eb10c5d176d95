/*
 * vcpu/vpl011.c: the emulated PL011's registers as Linux's amba-pl011
 * driver, earlycon and a bare-metal guest use them, and its interrupt
 * logic (PL011 TRM r1p5, section 2.8 and chapter 3).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "vcpu/vpl011.h"

static struct vpl011 u;

static int setup(void **state)
{
	(void)state;
	vpl011_reset(&u);
	return 0;
}

static u32 rd(u64 off)
{
	u32 v = 0xdeadbeef;

	assert_int_equal(vpl011_read(&u, off, 4, &v), 0);
	return v;
}

static int wr(u64 off, u32 val)
{
	u8 tx = 0;
	int out = vpl011_write(&u, off, 4, val, &tx);

	assert_true(out >= 0);
	return out;
}

static void test_reset_values(void **state)
{
	(void)state;
	assert_int_equal(rd(UARTFR), UARTFR_TXFE | UARTFR_RXFE);
	assert_int_equal(rd(UARTCR), 0x300);
	assert_int_equal(rd(UARTIFLS), 0x12);
	assert_int_equal(rd(UARTIMSC), 0);
	assert_int_equal(rd(UARTRIS), 0);
	assert_int_equal(rd(UARTMIS), 0);
	assert_int_equal(rd(UARTLCR_H), 0);
	assert_int_equal(rd(UARTRSR), 0);
	assert_false(vpl011_irq_level(&u));
}

/* Linux's AMBA bus: each ID word's low byte, little-endian, from the end of the frame. */
static void test_id_registers(void **state)
{
	u32 pid = 0, cid = 0;

	(void)state;
	for (unsigned int i = 0; i < 4; i++) {
		pid |= (rd(UARTPERIPHID0 + 4 * i) & 0xff) << (8 * i);
		cid |= (rd(UARTPCELLID0 + 4 * i) & 0xff) << (8 * i);
	}
	assert_int_equal(pid, 0x00341011);
	assert_int_equal(cid, 0xb105f00d);
	/* The pl011 driver's match: id 0x00041011 under mask 0x000fffff. */
	assert_int_equal(pid & 0x000fffff, 0x00041011);
}

static void test_tx_byte_and_interrupt(void **state)
{
	u8 tx = 0;

	(void)state;
	assert_int_equal(vpl011_write(&u, UARTDR, 1, 'A', &tx), VPL011_OUT_TX);
	assert_int_equal(tx, 'A');
	/* The byte left at once: the FIFO is empty and idle again, TXRIS raised. */
	assert_int_equal(rd(UARTFR) & (UARTFR_TXFE | UARTFR_TXFF | UARTFR_BUSY), UARTFR_TXFE);
	assert_int_equal(rd(UARTRIS), UART_TXI);
	assert_false(vpl011_irq_level(&u));
	assert_int_equal(wr(UARTIMSC, UART_TXI), VPL011_OUT_IDLE);
	assert_true(vpl011_irq_level(&u));
	assert_int_equal(rd(UARTMIS), UART_TXI);
	wr(UARTICR, UART_TXI);
	assert_int_equal(rd(UARTRIS), 0);
	assert_false(vpl011_irq_level(&u));
}

static void test_loopback(void **state)
{
	u8 tx = 0;

	(void)state;
	wr(UARTCR, 0x300 | UARTCR_LBE | UARTCR_UARTEN);
	assert_int_equal(vpl011_write(&u, UARTDR, 4, 'x', &tx), 0);
	assert_int_equal(tx, 0);
	assert_int_equal(rd(UARTFR) & UARTFR_RXFE, 0);
	assert_int_equal(rd(UARTDR), 'x');
}

/* Without FEN the receive side is one holding register: a second character overruns. */
static void test_rx_without_fifo(void **state)
{
	(void)state;
	wr(UARTIMSC, UART_RXI | UART_RTI);
	assert_true(vpl011_rx(&u, 'a'));
	assert_int_equal(rd(UARTFR) & (UARTFR_RXFE | UARTFR_RXFF), UARTFR_RXFF);
	assert_int_equal(rd(UARTRIS), UART_RXI | UART_RTI);
	assert_true(vpl011_irq_level(&u));
	assert_false(vpl011_rx(&u, 'b'));
	assert_int_equal(rd(UARTRIS) & UART_OEI, UART_OEI);
	assert_int_equal(rd(UARTRSR) & UARTRSR_OE, UARTRSR_OE);
	assert_int_equal(rd(UARTDR), 'a');
	assert_int_equal(rd(UARTFR) & UARTFR_RXFE, UARTFR_RXFE);
	assert_int_equal(rd(UARTRIS) & (UART_RXI | UART_RTI), 0);
	assert_false(vpl011_irq_level(&u));
	/* UARTECR clears the error; UARTICR the overrun interrupt. */
	wr(UARTRSR, 0);
	assert_int_equal(rd(UARTRSR), 0);
	wr(UARTICR, UART_ALL_INTS);
	assert_int_equal(rd(UARTRIS), 0);
}

/* With FEN, IFLS 0x12 (half): 16 characters raise RXRIS; fewer only the timeout. */
static void test_rx_fifo_trigger_and_timeout(void **state)
{
	unsigned int i;

	(void)state;
	wr(UARTLCR_H, UARTLCR_H_FEN | 0x60);
	wr(UARTIMSC, UART_RXI | UART_RTI);
	for (i = 0; i < 15; i++)
		assert_true(vpl011_rx(&u, (u8)('a' + i)));
	assert_int_equal(rd(UARTRIS), UART_RTI);
	assert_true(vpl011_irq_level(&u));
	assert_true(vpl011_rx(&u, 'p'));
	assert_int_equal(rd(UARTRIS), UART_RXI | UART_RTI);
	/* Reading below the trigger level clears RXRIS; the timeout stays while data is left. */
	assert_int_equal(rd(UARTDR), 'a');
	assert_int_equal(rd(UARTRIS), UART_RTI);
	/* UARTICR clears the timeout even with data left, until the next character. */
	wr(UARTICR, UART_RTI);
	assert_false(vpl011_irq_level(&u));
	for (i = 1; i < 16; i++)
		assert_int_equal(rd(UARTDR), 'a' + i);
	assert_int_equal(rd(UARTFR) & UARTFR_RXFE, UARTFR_RXFE);
	assert_int_equal(rd(UARTRIS), 0);
	/* An empty FIFO reads 0 and changes nothing. */
	assert_int_equal(rd(UARTDR), 0);
}

static void test_rx_fifo_full(void **state)
{
	unsigned int i;

	(void)state;
	wr(UARTLCR_H, UARTLCR_H_FEN);
	for (i = 0; i < VPL011_FIFO; i++)
		assert_true(vpl011_rx(&u, (u8)i));
	assert_int_equal(rd(UARTFR) & UARTFR_RXFF, UARTFR_RXFF);
	assert_false(vpl011_rx(&u, 0xff));
	assert_int_equal(rd(UARTDR), 0);
	/* The character read carries the standing overrun in UARTRSR. */
	assert_int_equal(rd(UARTRSR), UARTRSR_OE);
	/* Switching the FIFO off empties it. */
	wr(UARTLCR_H, 0);
	assert_int_equal(rd(UARTFR) & UARTFR_RXFE, UARTFR_RXFE);
}

/* Other trigger levels: IFLS.RXIFLSEL 0 is 1/8 (4 entries), 4 is 7/8 (28). */
static void test_rx_trigger_levels(void **state)
{
	unsigned int i;

	(void)state;
	wr(UARTLCR_H, UARTLCR_H_FEN);
	wr(UARTIFLS, 0 << 3);
	for (i = 0; i < 3; i++)
		vpl011_rx(&u, 'a');
	assert_int_equal(rd(UARTRIS) & UART_RXI, 0);
	vpl011_rx(&u, 'a');
	assert_int_equal(rd(UARTRIS) & UART_RXI, UART_RXI);
	wr(UARTLCR_H, 0);
	wr(UARTLCR_H, UARTLCR_H_FEN);
	wr(UARTIFLS, 4 << 3);
	for (i = 0; i < 27; i++)
		vpl011_rx(&u, 'a');
	assert_int_equal(rd(UARTRIS) & UART_RXI, 0);
	vpl011_rx(&u, 'a');
	assert_int_equal(rd(UARTRIS) & UART_RXI, UART_RXI);
}

static void test_register_widths_and_masks(void **state)
{
	u32 v = 0;
	u8 tx = 0;

	(void)state;
	wr(UARTCR, 0xffff);
	assert_int_equal(rd(UARTCR), 0xff87);
	wr(UARTIBRD, 0x12345);
	assert_int_equal(rd(UARTIBRD), 0x2345);
	wr(UARTFBRD, 0xff);
	assert_int_equal(rd(UARTFBRD), 0x3f);
	wr(UARTILPR, 0x1ff);
	assert_int_equal(rd(UARTILPR), 0xff);
	wr(UARTIFLS, 0xff);
	assert_int_equal(rd(UARTIFLS), 0x3f);
	wr(UARTDMACR, 0xff);
	assert_int_equal(rd(UARTDMACR), 7);
	wr(UARTIMSC, 0xffff);
	assert_int_equal(rd(UARTIMSC), UART_ALL_INTS);
	/* Read-only registers ignore writes; reserved ones read as zero. */
	wr(UARTRIS, 0xff);
	wr(UARTMIS, 0xff);
	wr(UARTFR, 0);
	assert_int_equal(rd(UARTFR), UARTFR_TXFE | UARTFR_RXFE);
	assert_int_equal(rd(0x100), 0);
	/* 16-bit (Linux's readw) and 8-bit (earlycon's writeb) accesses. */
	assert_int_equal(vpl011_read(&u, UARTCR, 2, &v), 0);
	assert_int_equal(v, 0xff87);
	assert_int_equal(vpl011_read(&u, UARTCR + 1, 1, &v), 0);
	assert_int_equal(v, 0xff);
	/* A byte of UARTDR other than its first has no side effect. */
	vpl011_rx(&u, 'q');
	assert_int_equal(vpl011_read(&u, UARTDR + 1, 1, &v), 0);
	assert_int_equal(rd(UARTDR), 'q');
	assert_int_equal(vpl011_write(&u, UARTDR + 1, 1, 'z', &tx), 0);
	/* No 64-bit register, nothing past the frame. */
	assert_int_equal(vpl011_read(&u, UARTDR, 8, &v), -E_INVAL);
	assert_int_equal(vpl011_write(&u, UARTDR, 8, 0, &tx), -E_INVAL);
	assert_int_equal(vpl011_read(&u, VPL011_SIZE, 4, &v), -E_INVAL);
	assert_int_equal(vpl011_read(&u, VPL011_SIZE - 2, 4, &v), -E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test_setup(test_id_registers, setup),
		cmocka_unit_test_setup(test_tx_byte_and_interrupt, setup),
		cmocka_unit_test_setup(test_loopback, setup),
		cmocka_unit_test_setup(test_rx_without_fifo, setup),
		cmocka_unit_test_setup(test_rx_fifo_trigger_and_timeout, setup),
		cmocka_unit_test_setup(test_rx_fifo_full, setup),
		cmocka_unit_test_setup(test_rx_trigger_levels, setup),
		cmocka_unit_test_setup(test_register_widths_and_masks, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
