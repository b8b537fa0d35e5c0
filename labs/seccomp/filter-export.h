/* filter-export.h - filter's export part: the compiled filter, as text and as BPF. */
#ifndef FILTER_EXPORT_H
#define FILTER_EXPORT_H

#include <seccomp.h>

/* Print CTX as libseccomp's PFC text, then the size of the BPF program the kernel would get. */
void export_filter(scmp_filter_ctx ctx);

#endif
