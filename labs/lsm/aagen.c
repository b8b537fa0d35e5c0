/* aagen.c - AppArmor: turn a small declarative policy (JSON) into a profile the kernel enforces.
 *
 * Reads a policy in the spirit of the course's bane TOML (name, capabilities, network protocols,
 * raw and packet sockets, file paths read-only/writable/exec) and prints an AppArmor profile with
 * docker-default's extras (umount allowed, mount denied, dangerous /proc and /sys files denied);
 * with "abstractions", also tunables/global and the distribution's abstractions, and @{PROC}.
 * Load it with `apparmor_parser -r FILE`, run a program under it with `aa-exec -p NAME -- CMD`.
 * Expected: exit 0 and a profile with "profile NAME ... flags=(...) {" that `apparmor_parser -Q`
 * compiles; exit 2 with "aagen: FILE: ..." naming the bad key for a malformed policy.
 * Needs: jansson; nothing else to generate (AppArmor in the kernel only to load the result).
 * Read next: apparmor.d(5), aa-exec(1), apparmor_parser(8).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *policy_file;
static const char *mode_override, *name_override;
static FILE *out;
/* Set when the profile includes tunables/global, which defines @{PROC}, @{HOME}, @{sys}... */
static bool tunables;

static void usage(void)
{
	printf("Usage: %s [OPTION]... POLICY.json\n"
	       "Generate an AppArmor profile from a small JSON policy; print it on stdout.\n\n"
	       "  -o, --output FILE    write the profile to FILE instead\n"
	       "  -m, --mode MODE      enforce or complain (overrides the policy's \"mode\")\n"
	       "  -n, --name NAME      profile name (overrides the policy's \"name\")\n"
	       "  -h, --help           show this help\n\n"
	       "Policy keys (all but \"name\" optional):\n"
	       "  \"name\": \"cseclab-apiserver\",   \"mode\": \"enforce\" | \"complain\",\n"
	       "  \"attach\": \"/{usr/,}sbin/prog\"   (confine that program when it is executed),\n"
	       "  \"abstractions\": [\"base\", \"nameservice\"]   (/etc/apparmor.d/abstractions;\n"
	       "              with them, paths may start with @{PROC} and other tunables),\n"
	       "  \"capabilities\": [\"net_bind_service\", \"net_raw\"],\n"
	       "  \"network\": {\"protocols\": [\"tcp\", \"udp\", \"icmp\", \"unix\"],\n"
	       "              \"raw\": true, \"packet\": false},\n"
	       "  \"files\": {\"read_only\": [...], \"log_on_write\": [...], \"writable\": [...],\n"
	       "            \"allow_exec\": [...], \"deny_exec\": [...], \"deny\": [...]},\n"
	       "  \"docker_extras\": true   (umount, deny mount, /proc and /sys denies)\n"
	       "Exit 0 ok, 1 cannot write the output, 2 usage error or malformed policy.\n",
	       progname);
}

