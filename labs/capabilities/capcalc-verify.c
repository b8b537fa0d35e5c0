/* capcalc-verify.c - capcalc --verify: the computed sets against the kernel's, case by case.
 *
 * A part of capcalc (capcalc-rules.c computes; this checks). For each case of the table in verify(),
 * a probe is made: a copy of capcalc's own executable carrying the case's file capabilities
 * (security.capability, cap_set_file(3)) or setuid-root bit, in a cseclab temp dir on a mount
 * without nosuid. A child then becomes the case's process (bounding set, uids with keepcaps,
 * capset, ambient, no_new_privs) and execs the probe with --report, which prints its sets as
 * /proc/self/status gives them; the parent compares them with compute(). Every file given
 * capabilities is listed in /run/cseclab/filecaps.manifest (scripts/cleanup reads it) until it
 * is removed, and the temp dir goes on exit, error and SIGINT/SIGTERM.
 */
#define _GNU_SOURCE
#include "capcalc-verify.h"
#include "capcalc-rules.h"
#include "cleanup.h"
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define MANIFEST_DIR "/run/cseclab"
#define MANIFEST     MANIFEST_DIR "/filecaps.manifest"

static char dir[64], probe[96]; /* the cseclab temp dir and the probe copy in it */

/* Async-signal-safe: removing the file removes its capabilities. */
static void remove_probe(void *arg)
{
	(void)arg;
	if (probe[0])
		unlink(probe);
	if (dir[0])
		rmdir(dir);
}

/* scripts/cleanup reads the manifest: every file we gave capabilities, one path a line. */
static void manifest(const char *path, bool add)
{
	char buf[65536], *line, *save = NULL;
	ssize_t n;
	int fd;

	if (mkdir(MANIFEST_DIR, 0755) && errno != EEXIST)
		die("mkdir " MANIFEST_DIR);
	fd = open(MANIFEST, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX))
		die(MANIFEST);
	if (add) {
		lseek(fd, 0, SEEK_END);
		dprintf(fd, "%s\n", path);
	} else if ((n = read(fd, buf, sizeof(buf) - 1)) >= 0) {
		buf[n] = '\0';
		if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET))
			die(MANIFEST);
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			if (strcmp(line, path))
				dprintf(fd, "%s\n", line);
	}
	close(fd);
}

static void make_probe(const struct file *f)
{
	char cmd[256], b1[1024], b2[1024];
	cap_t caps;

	snprintf(probe, sizeof(probe), "%s/probe", dir);
	unlink(probe);
	snprintf(cmd, sizeof(cmd), "cp /proc/%d/exe %s", getpid(), probe);
	if (system(cmd))
		dief("%s: copying the probe failed", cmd);
	if (chmod(probe, f->suid_root ? 04755 : 0755))
		die("chmod");
	if (!f->fp && !f->fi && !f->fe)
		return;
	/* The masks into a libcap cap_t, written as security.capability by cap_set_file. */
	caps = cap_init();
	for (int c = 0; c <= last_cap; c++) {
		cap_value_t v = c;
		if (f->fp & (1ULL << c)) {
			cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET);
			if (f->fe)
				cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET);
		}
		if (f->fi & (1ULL << c))
			cap_set_flag(caps, CAP_INHERITABLE, 1, &v, CAP_SET);
	}
	manifest(probe, true);
	if (cap_set_file(probe, caps))
		die("cap_set_file");
	cap_free(caps);
	say("probe %s: F(p)=%s F(i)=%s F(e)=%d", probe, names(f->fp, b1, sizeof(b1)),
	    names(f->fi, b2, sizeof(b2)), f->fe);
}

