#!/bin/sh
# run.sh - known-wrong: it binds, with a capability more than it needs (NET_ADMIN).
exec capexec -u 500 --drop ALL --add NET_BIND_SERVICE --add NET_ADMIN --ambient -- \
	"$APISERVER" -a 127.0.0.1 -p 80
