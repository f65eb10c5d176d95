#include "lib/log.h"

#include "lib/fmt.h"

#define LOG_LINE_MAX 256

static const char *const prefixes[] = {
	[LOG_ERROR] = "partita: error: ",
	[LOG_WARN] = "partita: warning: ",
	[LOG_INFO] = "partita: ",
	[LOG_DEBUG] = "partita: debug: ",
};

/*
 * A formatted value may come from outside (a device-tree string, the
 * bootargs): its control characters are escaped, so that it can neither end
 * the line nor start one that would read as another of Partita's.
 */
void log_vprintf(int level, const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX], line[LOG_LINE_MAX];
	size_t len = (size_t)fmt_format(line, sizeof(line), "%s", prefixes[level]);
	size_t i;

	fmt_vformat(msg, sizeof(msg), fmt, ap);
	for (i = 0; msg[i]; i++) {
		char esc[FMT_ESCAPE_MAX];
		size_t j, n = fmt_escape(esc, (unsigned char)msg[i]);

		if (len + n > sizeof(line) - 2)
			break;
		for (j = 0; j < n; j++)
			line[len++] = esc[j];
	}
	line[len++] = '\n';
	line[len] = '\0';
	log_sink(level, line, len);
}

void log_printf(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}
