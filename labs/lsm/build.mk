# LSM lab: aagen reads its JSON policy with jansson; the others need only libc.
PKGS_aagen := jansson
