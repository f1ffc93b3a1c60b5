/* fuzz_k6_summary.c - libFuzzer harness: one input through the k6_summary front end (whole document). */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_document(k6_summary_parse, data, size);
	return 0;
}
