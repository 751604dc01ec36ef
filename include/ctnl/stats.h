/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_STATS_H
#define CTNL_STATS_H

/*
 * Conntrack statistics, and telling replies apart by the request they
 * answer.
 *
 *   request (user->kernel)               answer (kernel->user)
 *   ---------------------------------    ----------------------------------------
 *   0x0104 CT GET_STATS_CPU, DUMP        0x0104 per CPU, res_id = cpu, CTA_STATS_*
 *   0x0105 CT GET_STATS                  0x0105 once, CTA_STATS_GLOBAL_*
 *   0x0203 EXP GET_STATS_CPU, DUMP       0x0103 (!) per CPU, res_id = cpu, CTA_STATS_EXP_*
 *
 * The kernel answers an expectation per-CPU stats request with subsystem
 * CTNETLINK and type 3 (ctnetlink_exp_stat_fill_info() builds it with
 * nfnl_msg_type(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_EXP_GET_STATS_CPU)):
 * numerically IPCTNL_MSG_CT_GET_CTRZERO.  Nothing in the message says
 * which it is; the request does.  ctnl_msg_classify() takes the request's
 * header for that reason, and documents what it does without one.
 *
 * All counters are BE32 on the wire and host order here; the CPU number is
 * the nfgenmsg res_id (big-endian on the wire, host order in hdr.res_id).
 */

#include <stddef.h>
#include <stdint.h>

#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/attr.h>
#include <ctnl/export.h>
#include <ctnl/msg.h>
#include <ctnl/render.h>

