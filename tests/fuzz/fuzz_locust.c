/* fuzz_locust.c - libFuzzer harness: one input through the Locust CSV front end (whole document). */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_document(locust_parse, data, size);
	return 0;
}
