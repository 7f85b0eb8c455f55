// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The seccomp filter of conntrackd's unprivileged part (sync/privsep.c): a
 * classic BPF program, written by hand with ct/bpf.h's opcodes, that lets
 * through the system calls the event loop makes (socket I/O, polling,
 * time, memory, the few descriptor operations) and answers every other
 * one with EPERM: no file may be opened, nothing executed, no process
 * traced, no privilege regained. The architecture is checked first (a
 * 32-bit or x32 call on a 64-bit kernel has other numbers). Only for the
 * architectures listed; elsewhere the caller is told and goes on without.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ct/bpf.h"
#include "sync/seccomp.h"

/* linux/seccomp.h, linux/audit.h */
#define SECCOMP_MODE_FILTER	2
#define SECCOMP_SET_MODE_FILTER	1
#define SECCOMP_FILTER_FLAG_TSYNC 1
#define SECCOMP_RET_ALLOW	0x7fff0000U
#define SECCOMP_RET_ERRNO	0x00050000U
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#define SECCOMP_DATA_NR		0	/* offsetof(struct seccomp_data, nr) */
#define SECCOMP_DATA_ARCH	4
#define X32_SYSCALL_BIT		0x40000000U

#if defined(__x86_64__)
#define AUDIT_ARCH_THIS		0xc000003eU
#elif defined(__aarch64__)
#define AUDIT_ARCH_THIS		0xc00000b7U
#endif

#ifdef AUDIT_ARCH_THIS
static const uint32_t allowed[] = {
	SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_close,
	SYS_ppoll, SYS_recvfrom, SYS_recvmsg, SYS_recvmmsg,
	SYS_sendto, SYS_sendmsg, SYS_sendmmsg, SYS_socket, SYS_connect,
	SYS_bind, SYS_listen, SYS_accept, SYS_accept4, SYS_setsockopt,
	SYS_getsockopt, SYS_getsockname, SYS_getpeername, SYS_shutdown,
	SYS_fcntl, SYS_dup, SYS_dup3, SYS_clock_gettime, SYS_clock_getres,
	SYS_gettimeofday, SYS_nanosleep, SYS_clock_nanosleep, SYS_getpid,
	SYS_gettid, SYS_getrandom, SYS_brk, SYS_mmap, SYS_munmap,
	SYS_mremap, SYS_madvise, SYS_mprotect, SYS_futex,
	SYS_rt_sigprocmask, SYS_rt_sigreturn, SYS_exit, SYS_exit_group,
	SYS_restart_syscall, SYS_sched_yield, SYS_tgkill, SYS_newfstatat,
	SYS_sigaltstack,
	SYS_fstat,
#ifdef SYS_poll
	SYS_poll,
#endif
#ifdef SYS_dup2
	SYS_dup2,
#endif
#ifdef SYS_time
	SYS_time,
#endif
	/* a thread's own set-up in glibc, which aborts when rseq fails: a
	 * thread that starts late (ThreadSanitizer's, started beside the
	 * receiver thread without waiting) runs it under the filter */
#ifdef SYS_rseq
	SYS_rseq,
#endif
#ifdef SYS_set_robust_list
	SYS_set_robust_list,
#endif
};

#define ALLOWED	(sizeof(allowed) / sizeof(allowed[0]))
#define INSNS	(5 + ALLOWED + 2)

struct sock_fprog_k {
	unsigned short len;
	const struct ct_bpf_insn *filter;
};

static struct ct_bpf_insn stmt(uint16_t code, uint32_t k)
{
	return (struct ct_bpf_insn){ code, 0, 0, k };
}

static struct ct_bpf_insn jump(uint16_t code, uint32_t k, uint8_t jt,
			       uint8_t jf)
{
	return (struct ct_bpf_insn){ code, jt, jf, k };
}

int sync_seccomp_build(struct ct_bpf_insn *p, size_t cap)
{
	size_t n = 0, i;

	if (cap < INSNS)
		return -ENOSPC;
	/* the architecture: another one is killed (its numbers differ) */
	p[n++] = stmt(CT_BPF_LD | CT_BPF_W | CT_BPF_ABS, SECCOMP_DATA_ARCH);
	p[n++] = jump(CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, AUDIT_ARCH_THIS, 1,
		      0);
	p[n++] = stmt(CT_BPF_RET | CT_BPF_K, SECCOMP_RET_KILL_PROCESS);
	p[n++] = stmt(CT_BPF_LD | CT_BPF_W | CT_BPF_ABS, SECCOMP_DATA_NR);
	/* x32 numbers on x86_64: refused */
	p[n++] = jump(CT_BPF_JMP | CT_BPF_JSET | CT_BPF_K, X32_SYSCALL_BIT,
		      (uint8_t)ALLOWED, 0);
	for (i = 0; i < ALLOWED; i++)
		p[n++] = jump(CT_BPF_JMP | CT_BPF_JEQ | CT_BPF_K, allowed[i],
			      (uint8_t)(ALLOWED - i), 0);
	p[n++] = stmt(CT_BPF_RET | CT_BPF_K, SECCOMP_RET_ERRNO | EPERM);
	p[n++] = stmt(CT_BPF_RET | CT_BPF_K, SECCOMP_RET_ALLOW);
	return (int)n;
}

int sync_seccomp_apply(void)
{
	struct ct_bpf_insn prog[INSNS];
	struct sock_fprog_k fp;
	int n = sync_seccomp_build(prog, INSNS);
	long rc;

	if (n < 0)
		return n;
	fp.len = (unsigned short)n;
	fp.filter = prog;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (!sync_seccomp_threads()) {
		/* an old kernel: no thread was started (the caller asked) */
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp, 0, 0) < 0)
			return -errno;
		return 0;
	}
	/* on every thread of the process (sync/kernel.h's receiver) */
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		     SECCOMP_FILTER_FLAG_TSYNC, &fp);
	if (rc > 0)
		return -EBUSY;	/* thread @rc could not take it */
	return rc < 0 ? -errno : 0;
}

int sync_seccomp_threads(void)
{
	/* a NULL program: EFAULT once the call and the flag are known,
	 * before anything is checked or applied */
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		       SECCOMP_FILTER_FLAG_TSYNC, NULL) < 0 && errno == EFAULT;
}
#else
int sync_seccomp_build(struct ct_bpf_insn *p, size_t cap)
{
	(void)p;
	(void)cap;
	return -EOPNOTSUPP;
}

int sync_seccomp_apply(void)
{
	return -EOPNOTSUPP;
}

int sync_seccomp_threads(void)
{
	return 1;	/* no filter to apply to them */
}
#endif
