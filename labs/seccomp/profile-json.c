/* profile-json.c - reading a profile's JSON: every value type-checked, every error placed.
 *
 * A part of the profile compiler (profile.c). jansson gives untyped values; a profile written
 * by hand has "names": "read" where a list belongs, or a typo in a key. Every read here checks
 * the type and names the place in the document ("syscalls[3].args[0].op") in the error, and a
 * key the format does not have is a warning instead of being silently ignored.
 */
#define _GNU_SOURCE
#include "profile-json.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

void doc_fail(struct doc *d, int status, const char *place, const char *fmt, ...)
{
	va_list ap;

	d->err->status = status;
	snprintf(d->err->where, sizeof(d->err->where), "%s", place);
	va_start(ap, fmt);
	vsnprintf(d->err->msg, sizeof(d->err->msg), fmt, ap);
	va_end(ap);
	longjmp(d->fail, 1);
}

static const char *type_word(json_type t)
{
	static const char *const names[] = {
		[JSON_OBJECT] = "an object",   [JSON_ARRAY] = "an array",
		[JSON_STRING] = "a string",    [JSON_INTEGER] = "an integer",
		[JSON_REAL] = "a real number", [JSON_TRUE] = "true",
		[JSON_FALSE] = "false",	       [JSON_NULL] = "null",
	};
	return names[t];
}

const char *doc_type(const json_t *v)
{
	return v ? type_word(json_typeof(v)) : "nothing";
}

const char *doc_at(char *buf, size_t len, const char *place, const char *key)
{
	snprintf(buf, len, "%s%s%s", place, *place ? "." : "", key);
	return buf;
}

json_t *doc_list(json_t *array)
{
	static json_t *empty; /* never modified, never freed */

	if (!empty)
		empty = json_array();
	return array ? array : empty;
}

json_t *doc_member(struct doc *d, json_t *obj, const char *key, json_type type, const char *place)
{
	json_t *v = json_object_get(obj, key);
	char where[128];

	if (!v || json_is_null(v))
		return NULL;
	if (json_typeof(v) != type)
		doc_bad(d, doc_at(where, sizeof(where), place, key), "expected %s, found %s",
			type_word(type), doc_type(v));
	return v;
}

uint64_t doc_unsigned(struct doc *d, json_t *obj, const char *key, const char *place, uint64_t max)
{
	json_t *v = doc_member(d, obj, key, JSON_INTEGER, place);
	char where[128];

	if (v && (json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max))
		doc_bad(d, doc_at(where, sizeof(where), place, key),
			"%" JSON_INTEGER_FORMAT " is out of range 0..%" PRIu64,
			json_integer_value(v), max);
	return v ? (uint64_t)json_integer_value(v) : 0;
}

const char *doc_string(struct doc *d, json_t *list, size_t i, const char *place)
{
	json_t *v = json_array_get(list, i);
	char where[160];

	if (!json_is_string(v)) {
		snprintf(where, sizeof(where), "%s[%zu]", place, i);
		doc_bad(d, where, "expected a string, found %s", doc_type(v));
	}
	return json_string_value(v);
}

bool doc_has(struct doc *d, json_t *list, const char *s, const char *place)
{
	bool found = false;

	for (size_t i = 0; i < json_array_size(list); i++)
		found |= !strcmp(doc_string(d, list, i, place), s);
	return found;
}

void doc_check_keys(struct doc *d, json_t *obj, const char *place, const char *const *known)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		size_t i;
		for (i = 0; known[i] && strcmp(known[i], key); i++)
			;
		if (!known[i])
			warnf("%s: %s%s%s: unknown key, ignored", d->source, place,
			      *place ? "." : "", key);
	}
}
