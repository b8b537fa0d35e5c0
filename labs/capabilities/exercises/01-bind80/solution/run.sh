#!/bin/sh
# run.sh - start apiserver on 127.0.0.1:80 as uid 500, with the least privilege that lets it
# bind. A reference answer: one capability, raised as ambient so that it survives the execve of
# a program that is neither setuid nor has file capabilities (capabilities(7), "Ambient").
exec capexec -u 500 --drop ALL --add NET_BIND_SERVICE --ambient -- "$APISERVER" -a 127.0.0.1 -p 80
