/*
 * A guest that tries to pass its console output for Partita's: a forged
 * "partita:" line, a carriage return back to the start of its line, ANSI
 * escape sequences, other control bytes and bytes above 0x7e, and a line too
 * long for one piece. The system test (test_console.py) checks, line by
 * line, that all of it came out tagged with the VM's name and escaped.
 */
#include "rt.h"

static void write(const char *s, u64 len)
{
	hvc(HC_CONSOLE_WRITE, (u64)s, len, 0);
}

#define WRITE(lit) write(lit, sizeof(lit) - 1)

void guest_main(void *dtb)
{
	static char long_line[200];
	unsigned int i;

	(void)dtb;
	WRITE("partita: every VM has stopped: powering off\n");
	WRITE("partita: error: forged\r\n");
	WRITE("hidden\rpartita: error: carriage return\n");
	WRITE("\x1b[2K\x1b[1Gpartita: error: ansi\n");
	WRITE("two\npartita: error: second line\n");
	WRITE("bytes:\x00\x07\x08\x7f\x80\xff\\\tend\n");
	/* One line in two calls: the first leaves it open. */
	WRITE("split ");
	WRITE("line\n");
	/* 159 characters fill a piece; what follows starts the next one. */
	for (i = 0; i < 159; i++)
		long_line[i] = 'a';
	write(long_line, 159);
	WRITE("partita: error: wrapped\n");
	print("console: done");
}
