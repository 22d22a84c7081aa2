/* checks/input/token_expiry.c: token.expiry: warn N days before the token expires, fail after. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag/engine/check.h"

#define WARN_DAYS_DEFAULT 14

static enum diag_step token_expiry_run(struct diag_run *);

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant). */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe, mp;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	mp = m > 2 ? m - 3 : m + 9;
	doy = (153 * mp + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int
digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * Parses "YYYY-MM-DD" (midnight UTC that day) or RFC 3339
 * "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" into seconds since the
 * epoch. Returns 0, or -1 when s is neither.
 */
static int
parse_when(const char *s, long long *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;
	const char *p;

	if (strlen(s) < 10 || digits(s, 4, &y) != 0 || s[4] != '-' ||
	    digits(s + 5, 2, &mo) != 0 || s[7] != '-' ||
	    digits(s + 8, 2, &d) != 0)
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || y < 1970)
		return -1;
	p = s + 10;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		if (digits(p + 1, 2, &h) != 0 || p[3] != ':' ||
		    digits(p + 4, 2, &mi) != 0 || p[6] != ':' ||
		    digits(p + 7, 2, &sec) != 0 || h > 23 || mi > 59 ||
		    sec > 60)
			return -1;
		p += 9;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		if (*p == 'Z' || *p == 'z')
			p++;
		else if (*p == '+' || *p == '-') {
			sign = *p == '-' ? -1 : 1;
			if (digits(p + 1, 2, &oh) != 0 || p[3] != ':' ||
			    digits(p + 4, 2, &om) != 0)
				return -1;
			p += 6;
		} else
			return -1;
	}
	if (*p != '\0')
		return -1;
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec - sign * (oh * 3600 + om * 60);
	return 0;
}

static void
day_string(long long t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, size, "?");
	else
		strftime(buf, size, "%Y-%m-%d", &tm);
}

/* "today", "1 day ago", "3 days ago". */
static const char *
ago(long long n, char *buf, size_t size)
{
	if (n <= 0)
		return "today";
	snprintf(buf, size, "%lld day%s ago", n, n == 1 ? "" : "s");
	return buf;
}

/* "today", "in 1 day", "in 3 days". */
static const char *
in_days(long long n, char *buf, size_t size)
{
	if (n <= 0)
		return "today";
	snprintf(buf, size, "in %lld day%s", n, n == 1 ? "" : "s");
	return buf;
}

static enum diag_step
token_expiry_run(struct diag_run *r)
{
	const char *given = diag_run_option(r, "expires");
	const char *fact = diag_run_fact_str(r, "token.expires_at");
	const char *warn_s = diag_run_option(r, "warn-expiry-days");
	const char *when, *source;
	struct diag_finding *f;
	long long exp, other, now = (long long)time(NULL), left;
	char *end, day[32], ago_buf[48];
	long warn = WARN_DAYS_DEFAULT;

	/* Its limits were checked on the command line (the option
	 * catalogue, diag/cmd/commands.c). */
	if (warn_s != NULL) {
		warn = strtol(warn_s, &end, 10);
		if (*warn_s == '\0' || *end != '\0' || warn < 0) {
			diag_run_status(r, DIAG_INCONCLUSIVE,
			    "--warn-expiry-days needs a whole number of days, "
			    "not '%s'",
			    warn_s);
			return DIAG_STEP_DONE;
		}
	}
	if (fact != NULL && parse_when(fact, &exp) == 0) {
		when = fact;
		source = "the organization admin API";
	} else if (given != NULL) {
		when = given;
		source = "--expires";
		if (parse_when(given, &exp) != 0) {
			diag_run_status(r, DIAG_INCONCLUSIVE,
			    "--expires needs a date, YYYY-MM-DD (or RFC 3339), "
			    "not '%s'",
			    given);
			return DIAG_STEP_DONE;
		}
	} else {
		diag_run_status(r, DIAG_SKIPPED,
		    "expiry unknown: give --expires YYYY-MM-DD, or an org key "
		    "(--org-key-file) for the admin API");
		return DIAG_STEP_DONE;
	}
	day_string(exp, day, sizeof(day));
	diag_run_fact_set(r, "inputs.token.expires_at",
	    json_object_new_string(day));
	diag_run_fact_set(r, "inputs.token.expiry_source",
	    json_object_new_string(source));
	/* Whole calendar days (UTC) from today to the expiry date. */
	left = (exp >= 0 ? exp / 86400 : -1) - now / 86400;
	if (exp <= now) {
		f = diag_run_finding(r, "auth.token_expired", DIAG_FAIL,
		    source[0] == '-' ? DIAG_LIKELY : DIAG_CONFIRMED,
		    "The token expired on %s (%s, per %s).", day,
		    ago(-left, ago_buf, sizeof(ago_buf)), source);
		diag_finding_note(f, "expiry given as '%s'", when);
	} else if (left < warn) {
		f = diag_run_finding(r, "auth.expiry_soon", DIAG_WARN,
		    source[0] == '-' ? DIAG_LIKELY : DIAG_CONFIRMED,
		    "The token expires on %s: %s, inside the %ld-day warning "
		    "window (per %s).",
		    day, in_days(left, ago_buf, sizeof(ago_buf)), warn, source);
		diag_finding_step(f, "Replace the token before %s.", day);
	} else
		diag_run_message(r,
		    "expires on %s, in %lld days (per %s; warning window %ld "
		    "days)",
		    day, left, source, warn);
	if (fact != NULL && given != NULL && parse_when(given, &other) == 0 &&
	    (other - exp > 86400 || exp - other > 86400))
		diag_run_message(r,
		    "expires on %s per the admin API, not %s as given with "
		    "--expires",
		    day, given);
	return DIAG_STEP_DONE;
}

const struct diag_check diag_check_token_expiry = {
	.id = "token.expiry",
	.summary =
	    "token expiry: warn N days before (--warn-expiry-days), fail after",
	.flags = DIAG_CHECK_OFFLINE,
	.run = token_expiry_run,
};
