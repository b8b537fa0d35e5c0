# doctor decodes its own capability sets by name with libcap.
PKGS_doctor := libcap
