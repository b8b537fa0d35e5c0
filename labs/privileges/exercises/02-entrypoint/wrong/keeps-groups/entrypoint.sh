#!/bin/sh
# entrypoint.sh - known-wrong: root's supplementary groups stay with the server.
set -e
chown -R 500:500 "$DATA"
exec setpriv --reuid 500 --regid 500 --keep-groups --no-new-privs "$APISERVER" -a 127.0.0.1 -p 8000
