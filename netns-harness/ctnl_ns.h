/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_NS_H
#define CTNL_NS_H

/*
 * Throwaway network namespaces for live tests, in C (the shell side is
 * ctnl-ns.sh).
 *
 * A namespace is made with unshare(CLONE_NEWNET) on the calling thread,
 * which then returns to its own namespace at once; the new one lives as
 * long as the descriptor in struct ctnl_ns (and the processes inside).
 * It has no name under /run/netns and nothing global refers to it, so
 * when a test ends, fails or crashes the kernel removes it: the fd goes
 * with the process and every helper process dies with its parent
 * (PR_SET_PDEATHSIG).  ctnl_ns_destroy does the same in order.
 *
 *   struct ctnl_ns *ns;
 *   ctnl_ns_require_or_skip();               // exit 77 + reason if impossible
 *   ctnl_ns_create(&ns);                     // lo up, conntrack on (nft)
 *   int fd = ctnl_ns_socket(ns, AF_INET, SOCK_STREAM, 0);   // a socket inside
 *   ctnl_ns_tcp(ns, "127.0.0.1", 80, 1);     // real traffic
 *   char *out; ctnl_ns_run(ns, &out, "conntrack", "-L", NULL);
 *   ctnl_ns_destroy(ns);
 *
 * These are test helpers: they may print to stderr and exit 77 to skip.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CTNL_NS_SKIP 77
#define CTNL_NS_MAX_PIDS 16

struct ctnl_ns {
	int fd;                            /* the namespace (O_RDONLY of its nsfs inode) */
	pid_t pids[CTNL_NS_MAX_PIDS];      /* helper processes still running inside */
	unsigned npids;
	int keep[CTNL_NS_MAX_PIDS];        /* server ends of kept-open connections */
	unsigned nkeep;
	char path[64];                     /* /proc/<pid>/fd/<fd>: a path for tools and options */
};

/**
 * ctnl_ns_why_not - can live tests run here?
 * @why: filled with the reason when not
 * Return: 0 yes; -1 no.
 */
int ctnl_ns_why_not(char *why, size_t len, const char *const *tools);

/* ctnl_ns_why_not, and on "no" print "SKIP: reason" and exit 77. */
void ctnl_ns_require_or_skip(const char *const *tools);

/**
 * ctnl_ns_create - a fresh namespace with lo up and conntrack turned on
 * (an inet table with "ct state new" rules, as ctnl-ns.sh does)
 * Return: 0; -errno.
 */
int ctnl_ns_create(struct ctnl_ns **out);

/* Kill the helpers, close the namespace.  NULL is fine. */
void ctnl_ns_destroy(struct ctnl_ns *ns);

/* Switch the calling thread into the namespace and back (returns the
 * fd of the original namespace for ctnl_ns_leave). */
int ctnl_ns_enter(const struct ctnl_ns *ns);
int ctnl_ns_leave(int saved);

/* A socket made inside the namespace (later I/O stays there). */
int ctnl_ns_socket(const struct ctnl_ns *ns, int domain, int type, int protocol);

/**
 * ctnl_ns_run - run a program inside the namespace, wait for it
 * @out: optional; its stdout (and stderr), malloc'd, NUL-terminated
 * @input: optional; written to its stdin
 * @argv0...: the program and its arguments, NULL-terminated
 * Return: its exit status (0..255); 128+signal; -errno.
 */
int ctnl_ns_run(struct ctnl_ns *ns, char **out, const char *input, const char *argv0, ...)
	__attribute__((sentinel));

/* Load an nft ruleset.  Return: 0; -1 (nft failed; its output on stderr). */
int ctnl_ns_nft(struct ctnl_ns *ns, const char *ruleset);

/* Write a sysctl inside the namespace ("net/netfilter/nf_conntrack_acct", "1"). */
int ctnl_ns_sysctl(struct ctnl_ns *ns, const char *key, const char *value);

/* Start a program in the background inside the namespace; killed by
 * ctnl_ns_destroy (or by the kernel when the test dies). */
pid_t ctnl_ns_spawn(struct ctnl_ns *ns, const char *const *argv);

/* ---- traffic generators (addresses as text, IPv4 or IPv6) ---- */

/* TCP: listen on dst:dport, connect from src:sport (0: any), exchange a
 * little data, accept, then close (close != 0) or keep both ends open
 * and return the client fd (the caller closes it). */
int ctnl_ns_tcp(struct ctnl_ns *ns, const char *src, uint16_t sport, const char *dst, uint16_t dport, int close_it);

/* UDP: n datagrams src:sport -> dst:dport; with an echo socket bound on dst
 * when reply != 0 (the entry is then ASSURED-able / replied). */
int ctnl_ns_udp(struct ctnl_ns *ns, const char *src, uint16_t sport, const char *dst, uint16_t dport, int n,
		int reply);

/* ICMP or ICMPv6 echo request(s) with identifier id; waits for replies. */
int ctnl_ns_ping(struct ctnl_ns *ns, const char *dst, uint16_t id, int n);

/* SCTP association to dst:dport (a listener is made there).
 * Return: 0; -EPROTONOSUPPORT without SCTP in the kernel. */
int ctnl_ns_sctp(struct ctnl_ns *ns, const char *dst, uint16_t dport);

#endif
