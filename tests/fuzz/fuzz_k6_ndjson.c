/* fuzz_k6_ndjson.c - libFuzzer harness: one input through the k6_ndjson front end (streamed). */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_stream(k6_ndjson_parse, data, size);
	return 0;
}
