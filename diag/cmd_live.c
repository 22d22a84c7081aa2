/* diag/cmd_live.c: `atldiag check, request and can-i` (not built yet: says so clearly). */
#include "diag/commands.h"

int
diag_cmd_live(struct diag_cmd *c)
{
	diag_errorf("'%s' is not built yet in this version (live diagnosis); "
	    "'lint' and 'rules' work", c->opts->command);
	return DIAG_EXIT_USAGE;
}
