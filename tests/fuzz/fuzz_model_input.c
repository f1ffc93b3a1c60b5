/*
 * fuzz_model_input.c - libFuzzer harness: one input through the model_input front end, through the
 * real loader (ingest_load).
 */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_input("perfgate-model", data, size);
	return 0;
}
