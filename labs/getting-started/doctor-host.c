/* doctor-host.c - how this machine is set up around its kernel (see doctor-host.h). */
#define _GNU_SOURCE
#include "doctor-host.h"
#include "cseclab.h"
#include "doctor-read.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

bool p_apparmor(const struct feature *f, char *why, size_t len)
{
	const char *en = line_of("/sys/module/apparmor/parameters/enabled");

	(void)f;
	if (!exists("/sys/module/apparmor"))
		return NOT("AppArmor is not in this kernel (the lab VM has it: make test-vm)");
	if (strcmp(en, "Y") != 0)
		return NOT("AppArmor is built in but not enabled (boot with lsm=...,apparmor)");
	if (!exists("/sys/kernel/security/apparmor"))
		return NOT("AppArmor is enabled but securityfs is not mounted "
			   "(mount -t securityfs securityfs /sys/kernel/security)");
	if (!on_path("apparmor_parser"))
		return NOT("AppArmor is enabled but apparmor_parser is missing (apt install "
			   "apparmor)");
	if (geteuid() != 0)
		return NOT("AppArmor is enabled; loading profiles needs root");
	return WHY("AppArmor is enabled and profiles can be loaded");
}

bool p_selinux(const struct feature *f, char *why, size_t len)
{
	const char *enf = line_of("/sys/fs/selinux/enforce");

	(void)f;
	if (!*enf)
		return NOT("SELinux is not active (no /sys/fs/selinux/enforce; the lab VM boots "
			   "it: make test-vm-selinux)");
	/* Before the first policy load every task's context is "kernel". */
	if (strcmp(line_of("/proc/self/attr/current"), "kernel") == 0)
		return WHY("SELinux is active, no policy loaded yet");
	return WHY("SELinux is active, %s", strcmp(enf, "1") == 0 ? "enforcing" : "permissive");
}

