/* profile-json.h - reading a profile's JSON: every value type-checked, every error placed. */
#ifndef PROFILE_JSON_H
#define PROFILE_JSON_H

#include <jansson.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "cseclab.h"
#include "profile.h"

/* The document being read. doc_fail() fills *err and jumps to fail (set by profile_compile). */
struct doc {
	const char *source;	   /* its name in warnings */
	struct profile_error *err; /* what doc_fail() fills */
	jmp_buf fail;		   /* where doc_fail() returns to */
};

/* Refuse the document: ERR gets STATUS (profile.h), PLACE and the message; no return. */
__attribute__((noreturn, format(printf, 4, 5))) void
doc_fail(struct doc *d, int status, const char *place, const char *fmt, ...);
/* A mistake in the profile (exit status 2 for the caller). */
#define doc_bad(d, ...) doc_fail(d, EXIT_USAGE, __VA_ARGS__)

/* "an array", "a string"... for "expected X, found Y" (V NULL: "nothing"). */
const char *doc_type(const json_t *v);
/* "PLACE.KEY" in BUF, or KEY at the top level (PLACE ""). */
const char *doc_at(char *buf, size_t len, const char *place, const char *key);
/* ARRAY, or a shared empty array for an absent one. */
json_t *doc_list(json_t *array);
/* OBJ.KEY, checked to be of TYPE; NULL when absent or null (Docker reads null as absent). */
json_t *doc_member(struct doc *d, json_t *obj, const char *key, json_type type, const char *place);
/* OBJ.KEY as an integer in 0..MAX, 0 when absent. */
uint64_t doc_unsigned(struct doc *d, json_t *obj, const char *key, const char *place, uint64_t max);
/* Element I of LIST (at PLACE), which must be a string. */
const char *doc_string(struct doc *d, json_t *list, size_t i, const char *place);
/* Whether LIST (at PLACE, strings only) holds S. */
bool doc_has(struct doc *d, json_t *list, const char *s, const char *place);
/* A warning for each key of OBJ not in KNOWN (NULL-terminated): a typo would go unnoticed. */
void doc_check_keys(struct doc *d, json_t *obj, const char *place, const char *const *known);

#endif
