/* diag/cmd_pending.c: commands whose issue has not landed yet say so clearly. */
#include "diag/commands.h"

static int
pending(struct diag_cmd *c, const char *what)
{
	diag_errorf("'%s' is not built yet in this version (%s); 'lint' "
	    "and 'rules' work", c->opts->command, what);
	return DIAG_EXIT_USAGE;
}

int
diag_cmd_live(struct diag_cmd *c)
{
	return pending(c, "live diagnosis");
}

int
diag_cmd_explain(struct diag_cmd *c)
{
	return pending(c, "offline explanation of transcripts");
}

int
diag_cmd_scopes(struct diag_cmd *c)
{
	return pending(c, "scope planner");
}

int
diag_cmd_batch(struct diag_cmd *c)
{
	return pending(c, "batch audit");
}
