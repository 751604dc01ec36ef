/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_SELFTEST_ST_H
#define CTNL_SELFTEST_ST_H

/*
 * Inside the kernel regression suite: what a scenario sees.
 *
 *   runner (parent)                       one scenario (forked child)
 *   ------------------------------        ------------------------------------
 *   fork, timeout, PDEATHSIG      --->    fresh namespace (ctnl_ns), capture
 *                                         probe -> SKIP + reason
 *                                         setup (rules, traffic, entries)
 *                                         checks (requests through st_talk:
 *                                         every datagram both ways recorded)
 *   result lines over a pipe      <---    "F ...", "S ...", "N net:[...]"
 *   TAP, JUnit, table, captures
 *
 * Every request and every answer of a scenario goes through st_talk()
 * (or the event socket), which writes each datagram to the scenario's
 * capture exactly as sent and received: a failure names the record that
 * shows it, and ctnl replay (or `ctnl selftest --replay`) reproduces it.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctnl/ctnl.h>
#include <ctnl/exp.h>
#include <ctnl/filter.h>
#include <ctnl/stats.h>

#include "ctnl_ns.h"

struct ctnl_pcap_writer;
struct st_ctx;

/* One scenario of the matrix. */
struct st_scenario {
	const char *name;                  /* "proto.tcp.v4.states": family first */
	const char *what;                  /* one line for --list and the report */
	/* Is the kernel feature here?  0: yes; > 0: no, @why says what is
	 * missing (SKIP); < 0: the probe itself failed (FAIL).  NULL: always. */
	int (*probe)(struct st_ctx *c, char *why, size_t len);
	/* Rules, traffic, entries.  < 0: FAIL ("setup: ..." logged). */
	int (*setup)(struct st_ctx *c);
	/* Requests and checks (st_check and friends). */
	void (*check)(struct st_ctx *c);
	unsigned flags;                    /* ST_F_* */
};

#define ST_F_ROUTER 0x01u              /* three namespaces: client -- router (c->ns) -- server (c->peer) */

/* A fault the runner can inject (--inject-fault NAME). */
struct st_fault {
	const char *name;
	const char *scenario;              /* the scenario it changes */
	const char *what;
};

/* The scenario families, each in its own file. */
extern const struct st_scenario st_fam_proto[];   /* sc_proto.c */
extern const struct st_scenario st_fam_nat[];     /* sc_nat.c */
extern const struct st_scenario st_fam_helper[];  /* sc_helper.c */
extern const struct st_scenario st_fam_attr[];    /* sc_attr.c */
extern const struct st_scenario st_fam_events[];  /* sc_events.c */
extern const struct st_scenario st_fam_dump[];    /* sc_dump.c */
extern const struct st_scenario st_fam_errors[];  /* sc_errors.c */
extern const struct st_fault st_faults[];     /* run.c */

/* All answers to one request, as received. */
struct st_reply {
	uint8_t *buf;                      /* every answer message back to back (malloc'd) */
	size_t len, cap;
	unsigned nmsg;                     /* messages other than the final ACK/error/DONE */
	int error;                         /* 0: ACK or DONE; -errno of the NLMSG_ERROR; -ETIMEDOUT: none came */
	int has_nlerr;
	struct ctnl_nlerr nlerr;           /* views into buf (ext-ack message and offset) */
	unsigned first_record;             /* capture record of the first answer */
	unsigned last_record;              /* and of the last one */
	unsigned req_record;               /* capture record of the request */
};

/* A scenario's state. */
struct st_ctx {
	const struct st_scenario *sc;
	struct ctnl_ns *ns;                /* where ctnetlink is spoken */
	struct ctnl_ns *peer;              /* ST_F_ROUTER: the far end (server) */
	struct ctnl_ns *client;            /* ST_F_ROUTER: the near end */
	int nl;                            /* request socket, inside ns */
	uint32_t portid, seq;
	int ev;                            /* event socket, or -1 */
	struct ctnl_pcap_writer *cap;
	unsigned records;                  /* records written so far */
	const char *fault;                 /* injected fault name, or NULL */
	int out;                           /* result pipe to the runner */
	unsigned checks, fails;
	unsigned wait_ms;                  /* > 0: how long st_talk waits for an answer (default 3 s) */
	void *data;                        /* the scenario's own */
};

/* ---- results ---- */

