#!/bin/sh
# run.sh - known-wrong: lowers the sysctl (as today's Docker does in a container) instead of
# granting a capability: then any program of any user binds any port.
sysctl -q -w net.ipv4.ip_unprivileged_port_start=80
exec capexec -u 500 --drop ALL -- "$APISERVER" -a 127.0.0.1 -p 80
