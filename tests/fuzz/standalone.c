/*
 * standalone.c - main() for the fuzz harnesses without libFuzzer: feeds every file named on the
 * command line (or every file of a named directory, not its subdirectories) through
 * LLVMFuzzerTestOneInput once, so ctest replays the seed corpus in every build, the sanitizer
 * build included.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return 1;
	}
	char *data = NULL;
	size_t size = 0, cap = 0, n;
	char chunk[65536];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (size + n > cap) {
			cap = (size + n) * 2;
			data = realloc(data, cap);
			if (!data)
				abort();
		}
		memcpy(data + size, chunk, n);
		size += n;
	}
	fclose(f);
	LLVMFuzzerTestOneInput((const uint8_t *)data, size);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0, inputs = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *dir = opendir(argv[i]);
			struct dirent *e;
			while (dir && (e = readdir(dir))) {
				if (e->d_name[0] == '.')
					continue;
				char path[4096];
				snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
				/* a folder in a corpus is one harness's own (corpus/mustache/),
				 * named on that harness's command line */
				struct stat entry;
				if (stat(path, &entry) == 0 && S_ISDIR(entry.st_mode))
					continue;
				failed |= run_file(path);
				inputs++;
			}
			if (dir)
				closedir(dir);
		} else {
			failed |= run_file(argv[i]);
			inputs++;
		}
	}
	printf("%d inputs replayed\n", inputs);
	return failed;
}
