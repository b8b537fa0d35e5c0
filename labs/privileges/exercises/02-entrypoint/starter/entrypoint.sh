#!/bin/sh
# entrypoint.sh - a container image's entrypoint: as root, prepare the data volume, then become
# the service for good. The grader runs it as root (sh entrypoint.sh) with $DATA (a folder of
# root's) and $APISERVER set, in a fresh network namespace. Your answer (task.md): today it
# prepares nothing and runs the server as root.
set -e
# TODO: give $DATA to uid 500, gid 500
# TODO: run the server as uid 500, no capability, no_new_privs, in this same process
exec "$APISERVER" -a 127.0.0.1 -p 8000
