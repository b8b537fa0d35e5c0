# LSM lab: aagen reads its JSON policy with jansson; the others need only libc.
PKGS_aagen := jansson
# lsminfo and doctor read the LSM list with one unit (lsmlist.c: securityfs or lsm_list_modules).
PARTS_lsminfo := labs/lsm/lsmlist.c
# aagen: the checks that keep a policy's strings from smuggling rules are a part of their own.
PARTS_aagen := labs/lsm/aagen-policy.c
