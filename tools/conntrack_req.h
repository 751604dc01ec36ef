/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TOOLS_CONNTRACK_REQ_H
#define CTNL_TOOLS_CONNTRACK_REQ_H

/*
 * A parsed conntrack(8)-style command line: what to do (struct ctc_req)
 * and the values given (three struct ctc_obj, as conntrack keeps three
 * template objects: the entry, the expected tuple, the mask).
 *
 * Presence is kept per attribute (CTC_A_*) with the same meaning as
 * libnetfilter_conntrack's attribute bits, because conntrack's
 * userspace filters depend on which attributes a template has: the
 * matcher (conntrack_match.c) compares exactly those.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "conntrack_opts.h"

enum ctc_attr {
	CTC_A_ORIG_L3 = 0, CTC_A_ORIG_SRC, CTC_A_ORIG_DST,
	CTC_A_REPL_L3, CTC_A_REPL_SRC, CTC_A_REPL_DST,
	CTC_A_ORIG_L4, CTC_A_REPL_L4,
	CTC_A_ORIG_SPORT, CTC_A_ORIG_DPORT, CTC_A_REPL_SPORT, CTC_A_REPL_DPORT,
	CTC_A_ICMP_TYPE, CTC_A_ICMP_CODE, CTC_A_ICMP_ID,
	CTC_A_TCP_STATE, CTC_A_SCTP_STATE, CTC_A_DCCP_STATE, CTC_A_DCCP_ROLE,
	CTC_A_VTAG_ORIG, CTC_A_VTAG_REPL,
	CTC_A_TIMEOUT, CTC_A_STATUS, CTC_A_SECMARK, CTC_A_ZONE, CTC_A_ORIG_ZONE, CTC_A_REPL_ZONE,
	CTC_A_ID, CTC_A_SNAT, CTC_A_DNAT, CTC_A_SNAT_PORT, CTC_A_DNAT_PORT,
	CTC_A_TCP_FLAGS,
};
#define CTC_HAS(o, a) (((o)->set >> (a)) & 1u)
#define CTC_SET(o, a) ((o)->set |= 1ull << (a))
#define CTC_CLR(o, a) ((o)->set &= ~(1ull << (a)))

/* One template object (the fields conntrack's options can set). */
struct ctc_obj {
	uint64_t set;                      /* 1 << CTC_A_* */
	uint8_t l3, rl3, l4, rl4;          /* families and protocol numbers */
	uint8_t src[16], dst[16], rsrc[16], rdst[16]; /* by l3 (4 bytes for IPv4) */
	uint8_t snat[16], dnat[16];
	uint16_t sport, dport, rsport, rdport; /* host order */
	uint16_t snat_port, dnat_port;
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id;
	uint8_t state, role;               /* TCP/SCTP/DCCP state, DCCP role */
	uint8_t tcp_flags;
	uint32_t vtag_orig, vtag_repl;
	uint32_t timeout, status, secmark, id;
	uint16_t zone, orig_zone, repl_zone;
};

/* A label bit set (connlabel.conf names to bits). */
struct ctc_labels {
	int set;
	unsigned maxbit;                   /* as conntrack sizes its bitmask */
	uint8_t bits[16];
};

struct ctc_req {
	int command;                       /* enum ctc_cmd; CTC_NCMD: none */
	int table;                         /* enum ctc_table */
	uint32_t options;                  /* CTC_BIT(enum ctc_flag) */
	int family;                        /* AF_UNSPEC, AF_INET, AF_INET6 */
	const struct ctc_proto *proto;     /* -p, or NULL */
	int protonum;
	unsigned l4flags;                  /* the protocol's own option bits */
	unsigned event_mask;               /* CTC_EV_* */
	unsigned output;                   /* CTC_O_* */
	long bufsize;
	struct ctc_obj ct, exptuple, mask;
	uint32_t mark_value, mark_mask;    /* -m */
	uint32_t status_value, status_mask;/* -u as a dump filter: (status & mask) == value */
	int status_filter;
	struct ctc_labels label;           /* -l */
	struct ctc_labels label_modify;    /* --label-add, --label-del LABELS */
	/* network filters made from CIDR or --mask-src/--mask-dst */
	uint8_t net_src[16], net_src_mask[16], net_dst[16], net_dst_mask[16];
	/* ctnl extensions */
	int json;
	const char *netns;
	const char *pcap;
	char *labelmap_path;               /* NULL: /etc/xtables/connlabel.conf */
};

/* The context a command runs in. */
struct ctc_ctx {
	struct ctnl_io *io;
	const char *prog;                  /* "ctnl" */
	struct ctnl_labelmap *labels;      /* loaded when a label option or -o labels needs it */
	int labels_loaded;
};

/* Exit statuses (conntrack's). */
#define CTC_OK 0
#define CTC_OTHER 1
#define CTC_PARAM 2

/**
 * ctc_parse - parse one command line (conntrack_parse.c)
 * @ctx: where errors go
 * @req: filled (reset first)
 * @argc, @argv: the arguments, argv[0] the program; argv may be reordered
 *
 * Errors are printed as conntrack prints them: "PROG: MESSAGE" and, for
 * parameter problems, the "Try `PROG -h'" line.
 *
 * Return: 0; CTC_PARAM (2) or CTC_OTHER (1) after printing the error.
 */
int ctc_parse(struct ctc_ctx *ctx, struct ctc_req *req, int argc, char **argv);

/* Print "PROG vVERSION: message" (and the hint for CTC_PARAM); returns @status. */
int ctc_error(struct ctc_ctx *ctx, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The version string in messages: "ctnl v0.1.0 (conntrack-tools 1.4.7 compatible)". */
extern const char ctc_version[];

/* Load connlabel.conf once; -1 (after printing why) when it is missing. */
int ctc_labels_load(struct ctc_ctx *ctx, const struct ctc_req *req);

#endif
