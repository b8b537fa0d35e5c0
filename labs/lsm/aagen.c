/* aagen.c - turn a small declarative policy (JSON) into an AppArmor profile the kernel enforces.
 *
 * Mechanism: AppArmor profiles (apparmor.d(5)): capability, network and file rules for a label.
 * What it does: reads a policy in the spirit of the course's bane TOML (checked by the part
 *   aagen-policy.c) and prints the profile, with docker-default's extras (umount, deny mount,
 *   /proc and /sys denies); with "abstractions", also tunables/global and @{PROC} paths.
 *   Load it with `apparmor_parser -r FILE`, run under it with `aa-exec -p NAME -- CMD`.
 * Outcome: exit 0 and "profile NAME ... flags=(...) {" that `apparmor_parser -Q` compiles;
 *   a malformed policy: "aagen: FILE: ..." naming the bad key, exit 2, no output file.
 * Needs: jansson; AppArmor in the kernel only to load the result.
 * Read next: apparmor.d(5), aa-exec(1), apparmor_parser(8); aagen-policy.c.
 */
#define _GNU_SOURCE
#include "cseclab.h"
#include "aagen-policy.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *mode_override, *name_override;
static FILE *out;
/* Set when the profile includes tunables/global, which defines @{PROC}, @{HOME}, @{sys}... */
static bool tunables;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION]... POLICY.json\n"
		"Generate an AppArmor profile from a small JSON policy; print it on stdout.\n\n"
		"  -o, --output FILE    write the profile to FILE instead\n"
		"  -m, --mode MODE      enforce or complain (overrides the policy's \"mode\")\n"
		"  -n, --name NAME      profile name (overrides the policy's \"name\")\n"
		"  -h, --help           show this help\n\n"
		"Policy keys (all but \"name\" optional):\n"
		"  \"name\": \"cseclab-apiserver\",   \"mode\": \"enforce\" | \"complain\",\n"
		"  \"attach\": \"/{usr/,}sbin/prog\"   (confine that program when it is "
		"executed),\n"
		"  \"abstractions\": [\"base\", \"nameservice\"]   (/etc/apparmor.d/abstractions;\n"
		"              with them, paths may start with @{PROC} and other tunables),\n"
		"  \"capabilities\": [\"net_bind_service\", \"net_raw\"],\n"
		"  \"network\": {\"protocols\": [\"tcp\", \"udp\", \"icmp\", \"unix\"],\n"
		"              \"raw\": true, \"packet\": false},\n"
		"  \"files\": {\"read_only\": [...], \"log_on_write\": [...], \"writable\": "
		"[...],\n"
		"            \"allow_exec\": [...], \"deny_exec\": [...], \"deny\": [...]},\n"
		"  \"docker_extras\": true   (umount, deny mount, /proc and /sys denies)\n"
		"Exit 0 ok, 1 cannot write the output, 2 usage error or malformed policy.\n",
		progname);
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
		check_path(key, json_string_value(e), tunables);
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
	opterr = 0; /* ':' and bad_option(): the suite's one message for a bad option */
	while ((c = getopt_long(argc, argv, ":o:m:n:h", opts, NULL)) != -1) {
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
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
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
		check_path("attach", attach, tunables);
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
