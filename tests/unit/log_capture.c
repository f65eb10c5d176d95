/* Records what lib/log.c writes; see log_capture.h. */
#include "log_capture.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/log.h"

#define MAX_LINES 64
#define LINE_MAX_LEN 300

static struct {
	int level;
	char text[LINE_MAX_LEN];
} lines[MAX_LINES];
static unsigned int line_count;

void log_sink(int level, const char *line, size_t len)
{
	if (line_count == MAX_LINES)
		return;
	if (len >= LINE_MAX_LEN)
		len = LINE_MAX_LEN - 1;
	lines[line_count].level = level;
	memcpy(lines[line_count].text, line, len);
	lines[line_count].text[len] = '\0';
	line_count++;
}

void log_capture_reset(void)
{
	line_count = 0;
}

unsigned int log_capture_count(int level)
{
	unsigned int i, n = 0;

	for (i = 0; i < line_count; i++)
		n += lines[i].level == level;
	return n;
}

static bool has_all(const char *text, const char *first, va_list ap)
{
	const char *needle;

	for (needle = first; needle; needle = va_arg(ap, const char *)) {
		if (!strstr(text, needle))
			return false;
	}
	return true;
}

bool log_capture_has(int level, const char *needle, ...)
{
	unsigned int i;

	for (i = 0; i < line_count; i++) {
		va_list ap;
		bool found;

		if (lines[i].level != level)
			continue;
		va_start(ap, needle);
		found = has_all(lines[i].text, needle, ap);
		va_end(ap);
		if (found)
			return true;
	}
	return false;
}

void log_capture_dump(void)
{
	unsigned int i;

	for (i = 0; i < line_count; i++)
		fprintf(stderr, "# log[%d]: %s", lines[i].level, lines[i].text);
}
