/* diag/net/http.c: many requests at once on one curl multi handle, safely. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "diag/net/http.h"
#include "diag/core/progress.h"
#include "diag/core/url.h"
#include "diag/core/util.h"

#ifndef ATLDIAG_VERSION
#define ATLDIAG_VERSION "0.1.0"
#endif

#define BODY_CAP (1024 * 1024) /* bytes kept of a response body */
#define HEADERS_CAP 200 /* response headers kept */
#define DEFAULT_PARALLEL 8
#define MAX_429_RETRIES 1

struct xfer {
	struct diag_http *http;
	struct diag_http_req *req;
	CURL *easy;
	struct curl_slist *hdrs;
	struct diag_buf body;
	char errbuf[CURL_ERROR_SIZE]; /* curl's own words */
	int retries;
	long long due_ms; /* delayed retry: when to start */
	long long started_ms;
	long long started_epoch_ms; /* wall clock, for the HAR */
	struct diag_http_req **followers; /* identical requests, not sent */
	size_t n_followers;
	struct xfer *next;
};

struct diag_http {
	const struct diag_net_opts *net;
	CURLM *multi;
	CURLSH *share; /* DNS and TLS sessions */
	struct curl_slist *connect_to;
	struct xfer *queued; /* waiting for a slot (FIFO) */
	struct xfer *delayed; /* waiting for Retry-After */
	struct xfer *running; /* added to the multi handle */
	struct diag_http_req **done;
	size_t n_done;
	size_t active;
	unsigned sent;
	long long deadline_ms; /* 0: none */
	char *gate_error; /* first refusal */
};

static void complete(struct diag_http *, struct xfer *, CURLcode);

/* The wall clock in milliseconds since the epoch (HAR startedDateTime). */
static long long
epoch_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A libcurl time of x (microseconds since the start), or -1. */
static double
xfer_time(struct xfer *x, CURLINFO what)
{
	curl_off_t us = -1;

	if (curl_easy_getinfo(x->easy, what, &us) != CURLE_OK || us < 0)
		return -1;
	return (double)us / 1000.0;
}

/* The phases of x as HAR 1.2 counts them (connect includes ssl); a
 * phase that did not happen (a reused connection) is -1. */
static void
record_timings(struct xfer *x, struct diag_timings *t)
{
	double dns, conn, app, pre, start, total;

	dns = xfer_time(x, CURLINFO_NAMELOOKUP_TIME_T);
	conn = xfer_time(x, CURLINFO_CONNECT_TIME_T);
	app = xfer_time(x, CURLINFO_APPCONNECT_TIME_T);
	pre = xfer_time(x, CURLINFO_PRETRANSFER_TIME_T);
	start = xfer_time(x, CURLINFO_STARTTRANSFER_TIME_T);
	total = xfer_time(x, CURLINFO_TOTAL_TIME_T);
	memset(t, 0, sizeof(*t));
	t->known = total >= 0;
	t->started_epoch_ms = x->started_epoch_ms;
	t->dns = dns > 0 ? dns : -1;
	t->connect = conn > 0 && conn >= dns ? conn - (dns > 0 ? dns : 0) : -1;
	t->ssl = app > 0 && app >= conn ? app - conn : -1;
	if (pre < 0)
		pre = app > 0 ? app : conn > 0 ? conn : 0;
	t->send = pre - (app > 0 ? app : conn > 0 ? conn : 0);
	if (t->send < 0)
		t->send = 0;
	t->wait = start > pre ? start - pre : 0;
	t->receive = total > start && start > 0 ? total - start : 0;
}

/* Appends s to *list. Returns 0, or -1 when libcurl is out of memory:
 * curl_slist_append() then returns NULL and leaves *list as it was, for
 * its owner to free. */
static int
slist_add(struct curl_slist **list, const char *s)
{
	struct curl_slist *l;

	if ((l = curl_slist_append(*list, s)) == NULL)
		return -1;
	*list = l;
	return 0;
}

