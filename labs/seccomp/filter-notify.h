/* filter-notify.h - filter's notify part: a supervisor process answers the child's close(2). */
#ifndef FILTER_NOTIFY_H
#define FILTER_NOTIFY_H

/* The supervisor's side: fork a child that runs STEPS, take the listener the child sends, answer
 * the child's close without running it, wait for the child. Returns its wait(2) status. Exit 77
 * where the kernel or libseccomp has no user notification. */
int notify_supervise(int (*steps)(void));

/* The child's side, called by STEPS before the lab's filter: load filter 1 (close -> notify) and
 * pass its listener to the supervisor. */
void notify_first_filter(void);

#endif
