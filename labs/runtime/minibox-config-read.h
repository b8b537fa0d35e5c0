/* minibox-config-read.h - the small readers of config.json that minibox-config.c and
 * minibox-config-linux.c share. A part of minibox. */
#ifndef MINIBOX_CONFIG_READ_H
#define MINIBOX_CONFIG_READ_H

#include "profile-json.h"

#include <stdbool.h>

/* Refuse OBJ.KEY at PLACE, saying WHY, when it holds anything but null, false or empty. */
void refuse(struct doc *d, json_t *obj, const char *key, const char *place, const char *why);
/* OBJ.KEY as a boolean (false when absent); anything else but null is refused at PLACE. */
bool get_bool(struct doc *d, json_t *obj, const char *key, const char *place);
/* LIST (strings) as a NULL-terminated array of pointers into the document, in *OUT. */
void string_list(struct doc *d, json_t *list, const char *place, char ***out);

#endif
