# LSM lab: aagen reads its JSON policy with jansson; the others need only libc.
PKGS_aagen := jansson
# aagen: the checks that keep a policy's strings from smuggling rules are a part of their own.
PARTS_aagen := labs/lsm/aagen-policy.c
