/* capcalc - what execve does to the capability sets, computed by the rules and checked live.
 *
 * Mechanism: the transformation of capabilities(7) at execve:
 *   P'(ambient) = (file caps, or the new euid differs from the real uid) ? 0 : P(ambient)
 *   P'(permitted) = (P(inheritable) & F(inheritable)) | (F(permitted) & P(bounding)) | P'(ambient)
 *   P'(effective) = F(effective) ? P'(permitted) : P'(ambient);  inheritable, bounding: kept
 * with the root rules (uid 0: F(p) = F(i) = all, F(e) = 1), no_new_privs (the setuid bit is
 * ignored, no gain over P(p)) and the EPERM for a capability-dumb file whose F(p) is not all granted. capcalc prints
 * each step for given sets; --verify runs a table of cases for real (a child sets the process up,
 * execs a copy of capcalc carrying the file's caps or setuid bit, and the copy reports
 * /proc/self/status) and prints "verify: 14/14 cases match" (exit 0; 1 on any mismatch).
 * Needs: root and a mount without nosuid for --verify. Read next: capabilities(7), execve(2).
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "cleanup.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
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

struct proc {
	uid_t uid, euid;
	uint64_t inh, prm, eff, bnd, amb;
	bool nnp;
};

struct file {
	uint64_t fp, fi;
	bool fe, suid_root;
};

struct result {
	struct proc p;
	int exec_errno; /* EPERM: the kernel refuses the exec */
};

static int last_cap;
static bool steps; /* print each rule as it is applied */

static uint64_t all_caps(void)
{
	return last_cap >= 63 ? ~0ULL : (1ULL << (last_cap + 1)) - 1;
}

static const char *names(uint64_t m, char *buf, size_t len)
{
	size_t used = 0;
	char *n;
	int c;

	if (!m)
		return "none";
	if ((m & all_caps()) == all_caps())
		return "all";
	buf[0] = '\0';
	for (c = 0; c <= last_cap; c++) {
		if (!(m & (1ULL << c)))
			continue;
		n = cap_to_name(c);
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 used ? "," : "", n + 4);
		cap_free(n);
	}
	return buf;
}

static void step(const char *what, uint64_t m)
{
	char buf[1024];

	if (steps)
		printf("  %-58s = 0x%016llx %s\n", what, (unsigned long long)m,
		       names(m, buf, sizeof(buf)));
}

/* "chown,net_bind_service", "none", "all", or a 0x mask. */
static uint64_t parse_caps(const char *arg)
{
	char copy[1024], name[64], *tok, *save = NULL;
	uint64_t m = 0;
	cap_value_t v;
	size_t i;

	if (!strcmp(arg, "") || !strcasecmp(arg, "none"))
		return 0;
	if (!strcasecmp(arg, "all"))
		return all_caps();
	if (!strncmp(arg, "0x", 2))
		return strtoull(arg, NULL, 16) & all_caps();
	snprintf(copy, sizeof(copy), "%s", arg);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		snprintf(name, sizeof(name), "%s%s", strncasecmp(tok, "cap_", 4) ? "cap_" : "",
			 tok);
		for (i = 0; name[i]; i++)
			name[i] = (char)tolower((unsigned char)name[i]);
		if (isdigit((unsigned char)tok[0]) || cap_from_name(name, &v) || v > last_cap)
			usage_error("unknown capability '%s'", tok);
		m |= 1ULL << v;
	}
	return m;
}

/* The kernel's algorithm (security/commoncap.c, cap_bprm_creds_from_file), step by step. */
static struct result compute(const struct proc *old, const struct file *f)
{
	struct result r = {.p = *old};
	struct proc *new = &r.p;
	bool has_fcap = f->fp || f->fi || f->fe, effective = f->fe, setid;

