#!/bin/sh
# run.sh - give a copy of apiserver the capability to bind port 80 in its file, then run the
# copy as uid 500 with nothing else. The grader runs this as root, in a fresh network namespace
# and an empty scratch folder (the current folder); $APISERVER is the program to copy.
# Known-wrong: the capability goes on the original program, for everyone who runs it.
set -e
cp "$APISERVER" ./apiserver-80
setcap cap_net_bind_service=ep "$APISERVER"
exec setpriv --reuid=500 --regid=500 --clear-groups "$APISERVER" -a 127.0.0.1 -p 80
