/* diag/cmd_scopes.c: `atldiag scopes` (not built yet: says so clearly). */
#include "diag/commands.h"

int
diag_cmd_scopes(struct diag_cmd *c)
{
	diag_errorf("'%s' is not built yet in this version (scope planner); "
	    "'lint' and 'rules' work", c->opts->command);
	return DIAG_EXIT_USAGE;
}
