/*
 * The emulated PL011 as a guest sees it, at QEMU virt's 0x09000000 with
 * SPI 1 (INTID 33): its ID registers (what Linux's AMBA bus probes), reset
 * values, output through UARTDR the way earlycon writes it, a prompt that
 * shows before its line ends, and input typed on the physical UART (by the
 * system test, tests/system/test_vuart.py): taken by its receive interrupt
 * with the FIFO on, polled with the interrupts masked (flags and raw
 * interrupt status checked on the way), and, with the FIFO off, a second
 * character held back until the first is read.
 * Run as a second VM (vuart-2vm-smp2.vmimg), it has no focus: it checks that
 * nothing typed reaches its UART while the first VM gets its line.
 */
#include "gic.h"

#define UART 0x09000000UL
#define UART_INTID 33
#define DR 0x000
#define RSR 0x004
#define FR 0x018
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define PERIPHID0 0xfe0
#define PCELLID0 0xff0

#define FR_BUSY (1U << 3)
#define FR_RXFE (1U << 4)
#define FR_TXFF (1U << 5)
#define FR_TXFE (1U << 7)
#define LCR_H_FEN (1U << 4)
#define LCR_H_WLEN8 (3U << 5)
#define CR_UARTEN (1U << 0)
#define CR_TXE (1U << 8)
#define CR_RXE (1U << 9)
#define RXI (1U << 4)
#define TXI (1U << 5)
#define RTI (1U << 6)
#define OEI (1U << 10)

#define WAIT_MS 20000 /* for the test to type: generous, QEMU may be slow */
#define NO_FOCUS_MS 8000 /* how long the second VM watches for input that must not come */

static u64 freq;
static volatile u32 irqs;
static volatile u32 rx_len;
static volatile char rx_buf[64];

static u32 rd(u32 off)
{
	return mmio_r32(UART + off);
}

static void wr(u32 off, u32 v)
{
	mmio_w32(UART + off, v);
}

/* As Linux's earlycon does it: byte stores, TXFF before and BUSY after each. */
static void uart_puts(const char *s)
{
	for (; *s; s++) {
		while (rd(FR) & FR_TXFF)
			;
		mmio_w8(UART + DR, (u8)*s);
		while (rd(FR) & FR_BUSY)
			;
	}
}

static void check_ids(void)
{
	u32 pid = 0, cid = 0;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		pid |= (rd(PERIPHID0 + 4 * i) & 0xff) << (8 * i);
		cid |= (rd(PCELLID0 + 4 * i) & 0xff) << (8 * i);
	}
	check(pid == 0x00341011, "vuart-id", "peripheral ID 0x%08x, not 0x00341011", pid);
	check(cid == 0xb105f00d, "vuart-id", "PrimeCell ID 0x%08x, not 0xb105f00d", cid);
	verdict("vuart-id");
}

static void check_reset(void)
{
	check(rd(FR) == (FR_TXFE | FR_RXFE), "vuart-reset", "UARTFR 0x%x, not 0x90", rd(FR));
	check(rd(CR) == 0x300, "vuart-reset", "UARTCR 0x%x, not 0x300", rd(CR));
	check(rd(IFLS) == 0x12, "vuart-reset", "UARTIFLS 0x%x, not 0x12", rd(IFLS));
	check(rd(IMSC) == 0 && rd(RIS) == 0 && rd(MIS) == 0, "vuart-reset",
	      "IMSC 0x%x RIS 0x%x MIS 0x%x, not all 0", rd(IMSC), rd(RIS), rd(MIS));
	verdict("vuart-reset");
}

static void check_tx(void)
{
	uart_puts("vuart: hello through UARTDR\r\n");
	/* The byte left at once: the transmit interrupt's raw status is up, until cleared. */
	check(rd(RIS) & TXI, "vuart-tx", "UARTRIS 0x%x: TXRIS not set after a write", rd(RIS));
	wr(ICR, TXI);
	check(!(rd(RIS) & TXI), "vuart-tx", "UARTICR did not clear TXRIS");
	check(rd(FR) & FR_TXFE, "vuart-tx", "UARTFR 0x%x: TXFE clear", rd(FR));
	verdict("vuart-tx");
}

