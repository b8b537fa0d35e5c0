#!/bin/sh
# run.sh - start apiserver on 127.0.0.1:80 as uid 500, with the least privilege that lets it
# bind. The grader runs this as root, in a fresh network namespace; $APISERVER is the program.
# Your answer (task.md): today apiserver gets no capability at all.
exec capexec -u 500 --drop ALL -- "$APISERVER" -a 127.0.0.1 -p 80
