/* diag/core/envfile.h: dotenv files (--env-file): KEY=value lines read like the environment. */
#ifndef DIAG_ENVFILE_H
#define DIAG_ENVFILE_H

#include <stddef.h>

/* The variables of every file loaded, in order (a later file's value
 * wins). Strings owned; release with diag_envfile_release(). */
struct diag_envfile {
	char **keys;
	char **values;
	char **files; /* the file each came from, as named */
	size_t n;
};

/*
 * Reads a dotenv file into ef: one KEY=value per line; blank lines and
 * lines starting with '#' are skipped; "export KEY=value" is the same;
 * values may be 'single-quoted' (literal), "double-quoted" (\n, \t, \",
 * \\ and \$ understood) or bare (up to a " #" comment, trailing blanks
 * removed). Values of the secret variables (ATLASSIAN_API_TOKEN,
 * JIRA_API_TOKEN, CONFLUENCE_API_TOKEN, ATLASSIAN_ORG_API_KEY, and any
 * name holding TOKEN, SECRET, PASSWORD, PASSWD or API_KEY) are
 * registered as secrets, token-shaped runs in any value too. A file
 * holding a secret that group or others may access is refused, naming
 * the chmod that fixes it, as ssh refuses such a key. Returns 0, or -1
 * after diag_errorf() (unreadable file, a line that is not KEY=value,
 * an open quote, that mode): a usage error. No value is ever quoted.
 */
int diag_envfile_load(struct diag_envfile *ef, const char *path);
/* The value of key (the last file's that sets it), with that file in
 * *file when file is not NULL; NULL when no file sets it. */
const char *diag_envfile_get(const struct diag_envfile *ef, const char *key,
    const char **file);
void diag_envfile_release(struct diag_envfile *ef);

#endif
