/*
 * fuzz_locust.c - libFuzzer harness: one input through the Locust CSV front end, through the real
 * loader (ingest_load).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input("locust", data, size);
	return 0;
}
