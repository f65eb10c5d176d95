/* clang-format off */
/*
 * A header for tests/tools/test_doc_gate.py: every item named good_* is
 * documented as scripts/doc-gate.py asks, every one named bad_* is not.
 */
#ifndef DOC_GATE_FIXTURE_H
#define DOC_GATE_FIXTURE_H

#include <stdbool.h>

/* Not items: a forward declaration and macros that are no functions. */
struct good_forward;
#define GOOD_CONSTANT 3
#define GOOD_FIELD(x) ((x) << 4)
#define __good_internal(x) (x)

/** Does one thing to a, which cannot fail. */
void good_plain(int a);

/**
 * A prototype over several lines, with attributes: returns 0, or a
 * negative error if b is out of range.
 */
__attribute__((warn_unused_result)) int
good_multi_line(int a,
		int b) __attribute__((nonnull));

/** Whether a is even. */
static inline bool good_inline(int a)
{
	/* Braces and semicolons in a string are no code: "{;}" */
	__asm__ volatile("nop; // {" ::: "memory");
	return (a & 1) == 0;
}

/** The name of item n, or NULL if there is none. */
const char *good_pointer(int n);

// A line comment is a comment too, it says what this does.
void good_line_comment(void);

/** Some state kept between calls. */
struct good_struct {
	int undocumented_member;
	void (*callback)(int undocumented_argument);
};

/** The kinds of good things. */
enum good_enum {
	GOOD_ENUM_A,
	GOOD_ENUM_B,
};

/** A handler called for each item. */
typedef void (*good_handler)(int n);

/** A count of items kept in a register. */
typedef unsigned long good_count_t;

/** The table of handlers, indexed by kind. */
extern const good_handler good_handlers[];

/** Runs a handler for the value x; a macro so that x is evaluated once. */
#define good_macro(x) good_plain(x)

/** Returns the unsigned size of things, which never fails. */
unsigned int good_unsigned(void);

/** Small counters, by width: a run of one-line items shares this comment. */
typedef unsigned char good_run_8;
typedef unsigned short good_run_16;
typedef unsigned int good_run_32;

void bad_plain(int a);

__attribute__((noreturn)) void
bad_multi_line(int a,
	       int b);

static inline int bad_inline(void)
{
	return 1;
}

struct bad_struct {
	int member;
};

union bad_union {
	int a;
	long b;
};

enum bad_enum {
	BAD_A,
};

typedef int bad_typedef;

typedef void (*bad_handler)(void);

typedef struct {
	int a;
} bad_anonymous_t;

extern int bad_extern;

#define bad_macro(x) ((x) + 1)

/** This comment is followed by a blank line. */

void bad_after_blank(void);

int bad_trailing_target; /* this comment trails the line above */
void bad_after_trailing(void);

/** A documented prototype, followed by items its comment does not cover. */
void good_before_run(void);
typedef int bad_other_kind;
static inline void bad_multi_line_in_run(void)
{
}

/* Too short. */
void bad_short(void);

/** Computes the thing from a and b. */
int bad_int_silent(int a, int b);

/** Looks the thing up by its number. */
const char *bad_pointer_silent(int n);

/** Checks the thing that was given. */
bool bad_bool_silent(int n);

/** A comment before a directive documents nothing after it. */
#ifdef SOMETHING
void bad_after_directive(void);
#endif

#endif
