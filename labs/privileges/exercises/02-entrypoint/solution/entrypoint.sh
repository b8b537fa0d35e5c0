#!/bin/sh
# entrypoint.sh - a container image's entrypoint: as root, prepare the data volume, then become
# the service for good. The grader runs it as root (sh entrypoint.sh) with $DATA (a folder of
# root's) and $APISERVER set, in a fresh network namespace. A reference answer.
set -e
# The privileged setup: only root may give a folder away.
chown -R 500:500 "$DATA"
# Then, in this same process (exec): groups, gid, uid of the service; no capability can come
# back, not even through a setuid-root or file-capability program (no_new_privs).
exec setpriv --reuid 500 --regid 500 --clear-groups --inh-caps -all --bounding-set -all \
	--no-new-privs "$APISERVER" -a 127.0.0.1 -p 8000