/* A malformed policy is the user's input error: exit 2, naming the file and the key. */
static _Noreturn void bad_policy(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void bad_policy(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", progname, policy_file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

/* capabilities(7) names, as AppArmor spells them (lower case, no CAP_ prefix). */
static const char *const cap_names[] = {
	"chown",
	"dac_override",
	"dac_read_search",
	"fowner",
	"fsetid",
	"kill",
	"setgid",
	"setuid",
	"setpcap",
	"linux_immutable",
	"net_bind_service",
	"net_broadcast",
	"net_admin",
	"net_raw",
	"ipc_lock",
	"ipc_owner",
	"sys_module",
	"sys_rawio",
	"sys_chroot",
	"sys_ptrace",
	"sys_pacct",
	"sys_admin",
	"sys_boot",
	"sys_nice",
	"sys_resource",
	"sys_time",
	"sys_tty_config",
	"mknod",
	"lease",
	"audit_write",
	"audit_control",
	"setfcap",
	"mac_override",
	"mac_admin",
	"syslog",
	"wake_alarm",
	"block_suspend",
	"audit_read",
	"perfmon",
	"bpf",
	"checkpoint_restore",
};

/* Accept "net_raw", "NET_RAW" and "CAP_NET_RAW"; return the AppArmor spelling or NULL. */
static const char *cap_name(const char *s)
{
	char low[32];
	size_t i;

	if (strncasecmp(s, "cap_", 4) == 0)
		s += 4;
	for (i = 0; i < sizeof(low) - 1 && s[i]; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[i] = '\0';
	for (i = 0; i < ARRAY_SIZE(cap_names); i++)
		if (strcmp(low, cap_names[i]) == 0)
			return cap_names[i];
	return NULL;
}

/* Profile names become part of the policy text: keep them to a plain, safe alphabet. */
static void check_name(const char *name)
{
	if (!*name || strlen(name) > 64)
		bad_policy("\"name\" must be 1-64 characters");
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
			bad_policy("\"name\" '%s': only letters, digits, '_', '.', '-' are allowed",
				   name);
}

/* A path rule is an absolute path with AppArmor globs (* ** ? [] {a,b}), or one starting with
 * a variable of tunables/global (@{PROC}/...); a comma outside braces, a quote, '#' or white
 * space would end the rule early and smuggle in another one. */
static void check_path(const char *key, const char *path)
{
	const char *start = path;
	int depth = 0;

	if (strncmp(path, "@{", 2) == 0) {
		if (!tunables)
			bad_policy("\"%s\": '%s' uses a variable: add \"abstractions\" (their "
				   "tunables/global defines @{PROC}, @{HOME}...)",
				   key, path);
		for (start = path + 2; isalnum((unsigned char)*start) || *start == '_'; start++)
			;
		if (start == path + 2 || *start != '}' || start[1] != '/')
			bad_policy("\"%s\": '%s': a variable is @{NAME} followed by /", key, path);
		start++;
	} else if (path[0] != '/') {
		bad_policy("\"%s\": '%s' is not an absolute path", key, path);
	}
	for (const char *p = start; *p; p++) {
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p) || strchr("\"#", *p))
			bad_policy("\"%s\": '%s' contains a space, quote, '#' or control character",
				   key, path);
		if (*p == '{')
			depth++;
		else if (*p == '}' && --depth < 0)
			break;
		else if (*p == ',' && depth == 0)
			bad_policy("\"%s\": '%s' has a ',' outside {a,b} alternatives", key, path);
	}
	if (depth != 0)
		bad_policy("\"%s\": '%s' has unbalanced braces", key, path);
}

/* Every key we read is checked for its type; an unknown key is an error, not silence (a typo
 * like "capabilites" would otherwise drop rules without a word). */
static void check_keys(json_t *obj, const char *where, const char *const *known)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		const char *const *k = known;

		while (*k && strcmp(*k, key) != 0)
			k++;
		if (!*k)
			bad_policy("unknown key \"%s\"%s%s", key, *where ? " in " : "", where);
	}
}

static json_t *get_array(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	size_t i;
	json_t *e;

	if (!v)
		return NULL;
	if (!json_is_array(v))
		bad_policy("\"%s\" must be a list", key);
	json_array_foreach(v, i, e)
	{
		if (!json_is_string(e))
			bad_policy("\"%s\": item %zu is not a string", key, i + 1);
	}
	return v;
}

static bool get_bool(json_t *obj, const char *key, bool dflt)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return dflt;
	if (!json_is_boolean(v))
		bad_policy("\"%s\" must be true or false", key);
	return json_is_true(v);
}

static const char *get_string(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return NULL;
	if (!json_is_string(v))
		bad_policy("\"%s\" must be a string", key);
	return json_string_value(v);
}

/* An abstraction is a file of /etc/apparmor.d/abstractions: a plain name, no path tricks. */
static void check_abstraction(const char *name)
{
	if (!*name || *name == '.' || strlen(name) > 64)
		bad_policy("\"abstractions\": '%s' is not a file name of abstractions/", name);
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.-", *p))
			bad_policy("\"abstractions\": '%s': only letters, digits, '_', '.', '-'",
				   name);
}

/* Rules shared by many profiles, from the distribution's policy files (the parser reads them
 * from /etc/apparmor.d when it compiles the profile). */
static void emit_abstractions(json_t *list)
{
	json_t *e;
	size_t i;

	if (!list)
		return;
	fprintf(out, "\n  # Abstractions: the distribution's shared rules "
		     "(/etc/apparmor.d/abstractions).\n");
	json_array_foreach(list, i, e)
	{
		check_abstraction(json_string_value(e));
		fprintf(out, "  #include <abstractions/%s>\n", json_string_value(e));
	}
}

static void emit_capabilities(json_t *policy)
{
	json_t *caps = get_array(policy, "capabilities"), *e;
	size_t i;

	fprintf(out, "\n  # Capabilities: a root process in this profile has only these.\n");
	if (!caps || json_array_size(caps) == 0)
		fprintf(out, "  # (none)\n");
	json_array_foreach(caps, i, e)
	{
		const char *cap = cap_name(json_string_value(e));

		if (!cap)
			bad_policy(
				"\"capabilities\": '%s' is not a capability (see capabilities(7))",
				json_string_value(e));
		fprintf(out, "  capability %s,\n", cap);
	}
}

