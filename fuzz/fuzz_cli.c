/* fuzz/fuzz_cli.c: libFuzzer target for the command-line parser: the input is split into argv words. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag/cmd/cli.h"
#include "diag/core/secret.h"
#include "diag/core/util.h"

#define FUZZ_MAX_WORDS 64

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Words are separated by NUL or newline bytes (so a dictionary of option
 * names combines well); argv[0] is "atldiag". The parser may wipe words
 * (--token): they are a private copy.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[FUZZ_MAX_WORDS + 2];
	struct diag_opts o;
	size_t i, start = 0;
	int argc = 0;

	buf = diag_xmalloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = (char *)"atldiag";
	for (i = 0; i <= size && argc <= FUZZ_MAX_WORDS; i++) {
		if (i < size && buf[i] != '\0' && buf[i] != '\n')
			continue;
		buf[i] = '\0';
		argv[argc++] = buf + start;
		start = i + 1;
	}
	argv[argc] = NULL;
	(void)diag_cli_parse(argc, argv, &o);
	diag_opts_release(&o);
	diag_secret_reset();
	free(buf);
	return 0;
}
