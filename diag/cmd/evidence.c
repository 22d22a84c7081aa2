/* diag/cmd/evidence.c: --save-evidence: gather a run's exchanges, write them as one redacted HAR 1.2 file (mode 0600, never overwritten without --force). */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag/cmd/evidence.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"
#include "diag/report/evidence.h"
#include "diag/transcript/har_write.h"

struct diag_evidence {
	const char *path; /* borrowed from argv */
	int force;
	pthread_mutex_t lock;
	struct json_object *entries; /* scrubbed HAR entries */
	struct json_object *runs; /* scrubbed "_atldiag" of each run */
};

struct diag_evidence_run {
	struct diag_evidence *ev;
	struct json_object *entries; /* not yet scrubbed */
	unsigned line; /* batch profile; 0: none */
	char *name;
	time_t started;
};

/* The directory part of path ("." for a bare name); owned. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return diag_xstrdup(".");
	if (slash == path)
		return diag_xstrdup("/");
	return diag_xstrndup(path, (size_t)(slash - path));
}

/* Refuses a target that cannot be written, before the run sends anything. */
static int
check_target(const char *path, int force)
{
	struct stat st;
	char *dir;
	int rc = 0;

	if (lstat(path, &st) == 0) {
		if (!force) {
			diag_errorf("--save-evidence: '%s' exists; evidence is "
				    "never overwritten: give another file "
				    "name, or add --force to replace it",
			    path);
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			diag_errorf("--save-evidence: '%s' exists and is not a "
				    "regular file: --force replaces only a "
				    "file",
			    path);
			return -1;
		}
	}
	dir = dir_of(path);
	if (access(dir, W_OK | X_OK) != 0) {
		diag_errorf("--save-evidence: cannot write in '%s': %s", dir,
		    strerror(errno));
		rc = -1;
	}
	free(dir);
	return rc;
}

struct diag_evidence *
diag_evidence_new(const struct diag_opts *o, int *usage)
{
	struct diag_evidence *ev;
	struct json_object *v;
	int force;

	*usage = 0;
	force = o->options != NULL &&
	    json_object_object_get_ex(o->options, "force", NULL);
	if (o->options == NULL ||
	    !json_object_object_get_ex(o->options, "save-evidence", &v)) {
		if (force) {
			diag_errorf("--force replaces an evidence file: it "
				    "goes with --save-evidence FILE");
			*usage = 1;
		}
		return NULL;
	}
	if (check_target(json_object_get_string(v), force) != 0) {
		*usage = 1;
		return NULL;
	}
	ev = diag_xcalloc(1, sizeof(*ev));
	ev->path = json_object_get_string(v);
	ev->force = force;
	pthread_mutex_init(&ev->lock, NULL);
	ev->entries = json_object_new_array();
	ev->runs = json_object_new_array();
	return ev;
}

void
diag_evidence_free(struct diag_evidence *ev)
{
	if (ev == NULL)
		return;
	json_object_put(ev->entries);
	json_object_put(ev->runs);
	pthread_mutex_destroy(&ev->lock);
	free(ev);
}

/* The engine's listener: one HAR entry per exchange, tagged. */
static void
on_exchange(void *arg, const char *check_id, const struct diag_exchange *ex)
{
	struct diag_evidence_run *run = arg;
	struct json_object *custom = json_object_new_object(), *p;

	json_object_object_add(custom, "check",
	    json_object_new_string(check_id));
	if (run->line > 0) {
		p = json_object_new_object();
		json_object_object_add(p, "line",
		    json_object_new_int((int)run->line));
		if (run->name != NULL)
			json_object_object_add(p, "name",
			    json_object_new_string(run->name));
		json_object_object_add(custom, "profile", p);
	}
	json_object_array_add(run->entries,
	    diag_har_entry(ex, time(NULL), custom));
}

struct diag_evidence_run *
diag_evidence_run_new(struct diag_evidence *ev, struct diag_engine_opts *eo,
    unsigned line, const char *name)
{
	struct diag_evidence_run *run;

	if (ev == NULL)
		return NULL;
	run = diag_xcalloc(1, sizeof(*run));
	run->ev = ev;
	run->entries = json_object_new_array();
	run->line = line;
	run->name = diag_xstrdup(name);
	run->started = time(NULL);
	eo->on_exchange = on_exchange;
	eo->on_exchange_arg = run;
	return run;
}

/* A copy of o scrubbed of this thread's secrets (as JSON text, parsed
 * back: the scrubber keeps JSON valid); NULL if that ever failed. */
static struct json_object *
scrubbed(struct json_object *o)
{
	const char *text;
	char *clean;
	struct json_object *back;

	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	clean = diag_secret_scrub(text, strlen(text), NULL);
	back = json_tokener_parse(clean);
	free(clean);
	return back;
}

