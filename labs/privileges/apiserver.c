/* apiserver.c - the course's workload: a small HTTP/1.1 JSON API of countries, in C.
 *
 * Mechanism: none of its own; it is the program the privilege, seccomp, AppArmor and Docker labs
 * confine. It binds its TCP port itself, in plain sight, and serves it with libmicrohttpd in ONE
 * thread driven by epoll (JSON by jansson), so its system-call set is small and stable.
 * What it does: GET /countries (200), GET /countries/CODE (200/404), POST /countries with
 * {"code","name","capital","continent"} (201; 400 malformed; 409 duplicate; 413 over 4 KiB).
 * Outcome: "apiserver: listening on 127.0.0.1:8000"; SIGTERM/SIGINT close it, exit 0; a port it
 * may not bind: "apiserver: bind: Permission denied", exit 1.
 * Needs: nothing for a port >= ip_unprivileged_port_start (1024); CAP_NET_BIND_SERVICE below.
 * Read next: capabilities(7), ip(7), bind(2).
 */
#define _GNU_SOURCE
#include "cseclab.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_BODY      4096 /* bytes of a POST body; more is 413 */
#define MAX_COUNTRIES 1000 /* the store is in memory; more is 507 */
#define MAX_FIELD     64   /* bytes of one string field */

/* What the request handler answers: a status and a JSON body (malloc'd, may be NULL). */
struct api_reply {
	unsigned int status;
	char *body;
	char location[32]; /* Location: header of a 201, or "" */
};

/* The request handler, free of HTTP plumbing: tests/fuzz/apiserver_handler.c calls it too. */
void api_init(void);
void api_handle(const char *method, const char *url, const char *body, size_t len,
		struct api_reply *r);

/* code -> {"code","name","capital","continent"}; jansson keeps insertion order. */
static json_t *store;

static const char *const fields[] = {"code", "name", "capital", "continent"};

static void add_country(const char *code, const char *name, const char *capital,
			const char *continent)
{
	json_object_set_new(store, code,
			    json_pack("{s:s, s:s, s:s, s:s}", "code", code, "name", name, "capital",
				      capital, "continent", continent));
}

void api_init(void)
{
	json_decref(store);
	store = json_object();
	if (!store)
		dief("json_object: out of memory");
	add_country("FR", "France", "Paris", "Europe");
	add_country("JP", "Japan", "Tokyo", "Asia");
	add_country("BR", "Brazil", "Brasilia", "South America");
	add_country("KE", "Kenya", "Nairobi", "Africa");
}

/* Set R to STATUS with body {"error": MSG}. */
static void reply_error(struct api_reply *r, unsigned int status, const char *msg)
{
	json_t *o = json_pack("{s:s}", "error", msg);

	r->status = status;
	r->body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
}

static void reply_json(struct api_reply *r, unsigned int status, const json_t *j)
{
	r->status = status;
	r->body = json_dumps(j, JSON_COMPACT);
	if (!r->body)
		reply_error(r, 500, "out of memory");
}

/* A country code is two ASCII letters (ISO 3166-1 alpha-2); stored upper-case. */
static bool valid_code(const char *s, char out[3])
{
	if (!isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]) || s[2])
		return false;
	out[0] = (char)toupper((unsigned char)s[0]);
	out[1] = (char)toupper((unsigned char)s[1]);
	out[2] = '\0';
	return true;
}

static void get_all(struct api_reply *r)
{
	json_t *list = json_array(), *v;
	const char *k;

	if (!list) {
		reply_error(r, 500, "out of memory");
		return;
	}
	json_object_foreach(store, k, v)
	{
		json_array_append(list, v);
	}
	reply_json(r, 200, list);
	json_decref(list);
}

static void get_one(const char *code, struct api_reply *r)
{
	char key[3];
	json_t *v;

	if (!valid_code(code, key) || !(v = json_object_get(store, key))) {
		reply_error(r, 404, "no such country");
		return;
	}
	reply_json(r, 200, v);
}

