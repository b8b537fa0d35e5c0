/* user.c - USER[:GROUP] specs (see cseclab.h). A file of its own so that static programs,
 * which link the rest of common/, do not pull in the name service (getpwnam). */
#define _GNU_SOURCE
#include "cseclab.h"

#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <string.h>

void parse_user(const char *spec, long min_uid, bool gid_from_uid, uid_t *uid, gid_t *gid)
{
	char user[256], *group;
	struct passwd *pw;
	struct group *gr;
	long n;

	snprintf(user, sizeof(user), "%s", spec);
	group = strchr(user, ':');
	if (group)
		*group++ = '\0';
	if ((pw = getpwnam(user))) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	} else if (!parse_long(user, min_uid, INT32_MAX, &n)) {
		*uid = (uid_t)n;
		*gid = gid_from_uid ? (gid_t)n : 0;
	} else {
		usage_error("-u %s: no such user (a name from /etc/passwd or a number >= %ld)",
			    spec, min_uid);
	}
	if (!group)
		return;
	if ((gr = getgrnam(group)))
		*gid = gr->gr_gid;
	else if (!parse_long(group, 0, INT32_MAX, &n))
		*gid = (gid_t)n;
	else
		usage_error("-u %s: no such group '%s'", spec, group);
}
