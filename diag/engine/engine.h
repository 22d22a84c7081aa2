/* diag/engine/engine.h: runs the plan's checks for one command and fills a report. */
#ifndef DIAG_ENGINE_H
#define DIAG_ENGINE_H

#include <json-c/json.h>

#include "diag/core/inputs.h"
#include "diag/report/report.h"
#include "diag/rules/rules.h"

/* Network settings of a run (DESIGN §2, §8). Strings are borrowed. */
struct diag_net_opts {
	const char **connect_to; /* curl --connect-to entries */
	size_t n_connect_to;
	const char *cacert;
	long timeout_s; /* per request; default 15 */
	long deadline_s; /* whole run; 0 = 2 * timeout_s + 10 */
	const char **allow_hosts; /* extra hosts credentials may go to */
	size_t n_allow_hosts;
	int max_parallel; /* concurrent requests; 0 = default 8, 1 = serial */
	long max_retry_after_s; /* longest Retry-After honoured; default 5 */
};

struct diag_captured;

/*
 * A recorded answer, for tests: when diag_engine_opts.replay is set, live
 * checks run without a network and a request whose method and URL equal
 * these is answered with a copy of ex (its label, method, URL and auth
 * become the request's). A request no entry matches is "not sent".
 */
struct diag_replay {
	const char *method;
	const char *url;
	const struct diag_exchange *ex;
};

/*
 * A finding the live run recorded (an evidence bundle's "findings"), for
 * a replay: raised again by the check that raised it live when that check
 * is one the replay does not run (diag_engine_opts.from_record).
 */
struct diag_recorded {
	const char *check;
	const char *code;
	enum diag_status status;
	enum diag_confidence confidence;
};

struct diag_engine_opts {
	const char *command; /* "lint", "check", ... */
	const struct diag_rules *rules;
	const struct diag_inputs *inputs; /* copied by the run */
	struct json_object *options; /* {"project":"KEY",...}, borrowed */
	const struct diag_net_opts *net; /* NULL: offline only */
	/* run only checks with this prefix ("input."), or NULL */
	const char *only;
	/* explain: the entry judged, or NULL; borrowed */
	const struct diag_captured *captured;
	/* tests: recorded answers (net NULL), or NULL */
	const struct diag_replay *replay;
	size_t n_replay;
	/* A bundle replay: checks not run (they would judge a secret the
	 * bundle never holds); each reports the recorded findings of its
	 * id instead, with a note. Facts every check sees from the start
	 * (the recorded traits of a secret). All borrowed, or NULL. */
	const char *const *from_record;
	size_t n_from_record;
	const struct diag_recorded *recorded;
	size_t n_recorded;
	struct json_object *seed_facts;
	/* --allow-host, for the offline checks too (lint, explain); when
	 * NULL, net's list is used. Borrowed. */
	const char *const *allow_hosts;
	size_t n_allow_hosts;
	/* Called once for every finished exchange of the run (sent, refused
	 * or answered from replay), in order of completion, with the id of
	 * the check that queued it; ex is borrowed for the call (copy what
	 * you keep). NULL: nobody listens (--save-evidence listens). */
	void (*on_exchange)(void *arg, const char *check_id,
	    const struct diag_exchange *ex);
	void *on_exchange_arg;
};

/*
 * Runs every plan entry that applies to the command, in order, honouring
 * prerequisites: a check whose prerequisite failed or was blocked is
 * blocked (naming it), not run. Live checks run concurrently on one curl
 * multi handle. Appends check results and findings to report (which the
 * caller owns and finishes with diag_report_finish()). A live run ends
 * at its deadline (net->deadline_s): checks still running or not started
 * then are inconclusive, naming the deadline, with a network.timeout
 * finding listing them. Returns 0, or -1
 * on an internal error (a check raised an unknown code), with the reason
 * in report->error.
 */
int diag_engine_run(const struct diag_engine_opts *, struct diag_report *);

#endif
