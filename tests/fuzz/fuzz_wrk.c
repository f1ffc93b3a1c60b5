/* fuzz_wrk.c - libFuzzer harness: one input through the wrk / wrk2 text front end (whole document). */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_document(wrk_parse, data, size);
	return 0;
}
