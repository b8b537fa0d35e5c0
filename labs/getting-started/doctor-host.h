/* doctor-host.h - probes of how this machine is set up around its kernel: the LSMs enabled at
 * boot, a Docker engine, a container around doctor, the mounts and sysctls that change outcomes,
 * the tools installed. A part of doctor (doctor.c lists them all). */
#ifndef CSECLAB_DOCTOR_HOST_H
#define CSECLAB_DOCTOR_HOST_H

#include "doctor-features.h"

/* Does a Docker engine answer on its socket? Its version (or "") into VERSION. */
bool docker_ping(char *version, size_t vlen);
/* The container runtime doctor runs under ("docker", "podman"...), or "none" with the reason
 * a marker file alone does not count. */
const char *container_runtime(void);

/* The probes of doctor-features.c's table: struct feature's `probe`. */
bool p_apparmor(const struct feature *f, char *why, size_t len);
bool p_selinux(const struct feature *f, char *why, size_t len);
bool p_docker(const struct feature *f, char *why, size_t len);
bool p_filecaps(const struct feature *f, char *why, size_t len);
bool p_port80(const struct feature *f, char *why, size_t len);
bool p_no_container(const struct feature *f, char *why, size_t len);
bool p_tool(const struct feature *f, char *why, size_t len);

#endif
