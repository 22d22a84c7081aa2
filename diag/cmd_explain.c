/* diag/cmd_explain.c: `atldiag explain` (not built yet: says so clearly). */
#include "diag/commands.h"

int
diag_cmd_explain(struct diag_cmd *c)
{
	diag_errorf("'%s' is not built yet in this version (offline explanation of transcripts); "
	    "'lint' and 'rules' work", c->opts->command);
	return DIAG_EXIT_USAGE;
}
