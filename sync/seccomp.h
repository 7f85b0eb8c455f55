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

/* no_new_privs, then the filter on the calling thread (and what it
 * forks). Returns 0, -EOPNOTSUPP (no table for this architecture), or
 * -errno of prctl. */
int sync_seccomp_apply(void);

#endif
