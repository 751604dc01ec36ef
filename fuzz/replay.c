/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The plain fuzz driver: feed files to a target's LLVMFuzzerTestOneInput,
 * with no fuzzer installed.  `meson test --suite fuzz-regress` runs each
 * target through it over fuzz/corpus/<target>/ and
 * fuzz/regressions/<target>/; a broken property aborts, so the test fails
 * and names the file.  It is also the "engine" of the coverage build.
 *
 *   fuzz-replay-<target> [-v] FILE|DIR...
 *
 * Directories are read one level deep, files in name order, names
 * starting with '.' skipped.  Every input ends right before an
 * inaccessible page and is read-only, so reading one byte past it, or
 * writing into it, crashes even without a sanitizer.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int verbose;

/*
 * Run one input placed right before a page the process may not touch,
 * and itself read-only: a read past its end or a write into it faults,
 * with or without a sanitizer (as picohttpparser's tests do).
 */
static void run_guarded(const uint8_t *data, size_t len)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t span = (len + pg - 1) / pg * pg;
	uint8_t *base, *p;

	if (span == 0)
		span = pg;
	base = mmap(NULL, span + pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		perror("replay: mmap");
		abort();
	}
	p = base + span - len;
	if (len)
		memcpy(p, data, len);
	if (mprotect(base + span, pg, PROT_NONE) < 0 || mprotect(base, span, PROT_READ) < 0) {
		perror("replay: mprotect");
		abort();
	}
	LLVMFuzzerTestOneInput(p, len);
	munmap(base, span + pg);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t n;

		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf) {
				fclose(f);
				return -1;
			}
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	if (verbose)
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	run_guarded(buf, len);
	free(buf);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, unsigned *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names) {
				closedir(d);
				return -1;
			}
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(path) < 0)
				rc = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int rc = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (strcmp(argv[i], "-v") == 0) {
			verbose = 1;
			continue;
		}
		/* libFuzzer-style flags (-runs=, -dict=...) are accepted and ignored */
		if (argv[i][0] == '-')
			continue;
		if (stat(argv[i], &st) < 0) {
			/* a target with no regression inputs yet has no directory */
			if (errno == ENOENT)
				continue;
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &count) < 0)
				rc = 1;
		} else if (run_file(argv[i]) < 0) {
			rc = 1;
		} else {
			count++;
		}
	}
	if (count == 0) {
		/* every target has a seed corpus: none found means a wrong path */
		fprintf(stderr, "replay: no inputs found\n");
		return 1;
	}
	printf("replay: %u inputs, no property broken\n", count);
	return rc;
}