/* Record one check: @ok, described by the format (the expectation). */
void st_check(struct st_ctx *c, int ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* want == got, for integers; @what names the value ("entry.mark"). */
int st_eq(struct st_ctx *c, const char *what, long long want, long long got);
/* An error answer: @want (-errno) against the reply's. */
int st_errno(struct st_ctx *c, const char *what, int want, const struct st_reply *r);
/* The kernel shows a known bug, named by @bug (XFAIL unless something
 * else fails); the format says what was seen. */
void st_known_bug(struct st_ctx *c, const char *bug, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A diagnostic line for the report ("# ..."). */
void st_note(struct st_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* End the scenario as SKIP now (a feature found missing mid-way). */
void st_skip(struct st_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* Is this fault injected? */
int st_fault_on(const struct st_ctx *c, const char *name);
/* The scenario a fault changes ("" for an unknown fault). */
const char *st_fault_target(const char *fault);

/* ---- the wire (wire.c) ---- */

int st_wire_open(struct st_ctx *c);
void st_wire_close(struct st_ctx *c);
/* Send @len bytes as they are (seq and pid filled in unless @raw), collect
 * the answers until DONE or the ACK/error (or @timeout_ms of silence for a
 * request that asks for neither). */
int st_talk(struct st_ctx *c, const void *req, size_t len, int raw, struct st_reply *r);
void st_reply_free(struct st_reply *r);
/* Iterate the answer messages of @r (not the ACK/DONE). */
int st_reply_next(const struct st_reply *r, size_t *pos, const uint8_t **msg, size_t *len);

/* Flags of a create (fails on an existing entry) and of an update or delete. */
#define ST_CREATE (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
#define ST_ACK (NLM_F_REQUEST | NLM_F_ACK)

/* Encode and send a conntrack message of @type (IPCTNL_MSG_CT_*) with @flags. */
int st_ct_talk(struct st_ctx *c, uint8_t type, uint16_t flags, const struct ctnl_ct_msg *m, struct st_reply *r);
int st_exp_talk(struct st_ctx *c, uint8_t type, uint16_t flags, const struct ctnl_exp_msg *m, struct st_reply *r);
/* st_ct_talk, checked: the answer must be @want (0: the ACK); @what names it. */
int st_ct_expect(struct st_ctx *c, const char *what, uint8_t type, uint16_t flags, const struct ctnl_ct_msg *m,
		 int want);

/* Decoded entries of a dump or get, views into the reply. */
struct st_list {
	struct st_reply r;
	struct ctnl_ct_msg *e;
	unsigned n;
	int bad;                           /* messages that did not decode */
};
/* A dump of @kind (IPCTNL_MSG_CT_GET, _GET_CTRZERO, _GET_DYING, _GET_UNCONFIRMED),
 * optionally filtered; family 0 = all.  Return: entries, or -errno. */
int st_dump(struct st_ctx *c, uint8_t kind, uint8_t family, const struct ctnl_filter *f, struct st_list *l);
/* GET of the entry with @m's original tuple (and zone).  Return: 0 or -errno. */
int st_get(struct st_ctx *c, const struct ctnl_ct_msg *m, struct st_list *l);
void st_list_free(struct st_list *l);
/* The first entry whose original tuple has protocol @proto and destination port
 * @dport (0: any), or NULL. */
const struct ctnl_ct_msg *st_find(const struct st_list *l, uint8_t proto, uint16_t dport);

/* Expectations: dump into a list. */
struct st_xlist {
	struct st_reply r;
	struct ctnl_exp_msg *e;
	unsigned n;
};
int st_exp_dump(struct st_ctx *c, uint8_t family, struct st_xlist *l);
void st_xlist_free(struct st_xlist *l);

/* The nl_groups bit of kernel multicast group @n (NFNLGRP_CONNTRACK_*). */
#define ST_GROUP(n) (1u << ((n) - 1))

/* The event socket: join @groups (ST_GROUP bits). */
int st_events_open(struct st_ctx *c, unsigned groups);
/* Read events until @n arrived or @ms of silence; all recorded.  Return: count. */
int st_events_read(struct st_ctx *c, int n, int ms, struct st_reply *r);

/* ---- building messages ---- */

/* A v4 or v6 entry src:sport -> dst:dport of @proto, both tuples, timeout
 * 120, CONFIRMED (and TCP ESTABLISHED).  Addresses decide the family. */
void st_entry(struct ctnl_ct_msg *m, uint8_t proto, const char *src, uint16_t sport, const char *dst,
	      uint16_t dport);
/* A tuple for expectations and filters. */
void st_tuple(struct ctnl_ct_tuple *t, uint8_t proto, const char *src, uint16_t sport, const char *dst,
	      uint16_t dport);

/* ---- namespaces and traffic (net.c) ---- */

/* nft ruleset into c->ns (or @ns).  Return: 0 or -EIO. */
int st_nft(struct st_ctx *c, struct ctnl_ns *ns, const char *ruleset);
/* Run a command inside @ns; its output in *out (optional). */
int st_cmd(struct st_ctx *c, struct ctnl_ns *ns, char **out, const char *argv0, ...) __attribute__((sentinel));
/* veth between @a (10.N.0.1/24, fd00:N::1/64, "ctst<N>a") and @b (.2,
 * "ctst<N>b"), both up.  Return: 0 or -errno. */
int st_link(struct st_ctx *c, struct ctnl_ns *a, struct ctnl_ns *b, int n);
/* A TCP connection @src:sport (in @from) -> @dst:dport (a listener in @to;
 * NULL: c->ns) that exchanged a little data; both ends returned.  A
 * handshake that does not finish within a second (3 s across namespaces) gives -ETIMEDOUT, and
 * the attempt stays open (its entry with it) until the scenario ends. */
int st_tcp(struct st_ctx *c, struct ctnl_ns *from, const char *src, uint16_t sport, struct ctnl_ns *to,
	   const char *dst, uint16_t dport, int *client, int *server);
/* The same, listening on @listen_addr:@listen_port but connecting to
 * @dst:@dport (for destination NAT on the way). */
int st_tcp_to(struct st_ctx *c, struct ctnl_ns *from, const char *src, uint16_t sport, struct ctnl_ns *to,
	      const char *listen_addr, uint16_t listen_port, const char *dst, uint16_t dport, int *client, int *server);
/* Sleep in milliseconds. */
void st_msleep(unsigned ms);
/* Does the kernel release the running one at least @maj.@min? */
int st_kernel_at_least(int maj, int min);
/* Names for messages ("SYN_SENT", "ASSURED|SEEN_REPLY"). */
const char *st_tcp_state(unsigned s);
void st_status_str(uint32_t status, char *buf, size_t len);

/* ---- the runner's entry points (run.c), for selftest.h ---- */

const struct st_scenario *const *st_families(void);

#endif
