/* diag/core/progress.c: the status line of a terminal (what is being probed, batch's bar). */
#include <sys/ioctl.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/core/escape.h"
#include "diag/core/progress.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

static pthread_mutex_t progress_lock = PTHREAD_MUTEX_INITIALIZER;
static int progress_on;
static int progress_probes;
static int progress_shown; /* a line is on the screen */

int
diag_progress_wanted(int quiet)
{
	const char *nc, *term;

	if (quiet || !isatty(STDERR_FILENO))
		return 0;
	nc = getenv("NO_COLOR");
	if (nc != NULL && *nc != '\0')
		return 0;
	term = getenv("TERM");
	return term != NULL && *term != '\0' && strcmp(term, "dumb") != 0;
}

void
diag_progress_enable(int on, int probes)
{
	pthread_mutex_lock(&progress_lock);
	progress_on = on;
	progress_probes = on && probes;
	pthread_mutex_unlock(&progress_lock);
	diag_msg_set_before(on ? diag_progress_clear : NULL);
}

int
diag_progress_enabled(void)
{
	int on;

	pthread_mutex_lock(&progress_lock);
	on = progress_on;
	pthread_mutex_unlock(&progress_lock);
	return on;
}

/* Columns of the terminal on stderr, less one (no wrap); 79 if unknown. */
static size_t
line_width(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		return (size_t)ws.ws_col - 1;
	return 79;
}

/* Cuts s to at most max characters (UTF-8 aware), in place. */
static void
cut_to(char *s, size_t max)
{
	size_t i, chars = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (chars++ == max) {
			s[i] = '\0';
			return;
		}
	}
}

void
diag_progress_show(const char *fmt, ...)
{
	struct diag_buf raw = DIAG_BUF_INIT, b = DIAG_BUF_INIT;
	char *clean;
	size_t n;
	va_list ap;

	if (!diag_progress_enabled())
		return;
	va_start(ap, fmt);
	diag_buf_vaddf(&raw, fmt, ap);
	va_end(ap);
	diag_esc_visible(&b, diag_buf_str(&raw), raw.len, 0);
	clean = diag_secret_scrub(diag_buf_str(&b), b.len, &n);
	cut_to(clean, line_width());
	pthread_mutex_lock(&progress_lock);
	fprintf(stderr, "\r%s\033[K", clean);
	fflush(stderr);
	progress_shown = 1;
	pthread_mutex_unlock(&progress_lock);
	free(clean);
	diag_buf_release(&b);
	diag_buf_release(&raw);
}

void
diag_progress_probe(const char *url, const char *what)
{
	const char *h, *e, *at;

	pthread_mutex_lock(&progress_lock);
	if (!progress_probes) {
		pthread_mutex_unlock(&progress_lock);
		return;
	}
	pthread_mutex_unlock(&progress_lock);
	h = url != NULL ? strstr(url, "://") : NULL;
	h = h != NULL ? h + 3 : url != NULL ? url : "";
	e = h + strcspn(h, "/?#");
	for (at = h; at < e; at++) /* no user:password@ */
		if (*at == '@')
			h = at + 1;
	diag_progress_show("probing %.*s (%s)\xe2\x80\xa6", (int)(e - h), h,
	    what != NULL ? what : "request");
}

void
diag_progress_clear(void)
{
	pthread_mutex_lock(&progress_lock);
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		progress_shown = 0;
	}
	pthread_mutex_unlock(&progress_lock);
}
