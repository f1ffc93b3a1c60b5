/*
 * fuzz_k6_ndjson.c - libFuzzer harness: one input through the k6_ndjson front end, through the
 * real loader (ingest_load).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input("k6-ndjson", data, size);
	return 0;
}
