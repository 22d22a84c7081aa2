/* diag/cmd/cmd_serve.c: `atldiag serve`: explain captures in a browser page served by this process alone. */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/cmd/commands.h"
#include "diag/core/hash.h"
#include "diag/serve/serve.h"

#ifdef ATLDIAG_HAVE_MHD
#include <microhttpd.h>

/* Simultaneous connections (each has its own thread). */
#define SERVE_MAX_CONNECTIONS 64
/* Seconds an idle connection is kept. */
#define SERVE_IDLE_TIMEOUT 60

/* Where to listen. */
struct listen_addr {
	struct sockaddr_storage ss;
	char host[INET6_ADDRSTRLEN + 8]; /* [v6] bracketed */
	unsigned port;
	int v6;
	int loopback;
};

/* One request's body, as it arrives. */
struct conn {
	struct diag_buf body;
	int too_large;
};

/*
 * Parses ADDR:PORT (ADDR: an IPv4 address, or an IPv6 one in brackets;
 * PORT 0: any free port) into a. Returns 0, or -1 after a usage error.
 */
static int
parse_listen(const char *s, struct listen_addr *a)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->ss;
	const char *colon = strrchr(s, ':');
	char addr[INET6_ADDRSTRLEN], *end;
	size_t n;
	long port;

	memset(a, 0, sizeof(*a));
	if (colon == NULL || colon == s || colon[1] == '\0')
		goto bad;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 0 || port > 65535)
		goto bad;
	n = (size_t)(colon - s);
	if (s[0] == '[' && n > 2 && s[n - 1] == ']') {
		s++;
		n -= 2;
		a->v6 = 1;
	}
	if (n >= sizeof(addr))
		goto bad;
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (a->v6) {
		if (inet_pton(AF_INET6, addr, &in6->sin6_addr) != 1)
			goto bad;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		a->loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
		snprintf(a->host, sizeof(a->host), "[%s]", addr);
	} else {
		if (inet_pton(AF_INET, addr, &in4->sin_addr) != 1)
			goto bad;
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		a->loopback = (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
		snprintf(a->host, sizeof(a->host), "%s", addr);
	}
	a->port = (unsigned)port;
	return 0;
bad:
	diag_errorf("option '--listen' needs ADDRESS:PORT, an IP address (IPv6 "
		    "in brackets) and a port from 0 (any free one) to 65535, "
		    "not '%s'",
	    s);
	return -1;
}

static void
completed(void *cls, struct MHD_Connection *mc, void **con_cls,
    enum MHD_RequestTerminationCode why)
{
	struct conn *c = *con_cls;

	(void)cls;
	(void)mc;
	(void)why;
	if (c == NULL)
		return;
	if (c->body.buf != NULL)
		explicit_bzero(c->body.buf, c->body.len);
	diag_buf_release(&c->body);
	free(c);
	*con_cls = NULL;
}

/* Sends resp with the headers every answer carries. */
static enum MHD_Result
send_resp(struct MHD_Connection *mc, struct diag_serve_resp *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t i;

	r = MHD_create_response_from_buffer(resp->len, resp->body,
	    MHD_RESPMEM_MUST_FREE);
	if (r == NULL)
		return MHD_NO;
	resp->body = NULL; /* MHD frees it */
	for (i = 0; diag_serve_headers[i][0] != NULL; i++)
		MHD_add_response_header(r, diag_serve_headers[i][0],
		    diag_serve_headers[i][1]);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    resp->content_type);
	if (resp->allow != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, resp->allow);
	ret = MHD_queue_response(mc, resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* 1 when the request's Content-Length announces more than max bytes. */
static int
declared_too_large(struct MHD_Connection *mc, size_t max)
{
	const char *cl;
	unsigned long long n;
	char *end;

	cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl == NULL || *cl < '0' || *cl > '9')
		return 0;
	errno = 0;
	n = strtoull(cl, &end, 10);
	return end != cl && (errno == ERANGE || n > max);
}

/* MHD's request handler: gathers the body, then answers through
 * diag_serve_handle() on this connection's thread. */
static enum MHD_Result
handler(void *cls, struct MHD_Connection *mc, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	const struct diag_serve *s = cls;
	struct diag_serve_req req;
	struct diag_serve_resp resp;
	struct conn *c = *con_cls;
	enum MHD_Result ret;

	(void)version;
	if (c == NULL) {
		*con_cls = c = diag_xcalloc(1, sizeof(*c));
		/* A body announced over the limit is answered 413 at once,
		 * on this first call: none of it is read (a client waiting
		 * on Expect: 100-continue never sends it). */
		if (!declared_too_large(mc, s->max_body))
			return MHD_YES;
		c->too_large = 1;
	} else if (*upload_size > 0) {
		if (c->too_large || c->body.len + *upload_size > s->max_body)
			c->too_large = 1; /* read on, keep nothing */
		else
			diag_buf_add(&c->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.path = url;
	req.query_token =
	    MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "token");
	req.query_format =
	    MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "format");
	req.header_token =
	    MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "X-Atldiag-Token");
	req.host = MHD_lookup_connection_value(mc, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	req.body = c->body.buf;
	req.body_len = c->body.len;
	req.body_too_large = c->too_large;
	diag_serve_handle(s, &req, &resp);
	ret = send_resp(mc, &resp);
	diag_serve_resp_release(&resp);
	return ret;
}

/* Host header values that name this server: the address it printed,
 * and localhost's names for a loopback address. */
