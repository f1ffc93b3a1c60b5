/*
 * fuzz_locust_json.c - libFuzzer harness: one input through the locust_json front end (Locust
 * --json statistics), through the real loader (ingest_load).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input("locust-json", data, size);
	return 0;
}
