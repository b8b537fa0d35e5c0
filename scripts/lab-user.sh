# shellcheck shell=bash
# scripts/lab-user.sh - the suite's unprivileged user, defined once (sourced, not run).
#
# scripts/setup creates it on the host (with this uid when it is free), scripts/vm-image writes
# it into the lab VM's /etc/passwd, and tests/helpers.bash turns it into CSECLAB_UID and
# CSECLAB_GID: the uid `id -u` gives for the name, else this number (inside a container the
# user is known by number only).
# shellcheck disable=SC2034 # used by the scripts that source this file
CSECLAB_LAB_USER=cseclab
CSECLAB_LAB_UID=4242 # its group has the same number
