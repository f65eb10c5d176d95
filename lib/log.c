#include "lib/log.h"

#include "lib/fmt.h"

#define LOG_LINE_MAX 256

static const char *const prefixes[] = {
	[LOG_ERROR] = "partita: error: ",
	[LOG_WARN] = "partita: warning: ",
	[LOG_INFO] = "partita: ",
	[LOG_DEBUG] = "partita: debug: ",
};

void log_vprintf(int level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int n = fmt_format(line, sizeof(line), "%s", prefixes[level]);
	int m = fmt_vformat(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	size_t len = (size_t)n + ((size_t)m < sizeof(line) - (size_t)n - 2
					  ? (size_t)m
					  : sizeof(line) - (size_t)n - 2);

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
