/* diag/cmd/cmd_rules.c: `atldiag rules`: the checks of the plan and the diagnosis codes. */
#include <stdio.h>
#include <string.h>

#include "checks/registry.h"
#include "diag/cmd/commands.h"

/* The commands that run a plan entry whose plan-command bits are bits,
 * in command table order ("check,request,batch"). */
static const char *
commands_of(unsigned bits, char *buf, size_t size)
{
	const struct diag_command *cmds;
	size_t i, n, off = 0;

	buf[0] = '\0';
	n = diag_commands(&cmds);
	for (i = 0; i < n; i++) {
		if (cmds[i].plan == NULL ||
		    (bits & diag_command_bit(cmds[i].plan)) == 0)
			continue;
		off += (size_t)snprintf(buf + off, size - off, "%s%s",
		    off > 0 ? "," : "", cmds[i].name);
		if (off >= size)
			break;
	}
	return buf;
}

enum diag_exit
diag_cmd_rules(struct diag_cmd *c)
{
	const struct diag_plan_entry *plan;
	const struct diag_diagnosis *dx;
	struct json_object *doc, *a, *e, *cmds;
	char buf[128];
	size_t n, i, j;
	int live;

	if (c->opts->n_args > 0) {
		diag_errorf("rules takes no arguments, got '%s'",
		    c->opts->args[0]);
		return DIAG_EXIT_USAGE;
	}
	n = diag_rules_plan(c->rules, &plan);
	if (c->opts->format == DIAG_FORMAT_JSON) {
		doc = json_object_new_object();
		json_object_object_add(doc, "schema",
		    json_object_new_string("atldiag.rules/1"));
		a = json_object_new_array();
		for (i = 0; i < n; i++) {
			e = json_object_new_object();
			json_object_object_add(e, "id",
			    json_object_new_string(plan[i].id));
			json_object_object_add(e, "summary",
			    json_object_new_string(plan[i].check->summary));
			json_object_object_add(e, "live",
			    json_object_new_boolean(
				(plan[i].check->flags & DIAG_CHECK_LIVE) != 0));
			cmds = json_object_new_array();
			for (j = 0; j < plan[i].n_after; j++)
				json_object_array_add(cmds,
				    json_object_new_string(plan[i].after[j]));
			json_object_object_add(e, "after", cmds);
			json_object_object_add(e, "commands",
			    json_object_new_string(commands_of(plan[i].commands,
				buf, sizeof(buf))));
			json_object_array_add(a, e);
		}
		json_object_object_add(doc, "checks", a);
		a = json_object_new_array();
		n = diag_rules_diagnoses(c->rules, &dx);
		for (i = 0; i < n; i++) {
			e = json_object_new_object();
			json_object_object_add(e, "code",
			    json_object_new_string(dx[i].code));
			json_object_object_add(e, "title",
			    json_object_new_string(dx[i].title));
			json_object_object_add(e, "layer",
			    json_object_new_string(dx[i].layer));
			json_object_object_add(e, "owner",
			    json_object_new_string(dx[i].owner));
			json_object_array_add(a, e);
		}
		json_object_object_add(doc, "diagnoses", a);
		diag_buf_adds(&c->out,
		    json_object_to_json_string_ext(doc,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
		diag_buf_addc(&c->out, '\n');
		json_object_put(doc);
		return DIAG_EXIT_OK;
	}
	diag_buf_adds(&c->out, "Checks, in plan order:\n");
	for (i = 0; i < n; i++) {
		live = (plan[i].check->flags & DIAG_CHECK_LIVE) != 0;
		diag_buf_addf(&c->out, "  %-20s %-7s %s  [%s]\n", plan[i].id,
		    live ? "live" : "offline", plan[i].check->summary,
		    commands_of(plan[i].commands, buf, sizeof(buf)));
	}
	n = diag_rules_diagnoses(c->rules, &dx);
	diag_buf_addf(&c->out, "\nDiagnosis codes (%zu):\n", n);
	for (i = 0; i < n; i++)
		diag_buf_addf(&c->out, "  %-34s %-13s %s\n", dx[i].code,
		    dx[i].owner, dx[i].title);
	return DIAG_EXIT_OK;
}