struct diag_http *
diag_http_new(const struct diag_net_opts *net)
{
	struct diag_http *h;
	size_t i;

	h = diag_xcalloc(1, sizeof(*h));
	h->net = net;
	h->multi = curl_multi_init();
	if (h->multi == NULL)
		abort();
	curl_multi_setopt(h->multi, CURLMOPT_PIPELINING,
	    (long)CURLPIPE_MULTIPLEX);
	curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 6L);
	/*
	 * Every request has its own easy handle; the multi handle already
	 * shares connections between them. The share handle adds the DNS
	 * cache and TLS sessions, so a second connection to a host resumes
	 * the session instead of a full handshake. One transport is only
	 * ever driven by one thread: no locking needed.
	 */
	h->share = curl_share_init();
	if (h->share == NULL)
		abort();
	curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(h->share, CURLSHOPT_SHARE,
	    CURL_LOCK_DATA_SSL_SESSION);
	/* Out of memory: abort, as above; never run without a
	 * --connect-to the caller asked for. */
	for (i = 0; i < net->n_connect_to; i++)
		if (slist_add(&h->connect_to, net->connect_to[i]) != 0) {
			curl_slist_free_all(h->connect_to);
			abort();
		}
	return h;
}

static void
xfer_free(struct xfer *x)
{
	size_t i;

	if (x == NULL)
		return;
	if (x->easy != NULL)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->hdrs);
	diag_buf_release(&x->body);
	diag_http_req_free(x->req);
	for (i = 0; i < x->n_followers; i++)
		diag_http_req_free(x->followers[i]);
	free(x->followers);
	free(x);
}

void
diag_http_req_free(struct diag_http_req *req)
{
	if (req == NULL)
		return;
	free(req->label);
	free(req->method);
	free(req->url);
	if (req->body != NULL && req->token_request) /* the client secret */
		explicit_bzero(req->body, strlen(req->body));
	free(req->body);
	if (req->authorization != NULL) {
		explicit_bzero(req->authorization, strlen(req->authorization));
		free(req->authorization);
	}
	free(req->auth_desc);
	diag_exchange_free(req->ex);
	free(req);
}

static void
free_list(struct diag_http *h, struct xfer *x)
{
	struct xfer *next;

	for (; x != NULL; x = next) {
		next = x->next;
		if (x->easy != NULL)
			curl_multi_remove_handle(h->multi, x->easy);
		xfer_free(x);
	}
}

void
diag_http_free(struct diag_http *h)
{
	size_t i;

	if (h == NULL)
		return;
	free_list(h, h->running);
	free_list(h, h->queued);
	free_list(h, h->delayed);
	for (i = 0; i < h->n_done; i++)
		diag_http_req_free(h->done[i]);
	free(h->done);
	curl_slist_free_all(h->connect_to);
	curl_multi_cleanup(h->multi);
	curl_share_cleanup(h->share);
	free(h->gate_error);
	free(h);
}

unsigned
diag_http_sent(const struct diag_http *h)
{
	return h->sent;
}

void
diag_http_set_deadline(struct diag_http *h, long long deadline_ms)
{
	h->deadline_ms = deadline_ms;
}

int
diag_http_expired(const struct diag_http *h)
{
	return h->deadline_ms > 0 && diag_now_ms() >= h->deadline_ms;
}

const char *
diag_http_error_class(int code)
{
	switch (code) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return "dns";
	case CURLE_COULDNT_RESOLVE_PROXY:
		return "proxy";
	case CURLE_COULDNT_CONNECT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		return "connect";
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_PARTIAL_FILE:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_WRITE_ERROR:
	case CURLE_OUT_OF_MEMORY:
		return "transfer";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return "tls";
	default:
		return "other";
	}
}

