/* cseclab.c - errors, exit codes and small file helpers shared by all labs (see cseclab.h). */
#define _GNU_SOURCE
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *progname = "cseclab";
bool verbose;

void prog_init(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	if (argv0)
		progname = slash ? slash + 1 : argv0;
}

static void vmessage(const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", progname, prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void die(const char *call)
{
	fprintf(stderr, "%s: %s: %s\n", progname, call, strerror(errno));
	exit(EXIT_FAIL);
}

void dief(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
	exit(EXIT_FAIL);
}

void warn_errno(const char *call)
{
	fprintf(stderr, "%s: %s: %s\n", progname, call, strerror(errno));
}

void warnf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", progname);
	exit(EXIT_USAGE);
}

/* Whether getopt stopped inside a cluster of short options ("-vX" with letters after X): then
 * optind still points at the cluster and argv[optind - 1] is the word before it, which may be
 * a long option ("--verbose -vXz") that has nothing to do with the error. */
static bool inside_cluster(char *const argv[])
{
	const char *w = argv[optind];
	const char *at = optopt && w && w[0] == '-' && w[1] != '-' ? strchr(w + 1, optopt) : NULL;

	return at && at[1];
}

void bad_option(int c, char *const argv[])
{
	/* A long option's error leaves optind past it, and so does a short one's at the end of
	 * its cluster ("-vH" missing H's argument): argv[optind - 1] is the word at fault. */
	const char *arg = argv[optind - 1];
	bool is_long = strncmp(arg, "--", 2) == 0 && !inside_cluster(argv);

	if (c == ':' && is_long)
		usage_error("option '%s' needs an argument", arg);
	if (c == ':')
		usage_error("option '-%c' needs an argument", optopt);
	if (is_long && optopt)
		/* glibc: a known long option given an argument it does not take sets optopt. */
		usage_error("option '%.*s' takes no argument", (int)strcspn(arg, "="), arg);
	if (is_long || !optopt)
		usage_error("unknown option '%s'", arg);
	usage_error("unknown option '-%c'", optopt);
}

void unsupported(const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("cannot run here: ", fmt, ap);
	va_end(ap);
	if (hint)
		fprintf(stderr, "%s: hint: %s\n", progname, hint);
	exit(EXIT_UNSUPPORTED);
}

void require_root(const char *why)
{
	if (geteuid() != 0)
		unsupported("run it with sudo, or as root in a VM", "needs root (%s)", why);
}

void say(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
}

int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int write_file(const char *path, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int fd, len, saved;
	ssize_t n;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(buf)) {
		errno = E2BIG;
		return -1;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* Kernel interface files take one write(2); a short write is an error, not a retry. */
	n = write(fd, buf, (size_t)len);
	saved = errno;
	close(fd);
	if (n != len) {
		errno = n < 0 ? saved : EIO;
		return -1;
	}
	return 0;
}

ssize_t read_file(const char *path, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;
	int fd, saved;

	if (len == 0) {
		errno = EINVAL;
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (got < len - 1) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	close(fd);
	return (ssize_t)got;
}

int read_long(const char *path, long *out)
{
	char buf[64], *end;
	long v;

	if (read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n')) {
		errno = EINVAL;
		return -1;
	}
	*out = v;
	return 0;
}
