/* diag/cmd/step_summary.c: append a Markdown summary to $GITHUB_STEP_SUMMARY (--format github). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag/cmd/step_summary.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

int
diag_step_summary_append(const char *md)
{
	const char *path = getenv("GITHUB_STEP_SUMMARY");
	char *clean;
	size_t n;
	int fd, rc = 1;

	if (path == NULL || *path == '\0' || md == NULL)
		return 0;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY,
	    0600);
	if (fd < 0) {
		diag_warnf("cannot append the job summary to "
			   "GITHUB_STEP_SUMMARY '%s': %s",
		    path, strerror(errno));
		return -1;
	}
	clean = diag_secret_scrub(md, strlen(md), &n);
	if (diag_write_all(fd, clean, n) != 0) {
		diag_warnf("cannot append the job summary to "
			   "GITHUB_STEP_SUMMARY '%s': %s",
		    path, strerror(errno));
		rc = -1;
	}
	if (close(fd) != 0 && rc == 1) {
		diag_warnf("cannot append the job summary to "
			   "GITHUB_STEP_SUMMARY '%s': %s",
		    path, strerror(errno));
		rc = -1;
	}
	free(clean);
	return rc;
}
