/* diag/cmd/explain_replay.h: explain of an evidence bundle by replaying its live run offline. */
#ifndef DIAG_CMD_EXPLAIN_REPLAY_H
#define DIAG_CMD_EXPLAIN_REPLAY_H

#include "diag/cmd/commands.h"
#include "diag/transcript/transcript.h"

/*
 * When tx is an evidence bundle of one live run (check, request, can-i),
 * runs that command's plan again with no network: each request is
 * answered from the bundle's recorded entries by method and URL (one not
 * recorded is "not sent"), the inputs and options are the recorded ones
 * (a secret by a stand-in of its recorded length: the checks that judge a
 * secret's value report what the live run recorded instead), and appends
 * its checks and findings to rep (yours). Returns 1 when replayed, 0 when
 * tx is no such bundle (nothing done), -1 on an internal error (the
 * reason in rep->error).
 */
int diag__explain_replay(struct diag_cmd *, const struct diag_transcript *,
    struct diag_report *);

#endif
