/*
 * fuzz_prom_api.c - libFuzzer harness: one input through the Prometheus HTTP API JSON front end
 * and server.c (the sink that gives samples their meaning), through the real loader.
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input("prometheus-api", data, size);
	return 0;
}
