/*
 * Partita's own words in the bootargs the boot loader passes (/chosen/
 * bootargs): "partita.<name>=<value>". Pure string work, so the host unit
 * tests run it as is.
 *
 * Words are split at spaces, tabs and newlines outside double quotes, as
 * Linux splits its command line, so Partita and a guest agree on what one
 * word is: "init=\"a partita.selftest=spi\"" is one word, and not Partita's.
 */
#ifndef CORE_BOOTARGS_H
#define CORE_BOOTARGS_H

#include "arch/types.h"

/** What partita.selftest asks for: a fault provoked on purpose, for the system tests. */
enum bootargs_selftest {
	BOOTARGS_SELFTEST_NONE = 0,
	BOOTARGS_SELFTEST_EL2_FAULT, /* read an unmapped address at EL2 once booted */
	BOOTARGS_SELFTEST_SPI, /* enable and pend an SPI nobody owns, as a boot loader might leave it */
	BOOTARGS_SELFTEST_SLOW_UART, /* the UART takes a character per drain: console_test_slow() */
	BOOTARGS_SELFTEST_LIFECYCLE, /* a spare CPU stops and restarts VM 0: vm_selftest_lifecycle() */
};

/** The values of Partita's words; absent or refused words leave the default. */
struct bootargs {
	enum bootargs_selftest selftest; /* partita.selftest */
};

/**
 * Reads Partita's words from args (may be NULL) into out, starting from the
 * defaults. A word that is unknown or has a value out of range is skipped;
 * the last valid one of a name wins. Logs nothing: see bootargs_warn.
 */
void bootargs_parse(const char *args, struct bootargs *out);

/**
 * Logs one warning for each "partita." word of args that bootargs_parse
 * skips, saying what is wrong and what is accepted. Returns how many.
 */
unsigned int bootargs_warn(const char *args);

/**
 * Writes the words of args that are not Partita's into out (size bytes,
 * NUL-terminated), one space apart. Returns NULL, or the first word that
 * did not fit: it and the words after it are left out.
 */
const char *bootargs_guest(const char *args, char *out, size_t size);

#endif