/* POST /countries: the body must be one JSON object with exactly the four string fields. */
static void post_country(const char *body, size_t len, struct api_reply *r)
{
	char msg[JSON_ERROR_TEXT_LENGTH + 64], key[3];
	json_error_t err;
	json_t *o, *v;
	const char *k;
	size_t i;

	o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
	if (!o) {
		snprintf(msg, sizeof(msg), "malformed JSON: %s (line %d, column %d)", err.text,
			 err.line, err.column);
		reply_error(r, 400, msg);
		return;
	}
	if (!json_is_object(o)) {
		reply_error(r, 400, "expected a JSON object");
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		v = json_object_get(o, fields[i]);
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > MAX_FIELD ||
		    strlen(json_string_value(v)) != json_string_length(v)) {
			snprintf(msg, sizeof(msg),
				 "field \"%s\": a string of 1-%d bytes is required", fields[i],
				 MAX_FIELD);
			reply_error(r, 400, msg);
			goto out;
		}
	}
	json_object_foreach(o, k, v)
	{
		for (i = 0; i < ARRAY_SIZE(fields) && strcmp(k, fields[i]); i++)
			;
		if (i == ARRAY_SIZE(fields)) {
			reply_error(r, 400,
				    "unknown field (allowed: code, name, capital, continent)");
			goto out;
		}
	}
	if (!valid_code(json_string_value(json_object_get(o, "code")), key)) {
		reply_error(r, 400, "field \"code\": two letters (ISO 3166-1 alpha-2) expected");
		goto out;
	}
	if (json_object_get(store, key)) {
		reply_error(r, 409, "country exists");
		goto out;
	}
	if (json_object_size(store) >= MAX_COUNTRIES) {
		reply_error(r, 507, "store full");
		goto out;
	}
	json_object_set_new(o, "code", json_string(key));
	json_object_set(store, key, o);
	snprintf(r->location, sizeof(r->location), "/countries/%s", key);
	reply_json(r, 201, o);
out:
	json_decref(o);
}

void api_handle(const char *method, const char *url, const char *body, size_t len,
		struct api_reply *r)
{
	static const char prefix[] = "/countries";
	const char *rest;

	r->body = NULL;
	r->location[0] = '\0';
	if (strncmp(url, prefix, sizeof(prefix) - 1)) {
		reply_error(r, 404, "not found");
		return;
	}
	rest = url + sizeof(prefix) - 1;
	if (!strcmp(rest, "") || !strcmp(rest, "/")) {
		if (!strcmp(method, "GET"))
			get_all(r);
		else if (!strcmp(method, "POST"))
			post_country(body, len, r);
		else
			reply_error(r, 405, "method not allowed (GET, POST)");
	} else if (rest[0] == '/' && !strchr(rest + 1, '/')) {
		if (!strcmp(method, "GET"))
			get_one(rest + 1, r);
		else
			reply_error(r, 405, "method not allowed (GET)");
	} else {
		reply_error(r, 404, "not found");
	}
}

#ifndef FUZZ_NO_MAIN

/* --- HTTP plumbing: libmicrohttpd calls on_request several times per request --------------- */

/* One request's upload, allocated on the first call, freed by on_completed. */
struct upload {
	size_t len;
	bool too_big;
	char buf[MAX_BODY];
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* One log line per request: method, path (non-printable bytes as '?') and status. */
static void log_request(const char *method, const char *url, unsigned int status)
{
	char safe[128];
	size_t i;

	for (i = 0; i < sizeof(safe) - 1 && url[i]; i++)
		safe[i] = isprint((unsigned char)url[i]) ? url[i] : '?';
	safe[i] = '\0';
	printf("apiserver: %.8s %s %u\n", method, safe, status);
}

static enum MHD_Result send_reply(struct MHD_Connection *c, const char *method, const char *url,
				  struct api_reply *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	const char *body = r->body ? r->body : "{\"error\":\"out of memory\"}";

	resp = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	free(r->body);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "application/json");
	if (r->location[0])
		MHD_add_response_header(resp, "Location", r->location);
	if (r->status == 405)
		MHD_add_response_header(resp, "Allow", strstr(url + 1, "/") ? "GET" : "GET, POST");
	ret = MHD_queue_response(c, r->status, resp);
	MHD_destroy_response(resp);
	log_request(method, url, r->status);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *data_size, void **req_cls)
{
	struct upload *up = *req_cls;
	struct api_reply r = {0};
	const char *clen;
	long n;

	(void)cls;
	(void)version;
	if (!up) {
		/* First call: headers only. Refuse an announced oversized body before reading it. */
		clen = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (clen && (parse_long(clen, 0, LONG_MAX, &n) || n > MAX_BODY)) {
			reply_error(&r, 413, "body larger than 4096 bytes");
			return send_reply(c, method, url, &r);
		}
		up = calloc(1, sizeof(*up));
		if (!up)
			return MHD_NO;
		*req_cls = up;
		return MHD_YES;
	}
	if (*data_size) {
		/* A chunk of the body (chunked uploads announce no length). */
		if (up->len + *data_size > MAX_BODY)
			up->too_big = true;
		else
			memcpy(up->buf + up->len, data, *data_size);
		up->len += up->too_big ? 0 : *data_size;
		*data_size = 0;
		return MHD_YES;
	}
	if (up->too_big)
		reply_error(&r, 413, "body larger than 4096 bytes");
	else
		api_handle(method, url, up->buf, up->len, &r);
	return send_reply(c, method, url, &r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*req_cls);
	*req_cls = NULL;
}

