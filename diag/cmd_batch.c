/* diag/cmd_batch.c: `atldiag batch` (not built yet: says so clearly). */
#include "diag/commands.h"

int
diag_cmd_batch(struct diag_cmd *c)
{
	diag_errorf("'%s' is not built yet in this version (batch audit); "
	    "'lint' and 'rules' work", c->opts->command);
	return DIAG_EXIT_USAGE;
}