	/* bprm_fill_uid (fs/exec.c): under no_new_privs the kernel never applies the setuid bit
	 * (prctl(2): "set-user-ID bits become non-functional"); the file runs as a plain one. */
	if (f->suid_root && old->nnp) {
		if (steps)
			printf("  no_new_privs: the setuid bit is ignored, euid stays %u\n",
			       (unsigned)new->euid);
	} else if (f->suid_root) {
		new->euid = 0;
	}
	/* get_file_caps: pP' = (X & fP) | (pI & fI), before the ambient set is added. */
	new->prm = (old->bnd & f->fp) | (old->inh & f->fi);
	step("P'(permitted) = (P(bounding) & F(permitted)) | (P(inh) & F(inh))", new->prm);
	if (has_fcap && effective && (f->fp & ~new->prm)) {
		if (steps)
			printf("  F(effective) set but F(permitted) not all granted: execve fails "
			       "with EPERM (capability-dumb binary)\n");
		r.exec_errno = EPERM;
		return r;
	}
	/* Root: the file's sets count as full, unless a setuid-root file with file caps is run by
	 * a non-root user (then only the file caps count). */
	if (has_fcap && new->uid != 0 && new->euid == 0) {
		if (steps)
			printf("  setuid-root file with file caps, real uid %u: root rules "
			       "skipped\n",
			       (unsigned)new->uid);
	} else if (new->euid == 0 || new->uid == 0) {
		new->prm = old->bnd | old->inh;
		step("root: F(p) = F(i) = all, so P'(permitted) = P(bounding) | P(inh)", new->prm);
		if (new->euid == 0)
			effective = true;
	}
	/* "setid" as the kernel means it: the new euid is not the real uid. A real-root caller
	 * running a setuid-root file is not setid: it keeps its ambient set. */
	setid = new->euid != old->uid;
	/* no_new_privs: nothing beyond what the process already permitted. */
	if (old->nnp && (setid || (new->prm & ~old->prm))) {
		new->euid = new->uid;
		new->prm &= old->prm;
		step("no_new_privs: euid = uid, P'(permitted) &= P(permitted)", new->prm);
	}
	if (has_fcap || setid)
		new->amb = 0;
	step("P'(ambient) = (file caps or euid' != uid) ? 0 : P(ambient)", new->amb);
	new->prm |= new->amb;
	step("P'(permitted) |= P'(ambient)", new->prm);
	new->eff = effective ? new->prm : new->amb;
	step(effective ? "P'(effective) = P'(permitted) (F(effective) set, or euid 0)"
		       : "P'(effective) = P'(ambient) (F(effective) clear)",
	     new->eff);
	step("P'(inheritable) = P(inheritable)", new->inh);
	step("P'(bounding) = P(bounding)", new->bnd);
	return r;
}

static void print_proc(const char *label, const struct proc *p)
{
	printf("%s: uid=%u euid=%u inh=0x%llx prm=0x%llx eff=0x%llx bnd=0x%llx amb=0x%llx\n", label,
	       (unsigned)p->uid, (unsigned)p->euid, (unsigned long long)p->inh,
	       (unsigned long long)p->prm, (unsigned long long)p->eff, (unsigned long long)p->bnd,
	       (unsigned long long)p->amb);
}

/* This process as the kernel sees it. */
static struct proc read_self(void)
{
	char st[8192], *l;
	struct proc p = {.uid = getuid(), .euid = geteuid()};

	if (read_file("/proc/self/status", st, sizeof(st)) < 0)
		die("/proc/self/status");
#define FIELD(key, dst)                                                                            \
	if ((l = strstr(st, key ":")))                                                             \
		dst = strtoull(l + strlen(key ":"), NULL, 16);
	FIELD("CapInh", p.inh)
	FIELD("CapPrm", p.prm)
	FIELD("CapEff", p.eff)
	FIELD("CapBnd", p.bnd)
	FIELD("CapAmb", p.amb)
#undef FIELD
	p.nnp = (l = strstr(st, "NoNewPrivs:")) && strtol(l + 11, NULL, 10) == 1;
	return p;
}

/* A real file: its capabilities (libcap) and whether it is setuid root on a suid mount. */
static struct file read_file_caps(const char *path)
{
	struct file f = {0};
	struct statvfs vfs;
	struct stat st;
	cap_flag_value_t v;
	cap_t caps;
	int c;

	if (stat(path, &st) || statvfs(path, &vfs))
		die(path);
	if (vfs.f_flag & ST_NOSUID) {
		printf("note: %s is on a nosuid mount: the kernel ignores its setuid bit and file "
		       "capabilities\n",
		       path);
		return f;
	}
	f.suid_root = (st.st_mode & S_ISUID) && st.st_uid == 0;
	caps = cap_get_file(path);
	if (!caps)
		return f;
	for (c = 0; c <= last_cap; c++) {
		cap_get_flag(caps, c, CAP_PERMITTED, &v);
		f.fp |= v ? 1ULL << c : 0;
		cap_get_flag(caps, c, CAP_INHERITABLE, &v);
		f.fi |= v ? 1ULL << c : 0;
		cap_get_flag(caps, c, CAP_EFFECTIVE, &v);
		f.fe |= v == CAP_SET;
	}
	cap_free(caps);
	return f;
}

/* ---- --verify: the same cases through the real kernel ------------------------------------ */

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

static int verify(uid_t user)
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

static void usage(void)
{
	printf("Usage: %s [PROCESS] [FILE] [--nnp]   compute the sets after execve, step by step\n"
	       "       %s --verify [-u USER]          run a table of cases for real and compare\n"
	       "\n"
	       "PROCESS (default: capcalc's own state):\n"
	       "  --uid N                 real and effective uid\n"
	       "  --as-user USER          an ordinary USER: that uid, empty sets\n"
	       "  --pi/--pp/--pe/--pb/--pa CAPS  inheritable, permitted, effective, bounding,\n"
	       "                          ambient: chown,net_raw | none | all | 0xMASK\n"
	       "  --nnp                   no_new_privs is set\n"
	       "FILE (default: a plain file):\n"
	       "  --file PATH             a real file: its capabilities and setuid-root bit\n"
	       "  --fp/--fi CAPS, --fe    file permitted, inheritable, effective bit\n"
	       "  --setuid-root           the file is setuid and owned by root\n"
	       "Other:\n"
	       "  -u, --user USER         --verify's unprivileged user (default cseclab, nobody)\n"
	       "  -v, --verbose           narrate\n"
	       "  -h, --help              this text\n",
	       progname, progname);
}