void
diag_evidence_run_end(struct diag_evidence_run *run,
    const struct diag_report *rep, struct json_object *options)
{
	struct json_object *sum, *p, *e;
	size_t i, n;

	if (run == NULL)
		return;
	sum = rep != NULL ? diag_report_evidence(rep, options) :
			    json_object_new_object();
	if (run->line > 0) {
		json_object_object_add(sum, "line",
		    json_object_new_int((int)run->line));
		if (run->name != NULL)
			json_object_object_add(sum, "name",
			    json_object_new_string(run->name));
	}
	n = json_object_array_length(run->entries);
	pthread_mutex_lock(&run->ev->lock);
	for (i = 0; i < n; i++) {
		e = scrubbed(json_object_array_get_idx(run->entries, i));
		if (e != NULL)
			json_object_array_add(run->ev->entries, e);
	}
	if ((p = scrubbed(sum)) != NULL)
		json_object_array_add(run->ev->runs, p);
	pthread_mutex_unlock(&run->ev->lock);
	json_object_put(sum);
	json_object_put(run->entries);
	free(run->name);
	free(run);
}

/* The bundle's log.comment for one run: command, verdict, primary. */
static char *
run_comment(const char *command, struct json_object *run)
{
	const char *verdict, *primary;

	verdict = diag_json_str(run, "verdict");
	primary = diag_json_str(run, "primary");
	return diag_xasprintf("atldiag %s: %s%s%s. Redacted evidence (no "
			      "token, password or key) for an Atlassian "
			      "support case; `atldiag explain FILE` reads "
			      "it back.",
	    command, verdict, primary != NULL ? ", primary " : "",
	    primary != NULL ? primary : "");
}

/* The whole bundle as text: one run's "_atldiag" as it is, a batch's
 * as the list of its profiles. */
static char *
bundle_text(struct diag_evidence *ev, const char *command,
    enum diag_exit exit_code)
{
	struct json_object *doc, *top, *first;
	char *comment, *text;

	first = json_object_array_length(ev->runs) > 0 ?
	    json_object_array_get_idx(ev->runs, 0) :
	    NULL;
	if (strcmp(command, "batch") != 0 && first != NULL) {
		top = json_object_get(first);
		comment = run_comment(command, first);
	} else {
		top = json_object_new_object();
		json_object_object_add(top, "schema",
		    json_object_new_string(DIAG_EVIDENCE_SCHEMA));
		json_object_object_add(top, "command",
		    json_object_new_string(command));
		json_object_object_add(top, "exit_code",
		    json_object_new_int(exit_code));
		json_object_object_add(top, "profiles",
		    json_object_get(ev->runs));
		comment = diag_xasprintf(
		    "atldiag %s: %zu profiles, exit %d. Redacted evidence (no "
		    "token, password or key) for an Atlassian support case; "
		    "each entry names its profile in _atldiag.profile.",
		    command, json_object_array_length(ev->runs), exit_code);
	}
	doc = diag_har_document(json_object_get(ev->entries), comment, top);
	text = diag_report_json_text(doc,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
	json_object_put(doc);
	free(comment);
	return text;
}

/* A new 0600 file at path, never over an existing one (O_EXCL); with
 * force a temporary file renamed over it. */
static int
write_file(struct diag_evidence *ev, const char *s, size_t n)
{
	char *tmp = NULL, *dir;
	int fd, rc, err;

	if (ev->force) {
		dir = dir_of(ev->path);
		tmp = diag_xasprintf("%s/.atldiag-evidence-XXXXXX", dir);
		free(dir);
		fd = mkostemp(tmp, O_CLOEXEC); /* mode 0600 */
	} else
		fd = open(ev->path,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = errno;
		diag_errorf("--save-evidence: cannot create '%s': %s%s",
		    ev->path, strerror(err),
		    err == EEXIST ? " (give --force to replace it)" : "");
		free(tmp);
		return -1;
	}
	rc = fchmod(fd, 0600) != 0 || diag_write_all(fd, s, n) != 0 ? -1 : 0;
	err = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	if (rc == 0 && tmp != NULL && rename(tmp, ev->path) != 0) {
		rc = -1;
		err = errno;
	}
	if (rc != 0) {
		(void)unlink(tmp != NULL ? tmp : ev->path);
		diag_errorf("--save-evidence: cannot write '%s': %s", ev->path,
		    strerror(err));
	}
	free(tmp);
	return rc;
}

int
diag_evidence_write(struct diag_evidence *ev, const char *command,
    enum diag_exit exit_code)
{
	char *text, *clean;
	size_t n;
	int rc;

	if (ev == NULL)
		return 0;
	text = bundle_text(ev, command, exit_code);
	/* The entries were scrubbed in their own thread; this pass covers
	 * what the main thread knows (one run's secrets) once more. */
	clean = diag_secret_scrub(text, strlen(text), &n);
	rc = write_file(ev, clean, n);
	free(clean);
	free(text);
	return rc;
}
