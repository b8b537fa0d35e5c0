#!/bin/sh
# run.sh - give a copy of apiserver the capability to bind port 80 in its file, then run the
# copy as uid 500 with nothing else. The grader runs this as root, in a fresh network namespace
# and an empty scratch folder (the current folder); $APISERVER is the program to copy.
# Known-wrong: a capability more than it needs (NET_RAW: raw sockets, packet spoofing).
set -e
cp "$APISERVER" ./apiserver-80
setcap cap_net_bind_service,cap_net_raw=ep ./apiserver-80
exec setpriv --reuid=500 --regid=500 --clear-groups ./apiserver-80 -a 127.0.0.1 -p 80