static void emit_network(json_t *policy)
{
	static const char *const known[] = {"protocols", "raw", "packet", NULL};
	json_t *net = json_object_get(policy, "network"), *protos, *e;
	size_t i;

	fprintf(out, "\n  # Network: checked when a socket is created, by family and type.\n");
	if (!net) {
		fprintf(out, "  # (no network rules: every socket is refused)\n");
		return;
	}
	if (!json_is_object(net))
		bad_policy("\"network\" must be an object");
	check_keys(net, "\"network\"", known);
	protos = get_array(net, "protocols");
	json_array_foreach(protos, i, e)
	{
		const char *p = json_string_value(e);

		if (strcmp(p, "tcp") == 0 || strcmp(p, "udp") == 0)
			fprintf(out, "  network inet %s,\n  network inet6 %s,\n", p, p);
		else if (strcmp(p, "icmp") == 0)
			/* The kernel mediates a socket by family and type, not protocol, and
			 * apparmor_parser spells "network inet icmp" as inet SOCK_RAW: that
			 * would make the "raw" switch below meaningless. ICMP without raw
			 * sockets is the ping socket, SOCK_DGRAM (the type UDP uses too). */
			fprintf(out, "  network inet dgram,  # icmp: ping sockets "
				     "(socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP))\n");
		else if (strcmp(p, "unix") == 0)
			fprintf(out, "  network unix,\n");
		else
			bad_policy("\"protocols\": '%s' is not one of tcp, udp, icmp, unix", p);
	}
	/* SOCK_RAW is what ping uses as root: without this rule socket() fails with EACCES. */
	if (get_bool(net, "raw", false))
		fprintf(out, "  network inet raw,\n  network inet6 raw,\n");
	/* No "deny network raw": an explicit deny holds even in complain mode, and complain
	 * mode should show what enforcing would refuse (logged ALLOWED) instead. */
	if (get_bool(net, "packet", false))
		fprintf(out, "  network packet,\n");
	else
		fprintf(out, "  deny network packet,\n");
}

/* One rule per path: "  [QUALIFIER ]PATH PERMS,". */
static void emit_paths(json_t *files, const char *key, const char *qualifier, const char *perms,
		       const char *comment)
{
	json_t *list = get_array(files, key), *e;
	size_t i;

	if (!list || json_array_size(list) == 0)
		return;
	fprintf(out, "  # %s\n", comment);
	json_array_foreach(list, i, e)
	{
		check_path(key, json_string_value(e));
		fprintf(out, "  %s%s %s,\n", qualifier, json_string_value(e), perms);
	}
}

static void emit_files(json_t *policy)
{
	static const char *const known[] = {"read_only", "log_on_write", "writable", "allow_exec",
					    "deny_exec", "deny",	 NULL};
	json_t *files = json_object_get(policy, "files");

	/* As in bane and docker-default: everything is allowed, then narrowed by deny rules
	 * (a deny always wins over an allow in AppArmor, whatever the order). */
	fprintf(out, "\n  # Files: full access, narrowed below.\n  file,\n");
	if (!files)
		return;
	if (!json_is_object(files))
		bad_policy("\"files\" must be an object");
	check_keys(files, "\"files\"", known);
	emit_paths(files, "read_only", "deny ", "wl", "read-only: no write, no hard link");
	emit_paths(files, "log_on_write", "audit ", "w", "writes allowed and logged");
	emit_paths(files, "writable", "", "rw", "writable");
	emit_paths(files, "allow_exec", "", "ix", "may be executed (inheriting this profile)");
	emit_paths(files, "deny_exec", "deny ", "x", "may not be executed");
	emit_paths(files, "deny", "deny ", "rwklmx", "no access at all");
}