/* A guest's bytes cannot forge a line: control bytes are escaped behind its tag. */
static void check_escaped(void)
{
	uart_puts("\x1b[2K\rpartita: error: forged\r\n");
	verdict("vuart-escaped");
}

/* A 64-bit access (no such PL011 register) is refused with an external abort. */
static void check_refused(void)
{
	struct exc_record *r = exc_last();
	u64 before = r->count;

	expect_exception(0);
	(void)mmio_r64(UART + DR);
	check(r->count == before + 1, "vuart-refused", "a 64-bit read of UARTDR did not abort");
	check(((r->esr >> 26) & 0x3f) == 0x25 && (r->esr & 0x3f) == 0x10, "vuart-refused",
	      "ESR 0x%lx is not a synchronous external abort", r->esr);
	check(r->far == UART + DR, "vuart-refused", "FAR 0x%lx", r->far);
	verdict("vuart-refused");
}

static void on_uart(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	irqs++;
	while (!(rd(FR) & FR_RXFE)) {
		u32 c = rd(DR) & 0xff;

		if (rx_len < sizeof(rx_buf) - 1)
			rx_buf[rx_len++] = (char)c;
	}
	wr(ICR, RXI | RTI);
}

/* The deadline of wait_line() passed: the WFI is over, the timer goes quiet. */
static void on_timer(u32 intid, u32 source)
{
	(void)intid;
	(void)source;
	timer_set_ctl(TIMER_PHYS, 0);
}

static u64 ms(u64 n)
{
	return freq / 1000 * n;
}

/* Waits in WFI for the receive interrupt to bring a carriage return, up to WAIT_MS. */
static bool wait_line(void)
{
	u64 end = counter() + ms(WAIT_MS);

	for (;;) {
		irq_mask();
		if ((rx_len && rx_buf[rx_len - 1] == '\r') || counter() > end)
			break;
		/* The physical timer ends the WFI at the deadline. */
		timer_set_cval(TIMER_PHYS, end);
		timer_set_ctl(TIMER_PHYS, CNT_CTL_ENABLE);
		wfi();
		irq_unmask();
	}
	irq_unmask();
	timer_set_ctl(TIMER_PHYS, 0);
	return rx_len && rx_buf[rx_len - 1] == '\r';
}

static void check_rx_irq(void)
{
	irq_register(UART_INTID, on_uart);
	gic_route_spi(UART_INTID, 0);
	gic_enable(UART_INTID, 0x80);
	wr(LCR_H, LCR_H_FEN | LCR_H_WLEN8);
	wr(CR, CR_UARTEN | CR_TXE | CR_RXE);
	print("vuart: type a line");
	/* A prompt: no newline, shown once the interrupt mask is written (as Linux's tty does). */
	uart_puts("vuart> ");
	wr(IMSC, RXI | RTI);
	irq_unmask();
	check(wait_line(), "vuart-rx-irq", "no line typed within %u ms (%u characters, %u irqs)",
	      WAIT_MS, rx_len, irqs);
	rx_buf[rx_len] = '\0';
	/* Echo it, ending the prompt's line. */
	uart_puts((const char *)rx_buf);
	uart_puts("\n");
	check(irqs >= 1, "vuart-rx-irq", "no receive interrupt taken");
	check(rd(FR) & FR_RXFE, "vuart-rx-irq", "UARTFR 0x%x: RXFE clear after draining", rd(FR));
	check(!(rd(RIS) & (RXI | RTI)), "vuart-rx-irq", "UARTRIS 0x%x after draining", rd(RIS));
	check(!gic_is_pending(UART_INTID), "vuart-rx-irq", "INTID 33 still pending, line low");
	print("vuart: got %u characters in %u interrupts", rx_len, irqs);
	verdict("vuart-rx-irq");
}

