/*
 * fuzz_wrk.c - libFuzzer harness: one input through the wrk / wrk2 text front end, through the
 * real loader (ingest_load).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input("wrk", data, size);
	return 0;
}
