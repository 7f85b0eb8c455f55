/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The seccomp filter of conntrackd's unprivileged part (see
 * sync/seccomp.c for what it allows).
 */
#ifndef RAWCT_SYNC_SECCOMP_H
#define RAWCT_SYNC_SECCOMP_H

#include <stddef.h>

struct ct_bpf_insn;

/* The program into @p (@cap instructions). Returns its length, -ENOSPC,
 * or -EOPNOTSUPP on an architecture we have no table for. */
int sync_seccomp_build(struct ct_bpf_insn *p, size_t cap);

/* no_new_privs, then the filter on every thread of the process (and
 * what they start), through seccomp(2) with SECCOMP_FILTER_FLAG_TSYNC,
 * or, where the kernel lacks that (sync_seccomp_threads() is then 0),
 * on the calling thread with prctl. Returns 0, -EOPNOTSUPP (no table for
 * this architecture), -EBUSY (a thread could not take it) or -errno. */
int sync_seccomp_apply(void);

/* Whether threads may be started before sync_seccomp_apply(): it
 * filters them too (seccomp(2) with SECCOMP_FILTER_FLAG_TSYNC exists,
 * Linux 3.17 and later), or there is no filter for this architecture. */
int sync_seccomp_threads(void);

#endif
