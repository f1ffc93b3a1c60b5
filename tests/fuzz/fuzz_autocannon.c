/*
 * fuzz_autocannon.c - libFuzzer harness: one input through the autocannon front end, through the
 * real loader (ingest_load).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input("autocannon", data, size);
	return 0;
}