/* The curl error in words a support engineer can act on. */
static const char *
error_words(CURLcode code)
{
	switch (code) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return "the host name could not be resolved (DNS)";
	case CURLE_COULDNT_RESOLVE_PROXY:
		return "the proxy host name could not be resolved";
	case CURLE_COULDNT_CONNECT:
		return "the TCP connection was refused or could not be made";
	case CURLE_OPERATION_TIMEDOUT:
		return "no complete answer before the timeout";
	case CURLE_PEER_FAILED_VERIFICATION:
		return "the server's TLS certificate did not verify";
	case CURLE_SSL_CONNECT_ERROR:
		return "the TLS handshake failed";
	case CURLE_SSL_CACERT_BADFILE:
		return "the CA file given with --cacert could not be read";
	case CURLE_GOT_NOTHING:
		return "the server closed the connection without answering";
	case CURLE_RECV_ERROR:
		return "the connection was reset while reading the answer";
	case CURLE_SEND_ERROR:
		return "the connection was reset while sending the request";
	case CURLE_PARTIAL_FILE:
		return "the answer was cut short (truncated body)";
	case CURLE_BAD_CONTENT_ENCODING:
		return "the answer's content encoding could not be decoded";
	case CURLE_WEIRD_SERVER_REPLY:
		return "the server's answer is not valid HTTP";
	case CURLE_OUT_OF_MEMORY:
		return "out of memory in libcurl (a request not sent, or an "
		       "answer not read)";
	default:
		return curl_easy_strerror(code);
	}
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	size_t room = BODY_CAP - x->body.len; /* body.len <= BODY_CAP */

	if (len > room)
		x->req->ex->body_truncated = 1;
	if (room > 0)
		diag_buf_add(&x->body, data, len > room ? room : len);
	return len;
}

static void
clear_headers(struct diag_exchange *ex)
{
	size_t i;

	for (i = 0; i < ex->n_headers; i++) {
		free(ex->headers[i].name);
		free(ex->headers[i].value);
	}
	free(ex->headers);
	ex->headers = NULL;
	ex->n_headers = 0;
	free(ex->trace_id);
	ex->trace_id = NULL;
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	struct diag_exchange *ex = x->req->ex;
	size_t len = size * n, nl;
	char *line, *colon, *v, *end;

	line = diag_xstrndup(data, len);
	nl = strcspn(line, "\r\n");
	line[nl] = '\0';
	if (strncmp(line, "HTTP/", 5) == 0) {
		/* A new status line (after 1xx): forget earlier headers. */
		clear_headers(ex);
	} else if ((colon = strchr(line, ':')) != NULL &&
	    ex->n_headers < HEADERS_CAP) {
		*colon = '\0';
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		end = v + strlen(v);
		while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		diag_exchange_add_header(ex, line, v);
	}
	free(line);
	return len;
}

static void
finish_req(struct diag_http *h, struct diag_http_req *req)
{
	h->done = diag_xrealloc(h->done, (h->n_done + 1) * sizeof(*h->done));
	h->done[h->n_done++] = req;
}

/* Request headers as recorded in the exchange: the credential never. */
static void
record_request(struct diag_http_req *req)
{
	struct diag_exchange *ex = req->ex;

	free(ex->auth);
	ex->auth =
	    diag_xstrdup(req->auth_kind != NULL ? req->auth_kind : "none");
	free(ex->auth_desc);
	ex->auth_desc = diag_xstrdup(req->auth_desc);
	if (req->authorization != NULL)
		diag_exchange_add_req_header(ex, "Authorization",
		    req->auth_desc != NULL ? req->auth_desc : "<redacted>");
	diag_exchange_add_req_header(ex, "Accept", "application/json");
	diag_exchange_add_req_header(ex, "User-Agent",
	    "atldiag/" ATLDIAG_VERSION);
	if (req->body != NULL) {
		free(ex->req_body);
		/* The grant's body holds the client secret: never kept. */
		ex->req_body = diag_xstrdup(req->token_request ?
			"{\"grant_type\":\"client_credentials\","
			"\"client_secret\":\"<redacted>\"}" :
			req->body);
	}
}

/*
 * The headers of req, appended to *list (which stays its caller's to
 * free, also on failure). Returns 0, or -1 when libcurl could not
 * allocate one: the request must not go out without it.
 */
static int
request_headers(const struct diag_http_req *req, struct curl_slist **list)
{
	char *hdr;
	int rc = 0;

	if (slist_add(list, "Accept: application/json") != 0)
		return -1;
	if (req->authorization != NULL) {
		hdr = diag_xasprintf("Authorization: %s", req->authorization);
		rc = slist_add(list, hdr);
		explicit_bzero(hdr, strlen(hdr));
		free(hdr);
	}
	if (rc == 0 && req->body != NULL)
		rc = slist_add(list, "Content-Type: application/json");
	return rc;
}

/* Starts x; returns 0, or -1 when it could not be sent (x is finished
 * then, with the reason in its exchange). */