/* socket, bind, listen: the call that needs CAP_NET_BIND_SERVICE below the unprivileged start. */
static int listen_on(const char *addr, const char *port, char *shown, size_t shownlen)
{
	struct addrinfo hints = {.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV,
				 .ai_socktype = SOCK_STREAM};
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	char host[INET6_ADDRSTRLEN], serv[8];
	struct addrinfo *ai;
	int fd, one = 1, rc;

	rc = getaddrinfo(addr, port, &hints, &ai);
	if (rc)
		usage_error("-a %s: not a numeric IPv4 or IPv6 address (%s)", addr,
			    gai_strerror(rc));
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	/* A restarted server may rebind while old connections sit in TIME_WAIT. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		die("setsockopt");
	if (bind(fd, ai->ai_addr, ai->ai_addrlen))
		die("bind");
	freeaddrinfo(ai);
	if (listen(fd, 64))
		die("listen");
	/* With -p 0 the kernel picked the port: report the real one. */
	if (getsockname(fd, (struct sockaddr *)&ss, &sslen) ||
	    getnameinfo((struct sockaddr *)&ss, sslen, host, sizeof(host), serv, sizeof(serv),
			NI_NUMERICHOST | NI_NUMERICSERV))
		die("getsockname");
	snprintf(shown, shownlen, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", host, serv);
	return fd;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-a ADDR] [-p PORT] [-v]\n"
		"A JSON API of countries over HTTP/1.1, the workload of the privilege labs.\n"
		"\n"
		"  -a, --address ADDR  numeric IPv4/IPv6 address to listen on (default 127.0.0.1)\n"
		"  -p, --port PORT     TCP port (default 8000; 0: the kernel picks one)\n"
		"  -v, --verbose       narrate what libmicrohttpd reports\n"
		"  -h, --help          this text\n"
		"\n"
		"Endpoints: GET /countries, GET /countries/CODE, POST /countries with\n"
		"  {\"code\":\"IE\",\"name\":\"Ireland\",\"capital\":\"Dublin\",\"continent\":"
		"\"Europe\"}\n"
		"Prints \"apiserver: listening on ADDR:PORT\" when ready; SIGTERM stops it (exit "
		"0).\n"
		"Ports below net.ipv4.ip_unprivileged_port_start need CAP_NET_BIND_SERVICE.\n",
		progname);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"address", required_argument, NULL, 'a'},
					     {"port", required_argument, NULL, 'p'},
					     {"verbose", no_argument, NULL, 'v'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *addr = "127.0.0.1", *port = "8000";
	struct sigaction sa = {.sa_handler = on_stop}; /* no SA_RESTART: epoll_wait returns EINTR */
	struct MHD_Daemon *d;
	char shown[INET6_ADDRSTRLEN + 16];
	long p;
	int c, fd;

	prog_init(argv[0]);
	opterr = 0; /* bad_option() reports what getopt_long refuses */
	while ((c = getopt_long(argc, argv, ":a:p:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			addr = optarg;
			break;
		case 'p':
			if (parse_long(optarg, 0, 65535, &p))
				usage_error("-p %s: a port number 0-65535 expected", optarg);
			port = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case ':':
		case '?':
			bad_option(c, argv);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);

	setvbuf(stdout, NULL, _IOLBF, 0); /* log lines reach a pipe as they happen */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	api_init();
	fd = listen_on(addr, port, shown, sizeof(shown));

	/* No internal thread: this thread runs MHD's epoll loop itself (MHD_run_wait below). */
	d = MHD_start_daemon(MHD_USE_EPOLL | (verbose ? MHD_USE_ERROR_LOG : 0), 0, NULL, NULL,
			     on_request, NULL, MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
			     MHD_OPTION_CONNECTION_TIMEOUT, 10U, MHD_OPTION_CONNECTION_LIMIT, 64U,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768, MHD_OPTION_END);
	if (!d)
		dief("MHD_start_daemon failed (libmicrohttpd without epoll support?)");
	printf("apiserver: listening on %s\n", shown);

	while (!stop_signal) {
		/* Returns on activity, on the 1 s timeout, or early when a signal interrupts it. */
		if (MHD_run_wait(d, 1000) != MHD_YES && errno != EINTR)
			dief("MHD_run_wait failed");
	}
	printf("apiserver: %s received, shutting down\n", strsignal(stop_signal));
	/* MHD_stop_daemon closes the listening socket we handed it (MHD_OPTION_LISTEN_SOCKET):
	 * closing fd again would fail with EBADF, or close whatever file reused the number. */
	MHD_stop_daemon(d);
	json_decref(store);
	return EXIT_OK;
}
#endif /* FUZZ_NO_MAIN */
