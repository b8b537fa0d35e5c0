/* filter-export.c - filter's export part: the compiled filter, as text and as BPF.
 *
 * Mechanism: what a seccomp filter is for the kernel: a classic-BPF program, an array of
 * struct sock_filter (8 bytes each), run on every system call; libseccomp compiles the rules
 * into it, starting with the architecture check every filter needs.
 * What it does: prints the lab's filter as libseccomp's readable pseudo-code (PFC), then
 * compiles it to BPF in a memfd and counts the instructions. Nothing is loaded.
 * Outcome: "# filter for arch x86_64 (3221225534)", the rules, "bpf: N instructions", exit 0.
 * Needs: libseccomp only (no seccomp in the kernel). Run: filter --export --allow close.
 * Read next: seccomp_export_pfc(3), seccomp_export_bpf(3), seccomp(2) (struct sock_fprog).
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "filter-export.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void export_filter(scmp_filter_ctx ctx)
{
	struct stat st;
	int rc, mfd;

	fflush(stdout);
	rc = seccomp_export_pfc(ctx, STDOUT_FILENO);
	if (rc < 0) {
		errno = -rc;
		die("seccomp_export_pfc");
	}
	mfd = memfd_create("cseclab-bpf", MFD_CLOEXEC);
	if (mfd < 0)
		die("memfd_create");
	rc = seccomp_export_bpf(ctx, mfd);
	if (rc < 0) {
		errno = -rc;
		die("seccomp_export_bpf");
	}
	if (fstat(mfd, &st) < 0)
		die("fstat");
	printf("bpf: %lld instructions (%lld bytes, 8 per struct sock_filter)\n",
	       (long long)st.st_size / 8, (long long)st.st_size);
	close(mfd);
}
