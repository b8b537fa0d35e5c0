/* minibox-config-linux.h - config.json's linux object: namespaces, ID maps, cgroup, seccomp. */
#ifndef MINIBOX_CONFIG_LINUX_H
#define MINIBOX_CONFIG_LINUX_H

#include "minibox-config.h"
#include "profile-json.h"

/* Read LINUX (config.json's "linux", NULL when absent) into C; ID names the default cgroup. */
void config_linux(struct doc *d, json_t *linux_obj, struct mb_config *c, const char *id);
/* Refuse OBJ.KEY at PLACE, saying WHY, when it holds anything but null, false or empty. */
void refuse(struct doc *d, json_t *obj, const char *key, const char *place, const char *why);

#endif
