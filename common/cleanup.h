/* cleanup.h - undo what a lab created, on exit, on error and on SIGINT/SIGTERM/SIGHUP.
 *
 * A lab registers one function per thing it created (a cgroup, a queue, a mount, a file
 * capability) right after creating it. The functions run last-registered first, once, when the
 * program exits (exit() or return from main) or when one of those signals arrives; after a
 * signal the program then dies of that same signal, so its parent sees the real cause.
 * A function may therefore run inside a signal handler: it must use only async-signal-safe calls
 * (rmdir, unlink, mq_unlink, umount2, kill, write...; no stdio, no malloc). It must also be safe
 * to run again after a partial run: a signal that interrupts it runs it once more, from the
 * start, before the entries registered earlier.
 *
 * SIGKILL cannot be caught: scripts/cleanup finds what such a death leaves (all of it is named
 * cseclab*).
 */
#ifndef CSECLAB_CLEANUP_H
#define CSECLAB_CLEANUP_H

typedef void (*cleanup_fn)(void *arg);

/* Register FN(ARG); installs the exit and signal handlers on first use. Up to 64 entries. */
void on_cleanup(cleanup_fn fn, void *arg);
/* Run (and forget) every registered function now. */
void run_cleanups(void);
/* Forget every registered function without running it (for a child after fork). */
void forget_cleanups(void);

#endif
