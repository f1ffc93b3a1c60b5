/* fuzz_k6_csv.c - libFuzzer harness: one input through the k6_csv front end (streamed). */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_stream(k6_csv_parse, data, size);
	return 0;
}
