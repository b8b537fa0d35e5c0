/* nsinfo.c - show the namespaces of processes side by side, and which they share.
 *
 * Mechanism: each namespace is a kernel object; /proc/PID/ns/<kind> is a symbolic link that
 * reads "<kind>:[<inode>]". Two processes are in the same namespace exactly when the inodes match.
 * What it does: for each PID (default: itself; "self" works too) reads every /proc/PID/ns link,
 * pid_for_children and time_for_children included, and prints one row per kind; with two or more
 * PIDs the last column says "same" or "differs".
 * Outcome: exit 0 and rows like "mnt  4026531841  4026532543  differs"; exit 1 if a PID does
 * not exist or its links cannot be read (another user's process needs root).
 * Needs: nothing for its own processes; root to read other users'.
 * Read next: namespaces(7) (the /proc/[pid]/ns/ directory), ls -l /proc/self/ns.
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_PIDS 8

/* Every entry of /proc/PID/ns/ on Linux 6.x; a kernel without one of them shows "-". */
static const char *const kinds[] = {
	"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children",
	"user",	  "uts",
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [PID|self]...\n"
		"Print the namespace inodes of each process (default: nsinfo itself) side by "
		"side.\n"
		"Equal inodes mean the same namespace; with two or more PIDs the last column says\n"
		"\"same\" or \"differs\".\n\n"
		"  -h, --help   this help\n\n"
		"Exit status: 0 ok, 1 a PID does not exist or cannot be read, 2 usage.\n",
		progname);
}

/* The inode of /proc/PID/ns/KIND, read from the link text "kind:[inode]"; 0 if absent. */
static unsigned long ns_inode(const char *pid, const char *kind)
{
	char path[PATH_MAX], link[128], *open;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, kind);
	n = readlink(path, link, sizeof(link) - 1);
	if (n == -1) {
		if (errno == ENOENT)
			return 0; /* this kernel has no such namespace kind */
		die(path);	  /* EACCES: another user's process; ptrace rules apply */
	}
	link[n] = '\0';
	open = strchr(link, '[');
	return open ? strtoul(open + 1, NULL, 10) : 0;
}

static void print_row(char *line)
{
	size_t n = strlen(line);

	while (n > 0 && line[n - 1] == ' ')
		line[--n] = '\0';
	puts(line);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *pids[MAX_PIDS];
	char comm[MAX_PIDS][64], path[96], line[256];
	int npids = 0, c;
	size_t len;
	long v;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		}
		bad_option(c, argv);
	}
	for (; optind < argc; optind++) {
		if (npids == MAX_PIDS)
			usage_error("at most %d PIDs", MAX_PIDS);
		if (strcmp(argv[optind], "self") != 0 &&
		    parse_long(argv[optind], 1, INT_MAX, &v) == -1)
			usage_error("'%s' is not a PID", argv[optind]);
		pids[npids++] = argv[optind];
	}
	if (npids == 0)
		pids[npids++] = "self";

	/* Check every PID before printing anything: a wrong one gives one line, not half a table. */
	for (int i = 0; i < npids; i++) {
		snprintf(path, sizeof(path), "/proc/%s/comm", pids[i]);
		if (read_file(path, comm[i], sizeof(comm[i])) == -1) {
			if (errno == ENOENT)
				dief("no process %s (%s: %s)", pids[i], path, strerror(errno));
			die(path);
		}
		comm[i][strcspn(comm[i], "\n")] = '\0';
		ns_inode(pids[i], "mnt"); /* exits on EACCES: another user's process needs root */
	}

	/* One row per line buffer, so the last column carries no trailing blanks. */
	len = snprintf(line, sizeof(line), "%-18s", "namespace");
	for (int i = 0; i < npids; i++) {
		snprintf(path, sizeof(path), "%s(%s)", pids[i], comm[i]);
		len += snprintf(line + len, sizeof(line) - len, " %-16s", path);
	}
	print_row(line);

	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		unsigned long first = ns_inode(pids[0], kinds[k]);
		bool same = true;

		len = snprintf(line, sizeof(line), "%-18s", kinds[k]);
		for (int i = 0; i < npids; i++) {
			unsigned long ino = i == 0 ? first : ns_inode(pids[i], kinds[k]);

			if (ino)
				len += snprintf(line + len, sizeof(line) - len, " %-16lu", ino);
			else
				len += snprintf(line + len, sizeof(line) - len, " %-16s", "-");
			same = same && ino == first;
		}
		if (npids > 1)
			snprintf(line + len, sizeof(line) - len, " %s", same ? "same" : "differs");
		print_row(line);
	}
	return EXIT_OK;
}
