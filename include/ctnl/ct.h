/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_CT_H
#define CTNL_CT_H

/*
 * Conntrack entries (subsystem NFNL_SUBSYS_CTNETLINK, message types NEW,
 * GET, DELETE, GET_CTRZERO, GET_DYING, GET_UNCONFIRMED).
 *
 *   one ctnetlink message:
 *
 *   +-------------------+----------------+--------------------------------+
 *   | struct nlmsghdr   | struct nfgenmsg| attributes (CTA_*), each       |
 *   | len type flags    | family version | 4-byte aligned, nests inside   |
 *   | seq pid  (16 B)   | res_id   (4 B) |                                |
 *   +-------------------+----------------+--------------------------------+
 *   nlmsg_type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_*
 *
 * Decoding fills a struct ctnl_ct_msg the caller owns.  Integers are
 * stored in host order; addresses as the 4 or 16 bytes of the wire
 * (network order); strings and blobs as views into the caller's buffer,
 * valid for as long as that buffer is.  A value is meaningful only when
 * its bit is set in the "present" member of the struct that holds it:
 * ctnl_has(&m->ct.orig.proto, CTA_PROTO_DST_PORT).
 */

#include <stddef.h>
#include <stdint.h>

#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/attr.h>
#include <ctnl/export.h>
#include <ctnl/msg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Newer than the 6.1 UAPI headers Debian 12 ships (Linux 6.14+). */
#define CTNL_CTA_TIMESTAMP_EVENT 27
#define CTNL_CTA_MAX 27

#define ctnl_has(nest, type) ((((nest)->present) >> (type)) & 1u)

struct ctnl_ct_ip {                    /* CTA_TUPLE_IP */
	uint32_t present;
	uint8_t v4_src[4], v4_dst[4];      /* CTA_IP_V4_SRC, CTA_IP_V4_DST */
	uint8_t v6_src[16], v6_dst[16];    /* CTA_IP_V6_SRC, CTA_IP_V6_DST */
};

struct ctnl_ct_proto {                 /* CTA_TUPLE_PROTO */
	uint32_t present;
	uint8_t num;                       /* CTA_PROTO_NUM */
	uint16_t src_port, dst_port;       /* CTA_PROTO_SRC_PORT, _DST_PORT (also GRE keys' low half are not used) */
	uint16_t icmp_id;                  /* CTA_PROTO_ICMP_ID */
	uint8_t icmp_type, icmp_code;      /* CTA_PROTO_ICMP_TYPE, _CODE */
	uint16_t icmpv6_id;                /* CTA_PROTO_ICMPV6_ID */
	uint8_t icmpv6_type, icmpv6_code;  /* CTA_PROTO_ICMPV6_TYPE, _CODE */
};

struct ctnl_ct_tuple {                 /* CTA_TUPLE_ORIG, _REPLY, _MASTER */
	uint32_t present;
	struct ctnl_ct_ip ip;              /* CTA_TUPLE_IP */
	struct ctnl_ct_proto proto;        /* CTA_TUPLE_PROTO */
	uint16_t zone;                     /* CTA_TUPLE_ZONE (directional zones) */
};

struct ctnl_ct_tcpflags {              /* struct nf_ct_tcp_flags */
	uint8_t flags;
	uint8_t mask;
};

struct ctnl_ct_tcp {                   /* CTA_PROTOINFO_TCP */
	uint32_t present;
	uint8_t state;                     /* enum tcp_conntrack */
	uint8_t wscale_orig, wscale_reply;
	struct ctnl_ct_tcpflags flags_orig, flags_reply;
};

struct ctnl_ct_dccp {                  /* CTA_PROTOINFO_DCCP */
	uint32_t present;
	uint8_t state, role;
	uint64_t handshake_seq;
};

struct ctnl_ct_sctp {                  /* CTA_PROTOINFO_SCTP */
	uint32_t present;
	uint8_t state;
	uint32_t vtag_orig, vtag_reply;
};

struct ctnl_ct_protoinfo {             /* CTA_PROTOINFO */
	uint32_t present;
	struct ctnl_ct_tcp tcp;
	struct ctnl_ct_dccp dccp;
	struct ctnl_ct_sctp sctp;
};

struct ctnl_ct_help {                  /* CTA_HELP */
	uint32_t present;
	struct ctnl_view name;             /* CTA_HELP_NAME, without its NUL */
	struct ctnl_view info;             /* CTA_HELP_INFO, binary */
};

