#!/bin/sh
# tests/cli/inject.sh: hostile transcripts and inputs (ESC/OSC 52 sequences,
# "\n::error::" lines, invalid UTF-8) never reach the terminal or a CI log raw,
# in any format; JSON and JUnit stay well-formed.
. "$top_srcdir/tests/lib/common.sh"

# t_safe NAME FILE FORMAT
t_safe() {
	if "$PYTHON3" "$top_srcdir/tests/lib/hostile-output.py" "$2" "$3" \
	    >"$T_DIR/why" 2>&1; then
		t_ok "$1"
	else
		t_fail "$1" "$(head -c 400 "$T_DIR/why")"
	fi
}

# A raw transcript: OSC 52 (clipboard write) and a CSI in headers, a body
# whose lines would be workflow commands, invalid UTF-8.
printf 'GET /rest/api/3/project/PAY HTTP/1.1\r\nHost: acme.atlassian.net\r\n\r\n' >"$T_DIR/raw.http"
printf 'HTTP/1.1 401 Unauthorized\r\n' >>"$T_DIR/raw.http"
printf 'WWW-Authenticate: Basic realm="\033]52;c;cHduZWQ=\007"\r\n' >>"$T_DIR/raw.http"
printf 'ATL-TraceId: 0a1b\033[2J\302\233\377\r\n' >>"$T_DIR/raw.http"
printf 'Content-Type: application/json\r\n\r\n' >>"$T_DIR/raw.http"
printf '{"errorMessages":["\033]52;c;cHduZWQ=\007"]}\n::error::pwned\n  ::add-mask::x\n\302\240::warning::y\n' >>"$T_DIR/raw.http"

# A HAR: the same in the URL, header values and the body, with newlines
# inside header values (HAR can carry them).
"$PYTHON3" - "$T_DIR/t.har" <<'PY'
import json, sys
evil = "\x1b]52;c;cHduZWQ=\x07\n::error::pwned\r\n ::add-mask::x \u2028::notice::z"
entry = {
    "startedDateTime": "2026-11-28T12:00:00.000Z", "time": 1,
    "request": {"method": "GET", "httpVersion": "HTTP/1.1",
                "url": "https://acme.atlassian.net/rest/api/3/project/PAY?q=" + evil,
                "headers": [{"name": "Host", "value": "acme.atlassian.net"},
                            {"name": "X-Evil", "value": evil}],
                "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
    "response": {"status": 401, "statusText": "Unauthorized", "httpVersion": "HTTP/1.1",
                 "headers": [{"name": "WWW-Authenticate", "value": "Basic realm=\"" + evil + "\""},
                             {"name": "ATL-TraceId", "value": evil},
                             {"name": "X-Seraph-LoginReason", "value": "AUTHENTICATED_FAILED" + evil},
                             {"name": "Content-Type", "value": "application/json"}],
                 "cookies": [], "content": {"size": 10, "mimeType": "application/json",
                                            "text": json.dumps({"errorMessages": [evil]}) + "\n" + evil},
                 "redirectURL": "", "headersSize": -1, "bodySize": 10},
    "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}
json.dump({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"},
                   "entries": [entry]}}, open(sys.argv[1], "w"))
PY

for t in raw.http t.har; do
	for f in text markdown junit github json; do
		for v in "" -v; do
			"$ATLDIAG" explain $v --format "$f" "$T_DIR/$t" \
			    >"$T_DIR/out.$f" 2>"$T_DIR/err" </dev/null
			rc=$?
			if [ "$rc" -ge 4 ]; then
				t_fail "explain $v --format $f $t" "exit $rc: $(head -c 300 "$T_DIR/err")"
				continue
			fi
			t_safe "explain $v --format $f $t: no raw control, no injected command" \
			    "$T_DIR/out.$f" "$f"
		done
	done
	"$ATLDIAG" explain --format junit "$T_DIR/$t" >"$T_DIR/out.xml" 2>/dev/null
	if "$PYTHON3" -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' \
	    "$T_DIR/out.xml" 2>"$T_DIR/why"; then
		t_ok "explain --format junit $t: well-formed XML"
	else
		t_fail "explain --format junit $t: well-formed XML" "$(head -c 300 "$T_DIR/why")"
	fi
done
# The visible escapes say what was there.
"$ATLDIAG" explain -v "$T_DIR/raw.http" >"$T_DIR/out" 2>/dev/null
t_grep "text -v shows the ESC of a header as \\x1B" 'realm="\x1B]52;c;cHduZWQ=\x07"' "$T_DIR/out"

# Invalid UTF-8 in an input: JSON stays valid (U+FFFD), text shows it.
for f in json junit github markdown text; do
	"$ATLDIAG" lint --site "$(printf 'acme\377\033]52;c;eA==\007.atlassian.net')" \
	    --email "$(printf 'a\n::error::pwned@example.com')" --format "$f" \
	    >"$T_DIR/out.$f" 2>/dev/null </dev/null
	t_safe "lint --format $f with invalid UTF-8 and controls in inputs" \
	    "$T_DIR/out.$f" "$f"
done
t_done