/* In the child: become the process P, then exec the probe with --report. */
static _Noreturn void run_as(const struct proc *p, int out)
{
	gid_t gid = p->uid;
	cap_t caps = cap_init();
	int c;

	dup2(out, STDOUT_FILENO);
	for (c = 0; c <= last_cap; c++)
		if (!(p->bnd & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0))
			die("prctl(PR_CAPBSET_DROP)");
	if (p->uid != 0 && (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) || setgroups(1, &gid) ||
			    setresgid(gid, gid, gid) || setresuid(p->uid, p->euid, p->euid)))
		die("keepcaps/setgroups/setresgid/setresuid");
	for (c = 0; c <= last_cap; c++) {
		cap_value_t v = c;
		if (p->eff & (1ULL << c))
			cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET);
		if (p->prm & (1ULL << c))
			cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET);
		if (p->inh & (1ULL << c))
			cap_set_flag(caps, CAP_INHERITABLE, 1, &v, CAP_SET);
	}
	if (cap_set_proc(caps))
		die("capset");
	for (c = 0; c <= last_cap; c++)
		if ((p->amb & (1ULL << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0))
			die("prctl(PR_CAP_AMBIENT_RAISE)");
	if (p->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("prctl(PR_SET_NO_NEW_PRIVS)");
	execl(probe, probe, "--report", (char *)NULL);
	printf("exec-errno %d\n", errno);
	exit(EXIT_OK);
}

static struct result kernel_result(const struct proc *p)
{
	struct result r = {0};
	char buf[512] = "";
	unsigned long long v[5];
	unsigned u, e;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		die("pipe2");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		forget_cleanups();
		close(fds[0]);
		run_as(p, fds[1]);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	buf[n > 0 ? n : 0] = '\0';
	if (sscanf(buf, "exec-errno %d", &r.exec_errno) == 1)
		return r;
	if (sscanf(buf,
		   "report: uid=%u euid=%u inh=0x%llx prm=0x%llx eff=0x%llx bnd=0x%llx "
		   "amb=0x%llx",
		   &u, &e, &v[0], &v[1], &v[2], &v[3], &v[4]) != 7)
		dief("the probe's report is unreadable (status %d): %s", status, buf);
	r.p = (struct proc){.uid = u,
			    .euid = e,
			    .inh = v[0],
			    .prm = v[1],
			    .eff = v[2],
			    .bnd = v[3],
			    .amb = v[4],
			    .nnp = p->nnp};
	return r;
}

static bool same(const struct result *a, const struct result *b)
{
	if (a->exec_errno || b->exec_errno)
		return a->exec_errno == b->exec_errno;
	return a->p.uid == b->p.uid && a->p.euid == b->p.euid && a->p.inh == b->p.inh &&
	       a->p.prm == b->p.prm && a->p.eff == b->p.eff && a->p.bnd == b->p.bnd &&
	       a->p.amb == b->p.amb;
}

static void print_result(const char *label, const struct result *r)
{
	if (r->exec_errno)
		printf("%s: execve: %s\n", label, strerror(r->exec_errno));
	else
		print_proc(label, &r->p);
}

int verify(uid_t user)
{
	const uint64_t CH = 1ULL << CAP_CHOWN, NB = 1ULL << CAP_NET_BIND_SERVICE,
		       KI = 1ULL << CAP_KILL;
	struct proc root = read_self(), u = {.uid = user, .euid = user, .bnd = root.bnd};
	struct {
		const char *what;
		struct proc p;
		struct file f;
	} cases[] = {
		{"root execs a plain file", root, {0}},
		{"root, bounding {chown,kill}, execs a plain file",
		 {0, 0, 0, CH | KI, CH | KI, CH | KI, 0, false},
		 {0}},
		{"user keeps {chown} across setuid, execs a plain file (docker -u)",
		 {user, user, 0, CH, CH, root.bnd, 0, false},
		 {0}},
		{"user with ambient {net_bind_service} execs a plain file",
		 {user, user, NB, NB, NB, root.bnd, NB, false},
		 {0}},
		{"user execs a file with cap_net_bind_service=ep", u, {NB, 0, true, false}},
		{"user with ambient {chown} execs a file with cap_net_bind_service=ep",
		 {user, user, CH, CH, CH, root.bnd, CH, false},
		 {NB, 0, true, false}},
		{"user with inheritable {chown} execs a file with cap_chown=i",
		 {user, user, CH, CH, CH, root.bnd, 0, false},
		 {0, CH, false, false}},
		{"user, bounding without net_bind_service, file cap_net_bind_service=ep",
		 {user, user, 0, 0, 0, root.bnd & ~NB, 0, false},
		 {NB, 0, true, false}},
		{"user with no_new_privs execs a file with cap_net_bind_service=ep",
		 {user, user, 0, 0, 0, root.bnd, 0, true},
		 {NB, 0, true, false}},
		{"user execs a setuid-root file", u, {0, 0, false, true}},
		{"user with no_new_privs execs a setuid-root file",
		 {user, user, 0, 0, 0, root.bnd, 0, true},
		 {0, 0, false, true}},
		{"user execs a setuid-root file with cap_net_bind_service=ep",
		 u,
		 {NB, 0, true, true}},
		/* no_new_privs makes the setuid bit inert: the ambient set survives. */
		{"user with ambient {net_bind_service}, all permitted, no_new_privs, execs a "
		 "setuid-root file",
		 {user, user, NB, root.prm, NB, root.bnd, NB, true},
		 {0, 0, false, true}},
		/* euid' = 0 = the real uid: not "setid" for the kernel, the ambient set stays. */
		{"root with ambient {net_bind_service} execs a setuid-root file",
		 {0, 0, NB, root.prm, root.eff, root.bnd, NB, false},
		 {0, 0, false, true}},
	};
	struct statvfs vfs;
	const char *base = getenv("TMPDIR");
	struct result want, got;
	size_t i, ok = 0;

	require_root("--verify sets up processes and file capabilities");
	for (i = 0; i < 2; i++) {
		if (!base || statvfs(base, &vfs) || (vfs.f_flag & ST_NOSUID))
			base = i == 0 ? "/tmp" : "/var/tmp";
	}
	if (statvfs(base, &vfs) || (vfs.f_flag & ST_NOSUID))
		unsupported("set TMPDIR to a directory on a mount without nosuid",
			    "/tmp and /var/tmp are mounted nosuid: file caps would be ignored");
	snprintf(dir, sizeof(dir), "%s/cseclab-capcalc.XXXXXX", base);
	if (!mkdtemp(dir))
		die("mkdtemp");
	on_cleanup(remove_probe, NULL);
	if (chmod(dir, 0755))
		die("chmod");
	printf("verify: %zu cases, user uid %u, probes in %s\n", ARRAY_SIZE(cases), (unsigned)user,
	       dir);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		make_probe(&cases[i].f);
		want = compute(&cases[i].p, &cases[i].f);
		got = kernel_result(&cases[i].p);
		printf("case %zu: %s: %s\n", i + 1, cases[i].what,
		       same(&want, &got) ? "match" : "MISMATCH");
		print_result("  computed", &want);
		print_result("  kernel  ", &got);
		ok += same(&want, &got);
		if (cases[i].f.fp || cases[i].f.fi || cases[i].f.fe) {
			unlink(probe);
			manifest(probe, false);
		}
	}
	printf("verify: %zu/%zu cases match\n", ok, ARRAY_SIZE(cases));
	return ok == ARRAY_SIZE(cases) ? EXIT_OK : EXIT_FAIL;
}