/* Polls for n characters with the interrupts masked, checking the flags as they come. */
static void check_rx_poll(void)
{
	u64 end;
	u32 got = 0, seen_irqs = irqs;
	char buf[8];

	wr(IMSC, 0);
	print("vuart: type 4 more");
	end = counter() + ms(WAIT_MS);
	while ((rd(FR) & FR_RXFE) && counter() < end)
		delay_ticks(ms(1));
	/* Below the trigger level (16 of 32): the timeout's raw status only, masked. */
	check(rd(RIS) & RTI, "vuart-rx-poll", "UARTRIS 0x%x: RTRIS not set", rd(RIS));
	check(!(rd(RIS) & RXI), "vuart-rx-poll", "UARTRIS 0x%x: RXRIS below the level", rd(RIS));
	check(rd(MIS) == 0, "vuart-rx-poll", "UARTMIS 0x%x with every interrupt masked", rd(MIS));
	while (got < 4 && counter() < end) {
		if (rd(FR) & FR_RXFE)
			continue;
		buf[got++] = (char)(rd(DR) & 0xff);
	}
	check(got == 4 && buf[0] == 'w' && buf[1] == 'x' && buf[2] == 'y' && buf[3] == 'z',
	      "vuart-rx-poll", "%u characters, not wxyz", got);
	check(rd(FR) & FR_RXFE, "vuart-rx-poll", "UARTFR 0x%x: RXFE clear after 4", rd(FR));
	check(!(rd(RIS) & RTI), "vuart-rx-poll", "UARTRIS 0x%x: RTRIS set when empty", rd(RIS));
	check(irqs == seen_irqs, "vuart-rx-poll", "an interrupt was taken while masked");
	verdict("vuart-rx-poll");
}

/*
 * With the FIFO off one character fills the receiver, and the second one
 * typed waits in the physical UART until the first is read: none is lost,
 * no overrun (Partita masks its console's receive interrupt meanwhile).
 */
static void check_flow(void)
{
	u64 end;
	unsigned int c1, c2;

	wr(LCR_H, LCR_H_WLEN8);
	print("vuart: type 2 more");
	end = counter() + ms(WAIT_MS);
	while ((rd(FR) & FR_RXFE) && counter() < end)
		delay_ticks(ms(1));
	/* Time enough for the second to overrun, if it came. */
	delay_ticks(ms(50));
	check(!(rd(RIS) & OEI), "vuart-flow", "UARTRIS 0x%x: an overrun", rd(RIS));
	c1 = rd(DR);
	while ((rd(FR) & FR_RXFE) && counter() < end)
		delay_ticks(ms(1));
	c2 = rd(DR);
	check((c1 & 0xfff) == '1' && (c2 & 0xfff) == '2', "vuart-flow",
	      "read 0x%x, 0x%x, not '1', '2' without errors", c1, c2);
	check(rd(RSR) == 0, "vuart-flow", "UARTRSR 0x%x: an error", rd(RSR));
	check(rd(FR) & FR_RXFE, "vuart-flow", "UARTFR 0x%x: more than two came", rd(FR));
	verdict("vuart-flow");
}

/* The second VM: its output is its own, and no input reaches it (the first VM has the focus). */
static void check_no_focus(void)
{
	u64 end = counter() + ms(NO_FOCUS_MS);
	u32 got = 0;

	wr(LCR_H, LCR_H_FEN | LCR_H_WLEN8);
	uart_puts("vuart: watching my input\n");
	while (counter() < end) {
		if (!(rd(FR) & FR_RXFE)) {
			(void)rd(DR);
			got++;
		}
		delay_ticks(ms(1));
	}
	check(got == 0, "vuart-no-focus", "%u characters reached the VM without focus", got);
	verdict("vuart-no-focus");
}

void guest_main(void *dtb)
{
	freq = timer_freq();
	check_ids();
	check_reset();
	check_tx();
	check_escaped();
	check_refused();
	if (hvc(HC_VM_INFO, 0, 0, 0).a1 != 0) {
		check_no_focus();
		guest_exit();
	}
	if (!check(gic_init(dtb), "vuart-rx-irq", "no GIC"))
		guest_exit();
	gic_cpu_init();
	irq_register(PPI_PTIMER, on_timer);
	gic_enable(PPI_PTIMER, 0xc0);
	check_rx_irq();
	check_rx_poll();
	check_flow();
	guest_exit();
}
