/* diag/serve/serve_har.c: POST /api/explain?format=har: a capture's exchanges as a redacted evidence bundle (HAR 1.2). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag/core/secret.h"
#include "diag/core/util.h"
#include "diag/report/evidence.h"
#include "diag/report/report.h"
#include "diag/serve/serve.h"
#include "diag/transcript/har_write.h"
#include "diag/transcript/transcript.h"

/* The entries of tx, one per exchange kept, through the bundle writer. */
static struct json_object *
har_entries(const struct diag_transcript *tx)
{
	struct json_object *a = json_object_new_array(), *custom;
	time_t now = time(NULL);
	size_t i;

	for (i = 0; i < tx->n_items; i++) {
		custom = json_object_new_object();
		/* A bundle read back keeps the check that made each entry;
		 * a capture's entry was made by no check of atldiag's. */
		json_object_object_add(custom, "check",
		    json_object_new_string(tx->items[i].check != NULL ?
			    tx->items[i].check :
			    "capture"));
		json_object_object_add(custom, "entry",
		    json_object_new_int((int)tx->items[i].index));
		json_object_array_add(a,
		    diag_har_entry(tx->items[i].ex, now, custom));
	}
	return a;
}

/* The bundle's log.comment: what the explain run found. */
static char *
har_comment(struct json_object *sum)
{
	struct json_object *v = NULL, *p = NULL;

	(void)json_object_object_get_ex(sum, "verdict", &v);
	(void)json_object_object_get_ex(sum, "primary", &p);
	return diag_xasprintf("atldiag explain (serve): %s%s%s. Redacted "
			      "capture (no token, password, cookie or key) for "
			      "an Atlassian support case; "
			      "`atldiag explain FILE` reads it back.",
	    v != NULL ? json_object_get_string(v) : "unknown",
	    p != NULL ? ", primary " : "",
	    p != NULL ? json_object_get_string(p) : "");
}

char *
diag_serve_har(const char *body, size_t len, const struct diag_report *rep,
    size_t *out_len)
{
	struct diag_transcript tx;
	struct diag_tx_error err;
	struct json_object *doc, *sum;
	char *comment, *text, *clean;

	memset(&tx, 0, sizeof(tx));
	if (diag_transcript_parse(body, len, DIAG_TX_AUTO, &tx, &err) != 0)
		return NULL;
	sum = diag_report_evidence(rep, NULL);
	/*
	 * The report's inputs were read from this capture: a bundle's
	 * inputs are those of the live run that made it, checked again by
	 * explain as that run's. An explain run had none of its own.
	 */
	json_object_object_add(sum, "inputs", json_object_new_object());
	comment = har_comment(sum);
	doc = diag_har_document(har_entries(&tx), comment, sum);
	text = diag_report_json_text(doc,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
	/* Every credential the capture holds is registered (this thread):
	 * the scrubber masks whatever a redactor might have missed. */
	clean = diag_secret_scrub(text, strlen(text), out_len);
	json_object_put(doc);
	free(text);
	free(comment);
	diag_transcript_release(&tx);
	return clean;
}
