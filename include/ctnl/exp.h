/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_EXP_H
#define CTNL_EXP_H

/*
 * Expectations (subsystem NFNL_SUBSYS_CTNETLINK_EXP, message types NEW,
 * GET, DELETE; GET_STATS_CPU is in ctnl/stats.h).
 *
 *   one expectation message:
 *
 *   +-----------------+----------------+-------------------------------------+
 *   | struct nlmsghdr | struct nfgenmsg| CTA_EXPECT_* attributes             |
 *   | (16 B)          | family = l3num | TUPLE, MASK, MASTER: tuple nests    |
 *   |                 | res_id 0 (4 B) | NAT {DIR, TUPLE}, TIMEOUT, ID, ...  |
 *   +-----------------+----------------+-------------------------------------+
 *   nlmsg_type = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_*
 *
 * Dumps and events carry, in this order (Linux 6.18): TUPLE, MASK, MASTER,
 * [NAT], TIMEOUT, ID, FLAGS, CLASS, [HELP_NAME], [FN].  ZONE is only ever
 * sent by user space.  The three tuples reuse struct ctnl_ct_tuple and the
 * conntrack tuple description, so "tuple.proto.dst-port" names the same
 * thing in both subsystems.
 *
 * Ownership is as for conntrack entries (ctnl/ct.h): the caller owns the
 * struct, strings are views into the caller's buffer, a value counts only
 * when its bit is set in the "present" member of the struct holding it.
 */

#include <stddef.h>
#include <stdint.h>

#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/attr.h>
#include <ctnl/ct.h>
#include <ctnl/export.h>
#include <ctnl/msg.h>
#include <ctnl/render.h>

#ifdef __cplusplus
extern "C" {
#endif

/* CTA_EXPECT_FLAGS bits (NF_CT_EXPECT_*; the kernel accepts mask 0x7). */
#define CTNL_EXP_F_PERMANENT 0x1u
#define CTNL_EXP_F_INACTIVE  0x2u
#define CTNL_EXP_F_USERSPACE 0x4u

struct ctnl_exp_nat {                  /* CTA_EXPECT_NAT */
	uint32_t present;
	uint32_t dir;                      /* CTA_EXPECT_NAT_DIR: 0 original, 1 reply */
	struct ctnl_ct_tuple tuple;        /* CTA_EXPECT_NAT_TUPLE: saved source address and port */
};

/* Every attribute of enum ctattr_expect as of Linux 6.18. */
struct ctnl_exp {
	uint32_t present;                  /* bit CTA_EXPECT_* */
	struct ctnl_ct_tuple master;       /* CTA_EXPECT_MASTER: the master's original tuple */
	struct ctnl_ct_tuple tuple;        /* CTA_EXPECT_TUPLE: the expected connection */
	struct ctnl_ct_tuple mask;         /* CTA_EXPECT_MASK: which bits of tuple must match */
	uint32_t timeout;                  /* CTA_EXPECT_TIMEOUT, seconds */
	uint32_t id;                       /* CTA_EXPECT_ID */
	struct ctnl_view helper;           /* CTA_EXPECT_HELP_NAME, without its NUL (at most 15 bytes) */
	uint16_t zone;                     /* CTA_EXPECT_ZONE (requests) */
	uint32_t flags;                    /* CTA_EXPECT_FLAGS, CTNL_EXP_F_* */
	uint32_t exp_class;                /* CTA_EXPECT_CLASS */
	struct ctnl_exp_nat nat;           /* CTA_EXPECT_NAT */
	struct ctnl_view fn;               /* CTA_EXPECT_FN, e.g. "nat-follow-master" */
};

/* One decoded expectation message. */
struct ctnl_exp_msg {
	struct ctnl_msg hdr;
	struct ctnl_exp exp;
	uint8_t order[CTA_EXPECT_MAX + 1]; /* top-level types in the order received */
	uint8_t norder;                    /* 0 when built by hand: encode uses the kernel's dump order */
	struct ctnl_unknowns unknown;
};

/**
 * ctnl_exp_desc - the description of an expectation message's attributes
 *
 * Return: the top-level table (enum ctattr_expect); the tuple nests are the
 * conntrack ones.
 */
CTNL_EXPORT const struct ctnl_nest_desc *ctnl_exp_desc(void);

/**
 * ctnl_exp_is_entry_type - does this nlmsg_type carry an expectation?
 * @nlmsg_type: the full 16-bit type
 *
 * Return: 1 for CTNETLINK_EXP NEW, GET and DELETE; 0 otherwise (also for
 * EXP GET_STATS_CPU, whose answers are not expectations).
 */
CTNL_EXPORT int ctnl_exp_is_entry_type(uint16_t nlmsg_type);

/**
 * ctnl_exp_init - reset a message to "nothing present"
 */
CTNL_EXPORT void ctnl_exp_init(struct ctnl_exp_msg *m);

/**
 * ctnl_exp_decode - decode one expectation message
 * @buf: the message, starting at its nlmsghdr
 * @len: bytes available at @buf
 * @out: filled; reset first.  Views point into @buf
 * @err: optional; filled on failure (offsets relative to @buf)
 *
 * Return: 0; -EBADMSG for malformed input (what was decoded before the
 * fault stays in @out); -ENOMSG if the type is not an expectation type.
 */
CTNL_EXPORT int ctnl_exp_decode(const void *buf, size_t len, struct ctnl_exp_msg *out, struct ctnl_err *err);

/**
 * ctnl_exp_encode - write one expectation message
 * @m: header and expectation (hdr.len is computed; the rest is written as
 *     given).  Top-level attributes go out in @m->order when @m->norder is
 *     set, else in the kernel's dump order, then ZONE
 * @buf: destination
 * @cap: its size
 * @out_len: the message length on success
 * @err: optional
 *
 * Return: 0; -ENOSPC if @cap is too small; -EINVAL if a string is too long
 * or holds a NUL, or a present bit has no attribute behind it.
 */
CTNL_EXPORT int ctnl_exp_encode(const struct ctnl_exp_msg *m, void *buf, size_t cap, size_t *out_len,
				struct ctnl_err *err);

/**
 * ctnl_exp_snprintf - the line conntrack(8) 1.4.7 prints for an expectation
 * @buf: output, always NUL-terminated when @len > 0; no newline
 * @len: size of @buf
 * @m: the decoded message
 * @o: options; only CTNL_OUT_EVENT is used (the "    [NEW] " column of
 *     `conntrack -E expect`).  NULL: `conntrack -L expect`
 *
 * As libnetfilter_conntrack 1.0.9: timeout, proto, the expected tuple,
 * the mask (mask-src/mask-dst), the master (master-src/master-dst), zone,
 * the flags PERMANENT,INACTIVE,USERSPACE, class and helper.  NAT, FN and
 * ID are not printed there (see ctnl_exp_json()).
 *
 * Return: the length the full line needs, as snprintf.
 */
CTNL_EXPORT int ctnl_exp_snprintf(char *buf, size_t len, const struct ctnl_exp_msg *m,
				  const struct ctnl_render_opts *o);

/**
 * ctnl_exp_json - one JSON object for an expectation (docs/expect-stats.md)
 * @buf: output, always NUL-terminated when @len > 0; no newline
 * @len: size of @buf
 * @m: the decoded message
 * @o: options (CTNL_OUT_EVENT forces the event reading); NULL for defaults
 *
 * Return: the length the full object needs, as snprintf.
 */
CTNL_EXPORT int ctnl_exp_json(char *buf, size_t len, const struct ctnl_exp_msg *m,
			      const struct ctnl_render_opts *o);

#ifdef __cplusplus
}
#endif

#endif
