/*
 * partita-counter: a Linux user program for the Linux boot bench (make
 * bench). It prints the virtual counter CNTVCT_EL0 and its frequency
 * CNTFRQ_EL0 on stdout, as one line:
 *
 *   Partita guest: counter <CNTVCT_EL0> at <CNTFRQ_EL0> Hz
 *
 * Linux lets EL0 read both (CNTKCTL_EL1.EL0VCTEN). Under QEMU -icount
 * shift=0 a tick of a 62.5 MHz counter is 16 instructions, so the value is
 * an instruction count: natively from machine reset, under Partita from the
 * VM's start (CNTVOFF_EL2, which Partita prints). scripts/guest-linux.sh
 * builds it into the initramfs without a C library (only write and exit are
 * needed), so that nothing but Debian's packages and this file is in it.
 */

typedef unsigned long u64;

static long sys_call(long nr, long a0, long a1, long a2)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}

/* Appends v in decimal at p; returns the end. */
static char *put_dec(char *p, u64 v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

void _start(void)
{
	char line[96], *p = line;
	u64 cnt, frq;

	/* The ISB keeps the counter read from being taken early. */
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(cnt)::"memory");
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));
	p = put_str(p, "Partita guest: counter ");
	p = put_dec(p, cnt);
	p = put_str(p, " at ");
	p = put_dec(p, frq);
	p = put_str(p, " Hz\n");
	sys_call(64 /* write */, 1, (long)line, p - line);
	sys_call(93 /* exit */, 0, 0, 0);
	for (;;)
		;
}
