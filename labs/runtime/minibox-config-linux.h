/* minibox-config-linux.h - config.json's linux object: namespaces, ID maps, cgroup, seccomp. */
#ifndef MINIBOX_CONFIG_LINUX_H
#define MINIBOX_CONFIG_LINUX_H

#include "minibox-config.h"
#include "profile-json.h"

/* Read LINUX (config.json's "linux", NULL when absent) into C; ID names the default cgroup. */
void config_linux(struct doc *d, json_t *linux_obj, struct mb_config *c, const char *id);

#endif
