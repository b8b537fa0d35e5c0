/* minibox-mounts.h - the container's file system: rootfs, mounts, /dev, pivot_root, masks. */
#ifndef MINIBOX_MOUNTS_H
#define MINIBOX_MOUNTS_H

#include "minibox-config.h"

/* In the child, in its new mount namespace (and cgroup, which a cgroup mount shows): make
 * every mount private, bind root.path onto itself, mount config.json's mounts in order, make
 * the /dev nodes and links, then pivot_root into it and detach the old root. Dies on error. */
void mounts_setup(const struct mb_config *c);
/* After pivot_root (and the hostname): /dev and / read-only when asked, then readonlyPaths
 * and maskedPaths. Dies on error. */
void mounts_finalize(const struct mb_config *c);

#endif