/* docker-default's extras, written from what that profile denies and why. */
static void emit_docker_extras(const char *name)
{
	fprintf(out,
		"\n  # From docker-default: no mounting, but unmounting is allowed.\n"
		"  deny mount,\n  umount,\n"
		"\n  # From docker-default: the kernel's knobs and secrets under /proc and /sys.\n"
		"  deny /proc/sysrq-trigger rwklx,\n"
		"  deny /proc/kcore rwklx,\n"
		"  deny /proc/kmem rwklx,\n"
		"  deny /proc/mem rwklx,\n"
		"  deny /proc/sys/kernel/core_pattern w,\n"
		"  deny /proc/sys/kernel/modprobe w,\n"
		"  deny /proc/sys/fs/** w,\n"
		"  deny /proc/sys/vm/** w,\n"
		"  deny /sys/firmware/** rwklx,\n"
		"  deny /sys/kernel/security/** rwklx,\n"
		"  deny /sys/kernel/debug/** rwklx,\n"
		"  deny /sys/power/** w,\n"
		"\n  # Signals and ptrace: only among processes of this profile, and SIGTERM\n"
		"  # from unconfined processes (the shell that started it).\n"
		"  signal (receive) peer=unconfined,\n"
		"  signal (send, receive) peer=%s,\n"
		"  ptrace (trace, read, tracedby, readby) peer=%s,\n",
		name, name);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"output", required_argument, NULL, 'o'},
		{"mode", required_argument, NULL, 'm'},
		{"name", required_argument, NULL, 'n'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	static const char *const known[] = {
		"name",	 "mode",	  "attach",  "abstractions", "capabilities",
		"files", "docker_extras", "comment", "network",	     NULL};
	const char *output = NULL, *name, *mode, *attach;
	json_t *abstractions;
	char *text = NULL;
	size_t len = 0;
	FILE *dest;
	json_error_t jerr;
	json_t *policy;
	int c;

	prog_init(argv[0]);
	while ((c = getopt_long(argc, argv, "o:m:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'm':
			mode_override = optarg;
			break;
		case 'n':
			name_override = optarg;
			break;
		case 'h':
			usage();
			return EXIT_OK;
		default:
			usage_error("unknown option");
		}
	}
	if (optind != argc - 1)
		usage_error("give exactly one POLICY.json");
	policy_file = argv[optind];

	policy = json_load_file(policy_file, JSON_REJECT_DUPLICATES, &jerr);
	if (!policy)
		bad_policy("line %d column %d: %s", jerr.line, jerr.column, jerr.text);
	if (!json_is_object(policy))
		bad_policy("the policy must be a JSON object {...}");
	check_keys(policy, "", known);

	name = name_override ? name_override : get_string(policy, "name");
	if (!name)
		bad_policy("\"name\" is missing");
	check_name(name);
	mode = mode_override ? mode_override : get_string(policy, "mode");
	if (!mode)
		mode = "enforce";
	if (strcmp(mode, "enforce") != 0 && strcmp(mode, "complain") != 0)
		bad_policy("mode '%s' is neither enforce nor complain", mode);

	/* Build the profile in memory: a policy error half-way leaves no half-written file. */
	out = open_memstream(&text, &len);
	if (!out)
		die("open_memstream");

	/* Without "abstractions" there is no #include: the profile stands alone, so it loads
	 * wherever apparmor_parser runs, even without /etc/apparmor.d (the lab VM). With them,
	 * tunables/global comes first: the abstractions use its variables. */
	abstractions = get_array(policy, "abstractions");
	tunables = abstractions && json_array_size(abstractions) > 0;
	attach = get_string(policy, "attach");
	if (attach)
		check_path("attach", attach);
	fprintf(out, "# AppArmor profile generated by aagen from %s: regenerate, do not edit.\n",
		policy_file);
	if (tunables)
		fprintf(out, "#include <tunables/global>\n");
	/* attach_disconnected lets a process whose paths lie outside its mount namespace (a
	 * container) be mediated instead of refused. A profile with an attachment path confines
	 * that program whenever it is executed, without aa-exec or docker's --security-opt. */
	fprintf(out, "profile %s %s%sflags=(attach_disconnected,mediate_deleted%s) {\n", name,
		attach ? attach : "", attach ? " " : "",
		strcmp(mode, "complain") == 0 ? ",complain" : "");
	if (tunables)
		emit_abstractions(abstractions);
	emit_network(policy);
	emit_capabilities(policy);
	emit_files(policy);
	if (get_bool(policy, "docker_extras", true))
		emit_docker_extras(name);
	fprintf(out, "}\n");

	json_decref(policy);
	if (fclose(out) != 0)
		die("open_memstream");

	dest = output ? fopen(output, "we") : stdout;
	if (!dest)
		dief("open %s: %s", output, strerror(errno));
	if (fwrite(text, 1, len, dest) != len || fclose(dest) != 0)
		dief("write %s: %s", output ? output : "stdout", strerror(errno));
	free(text);
	return EXIT_OK;
}
