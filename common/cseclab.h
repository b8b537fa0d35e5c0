/* cseclab.h - the plumbing every lab program shares: errors, exit codes, small file helpers.
 *
 * Exit codes of every program in the suite:
 *   0   the demo ran and showed what it claims
 *   1   the demonstrated failure (the mechanism blocked something) or a runtime error
 *   2   usage error (bad option or argument)
 *   77  this machine cannot run the demo (missing kernel feature, not root...), reason on stderr
 *
 * Errors name the failing call and the errno text, as "ns: clone: Operation not permitted".
 * Nothing here hides a mechanism: the labs make their own system calls in plain sight.
 */
#ifndef CSECLAB_H
#define CSECLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#define EXIT_OK		 0
#define EXIT_FAIL	 1
#define EXIT_USAGE	 2
#define EXIT_UNSUPPORTED 77

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The program's name for messages; set by prog_init() from argv[0]. */
extern const char *progname;
/* Set by -v/--verbose in programs that have it; say() prints only when it is set. */
extern bool verbose;

void prog_init(const char *argv0);

/* "prog: CALL: strerror(errno)" on stderr, exit 1. */
__attribute__((noreturn)) void die(const char *call);
/* "prog: MESSAGE" on stderr, exit 1. */
__attribute__((noreturn, format(printf, 1, 2))) void dief(const char *fmt, ...);
/* "prog: CALL: strerror(errno)" on stderr, continue. */
void warn_errno(const char *call);
/* "prog: MESSAGE" on stderr, continue. */
void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: MESSAGE" and "Try 'prog --help'." on stderr, exit 2. */
__attribute__((noreturn, format(printf, 1, 2))) void usage_error(const char *fmt, ...);
/* The suite's answer to a bad option, for getopt_long run with opterr = 0 and an optstring
 * that starts with ':' (after a '+', if any): C is what getopt_long returned (':' or '?').
 * "prog: unknown option '--x'" (or "option '-t' needs an argument", "option '--help' takes no
 * argument"), then the "Try" line, exit 2. */
__attribute__((noreturn)) void bad_option(int c, char *const argv[]);
/* "prog: cannot run here: REASON" and "hint: HINT" on stderr, exit 77. HINT may be NULL. */
__attribute__((noreturn, format(printf, 2, 3))) void unsupported(const char *hint, const char *fmt,
								 ...);
/* Exit 77 unless running as root (euid 0); WHY says what root is needed for. */
void require_root(const char *why);
/* Narration for -v: "prog: MESSAGE" on stderr when verbose is set. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Strict number parsing: the whole string, base 10, within [min, max]. 0 ok, -1 not. */
int parse_long(const char *s, long min, long max, long *out);
int parse_double(const char *s, double min, double max, double *out);
/* USER[:GROUP] as `docker run -u` and gosu take it: a passwd name or a number >= MIN_UID, then
 * an optional group name or number. A bare number has no passwd entry to give its group: it
 * gets gid 0 (Docker's choice) or, with GID_FROM_UID, the uid itself (gosu's). Exit 2 with a
 * message naming SPEC when a name is unknown. */
void parse_user(const char *spec, long min_uid, bool gid_from_uid, uid_t *uid, gid_t *gid);

/* Write a formatted string to a file (open, write, close). 0 ok, -1 with errno set. */
int write_file(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Read up to LEN-1 bytes of a file, NUL-terminated, trailing newline kept. Bytes read or -1. */
ssize_t read_file(const char *path, char *buf, size_t len);
/* Read a file holding one integer (cgroup and /proc files). 0 ok, -1 with errno set. */
int read_long(const char *path, long *out);

#endif
