/* minibox-devices.h - which device nodes the container may use: v1 lines or a v2 BPF program. */
#ifndef MINIBOX_DEVICES_H
#define MINIBOX_DEVICES_H

#include "minibox-config.h"

/* The config's rules followed by the ones runc 1.1 adds to every container (mknod of any node,
 * and rwm on the nodes of /dev: null, zero, full, random, urandom, tty, ptmx, pts/N, net/tun).
 * Returns how many were written to OUT (at most MAX). */
int devices_rules(const struct mb_config *c, struct mb_device *out, int max);
/* Apply RULES, in order, to the cgroup directory DIR: v1 writes devices.deny and
 * devices.allow; v2 attaches a BPF_PROG_TYPE_CGROUP_DEVICE program built from them.
 * 0 ok; -1 with errno set and CALL naming what failed. */
int devices_v1(const char *dir, const struct mb_device *rules, int n, char call[256]);
int devices_v2(const char *dir, const struct mb_device *rules, int n, char call[256]);

#endif
