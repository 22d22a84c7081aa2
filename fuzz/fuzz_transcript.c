/* fuzz/fuzz_transcript.c: libFuzzer target for one transcript parser, chosen by FUZZ_FORMAT at build time. */
#include <stddef.h>
#include <stdint.h>

#include "diag/secret.h"
#include "diag/transcript.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT DIAG_TX_AUTO
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_transcript tx;
	struct diag_tx_error err;
	size_t i;

	if (diag_transcript_parse((const char *)data, size, FUZZ_FORMAT, &tx,
	    &err) == 0) {
		for (i = 0; i < tx.n_items; i++)
			(void)diag_transcript_is_failure(tx.items[i].ex);
		diag_transcript_release(&tx);
	}
	diag_secret_reset();
	return 0;
}
