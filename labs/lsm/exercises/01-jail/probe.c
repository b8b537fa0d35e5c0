/* probe.c - the grader's probe for exercise jail (built by check, placed in DIR, run by the
 * learner's jail as `cseclab-ex-probe DIR OUTSIDE USRFILE`, and once without it as a control).
 * It tries each operation once and prints one line per try: "NAME: ok" or "NAME: ERRNO", the
 * kernel's errno by name (EACCES). Everything it creates it removes again when allowed.
 *   read-dir      list DIR                  read-file     read DIR/file.txt
 *   read-usr      read USRFILE (in /usr)    read-outside  read OUTSIDE (a file outside)
 *   list-outside  list OUTSIDE's folder     write-file    open DIR/file.txt for writing
 *   create        create DIR/new.txt        mkdir         make DIR/newdir
 *   unlink        remove DIR/victim.txt     write-outside open OUTSIDE for writing
 *   truncate      truncate(2) DIR/file.txt to 0 bytes
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char *name, int rc)
{
	if (rc < 0)
		printf("%s: %s\n", name, strerrorname_np(errno));
	else
		printf("%s: ok\n", name);
}

static int read_file(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf)) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int list_dir(const char *path)
{
	DIR *d = opendir(path);

	if (!d)
		return -1;
	while (readdir(d))
		;
	closedir(d);
	return 0;
}

/* Open for writing and close at once: only the open is asked (no byte is written). */
static int open_close(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	char path[4096], outdir[4096];
	int rc;

	if (argc != 4)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(outdir, sizeof(outdir), "%s", argv[2]);
	printf("probe: pid %d\n", (int)getpid());

	report("read-dir", list_dir(argv[1]));
	snprintf(path, sizeof(path), "%s/file.txt", argv[1]);
	report("read-file", read_file(path));
	report("read-usr", read_file(argv[3]));
	report("read-outside", read_file(argv[2]));
	report("list-outside", list_dir(dirname(outdir)));

	report("write-file", open_close(path, O_WRONLY | O_APPEND));
	report("write-outside", open_close(argv[2], O_WRONLY | O_APPEND));
	snprintf(path, sizeof(path), "%s/new.txt", argv[1]);
	rc = open_close(path, O_WRONLY | O_CREAT | O_EXCL);
	report("create", rc);
	if (rc == 0)
		unlink(path);
	snprintf(path, sizeof(path), "%s/newdir", argv[1]);
	rc = mkdir(path, 0755);
	report("mkdir", rc);
	if (rc == 0)
		rmdir(path);
	snprintf(path, sizeof(path), "%s/victim.txt", argv[1]);
	report("unlink", unlink(path));
	snprintf(path, sizeof(path), "%s/file.txt", argv[1]);
	report("truncate", truncate(path, 0));
	printf("probe: done\n");
	return 0;
}