int main(int argc, char **argv)
{
	enum {
		O_PI = 256,
		O_PP,
		O_PE,
		O_PB,
		O_PA,
		O_FP,
		O_FI,
		O_FE,
		O_SUID,
		O_UID,
		O_AS,
		O_NNP,
		O_FILE,
		O_VERIFY,
		O_REPORT
	};
	static const struct option opts[] = {{"pi", required_argument, NULL, O_PI},
					     {"pp", required_argument, NULL, O_PP},
					     {"pe", required_argument, NULL, O_PE},
					     {"pb", required_argument, NULL, O_PB},
					     {"pa", required_argument, NULL, O_PA},
					     {"fp", required_argument, NULL, O_FP},
					     {"fi", required_argument, NULL, O_FI},
					     {"fe", no_argument, NULL, O_FE},
					     {"setuid-root", no_argument, NULL, O_SUID},
					     {"uid", required_argument, NULL, O_UID},
					     {"as-user", required_argument, NULL, O_AS},
					     {"nnp", no_argument, NULL, O_NNP},
					     {"file", required_argument, NULL, O_FILE},
					     {"verify", no_argument, NULL, O_VERIFY},
					     {"report", no_argument, NULL, O_REPORT},
					     {"user", required_argument, NULL, 'u'},
					     {"verbose", no_argument, NULL, 'v'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct proc p;
	struct file f = {0};
	struct passwd *pw;
	struct result r;
	const char *vuser = NULL;
	bool do_verify = false;
	long v;
	int c;

	prog_init(argv[0]);
	if (read_long("/proc/sys/kernel/cap_last_cap", &v))
		die("/proc/sys/kernel/cap_last_cap");
	last_cap = (int)v;
	p = read_self();
	while ((c = getopt_long(argc, argv, "u:vh", opts, NULL)) != -1) {
		switch (c) {
		case O_PI:
			p.inh = parse_caps(optarg);
			break;
		case O_PP:
			p.prm = parse_caps(optarg);
			break;
		case O_PE:
			p.eff = parse_caps(optarg);
			break;
		case O_PB:
			p.bnd = parse_caps(optarg);
			break;
		case O_PA:
			p.amb = parse_caps(optarg);
			break;
		case O_FP:
			f.fp = parse_caps(optarg);
			break;
		case O_FI:
			f.fi = parse_caps(optarg);
			break;
		case O_FE:
			f.fe = true;
			break;
		case O_SUID:
			f.suid_root = true;
			break;
		case O_NNP:
			p.nnp = true;
			break;
		case O_FILE:
			f = read_file_caps(optarg);
			break;
		case O_VERIFY:
			do_verify = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'u':
			vuser = optarg;
			break;
		case O_UID:
			if (parse_long(optarg, 0, INT32_MAX, &v))
				usage_error("--uid %s: a number expected", optarg);
			p.uid = p.euid = (uid_t)v;
			break;
		case O_AS:
			if (!(pw = getpwnam(optarg)))
				usage_error("--as-user %s: no such user", optarg);
			p.uid = p.euid = pw->pw_uid;
			p.inh = p.prm = p.eff = p.amb = 0;
			break;
		case O_REPORT:
			p.uid = getuid();
			p.euid = geteuid();
			print_proc("report", &p);
			/* _exit: a setuid probe is not dumpable, and LeakSanitizer's exit-time
			 * check (make sanitize) cannot inspect such a process. */
			fflush(stdout);
			_exit(EXIT_OK);
		case 'h':
			usage();
			return EXIT_OK;
		default:
			usage_error("unknown option");
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (p.amb & ~(p.prm & p.inh))
		usage_error("an ambient capability must also be permitted and inheritable");
	if (do_verify) {
		if (!vuser)
			vuser = getpwnam("cseclab") ? "cseclab" : "nobody";
		if (!(pw = getpwnam(vuser)))
			usage_error("-u %s: no such user", vuser);
		return verify(pw->pw_uid);
	}
	print_proc("before", &p);
	printf("file: F(permitted)=0x%llx F(inheritable)=0x%llx F(effective)=%d setuid-root=%s\n",
	       (unsigned long long)f.fp, (unsigned long long)f.fi, f.fe,
	       f.suid_root ? "yes" : "no");
	steps = true;
	r = compute(&p, &f);
	if (r.exec_errno)
		printf("after: execve fails: %s\n", strerror(r.exec_errno));
	else
		print_proc("after", &r.p);
	return EXIT_OK;
}