static int
start(struct diag_http *h, struct xfer *x)
{
	struct diag_http_req *req = x->req;

	x->easy = curl_easy_init();
	if (x->easy == NULL)
		abort();
	diag_buf_release(&x->body);
	clear_headers(req->ex);
	curl_easy_setopt(x->easy, CURLOPT_URL, req->url);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	x->errbuf[0] = '\0';
	curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM < 0x075500 /* CURLOPT_PROTOCOLS_STR is 7.85 */
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#else
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT,
	    h->net->timeout_s > 0 ? h->net->timeout_s : 15L);
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT,
	    h->net->timeout_s > 0 && h->net->timeout_s < 10 ?
		h->net->timeout_s :
		10L);
	curl_easy_setopt(x->easy, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(x->easy, CURLOPT_HTTP_VERSION,
	    (long)CURL_HTTP_VERSION_2TLS);
	/* HTTP/2: wait for a connection being set up to multiplex on it
	 * rather than opening another one (a TLS handshake each). */
	curl_easy_setopt(x->easy, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(x->easy, CURLOPT_SHARE, h->share);
	curl_easy_setopt(x->easy, CURLOPT_USERAGENT,
	    "atldiag/" ATLDIAG_VERSION);
	if (h->connect_to != NULL)
		curl_easy_setopt(x->easy, CURLOPT_CONNECT_TO, h->connect_to);
	if (h->net->cacert != NULL)
		curl_easy_setopt(x->easy, CURLOPT_CAINFO, h->net->cacert);
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	if (request_headers(req, &x->hdrs) != 0) {
		/* Not sent: finished as a transfer that failed. */
		x->started_ms = diag_now_ms();
		x->started_epoch_ms = epoch_ms();
		x->next = h->running;
		h->running = x;
		h->active++;
		complete(h, x, CURLE_OUT_OF_MEMORY);
		return -1;
	}
	if (req->body != NULL)
		curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, req->body);
	if (strcmp(req->method, "GET") == 0 && req->body == NULL)
		curl_easy_setopt(x->easy, CURLOPT_HTTPGET, 1L);
	else if (strcmp(req->method, "HEAD") == 0)
		curl_easy_setopt(x->easy, CURLOPT_NOBODY, 1L);
	else
		curl_easy_setopt(x->easy, CURLOPT_CUSTOMREQUEST, req->method);
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->hdrs);
	x->started_ms = diag_now_ms();
	x->started_epoch_ms = epoch_ms();
	if (curl_multi_add_handle(h->multi, x->easy) != CURLM_OK)
		abort();
	x->next = h->running;
	h->running = x;
	h->active++;
	h->sent++;
	return 0;
}

static void start_queued(struct diag_http *);

/* Refuses credentials for a URL they must not go to (DESIGN §8). */
static const char *
refuse_reason(const struct diag_http *h, const struct diag_http_req *req)
{
	struct diag_url u;
	const char *why = NULL;

	if (diag_url_parse(req->url, &u) != 0)
		return "not an absolute URL";
	if (strcmp(u.scheme, "https") != 0 && strcmp(u.scheme, "http") != 0)
		why = "only http and https URLs are supported";
	else if (u.userinfo != NULL)
		why = "credentials inside the URL are not sent";
	else if (req->authorization != NULL && strcmp(u.scheme, "https") != 0)
		why = "credentials are never sent over plain http";
	else if (req->token_request &&
	    (strcmp(u.scheme, "https") != 0 ||
		strcmp(u.host, "auth.atlassian.com") != 0))
		why = "the client secret goes only to auth.atlassian.com";
	else if (req->token_request)
		; /* auth.atlassian.com: for this request only */
	else if (req->authorization != NULL &&
	    !diag_url_host_allowed(u.host, h->net->allow_hosts,
		h->net->n_allow_hosts))
		why = "credentials go only to api.atlassian.com, "
		      "*.atlassian.net, *.jira.com and --allow-host hosts";
	diag_url_release(&u);
	return why;
}

/* 1 when path is the write probe's: on the site or the gateway. */
static int
write_probe_path(const char *path)
{
	const char *p;

	if (strcmp(path, DIAG_HTTP_WRITE_PROBE_PATH) == 0)
		return 1;
	if (strncmp(path, "/ex/jira/", 9) != 0)
		return 0;
	p = strchr(path + 9, '/');
	return p != NULL && diag_is_uuid(path + 9, (size_t)(p - (path + 9))) &&
	    strcmp(p, DIAG_HTTP_WRITE_PROBE_PATH) == 0;
}

