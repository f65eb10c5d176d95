/*
 * A bare-metal guest that prints a heartbeat line a few times a second, so
 * that one can see it keeps running while other VMs reboot, crash or power
 * off (guests/linux-and-baremetal.dts, tests/system/test_lifecycle.py).
 * Words of its bootargs make it do more after N beats:
 *
 *   crash=N      (first boot only) crash: its vectors point at a table
 *                whose entries read an address where nothing is, and it
 *                executes UDF; Partita cannot give it the abort (it would
 *                be taken where it happened) and reports it crashed
 *   reboot=N     (first boot only) write a marker high in its RAM, then,
 *                from a copy of a few instructions there, scribble over its
 *                whole image and reset (PSCI SYSTEM_RESET); the next boot
 *                checks that its RAM is clean and its image whole
 *   off=N        power off (PSCI SYSTEM_OFF), on any boot
 *   period-ms=M  a beat every M ms (default 250)
 */
#include "rt.h"

#define MARK_OFFSET (32UL << 20) /* from the RAM base: beyond image, stack and DTB */
#define MARK 0x600dbeefcafe0002UL
#define COPY_OFFSET (MARK_OFFSET + 4096) /* where scribble_and_reset() runs from */

/* Initialised data lives in the image: a pristine reload brings the first value back. */
static volatile u32 image_word = 0xfeed;

/* In heartbeat_asm.S. */
extern char faulting_vectors[];
extern char scribble_and_reset[], scribble_and_reset_end[];

struct options {
	u64 crash, reboot, off, period_ms;
};

/* The value of "word=N" in the bootargs, or dflt if the word is not there. */
static u64 option(const char *args, u32 len, const char *word, u64 dflt)
{
	const char *end = args + len;

	for (const char *p = args; p < end; p++) {
		const char *w = word, *q = p;
		u64 n = 0;

		if (p != args && p[-1] != ' ')
			continue;
		while (*w && q < end && *q == *w)
			q++, w++;
		if (*w || q >= end || *q != '=')
			continue;
		for (q++; q < end && *q >= '0' && *q <= '9'; q++)
			n = n * 10 + (u64)(*q - '0');
		return n;
	}
	return dflt;
}

static void read_options(const void *dtb, struct options *o)
{
	u32 len = 0;
	const char *args = fdt_prop(dtb, "chosen", "bootargs", &len);

	if (!args)
		len = 0;
	o->crash = option(args, len, "crash", 0);
	o->reboot = option(args, len, "reboot", 0);
	o->off = option(args, len, "off", 0);
	o->period_ms = option(args, len, "period-ms", 250);
	print("heartbeat: bootargs \"%s\"", len ? args : "");
}

/* A later boot: nothing of the first may be left, neither in RAM nor in the image. */
static void check_clean(u64 ram)
{
	const volatile u64 *p = (const volatile u64 *)(ram + MARK_OFFSET);
	unsigned int i, dirty = 0;

	for (i = 0; i < 2 * 4096 / 8; i++)
		dirty += p[i] != 0;
	check(dirty == 0, "heartbeat-memory-cleared", "%u words of the last boot's marks remain",
	      dirty);
	verdict("heartbeat-memory-cleared");
	check(image_word == 0xfeed, "heartbeat-image-pristine", "initialised data reads 0x%x",
	      image_word);
	verdict("heartbeat-image-pristine");
}

static void crash(void)
{
	print("heartbeat: crashing: vectors that read nothing, then UDF");
	__asm__ volatile("msr vbar_el1, %0\n"
			 "isb\n"
			 "udf #0\n" ::"r"(faulting_vectors)
			 : "memory");
	print("FAIL heartbeat-crash: still running after the fault");
}

static void scribble_reboot(u64 ram)
{
	volatile u64 *mark = (volatile u64 *)(ram + MARK_OFFSET);
	char *copy = (char *)(ram + COPY_OFFSET);
	u64 n = (u64)(scribble_and_reset_end - scribble_and_reset);
	void (*run)(u64 from, u64 to) = (void (*)(u64, u64))(void *)copy;

	print("heartbeat: scribbling over the image and resetting");
	*mark = MARK;
	image_word = 0xdead;
	for (u64 i = 0; i < n; i++)
		copy[i] = scribble_and_reset[i];
	/* Instructions written as data: make the instruction fetches see them. */
	__asm__ volatile("dsb ish\n"
			 "ic iallu\n"
			 "dsb ish\n"
			 "isb" ::
				 : "memory");
	run(ram, (u64)__guest_end);
}

void guest_main(void *dtb)
{
	u64 boots = hvc(HC_VM_BOOTS, 0, 0, 0).a1, ram = 0, size = 0, beat;
	struct options o;

	fdt_reg(dtb, "memory", &ram, &size);
	read_options(dtb, &o);
	print("heartbeat: boot %lu", boots);
	if (boots > 1)
		check_clean(ram);
	for (beat = 0;; beat++) {
		print("heartbeat boot=%lu beat=%lu", boots, beat);
		if (boots == 1 && o.crash && beat == o.crash)
			crash();
		if (boots == 1 && o.reboot && beat == o.reboot)
			scribble_reboot(ram);
		if (o.off && beat == o.off)
			return; /* guest_exit(): SYSTEM_OFF */
		delay_ticks(counter_frequency() * o.period_ms / 1000);
	}
}