/* The Docker engine answers GET /_ping on its socket with "OK". */
bool docker_ping(char *version, size_t vlen)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	const char *host = getenv("DOCKER_HOST");
	const char *req = "GET /_ping HTTP/1.0\r\n\r\n";
	char resp[1024];
	ssize_t n, got = 0;
	int fd;
	bool ok;

	version[0] = '\0';
	snprintf(a.sun_path, sizeof(a.sun_path), "%s",
		 host && strncmp(host, "unix://", 7) == 0 ? host + 7 : "/var/run/docker.sock");
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return false;
	}
	while (got < (ssize_t)sizeof(resp) - 1 &&
	       (n = read(fd, resp + got, sizeof(resp) - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	resp[got] = '\0';
	ok = strstr(resp, " 200 ") && strstr(resp, "\r\n\r\nOK");
	{
		const char *v = strcasestr(resp, "\nServer: Docker/");

		if (v)
			snprintf(version, vlen, "%.*s", (int)strcspn(v + 16, " \r\n"), v + 16);
	}
	return ok;
}

bool p_docker(const struct feature *f, char *why, size_t len)
{
	char v[64];

	(void)f;
	if (docker_ping(v, sizeof(v)))
		return WHY("a Docker engine answers on its socket (version %s)", *v ? v : "?");
	return NOT("no Docker engine answers on /var/run/docker.sock (scripts/docker-engine "
		   "start)");
}

/* File capabilities work where we may set security.capability (root) on a filesystem that
 * is not mounted nosuid (nosuid silently ignores them at exec). Probed next to doctor. */
bool p_filecaps(const struct feature *f, char *why, size_t len)
{
	char dir[PATH_MAX], tmpl[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	struct statvfs s;
	/* revision 2, no effective bit, permitted = CAP_NET_RAW (the course's example) */
	const unsigned char cap[20] = {0x00, 0x00, 0x00, 0x02, 0x00, 0x20};
	int fd, rc;

	(void)f;
	if (n <= 0)
		return NOT("cannot find where doctor lives");
	dir[n] = '\0';
	*strrchr(dir, '/') = '\0';
	if (statvfs(dir, &s) == 0 && (s.f_flag & ST_NOSUID))
		return NOT("%s is on a nosuid mount: file capabilities would be ignored at exec",
			   dir);
	if (geteuid() != 0)
		return NOT("setting file capabilities needs root (CAP_SETFCAP)");
	snprintf(tmpl, sizeof(tmpl), "%s/.cseclab-doctor-XXXXXX", dir);
	fd = mkstemp(tmpl);
	if (fd < 0)
		return NOT("cannot create a probe file in %s: %s", dir, strerror(errno));
	rc = fsetxattr(fd, "security.capability", cap, sizeof(cap), 0);
	n = errno;
	close(fd);
	unlink(tmpl);
	if (rc != 0)
		return NOT("setting security.capability in %s fails: %s", dir, strerror((int)n));
	return WHY("security.capability can be set in %s (not nosuid)", dir);
}

bool p_port80(const struct feature *f, char *why, size_t len)
{
	long start;

	(void)f;
	if (read_long("/proc/sys/net/ipv4/ip_unprivileged_port_start", &start) != 0)
		return NOT("cannot read net.ipv4.ip_unprivileged_port_start");
	if (start > 80)
		return WHY("net.ipv4.ip_unprivileged_port_start=%ld: port 80 needs "
			   "CAP_NET_BIND_SERVICE",
			   start);
	return NOT("net.ipv4.ip_unprivileged_port_start=%ld: anyone may bind port 80 here (as in "
		   "a Docker 20.10+ container)",
		   start);
}

/* Which runtime's marker is here: /.dockerenv, /run/.containerenv, PID 1's container=
 * variable, or PID 1's cgroup path. NULL when there is none. */
static const char *container_marker(void)
{
	static char buf[128];
	char env[4096];
	ssize_t n;

	if (exists("/.dockerenv"))
		return "docker";
	if (exists("/run/.containerenv"))
		return "podman";
	n = read_file("/proc/1/environ", env, sizeof(env));
	for (ssize_t i = 0; n > 0 && i < n; i += (ssize_t)strlen(env + i) + 1)
		if (strncmp(env + i, "container=", 10) == 0) {
			snprintf(buf, sizeof(buf), "%.100s", env + i + 10);
			return buf;
		}
	if (read_file("/proc/1/cgroup", env, sizeof(env)) > 0) {
		if (strstr(env, "/docker"))
			return "docker";
		if (strstr(env, "/kubepods"))
			return "kubernetes";
		if (strstr(env, "/lxc"))
			return "lxc";
	}
	return NULL;
}

/* A marker file alone can be a leftover of how a machine image was built. A container is
 * confined: its own PID namespace (where kernel threads such as kthreadd, PID 2 of the initial
 * PID namespace, are invisible) and, under Docker, a seccomp filter. */
const char *container_runtime(void)
{
	static char buf[256];
	const char *marker = container_marker();
	bool host_pids = strcmp(line_of("/proc/2/comm"), "kthreadd") == 0;
	bool no_filter = strcmp(status_field("Seccomp"), "0") == 0;

	if (!marker)
		return "none";
	if (host_pids && no_filter) {
		snprintf(buf, sizeof(buf),
			 "none (a %s marker exists, but this is the initial PID namespace and no "
			 "seccomp filter is on: a machine built from a container image)",
			 marker);
		return buf;
	}
	return marker;
}

bool p_no_container(const struct feature *f, char *why, size_t len)
{
	const char *rt = container_runtime();

	(void)f;
	if (strncmp(rt, "none", 4) == 0)
		return WHY("not inside a container");
	return NOT("running inside a container (%s)", rt);
}

bool p_tool(const struct feature *f, char *why, size_t len)
{
	if (on_path(f->arg))
		return WHY("%s is on PATH", f->arg);
	return NOT("%s is not installed (or not on PATH): scripts/setup installs it", f->arg);
}
