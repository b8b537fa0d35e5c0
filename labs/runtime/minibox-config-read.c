/* minibox-config-read.c - the small readers of config.json that minibox's config parts share
 * (minibox-config-read.h): refuse a known key minibox cannot honour, a boolean, a string list.
 * A part of minibox; it uses only the JSON reader of labs/seccomp/profile-json.h.
 */
#define _GNU_SOURCE
#include "minibox-config-read.h"

#include <stdlib.h>

/* A known key whose value is not the default: minibox cannot do what it asks. */
void refuse(struct doc *d, json_t *obj, const char *key, const char *place, const char *why)
{
	json_t *v = json_object_get(obj, key);
	char where[128];

	if (!v || json_is_null(v) || json_is_false(v) ||
	    (json_is_string(v) && !*json_string_value(v)) ||
	    (json_is_array(v) && !json_array_size(v)) ||
	    (json_is_object(v) && !json_object_size(v)))
		return;
	doc_bad(d, doc_at(where, sizeof(where), place, key), "%s", why);
}

/* OBJ.KEY as a boolean (false when absent). */
bool get_bool(struct doc *d, json_t *obj, const char *key, const char *place)
{
	json_t *v = json_object_get(obj, key);
	char where[128];

	if (v && !json_is_boolean(v) && !json_is_null(v))
		doc_bad(d, doc_at(where, sizeof(where), place, key),
			"expected true or false, found %s", doc_type(v));
	return json_is_true(v);
}

/* LIST (strings) as a NULL-terminated array of pointers into the document, in *OUT (set
 * before the strings are checked: a failed check leaves it to config_free). */
void string_list(struct doc *d, json_t *list, const char *place, char ***out)
{
	size_t n = json_array_size(list);

	*out = calloc(n + 1, sizeof(**out));
	if (!*out)
		doc_fail(d, 1, place, "out of memory");
	for (size_t i = 0; i < n; i++)
		(*out)[i] = (char *)doc_string(d, list, i, place);
}
