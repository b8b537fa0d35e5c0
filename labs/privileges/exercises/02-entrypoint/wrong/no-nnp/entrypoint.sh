#!/bin/sh
# entrypoint.sh - known-wrong: without no_new_privs, a setuid-root program run by the server
# would still make it root again.
set -e
chown -R 500:500 "$DATA"
exec setpriv --reuid 500 --regid 500 --clear-groups "$APISERVER" -a 127.0.0.1 -p 8000
