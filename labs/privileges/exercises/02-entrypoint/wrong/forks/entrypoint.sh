#!/bin/sh
# entrypoint.sh - known-wrong: the server is a child of a shell, not the entrypoint's own process
# (docker stop's SIGTERM would reach the shell, not the server).
set -e
chown -R 500:500 "$DATA"
setpriv --reuid 500 --regid 500 --clear-groups --inh-caps -all --bounding-set -all \
	--no-new-privs "$APISERVER" -a 127.0.0.1 -p 8000
echo "entrypoint: the server stopped"
