/*
 * A fake log_sink for the unit tests: it keeps every line lib/log.c
 * produces, so a test can check that a refusal was explained and named
 * the node or property at fault.
 */
#ifndef TESTS_UNIT_LOG_CAPTURE_H
#define TESTS_UNIT_LOG_CAPTURE_H

#include <stdbool.h>

/** Forgets every captured line. */
void log_capture_reset(void);

/** How many lines were logged at exactly this level. */
unsigned int log_capture_count(int level);

/** Whether some line at this level contains every one of the NULL-terminated needles. */
bool log_capture_has(int level, const char *needle, ...) __attribute__((sentinel));

/** Prints every captured line, for a failing test's diagnosis. */
void log_capture_dump(void);

#endif