struct ctnl_ct_protonat {              /* CTA_NAT_PROTO */
	uint32_t present;
	uint16_t port_min, port_max;
};

struct ctnl_ct_nat {                   /* CTA_NAT_SRC, CTA_NAT_DST */
	uint32_t present;
	uint8_t v4_min[4], v4_max[4];
	struct ctnl_ct_protonat proto;
	uint8_t v6_min[16], v6_max[16];
};

struct ctnl_ct_counters {              /* CTA_COUNTERS_ORIG, _REPLY */
	uint32_t present;
	uint64_t packets, bytes;           /* CTA_COUNTERS_PACKETS, _BYTES */
	uint32_t packets32, bytes32;       /* CTA_COUNTERS32_PACKETS, _BYTES (old kernels) */
};

struct ctnl_ct_seqadj {                /* CTA_SEQ_ADJ_ORIG, _REPLY */
	uint32_t present;
	uint32_t correction_pos, offset_before, offset_after;
};

struct ctnl_ct_secctx {                /* CTA_SECCTX */
	uint32_t present;
	struct ctnl_view name;
};

struct ctnl_ct_tstamp {                /* CTA_TIMESTAMP, nanoseconds since the epoch */
	uint32_t present;
	uint64_t start, stop;
};

struct ctnl_ct_synproxy {              /* CTA_SYNPROXY */
	uint32_t present;
	uint32_t isn, its, tsoff;
};

struct ctnl_ct_filter {                /* CTA_FILTER (dump and flush requests) */
	uint32_t present;
	uint32_t orig_flags, reply_flags;  /* host order: the kernel reads them with nla_get_u32 */
};

/* Every attribute of enum ctattr_type as of Linux 6.18. */
struct ctnl_ct {
	uint32_t present;                  /* bit CTA_* */
	struct ctnl_ct_tuple orig;         /* CTA_TUPLE_ORIG */
	struct ctnl_ct_tuple reply;        /* CTA_TUPLE_REPLY */
	uint32_t status;                   /* CTA_STATUS, enum ip_conntrack_status bits */
	struct ctnl_ct_protoinfo protoinfo;/* CTA_PROTOINFO */
	struct ctnl_ct_help help;          /* CTA_HELP */
	struct ctnl_ct_nat nat_src;        /* CTA_NAT_SRC (requests only) */
	uint32_t timeout;                  /* CTA_TIMEOUT, seconds */
	uint32_t mark;                     /* CTA_MARK */
	struct ctnl_ct_counters counters_orig;  /* CTA_COUNTERS_ORIG */
	struct ctnl_ct_counters counters_reply; /* CTA_COUNTERS_REPLY */
	uint32_t use;                      /* CTA_USE */
	uint32_t id;                       /* CTA_ID */
	struct ctnl_ct_nat nat_dst;        /* CTA_NAT_DST (requests only) */
	struct ctnl_ct_tuple master;       /* CTA_TUPLE_MASTER */
	struct ctnl_ct_seqadj seqadj_orig; /* CTA_SEQ_ADJ_ORIG */
	struct ctnl_ct_seqadj seqadj_reply;/* CTA_SEQ_ADJ_REPLY */
	uint32_t secmark;                  /* CTA_SECMARK (obsolete) */
	uint16_t zone;                     /* CTA_ZONE */
	struct ctnl_ct_secctx secctx;      /* CTA_SECCTX */
	struct ctnl_ct_tstamp timestamp;   /* CTA_TIMESTAMP */
	uint32_t mark_mask;                /* CTA_MARK_MASK */
	struct ctnl_view labels;           /* CTA_LABELS: host-order bitmap, up to 16 bytes */
	struct ctnl_view labels_mask;      /* CTA_LABELS_MASK */
	struct ctnl_ct_synproxy synproxy;  /* CTA_SYNPROXY */
	struct ctnl_ct_filter filter;      /* CTA_FILTER */
	uint32_t status_mask;              /* CTA_STATUS_MASK */
	uint64_t timestamp_event;          /* CTA_TIMESTAMP_EVENT (type 27), nanoseconds */
};

/* One decoded conntrack message. */
struct ctnl_ct_msg {
	struct ctnl_msg hdr;               /* nlmsghdr and nfgenmsg */
	struct ctnl_ct ct;
	uint8_t order[CTNL_CTA_MAX + 1];   /* top-level types in the order received */
	uint8_t norder;                    /* 0 when built by hand: encode uses the kernel's dump order */
	struct ctnl_unknowns unknown;
};