/* The token request's gate: POST of a JSON object, no Authorization
 * header, to exactly DIAG_HTTP_TOKEN_URL. */
static const char *
token_request_gate(const struct diag_http_req *req)
{
	if (req->write_probe || strcmp(req->method, "POST") != 0 ||
	    req->body == NULL || req->body[0] != '{' ||
	    req->authorization != NULL ||
	    strcmp(req->url, DIAG_HTTP_TOKEN_URL) != 0)
		return "the token request is only POST of a JSON body "
		       "to " DIAG_HTTP_TOKEN_URL;
	return NULL;
}

const char *
diag_http_gate(const struct diag_http_req *req)
{
	struct diag_url u;
	int ok;

	if (req->method == NULL || req->url == NULL)
		return "a request without method or URL";
	if (req->token_request)
		return token_request_gate(req);
	if (!req->write_probe) {
		if ((strcmp(req->method, "GET") == 0 ||
			strcmp(req->method, "HEAD") == 0 ||
			strcmp(req->method, "OPTIONS") == 0) &&
		    req->body == NULL)
			return NULL;
		return "only GET, HEAD and OPTIONS requests without a body "
		       "are sent";
	}
	if (strcmp(req->method, "POST") == 0 && req->body != NULL &&
	    strcmp(req->body, "{}") == 0 && strchr(req->url, '#') == NULL &&
	    diag_url_parse(req->url, &u) == 0) {
		ok = u.query == NULL && write_probe_path(u.path);
		diag_url_release(&u);
		if (ok)
			return NULL;
	}
	return "the write probe is only POST {} to the create-issue operation";
}

const char *
diag_http_gate_error(const struct diag_http *h)
{
	return h->gate_error;
}

/*
 * Refuses a request whose URL, method or Authorization value holds a
 * control character: sent as-is, CR LF would inject headers or a second
 * request. The inputs layer refuses such values first; reaching this is
 * an internal error.
 */
