/* minibox-spec.c - `minibox spec`: a starter config.json, as `runc spec` writes one.
 *
 * A part of minibox (minibox-spec.h). The same document as runc 1.1.5's `runc spec`, with two
 * changes: "terminal" is false (minibox makes no pseudo-terminal: the container uses minibox's
 * own stdin, stdout and stderr) and the hostname is "minibox". It asks for what a container
 * usually gets: new pid, network, ipc, uts and mount namespaces; three capabilities in every
 * set; no_new_privs; a read-only root; proc, a tmpfs /dev with devpts, shm and mqueue, a
 * read-only sysfs and cgroup tree; no device but the defaults; masked and read-only paths.
 */
#define _GNU_SOURCE
#include "minibox-spec.h"
#include "cseclab.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

static const char starter[] =
	"{\n"
	"\t\"ociVersion\": \"1.0.2-dev\",\n"
	"\t\"process\": {\n"
	"\t\t\"terminal\": false,\n"
	"\t\t\"user\": {\n"
	"\t\t\t\"uid\": 0,\n"
	"\t\t\t\"gid\": 0\n"
	"\t\t},\n"
	"\t\t\"args\": [\"sh\"],\n"
	"\t\t\"env\": [\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", "
	"\"TERM=xterm\"],\n"
	"\t\t\"cwd\": \"/\",\n"
	"\t\t\"capabilities\": {\n"
	"\t\t\t\"bounding\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],\n"
	"\t\t\t\"effective\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],\n"
	"\t\t\t\"permitted\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"],\n"
	"\t\t\t\"ambient\": [\"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\"]\n"
	"\t\t},\n"
	"\t\t\"rlimits\": [\n"
	"\t\t\t{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024}\n"
	"\t\t],\n"
	"\t\t\"noNewPrivileges\": true\n"
	"\t},\n"
	"\t\"root\": {\n"
	"\t\t\"path\": \"rootfs\",\n"
	"\t\t\"readonly\": true\n"
	"\t},\n"
	"\t\"hostname\": \"minibox\",\n"
	"\t\"mounts\": [\n"
	"\t\t{\n"
	"\t\t\t\"destination\": \"/proc\",\n"
	"\t\t\t\"type\": \"proc\",\n"
	"\t\t\t\"source\": \"proc\"\n"
	"\t\t},\n"
	"\t\t{\n"
	"\t\t\t\"destination\": \"/dev\",\n"
	"\t\t\t\"type\": \"tmpfs\",\n"
	"\t\t\t\"source\": \"tmpfs\",\n"
	"\t\t\t\"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]\n"
	"\t\t},\n"
	"\t\t{\n"
	"\t\t\t\"destination\": \"/dev/pts\",\n"
	"\t\t\t\"type\": \"devpts\",\n"
	"\t\t\t\"source\": \"devpts\",\n"
	"\t\t\t\"options\": [\"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", "
	"\"mode=0620\", \"gid=5\"]\n"
	"\t\t},\n"
	"\t\t{\n"
	"\t\t\t\"destination\": \"/dev/shm\",\n"
	"\t\t\t\"type\": \"tmpfs\",\n"
	"\t\t\t\"source\": \"shm\",\n"
	"\t\t\t\"options\": [\"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\"]\n"
	"\t\t},\n"
	"\t\t{\n"
	"\t\t\t\"destination\": \"/dev/mqueue\",\n"
	"\t\t\t\"type\": \"mqueue\",\n"
	"\t\t\t\"source\": \"mqueue\",\n"
	"\t\t\t\"options\": [\"nosuid\", \"noexec\", \"nodev\"]\n"
	"\t\t},\n"
	"\t\t{\n"
	"\t\t\t\"destination\": \"/sys\",\n"
	"\t\t\t\"type\": \"sysfs\",\n"
	"\t\t\t\"source\": \"sysfs\",\n"
	"\t\t\t\"options\": [\"nosuid\", \"noexec\", \"nodev\", \"ro\"]\n"
	"\t\t},\n"
	"\t\t{\n"
	"\t\t\t\"destination\": \"/sys/fs/cgroup\",\n"
	"\t\t\t\"type\": \"cgroup\",\n"
	"\t\t\t\"source\": \"cgroup\",\n"
	"\t\t\t\"options\": [\"nosuid\", \"noexec\", \"nodev\", \"relatime\", \"ro\"]\n"
	"\t\t}\n"
	"\t],\n"
	"\t\"linux\": {\n"
	"\t\t\"resources\": {\n"
	"\t\t\t\"devices\": [\n"
	"\t\t\t\t{\"allow\": false, \"access\": \"rwm\"}\n"
	"\t\t\t]\n"
	"\t\t},\n"
	"\t\t\"namespaces\": [\n"
	"\t\t\t{\"type\": \"pid\"},\n"
	"\t\t\t{\"type\": \"network\"},\n"
	"\t\t\t{\"type\": \"ipc\"},\n"
	"\t\t\t{\"type\": \"uts\"},\n"
	"\t\t\t{\"type\": \"mount\"}\n"
	"\t\t],\n"
	"\t\t\"maskedPaths\": [\"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", \"/proc/keys\", "
	"\"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\", "
	"\"/proc/sched_debug\", \"/sys/firmware\", \"/proc/scsi\"],\n"
	"\t\t\"readonlyPaths\": [\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", "
	"\"/proc/sysrq-trigger\"]\n"
	"\t}\n"
	"}\n";

int spec_write(const char *bundle)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/config.json", bundle);
	/* O_EXCL: never overwrite a config someone wrote (runc refuses too). */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		warnf("open %s: %s%s", path, strerror(errno),
		      errno == EEXIST ? " (remove it first)" : "");
		return -1;
	}
	if (write(fd, starter, strlen(starter)) != (ssize_t)strlen(starter)) {
		warn_errno("write config.json");
		close(fd);
		return -1;
	}
	return close(fd);
}
