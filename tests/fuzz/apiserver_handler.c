// fuzz-build: labs/privileges/apiserver.c common/cseclab.c -Icommon -DFUZZ_NO_MAIN $(pkg-config --cflags --libs jansson)
/* apiserver_handler.c - libFuzzer harness for apiserver's request handler (api_handle).
 *
 * The input is split as METHOD-SELECTOR(1 byte) URL '\n' BODY: the selector picks GET, POST or
 * another method, the URL goes in as the path libmicrohttpd would hand over, the rest is the body.
 * Every reply must carry a known status and a body that is valid JSON; the store is reset now and
 * then so it neither fills up nor hides the 201 path. Run by scripts/fuzz (make fuzz).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct api_reply {
	unsigned int status;
	char *body;
	char location[32];
};
void api_init(void);
void api_handle(const char *method, const char *url, const char *body, size_t len,
		struct api_reply *r);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "POST", "PUT", "DELETE"};
	static unsigned long runs;
	struct api_reply r;
	const uint8_t *nl;
	char *url;
	size_t ulen;
	json_t *j;

	if (size < 1)
		return 0;
	if (runs++ % 256 == 0)
		api_init();
	nl = memchr(data + 1, '\n', size - 1);
	ulen = nl ? (size_t)(nl - data - 1) : size - 1;
	url = strndup((const char *)data + 1, ulen); /* stops at a NUL, as a C string would */
	if (!url)
		return 0;
	api_handle(methods[data[0] % 4], url, nl ? (const char *)nl + 1 : "",
		   nl ? size - ulen - 2 : 0, &r);
	switch (r.status) {
	case 200:
	case 201:
	case 400:
	case 404:
	case 405:
	case 409:
	case 507:
		break;
	default:
		abort();
	}
	j = r.body ? json_loads(r.body, 0, NULL) : NULL;
	if (!j)
		abort(); /* every reply body is JSON */
	json_decref(j);
	free(r.body);
	free(url);
	return 0;
}
