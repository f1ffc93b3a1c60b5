/* fuzz_autocannon.c - libFuzzer harness: one input through the autocannon front end (whole document). */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_document(autocannon_parse, data, size);
	return 0;
}