#ifdef __cplusplus
extern "C" {
#endif

/* enum ctattr_stats_cpu, every counter any kernel has sent. */
struct ctnl_stats_cpu {
	uint32_t present;                  /* bit CTA_STATS_* */
	uint32_t searched;                 /* CTA_STATS_SEARCHED (no longer sent) */
	uint32_t found;                    /* CTA_STATS_FOUND */
	uint32_t new_;                     /* CTA_STATS_NEW (no longer sent) */
	uint32_t invalid;                  /* CTA_STATS_INVALID */
	uint32_t ignore;                   /* CTA_STATS_IGNORE (no longer sent) */
	uint32_t delete_;                  /* CTA_STATS_DELETE (no longer sent) */
	uint32_t delete_list;              /* CTA_STATS_DELETE_LIST (no longer sent) */
	uint32_t insert;                   /* CTA_STATS_INSERT */
	uint32_t insert_failed;            /* CTA_STATS_INSERT_FAILED */
	uint32_t drop;                     /* CTA_STATS_DROP */
	uint32_t early_drop;               /* CTA_STATS_EARLY_DROP */
	uint32_t error;                    /* CTA_STATS_ERROR */
	uint32_t search_restart;           /* CTA_STATS_SEARCH_RESTART */
	uint32_t clash_resolve;            /* CTA_STATS_CLASH_RESOLVE (5.11+) */
	uint32_t chain_toolong;            /* CTA_STATS_CHAIN_TOOLONG (5.16+) */
};

/* enum ctattr_expect_stats. */
struct ctnl_stats_exp_cpu {
	uint32_t present;                  /* bit CTA_STATS_EXP_* */
	uint32_t exp_new;                  /* CTA_STATS_EXP_NEW */
	uint32_t exp_create;               /* CTA_STATS_EXP_CREATE */
	uint32_t exp_delete;               /* CTA_STATS_EXP_DELETE */
};

/* enum ctattr_stats_global. */
struct ctnl_stats_global {
	uint32_t present;                  /* bit CTA_STATS_GLOBAL_* */
	uint32_t entries;                  /* CTA_STATS_GLOBAL_ENTRIES */
	uint32_t max_entries;              /* CTA_STATS_GLOBAL_MAX_ENTRIES */
};

/* What kind of statistics a decoded stats message holds. */
enum ctnl_stats_kind {
	CTNL_STATS_CPU = 1,                /* conntrack, per CPU */
	CTNL_STATS_EXP_CPU,                /* expectations, per CPU */
	CTNL_STATS_GLOBAL,                 /* global */
};

/* One decoded stats message, any of the three kinds. */
struct ctnl_stats_msg {
	struct ctnl_msg hdr;
	uint8_t kind;                      /* enum ctnl_stats_kind */
	uint16_t cpu;                      /* hdr.res_id, for the per-CPU kinds */
	union {
		struct ctnl_stats_cpu cpu;
		struct ctnl_stats_exp_cpu exp;
		struct ctnl_stats_global global;
	} u;
	struct ctnl_view raw;              /* the whole message (for unknown counters) */
	struct ctnl_unknowns unknown;
};

/* The classes of message ctnl_msg_classify() tells apart. */
enum ctnl_msg_class {
	CTNL_MC_OTHER = 0,                 /* anything else (other subsystems, NOOP, OVERRUN) */
	CTNL_MC_CT,                        /* a conntrack entry (ctnl_ct_decode) */
	CTNL_MC_EXP,                       /* an expectation (ctnl_exp_decode) */
	CTNL_MC_STATS_CPU,                 /* conntrack per-CPU stats (ctnl_stats_decode, CTNL_STATS_CPU) */
	CTNL_MC_STATS_EXP_CPU,             /* expectation per-CPU stats (CTNL_STATS_EXP_CPU) */
	CTNL_MC_STATS_GLOBAL,              /* global stats (CTNL_STATS_GLOBAL) */
	CTNL_MC_ERROR,                     /* NLMSG_ERROR, ACKs included (ctnl_nlerr_parse) */
	CTNL_MC_DONE,                      /* NLMSG_DONE */
};

/**
 * ctnl_msg_classify - what a message is, given the request it answers
 * @buf: the message, starting at its nlmsghdr
 * @len: bytes available
 * @request: the header of the request this message answers (or, for a
 *           user->kernel message, NULL); may be NULL
 *
 * Only type 0x0103 needs the request: it is a conntrack entry
 * (GET_CTRZERO) unless it answers an expectation GET_STATS_CPU request
 * (type 0x0203), in which case it is CTNL_MC_STATS_EXP_CPU.  An EXP
 * GET_STATS_CPU message itself (0x0203, a request) is CTNL_MC_STATS_EXP_CPU.
 *
 * With @request NULL the rule is fixed and does not depend on anything but
 * the message: a 0x0103 message with NLM_F_REQUEST is a conntrack entry (a
 * GET_CTRZERO request).  Without NLM_F_REQUEST it is expectation stats if
 * every top-level attribute is a 4-byte, non-nested attribute of type 1..3
 * (CTA_STATS_EXP_*), or if it has no attribute at all; otherwise it is a
 * conntrack entry.  (Linux never sends a conntrack entry as 0x0103 -- it
 * answers GET_CTRZERO with 0x0100 -- and a conntrack entry always starts
 * with a nested tuple, so on real traffic both rules agree.)
 *
 * Return: an enum ctnl_msg_class (>= 0), or -EBADMSG if the header is
 * malformed.
 */
CTNL_EXPORT int ctnl_msg_classify(const void *buf, size_t len, const struct ctnl_msg *request);

/**
 * ctnl_stats_desc - the description of one kind of stats message
 * @kind: enum ctnl_stats_kind
 *
 * Return: the top-level table, or NULL for an unknown kind.
 */
CTNL_EXPORT const struct ctnl_nest_desc *ctnl_stats_desc(unsigned kind);

/**
 * ctnl_stats_decode - decode one stats message of a known kind
 * @buf: the message, starting at its nlmsghdr
 * @len: bytes available
 * @kind: enum ctnl_stats_kind, as ctnl_msg_classify() found it
 * @out: filled; reset first
 * @err: optional
 *
 * The type must fit the kind: 0x0104 for CTNL_STATS_CPU, 0x0105 for
 * CTNL_STATS_GLOBAL, 0x0103 or 0x0203 for CTNL_STATS_EXP_CPU (the caller
 * has decided, with ctnl_msg_classify(), that a 0x0103 is stats).
 *
 * Return: 0; -EBADMSG for malformed input; -ENOMSG if the type does not
 * fit @kind; -EINVAL for an unknown @kind.
 */
CTNL_EXPORT int ctnl_stats_decode(const void *buf, size_t len, unsigned kind, struct ctnl_stats_msg *out,
				  struct ctnl_err *err);

/**
 * ctnl_stats_encode - write one stats message (counters in ascending type)
 * @m: header (hdr.res_id is written; @m->cpu is not consulted), kind, counters
 * @buf: destination
 * @cap: its size
 * @out_len: the message length on success
 * @err: optional
 *
 * Return: 0; -ENOSPC; -EINVAL for an unknown kind or a present bit with no
 * attribute behind it.
 */
CTNL_EXPORT int ctnl_stats_encode(const struct ctnl_stats_msg *m, void *buf, size_t cap, size_t *out_len,
				  struct ctnl_err *err);

/**
 * ctnl_stats_snprintf - the line conntrack(8) 1.4.7 prints for a stats message
 * @buf: output, always NUL-terminated when @len > 0; no newline
 * @len: size of @buf
 * @m: the decoded message
 *
 * CTNL_STATS_CPU: the `conntrack -S` line, "cpu=%-4u\t" then "name=N " for
 * each counter present, in type order, counters 16..19 of a newer kernel as
 * "unknown1=" .. "unknown4=" (the trailing blank is kept, as conntrack
 * prints it).  CTNL_STATS_EXP_CPU: the `conntrack -S expect` line.
 * CTNL_STATS_GLOBAL: the `conntrack -C` line, the entry count as a signed
 * decimal, or nothing when the message has no CTA_STATS_GLOBAL_ENTRIES.
 *
 * Return: the length the full line needs, as snprintf.
 */
CTNL_EXPORT int ctnl_stats_snprintf(char *buf, size_t len, const struct ctnl_stats_msg *m);

/**
 * ctnl_stats_json - one JSON object for a stats message (docs/expect-stats.md)
 *
 * Return: the length the full object needs, as snprintf.
 */
CTNL_EXPORT int ctnl_stats_json(char *buf, size_t len, const struct ctnl_stats_msg *m);

#ifdef __cplusplus
}
#endif

#endif