static char **
host_names(const struct listen_addr *a, unsigned port)
{
	char **h = diag_xcalloc(5, sizeof(*h));
	size_t n = 0;

	h[n++] = diag_xasprintf("%s:%u", a->host, port);
	if (a->loopback) {
		h[n++] = diag_xasprintf("localhost:%u", port);
		h[n++] = diag_xasprintf("127.0.0.1:%u", port);
		h[n++] = diag_xasprintf("[::1]:%u", port);
	}
	return h;
}

static void
free_names(char **h)
{
	size_t i;

	for (i = 0; h != NULL && h[i] != NULL; i++)
		free(h[i]);
	free(h);
}

/* A listening socket on a; a->port gets the port bound (a free one
 * for port 0). Returns the socket, or -1 after an error. */
static int
bind_socket(struct listen_addr *a)
{
	struct sockaddr_storage got;
	socklen_t len = sizeof(got), alen;
	int fd, one = 1;

	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	alen = a->v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (bind(fd, (struct sockaddr *)&a->ss, alen) != 0 ||
	    listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&got, &len) != 0)
		goto fail;
	if (a->v6)
		a->port = ntohs(((struct sockaddr_in6 *)&got)->sin6_port);
	else
		a->port = ntohs(((struct sockaddr_in *)&got)->sin_port);
	return fd;
fail:
	diag_errorf("cannot listen on %s:%u: %s", a->host, a->port,
	    strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* Starts the daemon on the listening socket fd (closed by it, also on
 * failure). */
static struct MHD_Daemon *
start(int fd, const struct listen_addr *a, struct diag_serve *s)
{
	struct MHD_Daemon *d;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;

	if (a->v6)
		flags |= MHD_USE_IPv6;
	d = MHD_start_daemon(flags, 0, NULL, NULL, handler, s,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_MAX_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_IDLE_TIMEOUT,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	if (d == NULL) {
		diag_errorf("cannot serve on %s:%u: libmicrohttpd refused to "
			    "start",
		    a->host, a->port);
		close(fd);
	}
	return d;
}

/* Reads --listen and --allow-remote into a. Returns 0, or -1 (usage). */
static int
serve_options(struct diag_cmd *c, struct listen_addr *a)
{
	struct json_object *v;
	int remote;

	if (c->opts->n_args > 0) {
		diag_errorf("serve takes no arguments (got '%s'): use --listen "
			    "ADDRESS:PORT to choose where it listens",
		    c->opts->args[0]);
		return -1;
	}
	if (!json_object_object_get_ex(c->opts->options, "listen", &v))
		return parse_listen("127.0.0.1:0", a);
	if (parse_listen(json_object_get_string(v), a) != 0)
		return -1;
	remote =
	    json_object_object_get_ex(c->opts->options, "allow-remote", NULL);
	if (!a->loopback && !remote) {
		diag_errorf("--listen %s is not a loopback address: other "
			    "machines could reach the page; add --allow-remote "
			    "if you mean it",
		    json_object_get_string(v));
		return -1;
	}
	if (!a->loopback)
		diag_warnf("listening on %s, not loopback: anyone who can "
			   "reach it and learns the URL can explain captures "
			   "here; the traffic is not encrypted",
		    a->host);
	return 0;
}

enum diag_exit
diag_cmd_serve(struct diag_cmd *c)
{
	struct listen_addr a;
	struct diag_serve s;
	struct MHD_Daemon *d;
	sigset_t set, old;
	char **hosts;
	int fd, sig = 0;

	if (serve_options(c, &a) != 0)
		return DIAG_EXIT_USAGE;
	memset(&s, 0, sizeof(s));
	s.rules = c->rules;
	s.max_body = DIAG_SERVE_MAX_BODY;
	if (diag_serve_token_new(s.token) != 0) {
		diag_errorf("internal error: no random bytes for the access "
			    "token: %s",
		    strerror(errno));
		return DIAG_EXIT_INTERNAL;
	}
	(void)diag_crc32("", 0); /* its table is built once, here */
	/* The daemon's threads inherit the mask: only sigwait() below
	 * receives SIGINT and SIGTERM. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	if ((fd = bind_socket(&a)) < 0) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return DIAG_EXIT_USAGE;
	}
	hosts = host_names(&a, a.port);
	s.hosts = a.loopback ? (const char *const *)hosts : NULL;
	if ((d = start(fd, &a, &s)) == NULL) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		free_names(hosts);
		return DIAG_EXIT_INTERNAL;
	}
	printf("http://%s:%u/?token=%s\n", a.host, a.port, s.token);
	fflush(stdout);
	diag_notef("serving the explain page at the URL above; nothing is "
		   "stored, nothing leaves this machine; Ctrl-C stops");
	while (sigwait(&set, &sig) != 0)
		;
	MHD_stop_daemon(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	free_names(hosts);
	explicit_bzero(s.token, sizeof(s.token));
	diag_notef("stopped (%s)", sig == SIGINT ? "interrupt" : "terminate");
	return DIAG_EXIT_OK;
}

#else /* !ATLDIAG_HAVE_MHD */

enum diag_exit
diag_cmd_serve(struct diag_cmd *c)
{
	(void)c;
	diag_errorf("serve is not available: this atldiag was built without "
		    "libmicrohttpd (install libmicrohttpd-dev, then configure "
		    "and build again)");
	return DIAG_EXIT_USAGE;
}

#endif
