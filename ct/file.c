// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A small file read whole (ct/file.h), for the configuration parsers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "ct/file.h"

int ct_file_read(const char *path, size_t max, char **text, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf, *bigger;
	ssize_t r;
	int fd, ret;

	*text = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		ret = -ENOMEM;
		goto close_fd;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				ret = -EFBIG;
				goto free_buf;
			}
			bigger = realloc(buf, cap * 2);
			if (!bigger) {
				ret = -ENOMEM;
				goto free_buf;
			}
			buf = bigger;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			goto free_buf;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*text = buf;
	*len = n;
	return 0;

free_buf:
	free(buf);
close_fd:
	close(fd);
	return ret;
}
