/*
 * Leveled logging. The level is chosen at build time (LOG_LEVEL, default
 * LOG_INFO): calls below it compile to nothing. Every line starts with
 * "partita: ", errors and warnings say so, so a user can grep for them.
 */
#ifndef LIB_LOG_H
#define LIB_LOG_H

#include <stdarg.h>
#include <stddef.h>

#define LOG_ERROR 0
#define LOG_WARN 1
#define LOG_INFO 2
#define LOG_DEBUG 3

#ifndef LOG_LEVEL
#define LOG_LEVEL LOG_INFO
#endif

/**
 * Logs one line at level, whatever LOG_LEVEL is: the level's prefix, then
 * the formatted message with control characters escaped (see fmt_escape()),
 * cut to fit 256 characters with its newline.
 */
void log_printf(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** As log_printf(), with the arguments in a va_list. */
void log_vprintf(int level, const char *fmt, va_list ap);

/** Writes one finished line; the console provides it (a fake in unit tests). */
void log_sink(int level, const char *line, size_t len);

/** Logs an error line, "partita: error: ...", at every build level. */
#define log_err(...)                                        \
	do {                                                \
		if (LOG_LEVEL >= LOG_ERROR)                 \
			log_printf(LOG_ERROR, __VA_ARGS__); \
	} while (0)
/** Logs a warning line, "partita: warning: ...", unless built below LOG_WARN. */
#define log_warn(...)                                      \
	do {                                               \
		if (LOG_LEVEL >= LOG_WARN)                 \
			log_printf(LOG_WARN, __VA_ARGS__); \
	} while (0)
/** Logs an information line, "partita: ...", unless built below LOG_INFO. */
#define log_info(...)                                      \
	do {                                               \
		if (LOG_LEVEL >= LOG_INFO)                 \
			log_printf(LOG_INFO, __VA_ARGS__); \
	} while (0)
/** Logs a debug line, "partita: debug: ...", only when built with LOG_DEBUG. */
#define log_debug(...)                                      \
	do {                                                \
		if (LOG_LEVEL >= LOG_DEBUG)                 \
			log_printf(LOG_DEBUG, __VA_ARGS__); \
	} while (0)

#endif
