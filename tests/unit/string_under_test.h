/*
 * Renames lib/string.c's functions to partita_*, so its test links them
 * beside the host C library's own. The build force-includes this header
 * into lib/string.c; test_string.c includes it to get the prototypes.
 */
#ifndef TESTS_UNIT_STRING_UNDER_TEST_H
#define TESTS_UNIT_STRING_UNDER_TEST_H

#define memcpy partita_memcpy
#define memmove partita_memmove
#define memset partita_memset
#define memcmp partita_memcmp
#define memchr partita_memchr
#define strlen partita_strlen
#define strnlen partita_strnlen
#define strchr partita_strchr
#define strrchr partita_strrchr
#define strcmp partita_strcmp
#define strncmp partita_strncmp
#define strtoul partita_strtoul

#include "lib/include/stdlib.h"
#include "lib/include/string.h"

#endif
