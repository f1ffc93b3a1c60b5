/*
 * fuzz_k6_summary.c - libFuzzer harness: one input through the k6_summary front end, through the
 * real loader (ingest_load).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input("k6-summary", data, size);
	return 0;
}
