/* fuzz_model_input.c - libFuzzer harness: one input through the model_input front end (whole document). */
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_document(model_input_parse, data, size);
	return 0;
}