static const char *
unsafe_request(const struct diag_http_req *req)
{
	const char *const parts[] = { req->url, req->method,
		req->authorization };
	const unsigned char *p;
	size_t i;

	for (i = 0; i < DIAG_NELEM(parts); i++) {
		if (parts[i] == NULL)
			continue;
		for (p = (const unsigned char *)parts[i]; *p != '\0'; p++)
			if (*p < 0x20 || *p == 0x7f)
				return "a control character in the request's "
				       "URL, method or headers";
	}
	return NULL;
}

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * A read identical to req (method, URL, credential) that is queued or in
 * flight, or NULL. Two checks asking the same thing at the same time (the
 * Browse permission of the issue's project and of the project itself) get
 * one request: the server's answer is the same for both.
 */
static struct xfer *
in_flight_twin(struct diag_http *h, const struct diag_http_req *req)
{
	struct xfer *lists[3] = { h->queued, h->running, h->delayed };
	struct xfer *x;
	size_t i;

	if (req->body != NULL ||
	    (strcmp(req->method, "GET") != 0 &&
		strcmp(req->method, "HEAD") != 0))
		return NULL;
	for (i = 0; i < 3; i++)
		for (x = lists[i]; x != NULL; x = x->next)
			if (x->req != NULL && x->req->body == NULL &&
			    strcmp(x->req->method, req->method) == 0 &&
			    strcmp(x->req->url, req->url) == 0 &&
			    str_eq(x->req->authorization, req->authorization))
				return x;
	return NULL;
}

/* A request the gate refused: a bug, not a request; the run ends with
 * exit code 4. The method is named only when it is one we send. */
static void
refuse_as_bug(struct diag_http *h, struct diag_http_req *req, const char *why)
{
	const char *m = unsafe_request(req) == NULL ? req->method : "?";

	req->ex->error =
	    diag_xasprintf("not sent: internal error: %s (%s)", why, m);
	if (h->gate_error == NULL)
		h->gate_error =
		    diag_xasprintf("internal error: a %s request was refused "
				   "by the method gate: %s",
			m, why);
	finish_req(h, req);
}

void
diag_http_submit(struct diag_http *h, struct diag_http_req *req)
{
	struct xfer *x, **tail;
	const char *why;
	int running;

	req->ex = diag_exchange_new(req->label, req->method, req->url);
	record_request(req);
	if ((why = unsafe_request(req)) != NULL ||
	    (why = diag_http_gate(req)) != NULL) {
		refuse_as_bug(h, req, why);
		return;
	}
	why = refuse_reason(h, req);
	if (why != NULL) {
		req->ex->error = diag_xasprintf("not sent: %s", why);
		finish_req(h, req);
		return;
	}
	x = in_flight_twin(h, req);
	if (x != NULL) {
		x->followers = diag_xrealloc(x->followers,
		    (x->n_followers + 1) * sizeof(*x->followers));
		x->followers[x->n_followers++] = req;
		return;
	}
	x = diag_xcalloc(1, sizeof(*x));
	x->http = h;
	x->req = req;
	for (tail = &h->queued; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = x;
	diag_progress_probe(req->url, req->label);
	/*
	 * Start it now: DNS, TCP and TLS then overlap with whatever the
	 * caller does before it next waits (offline checks, more
	 * submissions). Completions are still only reported by
	 * diag_http_next_done().
	 */
	start_queued(h);
	curl_multi_perform(h->multi, &running);
}

static int
max_parallel(const struct diag_http *h)
{
	if (h->net->max_parallel > 0)
		return h->net->max_parallel;
	return DEFAULT_PARALLEL;
}

static void
start_queued(struct diag_http *h)
{
	struct xfer *x, **pp;
	long long now = diag_now_ms();

	/* Delayed retries whose time has come go first. */
	for (pp = &h->delayed; *pp != NULL;) {
		x = *pp;
		if (x->due_ms <= now && h->active < (size_t)max_parallel(h)) {
			*pp = x->next;
			x->next = NULL;
			start(h, x);
		} else
			pp = &x->next;
	}
	while (h->queued != NULL && h->active < (size_t)max_parallel(h)) {
		x = h->queued;
		h->queued = x->next;
		x->next = NULL;
		start(h, x);
	}
}

/* Seconds of a Retry-After header (delta-seconds only), or -1. */
static long
retry_after(const struct diag_exchange *ex)
{
	const char *v = diag_exchange_header(ex, "Retry-After");
	char *end;
	long s;

	if (v == NULL)
		return -1;
	s = strtol(v, &end, 10);
	if (end == v || s < 0)
		return -1;
	return s;
}

/* Why a certificate did not verify, from OpenSSL's verify result
 * (X509_V_ERR_*), or NULL when it does not say. */
static const char *
verify_words(long v)
{
	switch (v) {
	case 9: /* X509_V_ERR_CERT_NOT_YET_VALID */
		return "the server's TLS certificate is not valid yet (is this "
		       "machine's clock right?)";
	case 10: /* X509_V_ERR_CERT_HAS_EXPIRED */
		return "the server's TLS certificate has expired (or this "
		       "machine's clock is wrong)";
	case 18: /* X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT */
		return "the server's TLS certificate is self-signed (an "
		       "intercepting proxy?)";
	case 19: /* X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN */
	case 20: /* X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY */
	case 21: /* X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE */
		return "the server's TLS certificate was issued by a CA this "
		       "machine does not trust (an intercepting proxy? its CA "
		       "goes in --cacert)";
	case 23: /* X509_V_ERR_CERT_REVOKED */
		return "the server's TLS certificate is revoked";
	case 62: /* X509_V_ERR_HOSTNAME_MISMATCH */
		return "the server's TLS certificate is for another host name";
	default:
		return NULL;
	}
}

/*
 * The transport error of a finished transfer, in words, with curl's own
 * message: kept even when a status line arrived first (the answer broke
 * off, its headers never ended, its encoding was broken), so that no
 * check weighs a partial answer as a real one.
 */
static void
record_error(struct xfer *x, struct diag_exchange *ex, CURLcode code,
    long verify)
{
	const char *words = error_words(code), *vw;

	if (code == CURLE_PEER_FAILED_VERIFICATION &&
	    (vw = verify_words(verify)) != NULL)
		words = vw;
	if (ex->status != 0 && code == CURLE_RECV_ERROR)
		words = "reading the answer failed after its status line (the "
			"connection was reset, or the headers never ended)";
	ex->curl_code = (int)code;
	x->errbuf[sizeof(x->errbuf) - 1] = '\0';
	if (x->errbuf[0] != '\0')
		ex->error = diag_xasprintf("%s (curl: %s)", words, x->errbuf);
	else
		ex->error = diag_xstrdup(words);
}

/* The HTTP version curl reports, as a status line spells it. */
static const char *
version_name(long version)
{
	if (version == CURL_HTTP_VERSION_2_0)
		return "HTTP/2";
	return version == CURL_HTTP_VERSION_1_0 ? "HTTP/1.0" : "HTTP/1.1";
}

static void
complete(struct diag_http *h, struct xfer *x, CURLcode code)
{
	struct diag_exchange *ex = x->req->ex;
	long status = 0, version = 0, wait_s, verify = 0;
	long max_wait =
	    h->net->max_retry_after_s > 0 ? h->net->max_retry_after_s : 5;
	struct diag_http_req *f;
	struct xfer **pp;
	size_t i;

	for (pp = &h->running; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	}
	x->next = NULL;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(x->easy, CURLINFO_HTTP_VERSION, &version);
	record_timings(x, &ex->timings);
	if (code == CURLE_PEER_FAILED_VERIFICATION)
		curl_easy_getinfo(x->easy, CURLINFO_SSL_VERIFYRESULT, &verify);
	curl_multi_remove_handle(h->multi, x->easy);
	curl_easy_cleanup(x->easy);
	x->easy = NULL;
	h->active--;
	ex->status = status;
	ex->duration_ms = (long)(diag_now_ms() - x->started_ms);
	free(ex->http_version);
	ex->http_version = diag_xstrdup(version_name(version));
	free(ex->body);
	ex->body_len = x->body.len;
	ex->body = diag_buf_detach(&x->body);
	free(ex->error);
	ex->error = NULL;
	ex->curl_code = 0;
	if (code != CURLE_OK)
		record_error(x, ex, code, verify);
	/* 429: honour a short Retry-After once, then report it. */
	if (code == CURLE_OK && status == 429 && x->retries < MAX_429_RETRIES) {
		wait_s = retry_after(ex);
		if (wait_s >= 0 && wait_s <= max_wait) {
			x->retries++;
			x->due_ms = diag_now_ms() + wait_s * 1000;
			x->next = h->delayed;
			h->delayed = x;
			return;
		}
	}
	finish_req(h, x->req);
	for (i = 0; i < x->n_followers; i++) {
		f = x->followers[i];
		diag_exchange_free(f->ex);
		f->ex = diag_exchange_dup(ex);
		free(f->ex->label);
		f->ex->label = diag_xstrdup(f->label);
		finish_req(h, f);
	}
	x->n_followers = 0;
	x->req = NULL;
	xfer_free(x);
}

struct diag_http_req *
diag_http_next_done(struct diag_http *h)
{
	struct diag_http_req *req;
	struct xfer *x;
	CURLMsg *msg;
	int running, left, timeout_ms;
	long long now, wait;

	for (;;) {
		if (h->n_done > 0) {
			req = h->done[0];
			memmove(h->done, h->done + 1,
			    (h->n_done - 1) * sizeof(*h->done));
			h->n_done--;
			return req;
		}
		if (diag_http_expired(h))
			return NULL; /* the rest stays unfinished */
		start_queued(h);
		if (h->active == 0 && h->queued == NULL && h->delayed == NULL)
			return NULL;
		curl_multi_perform(h->multi, &running);
		while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			x = NULL;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&x);
			complete(h, x, msg->data.result);
		}
		if (h->n_done > 0)
			continue;
		timeout_ms = 1000;
		now = diag_now_ms();
		for (x = h->delayed; x != NULL; x = x->next) {
			wait = x->due_ms - now;
			if (wait < 0)
				wait = 0;
			if (wait < timeout_ms)
				timeout_ms = (int)wait;
		}
		if (h->deadline_ms > 0 && h->deadline_ms - now < timeout_ms)
			timeout_ms = h->deadline_ms > now ?
			    (int)(h->deadline_ms - now) :
			    0;
		if (h->active > 0)
			curl_multi_poll(h->multi, NULL, 0, timeout_ms, NULL);
		else if (timeout_ms > 0) {
			struct timespec ts = { timeout_ms / 1000,
				(timeout_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
}
