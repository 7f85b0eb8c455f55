// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Replay driver: a plain main() that feeds every file named on the command
 * line (directories are walked recursively) to the harness's
 * LLVMFuzzerTestOneInput, once each, so corpora and crash reproducers run
 * under gcc, with or without sanitizers, where no libFuzzer exists.
 * Prints "replayed N inputs" and exits 0; a harness that finds a violated
 * property aborts, which is the failure. Each input is copied into a
 * buffer of exactly its size, like libFuzzer does, so ASan sees overreads.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define INPUT_MAX (1024 * 1024)	/* libFuzzer's default -max_len is far less */

static int replay_file(const char *path, unsigned long *count)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL, *exact;
	size_t len = 0, n;
	int rc = -1;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = malloc(INPUT_MAX);
	if (!buf)
		goto close_file;
	while ((n = fread(buf + len, 1, INPUT_MAX - len, f)) > 0)
		len += n;
	if (ferror(f) || !feof(f)) {
		fprintf(stderr, "%s: read error or larger than %d bytes\n",
			path, INPUT_MAX);
		goto free_buf;
	}
	exact = malloc(len ? len : 1);
	if (!exact)
		goto free_buf;
	memcpy(exact, buf, len);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	(*count)++;
	rc = 0;
free_buf:
	free(buf);
close_file:
	fclose(f);
	return rc;
}

static int replay_path(const char *path, unsigned long *count)
{
	struct dirent **names;
	struct stat st;
	char sub[4096];
	int n, rc = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path, count);
	/* Sorted, so runs are reproducible. */
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (rc == 0 && name[0] != '.') {
			if (snprintf(sub, sizeof(sub), "%s/%s", path, name) >=
			    (int)sizeof(sub)) {
				fprintf(stderr, "%s/%s: path too long\n", path,
					name);
				rc = -1;
			} else if (replay_path(sub, count) < 0) {
				rc = -1;
			}
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned long count = 0;
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (replay_path(argv[i], &count) < 0)
			rc = 1;
	printf("replayed %lu inputs\n", count);
	return rc;
}