/**
 * ctnl_ct_desc - the description of a conntrack message's attributes
 *
 * Return: the top-level table (enum ctattr_type); its nests hang from it.
 */
CTNL_EXPORT const struct ctnl_nest_desc *ctnl_ct_desc(void);

/**
 * ctnl_ct_is_entry_type - does this nlmsg_type carry a conntrack entry?
 * @nlmsg_type: the full 16-bit type
 *
 * Return: 1 for CTNETLINK NEW, GET, DELETE, GET_CTRZERO, GET_DYING and
 * GET_UNCONFIRMED; 0 otherwise.  Note that the kernel answers an
 * expectation per-CPU stats request with CTNETLINK type 3 too: a reply
 * must be judged by the request it answers.
 */
CTNL_EXPORT int ctnl_ct_is_entry_type(uint16_t nlmsg_type);

/**
 * ctnl_ct_decode - decode one conntrack message
 * @buf: the message, starting at its nlmsghdr
 * @len: bytes available at @buf (the message may be shorter)
 * @out: filled; reset first.  Views point into @buf
 * @err: optional; filled on failure (offsets relative to @buf)
 *
 * Everything decoded before a fault stays in @out.  Unknown attributes
 * are kept in @out->unknown and are not an error.
 *
 * Return: 0; -EBADMSG for malformed input (bad length, truncation, nesting
 * too deep, trailing bytes); -ENOMSG if the message is not a conntrack
 * entry type.
 */
CTNL_EXPORT int ctnl_ct_decode(const void *buf, size_t len, struct ctnl_ct_msg *out,
			       struct ctnl_err *err);

/*
 * A conntrack decoder with a memory of layouts.  A dump or a capture
 * repeats a few layouts (a UDP entry, a TCP entry with protoinfo, ...)
 * many thousands of times; after the first of each, a message whose
 * attribute headers are the same words at the same offsets is decoded
 * by copying its values, without walking the description again.  The
 * result is the same as ctnl_ct_decode's in every field, error or not.
 * Caller-owned, about 35 KiB; one per thread of decoding.
 */
#define CTNL_CT_SHAPES 32

struct ctnl_ct_decoder {
	uint64_t key[CTNL_CT_SHAPES];      /* per slot: length and first header, a quick filter */
	struct ctnl_shape shape[CTNL_CT_SHAPES];
	uint32_t next;                     /* the slot the next new layout takes */
	uint32_t credit;                   /* learning is paid for by hits (see ct.c) */
	uint64_t hits;                     /* messages decoded from a kept layout */
	uint64_t misses;                   /* messages the full walk decoded */
};

/**
 * ctnl_ct_decoder_init - forget every layout
 */
CTNL_EXPORT void ctnl_ct_decoder_init(struct ctnl_ct_decoder *dec);

/**
 * ctnl_ct_decode_with - ctnl_ct_decode, through a decoder's layouts
 * @dec: initialised with ctnl_ct_decoder_init; learns the message's
 *       layout when the full walk decodes it with nothing unusual (no
 *       unknown or repeated attribute)
 * @buf, @len, @out, @err: as for ctnl_ct_decode, with the same results
 *
 * Return: as ctnl_ct_decode.
 */
CTNL_EXPORT int ctnl_ct_decode_with(struct ctnl_ct_decoder *dec, const void *buf, size_t len,
				    struct ctnl_ct_msg *out, struct ctnl_err *err);

/**
 * ctnl_ct_encode - write one conntrack message
 * @m: header and entry.  hdr.len is ignored (computed), hdr.type, flags,
 *     seq, pid, family, version and res_id are written as given.  Top-level
 *     attributes go out in @m->order when @m->norder is set, else in the
 *     kernel's dump order; nested ones in ascending type
 * @buf: destination
 * @cap: its size
 * @out_len: the message length on success
 * @err: optional
 *
 * Return: 0; -ENOSPC if @cap is too small (nothing useful in @buf);
 * -EINVAL if a view is longer than its attribute allows.
 */
CTNL_EXPORT int ctnl_ct_encode(const struct ctnl_ct_msg *m, void *buf, size_t cap, size_t *out_len,
			       struct ctnl_err *err);

/**
 * ctnl_ct_init - reset a message to "nothing present"
 */
CTNL_EXPORT void ctnl_ct_init(struct ctnl_ct_msg *m);

#ifdef __cplusplus
}
#endif

#endif
