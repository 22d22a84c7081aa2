# tests/serve/lib.sh: start and stop `atldiag serve` for a test (sourced after tests/lib/common.sh).
# s_start [ARGS...]: starts it; sets S_PID, S_URL (as printed), S_BASE
# (http://ADDR:PORT) and S_TOKEN. Exits 77 (skip) when this atldiag was
# built without libmicrohttpd.
s_start() {
	rm -f "$T_DIR/serve.out" "$T_DIR/serve.err"
	"$ATLDIAG" serve "$@" >"$T_DIR/serve.out" 2>"$T_DIR/serve.err" &
	S_PID=$!
	i=0
	# Wait for the URL line (the server prints it once it listens).
	while [ ! -s "$T_DIR/serve.out" ] && kill -0 "$S_PID" 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if ! [ -s "$T_DIR/serve.out" ]; then
		if grep -q "built without libmicrohttpd" "$T_DIR/serve.err"; then
			echo "skip: $(cat "$T_DIR/serve.err")"
			exit 77
		fi
		echo "FAIL: atldiag serve did not start: $(cat "$T_DIR/serve.err")"
		exit 1
	fi
	S_URL=$(head -n 1 "$T_DIR/serve.out")
	S_BASE=${S_URL%%/\?*}
	S_TOKEN=${S_URL##*token=}
}

# s_stop: SIGTERM, then the exit status of the server in S_RC.
s_stop() {
	kill -TERM "$S_PID" 2>/dev/null
	S_RC=0
	wait "$S_PID" || S_RC=$?
}

# s_post OUT [QUERY] < BODY: POST /api/explain with the token header;
# prints the HTTP status.
s_post() {
	curl -sS -o "$1" -w '%{http_code}' -H "X-Atldiag-Token: $S_TOKEN" \
	    -H 'Content-Type: application/octet-stream' \
	    --data-binary @- "$S_BASE/api/explain${2:+?$2}"
}

# s_norm FILE: a report without what differs between two runs (the time
# of the run, how long each check took).
s_norm() {
	sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z| UTC)?/TIME/g' \
	    -e 's/"duration_ms": [0-9]+/"duration_ms": N/' -e 's/[0-9]+ ms/N ms/g' "$1"
}
