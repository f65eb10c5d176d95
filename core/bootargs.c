#include "core/bootargs.h"

#include <string.h>

#include "lib/fmt.h"
#include "lib/log.h"

#define PREFIX "partita."
#define PREFIX_LEN (sizeof(PREFIX) - 1)

static const char *const selftest_values[] = { "el2-fault", "spi", "slow-uart", "lifecycle" };

/* Every word Partita knows, with the values it accepts (the n-th sets n + 1). */
static const struct {
	const char *name;
	const char *const *values;
	unsigned int value_count;
} words[] = {
	{ "selftest", selftest_values, ARRAY_SIZE(selftest_values) },
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * Finds the word at or after s: returns its start and sets *len, or returns
 * NULL at the end. A double quote makes spaces part of the word until the
 * next one, as in Linux's command line.
 */
static const char *next_word(const char *s, size_t *len)
{
	bool quoted = false;
	size_t n = 0;

	while (*s && is_space(*s))
		s++;
	if (!*s)
		return NULL;
	for (; s[n] && (quoted || !is_space(s[n])); n++) {
		if (s[n] == '"')
			quoted = !quoted;
	}
	*len = n;
	return s;
}

static bool is_partita(const char *w, size_t len)
{
	return len >= PREFIX_LEN && !strncmp(w, PREFIX, PREFIX_LEN);
}

static bool equals(const char *s, size_t len, const char *z)
{
	return strlen(z) == len && !strncmp(s, z, len);
}

/* Splits word w ("partita.name=value") into the index of its name, or -1, and its value. */
static int lookup(const char *w, size_t len, const char **value, size_t *value_len)
{
	const char *name = w + PREFIX_LEN, *eq = memchr(name, '=', len - PREFIX_LEN);
	size_t name_len = eq ? (size_t)(eq - name) : len - PREFIX_LEN;
	unsigned int i;

	*value = eq ? eq + 1 : NULL;
	*value_len = eq ? len - PREFIX_LEN - name_len - 1 : 0;
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (equals(name, name_len, words[i].name))
			return (int)i;
	}
	return -1;
}

/* The value's 1-based number among the word's accepted values, or 0. */
static unsigned int value_number(unsigned int word, const char *value, size_t len)
{
	unsigned int i;

	for (i = 0; value && i < words[word].value_count; i++) {
		if (equals(value, len, words[word].values[i]))
			return i + 1;
	}
	return 0;
}

void bootargs_parse(const char *args, struct bootargs *out)
{
	const char *w = args, *value;
	size_t len = 0, value_len;

	out->selftest = BOOTARGS_SELFTEST_NONE;
	for (; args && (w = next_word(w, &len)); w += len) {
		int word;
		unsigned int n;

		if (!is_partita(w, len))
			continue;
		word = lookup(w, len, &value, &value_len);
		n = word < 0 ? 0 : value_number((unsigned int)word, value, value_len);
		if (!n)
			continue;
		out->selftest = (enum bootargs_selftest)n;
	}
}

/* Writes "name=a|b" for word i, or every word so, into buf. */
static const char *accepted(char *buf, size_t size, int only)
{
	size_t at = 0;
	unsigned int i, v;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (only >= 0 && i != (unsigned int)only)
			continue;
		at += (size_t)fmt_format(buf + at, size - MIN(at, size),
					 "%s" PREFIX "%s=", at ? ", " : "", words[i].name);
		for (v = 0; v < words[i].value_count && at < size; v++)
			at += (size_t)fmt_format(buf + at, size - at, "%s%s", v ? "|" : "",
						 words[i].values[v]);
		if (at >= size)
			break;
	}
	return buf;
}

/* The word as a string for a log line, cut short if it is long. */
static const char *word_str(char *buf, size_t size, const char *w, size_t len)
{
	len = MIN(len, size - 1);
	memcpy(buf, w, len);
	buf[len] = '\0';
	return buf;
}

unsigned int bootargs_warn(const char *args)
{
	const char *w = args, *value;
	size_t len = 0, value_len;
	unsigned int bad = 0;
	char known[128], word[64];

	for (; args && (w = next_word(w, &len)); w += len) {
		int idx;

		if (!is_partita(w, len))
			continue;
		idx = lookup(w, len, &value, &value_len);
		if (idx < 0) {
			log_warn("bootargs: \"%s\" is not a Partita word and is ignored; Partita "
				 "knows %s",
				 word_str(word, sizeof(word), w, len),
				 accepted(known, sizeof(known), -1));
			bad++;
		} else if (!value_number((unsigned int)idx, value, value_len)) {
			log_warn("bootargs: \"%s\": %s; it takes %s, and is ignored",
				 word_str(word, sizeof(word), w, len),
				 value ? "value out of range" : "no value",
				 accepted(known, sizeof(known), idx));
			bad++;
		}
	}
	return bad;
}

const char *bootargs_guest(const char *args, char *out, size_t size)
{
	const char *w = args;
	size_t len = 0, at = 0;

	if (size)
		out[0] = '\0';
	for (; args && (w = next_word(w, &len)); w += len) {
		if (is_partita(w, len))
			continue;
		if (at + (at ? 1 : 0) + len + 1 > size)
			return w;
		if (at)
			out[at++] = ' ';
		memcpy(out + at, w, len);
		at += len;
		out[at] = '\0';
	}
	return NULL;
}
