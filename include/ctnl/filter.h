/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_FILTER_H
#define CTNL_FILTER_H

/*
 * Dump and flush requests with kernel-side filters (IPCTNL_MSG_CT_GET
 * with NLM_F_DUMP, IPCTNL_MSG_CT_DELETE without a tuple):
 *
 *   nlmsghdr | nfgenmsg{family} | [CTA_TUPLE_ORIG{flagged fields}]
 *            | [CTA_TUPLE_REPLY{flagged fields}] | [CTA_ZONE] | [CTA_STATUS]
 *            | [CTA_MARK] | [CTA_MARK_MASK] | [CTA_STATUS_MASK]
 *            | [CTA_FILTER{ORIG_FLAGS u32, REPLY_FLAGS u32}]   (host order)
 *
 * The kernel matches (mark & mask) == mark value, (status & mask) ==
 * status value, the zone, and the tuple fields the CTA_FILTER flags
 * name.  It honours the family of a flush only when CTA_FILTER is
 * present, so every request with a family carries one (with flags 0
 * when no tuple field is filtered): a flush of AF_INET never touches
 * IPv6 entries.  A kernel without CTA_FILTER (before 5.8) refuses the
 * request instead of flushing everything.
 */

#include <stddef.h>
#include <stdint.h>

#include <ctnl/attr.h>
#include <ctnl/ct.h>
#include <ctnl/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/* CTA_FILTER_ORIG_FLAGS / _REPLY_FLAGS bits (kernel-internal
 * CTA_FILTER_F_* of net/netfilter/nf_internals.h, not UAPI). */
#define CTNL_FILTER_F_IP_SRC       (1u << 0)
#define CTNL_FILTER_F_IP_DST       (1u << 1)
#define CTNL_FILTER_F_TUPLE_ZONE   (1u << 2)
#define CTNL_FILTER_F_PROTO_NUM    (1u << 3)
#define CTNL_FILTER_F_SRC_PORT     (1u << 4)
#define CTNL_FILTER_F_DST_PORT     (1u << 5)
#define CTNL_FILTER_F_ICMP_TYPE    (1u << 6)
#define CTNL_FILTER_F_ICMP_CODE    (1u << 7)
#define CTNL_FILTER_F_ICMP_ID      (1u << 8)
#define CTNL_FILTER_F_ICMPV6_TYPE  (1u << 9)
#define CTNL_FILTER_F_ICMPV6_CODE  (1u << 10)
#define CTNL_FILTER_F_ICMPV6_ID    (1u << 11)
#define CTNL_FILTER_F_ALL          0xfffu

/* ctnl_filter.has */
#define CTNL_FILTER_HAS_MARK   0x01u
#define CTNL_FILTER_HAS_STATUS 0x02u
#define CTNL_FILTER_HAS_ZONE   0x04u
/* Linux 5.8 to 6.18 at least invert CTA_FILTER's IPv6 address match
 * (every entry but the matching ones comes back, or is flushed), so an
 * IPv6 address flag is refused with -EOPNOTSUPP unless this bit asks for
 * the request as written: for kernel tests, or a kernel known fixed. */
#define CTNL_FILTER_RAW_V6_ADDR 0x08u

enum ctnl_filter_op {
	CTNL_FILTER_DUMP = 0,              /* IPCTNL_MSG_CT_GET, NLM_F_REQUEST|NLM_F_DUMP */
	CTNL_FILTER_FLUSH = 1,             /* IPCTNL_MSG_CT_DELETE, NLM_F_REQUEST|NLM_F_ACK */
};

struct ctnl_filter {
	uint8_t family;                    /* AF_UNSPEC (all), AF_INET or AF_INET6 */
	uint8_t has;                       /* CTNL_FILTER_HAS_* */
	uint32_t mark, mark_mask;          /* HAS_MARK: (mark & mark_mask) == mark */
	uint32_t status, status_mask;      /* HAS_STATUS: (status & status_mask) == status */
	uint16_t zone;                     /* HAS_ZONE: CTA_ZONE (a dump filter since Linux 6.8) */
	uint32_t orig_flags, reply_flags;  /* CTNL_FILTER_F_* */
	/* The values of the flagged fields; present bits are ignored, the
	 * flags say which fields count.  Addresses by family (v4_* or v6_*). */
	struct ctnl_ct_tuple orig, reply;
};

/**
 * ctnl_filter_build - a dump or flush request as a message struct
 * @f: the filter
 * @op: CTNL_FILTER_DUMP or CTNL_FILTER_FLUSH
 * @seq: nlmsg_seq
 * @out: filled (reset first); encode it with ctnl_ct_encode()
 * @err: optional
 *
 * Return: 0; -EINVAL for a filter the kernel would refuse or silently
 * ignore: flags outside CTNL_FILTER_F_ALL, tuple flags without a family
 * (AF_INET or AF_INET6), port or ICMP flags without CTNL_FILTER_F_PROTO_NUM,
 * port flags for a protocol other than TCP and UDP (the kernel compares
 * ports only for those), ICMP flags for another protocol than 1, ICMPv6
 * flags for another than 58, TUPLE_ZONE with HAS_ZONE or in both tuples,
 * a status mask of 0, or value bits outside their mask (never matches);
 * -EAFNOSUPPORT for a family other than AF_UNSPEC, AF_INET, AF_INET6.
 */
CTNL_EXPORT int ctnl_filter_build(const struct ctnl_filter *f, enum ctnl_filter_op op, uint32_t seq,
				  struct ctnl_ct_msg *out, struct ctnl_err *err);

/**
 * ctnl_filter_encode - ctnl_filter_build() then ctnl_ct_encode()
 * @buf: destination
 * @cap: its size
 * @out_len: the message length
 *
 * Return: as ctnl_filter_build(), plus -ENOSPC.
 */
CTNL_EXPORT int ctnl_filter_encode(const struct ctnl_filter *f, enum ctnl_filter_op op, uint32_t seq, void *buf,
				   size_t cap, size_t *out_len, struct ctnl_err *err);

#ifdef __cplusplus
}
#endif

#endif
