/* cleanup.c - run registered cleanup functions once, at exit or on a fatal signal. */
#define _GNU_SOURCE
#include "cleanup.h"

#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_CLEANUPS 64

static struct {
	cleanup_fn fn;
	void *arg;
} entries[MAX_CLEANUPS];
static volatile sig_atomic_t count;
static bool installed;
static pid_t owner; /* only the process that registered runs them, never a forked child */

/* Last registered first. An entry leaves the table only after it has run: a signal that
 * arrives while it runs (at exit, say, inside cg_remove's EBUSY retry) makes the handler run
 * it again from the start, then the entries below it, and the process dies of the signal
 * without coming back here. So every entry must be safe to run twice (cg_remove skips a
 * directory already gone); none is skipped, and a parent cgroup never goes before its child. */
void run_cleanups(void)
{
	if (getpid() != owner)
		return;
	while (count > 0) {
		int top = count - 1;

		entries[top].fn(entries[top].arg);
		count = top;
	}
}

void forget_cleanups(void)
{
	count = 0;
}

static void on_signal(int sig)
{
	run_cleanups();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void at_exit(void)
{
	run_cleanups();
}

void on_cleanup(cleanup_fn fn, void *arg)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;

	if (!installed) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigfillset(&sa.sa_mask); /* no second signal while cleaning up */
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			sigaction(sigs[i], &sa, NULL);
		atexit(at_exit);
		owner = getpid();
		installed = true;
	}
	if (count >= MAX_CLEANUPS)
		abort(); /* a lab bug, not a runtime condition */
	entries[count].fn = fn;
	entries[count].arg = arg;
	count++;
}
