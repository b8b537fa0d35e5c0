#!/bin/sh
# The step-down entrypoint (COURSE-DEMOS #35): start as root, do the one thing that needs root,
# then `exec` the workload as an unprivileged user. exec replaces this shell, so apiserver is
# PID 1 and receives docker stop's SIGTERM itself. setpriv (util-linux; by its full path, as
# busybox sh would run its own applet of that name) plays gosu's part; sudo
# would fork and stay around as the parent.
set -e
mkdir -p /var/lib/api && chown 500:500 /var/lib/api # as root: a data directory for api
exec /usr/local/bin/setpriv --reuid=500 --regid=500 --clear-groups -- /usr/local/bin/apiserver -a 0.0.0.0 "$@"
