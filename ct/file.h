/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a small text file whole (connlabel.conf, conntrackd.conf) into
 * memory for a parser that takes a length: one loop of read(2) into a
 * buffer that doubles from 4 KiB, bounded, retried on EINTR.
 */
#ifndef RAWCT_CT_FILE_H
#define RAWCT_CT_FILE_H

#include <stddef.h>

/*
 * ct_file_read - the bytes of the file at @path into *@text (malloc'd,
 * the caller frees it; not NUL-terminated) and their count into *@len.
 * Returns 0; -EFBIG when the file holds @max bytes or more; -ENOMEM; or
 * the -errno of open(2) or read(2) (-EISDIR for a directory). On failure
 * *@text is NULL.
 */
int ct_file_read(const char *path, size_t max, char **text, size_t *len);

#endif
