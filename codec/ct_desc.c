/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The conntrack attribute description: every nest of enum ctattr_type as
 * of Linux 6.18 (include/uapi/linux/netfilter/nfnetlink_conntrack.h), with
 * the lengths of the kernel's policies in nf_conntrack_netlink.c.  Adding
 * an attribute means adding one line here and one field in ctnl/ct.h.
 */
#include <stddef.h>

#include <ctnl/ct.h>

#include "ct_desc.h"
#include "internal.h"

#define ATTR(T, NAME, KIND, FMT, LEN, STRUCT, FIELD, NEST, FLAGS) \
	[T] = { NAME, #T, KIND, FMT, FLAGS, LEN, (uint16_t)offsetof(STRUCT, FIELD), NEST }
#define NEST(NAME, STRUCT, ATTRS, ORDER, NORDER) \
	{ NAME, (uint16_t)(sizeof(ATTRS) / sizeof((ATTRS)[0]) - 1), (uint16_t)sizeof(STRUCT), ATTRS, ORDER, NORDER }

/* ---- tuples ---- */

static const struct ctnl_attr_desc ip_attrs[] = {
	ATTR(CTA_IP_V4_SRC, "v4-src", CTNL_K_FIXED, CTNL_FMT_IPV4, 4, struct ctnl_ct_ip, v4_src, NULL, 0),
	ATTR(CTA_IP_V4_DST, "v4-dst", CTNL_K_FIXED, CTNL_FMT_IPV4, 4, struct ctnl_ct_ip, v4_dst, NULL, 0),
	ATTR(CTA_IP_V6_SRC, "v6-src", CTNL_K_FIXED, CTNL_FMT_IPV6, 16, struct ctnl_ct_ip, v6_src, NULL, 0),
	ATTR(CTA_IP_V6_DST, "v6-dst", CTNL_K_FIXED, CTNL_FMT_IPV6, 16, struct ctnl_ct_ip, v6_dst, NULL, 0),
};
static const struct ctnl_nest_desc ip_desc = NEST("ip", struct ctnl_ct_ip, ip_attrs, NULL, 0);

static const struct ctnl_attr_desc proto_attrs[] = {
	ATTR(CTA_PROTO_NUM, "num", CTNL_K_U8, CTNL_FMT_DEC, 0, struct ctnl_ct_proto, num, NULL, 0),
	ATTR(CTA_PROTO_SRC_PORT, "src-port", CTNL_K_BE16, CTNL_FMT_DEC, 0, struct ctnl_ct_proto, src_port, NULL, 0),
	ATTR(CTA_PROTO_DST_PORT, "dst-port", CTNL_K_BE16, CTNL_FMT_DEC, 0, struct ctnl_ct_proto, dst_port, NULL, 0),
	ATTR(CTA_PROTO_ICMP_ID, "icmp-id", CTNL_K_BE16, CTNL_FMT_DEC, 0, struct ctnl_ct_proto, icmp_id, NULL, 0),
	ATTR(CTA_PROTO_ICMP_TYPE, "icmp-type", CTNL_K_U8, CTNL_FMT_DEC, 0, struct ctnl_ct_proto, icmp_type, NULL, 0),
	ATTR(CTA_PROTO_ICMP_CODE, "icmp-code", CTNL_K_U8, CTNL_FMT_DEC, 0, struct ctnl_ct_proto, icmp_code, NULL, 0),
	ATTR(CTA_PROTO_ICMPV6_ID, "icmpv6-id", CTNL_K_BE16, CTNL_FMT_DEC, 0, struct ctnl_ct_proto, icmpv6_id, NULL, 0),
	ATTR(CTA_PROTO_ICMPV6_TYPE, "icmpv6-type", CTNL_K_U8, CTNL_FMT_DEC, 0, struct ctnl_ct_proto, icmpv6_type, NULL, 0),
	ATTR(CTA_PROTO_ICMPV6_CODE, "icmpv6-code", CTNL_K_U8, CTNL_FMT_DEC, 0, struct ctnl_ct_proto, icmpv6_code, NULL, 0),
};
static const struct ctnl_nest_desc proto_desc = NEST("proto", struct ctnl_ct_proto, proto_attrs, NULL, 0);

static const struct ctnl_attr_desc tuple_attrs[] = {
	ATTR(CTA_TUPLE_IP, "ip", CTNL_K_NEST, 0, 0, struct ctnl_ct_tuple, ip, &ip_desc, 0),
	ATTR(CTA_TUPLE_PROTO, "proto", CTNL_K_NEST, 0, 0, struct ctnl_ct_tuple, proto, &proto_desc, 0),
	ATTR(CTA_TUPLE_ZONE, "zone", CTNL_K_BE16, CTNL_FMT_DEC, 0, struct ctnl_ct_tuple, zone, NULL, 0),
};
const struct ctnl_nest_desc ctnl_ct_tuple_desc = NEST("tuple", struct ctnl_ct_tuple, tuple_attrs, NULL, 0);

/* ---- protoinfo ---- */

static const struct ctnl_attr_desc tcp_attrs[] = {
	ATTR(CTA_PROTOINFO_TCP_STATE, "state", CTNL_K_U8, CTNL_FMT_DEC, 0, struct ctnl_ct_tcp, state, NULL, 0),
	ATTR(CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, "wscale-orig", CTNL_K_U8, CTNL_FMT_DEC, 0, struct ctnl_ct_tcp, wscale_orig, NULL, 0),
	ATTR(CTA_PROTOINFO_TCP_WSCALE_REPLY, "wscale-reply", CTNL_K_U8, CTNL_FMT_DEC, 0, struct ctnl_ct_tcp, wscale_reply, NULL, 0),
	ATTR(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, "flags-orig", CTNL_K_FIXED, CTNL_FMT_FLAGS2, 2, struct ctnl_ct_tcp, flags_orig, NULL, 0),
	ATTR(CTA_PROTOINFO_TCP_FLAGS_REPLY, "flags-reply", CTNL_K_FIXED, CTNL_FMT_FLAGS2, 2, struct ctnl_ct_tcp, flags_reply, NULL, 0),
};
static const struct ctnl_nest_desc tcp_desc = NEST("tcp", struct ctnl_ct_tcp, tcp_attrs, NULL, 0);

static const struct ctnl_attr_desc dccp_attrs[] = {
	ATTR(CTA_PROTOINFO_DCCP_STATE, "state", CTNL_K_U8, CTNL_FMT_DEC, 0, struct ctnl_ct_dccp, state, NULL, 0),
	ATTR(CTA_PROTOINFO_DCCP_ROLE, "role", CTNL_K_U8, CTNL_FMT_DEC, 0, struct ctnl_ct_dccp, role, NULL, 0),
	ATTR(CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ, "handshake-seq", CTNL_K_BE64, CTNL_FMT_DEC, 0, struct ctnl_ct_dccp, handshake_seq, NULL, 0),
	ATTR(CTA_PROTOINFO_DCCP_PAD, "pad", CTNL_K_PAD, 0, 0, struct ctnl_ct_dccp, present, NULL, 0),
};
static const struct ctnl_nest_desc dccp_desc = NEST("dccp", struct ctnl_ct_dccp, dccp_attrs, NULL, 0);

static const struct ctnl_attr_desc sctp_attrs[] = {
	ATTR(CTA_PROTOINFO_SCTP_STATE, "state", CTNL_K_U8, CTNL_FMT_DEC, 0, struct ctnl_ct_sctp, state, NULL, 0),
	ATTR(CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, "vtag-orig", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct_sctp, vtag_orig, NULL, 0),
	ATTR(CTA_PROTOINFO_SCTP_VTAG_REPLY, "vtag-reply", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct_sctp, vtag_reply, NULL, 0),
};
static const struct ctnl_nest_desc sctp_desc = NEST("sctp", struct ctnl_ct_sctp, sctp_attrs, NULL, 0);

static const struct ctnl_attr_desc protoinfo_attrs[] = {
	ATTR(CTA_PROTOINFO_TCP, "tcp", CTNL_K_NEST, 0, 0, struct ctnl_ct_protoinfo, tcp, &tcp_desc, 0),
	/* DCCP connection tracking left the kernel in 6.16; older kernels send it */
	ATTR(CTA_PROTOINFO_DCCP, "dccp", CTNL_K_NEST, 0, 0, struct ctnl_ct_protoinfo, dccp, &dccp_desc, CTNL_AF_OBSOLETE),
	ATTR(CTA_PROTOINFO_SCTP, "sctp", CTNL_K_NEST, 0, 0, struct ctnl_ct_protoinfo, sctp, &sctp_desc, 0),
};
static const struct ctnl_nest_desc protoinfo_desc = NEST("protoinfo", struct ctnl_ct_protoinfo, protoinfo_attrs, NULL, 0);

/* ---- the other nests ---- */

static const struct ctnl_attr_desc help_attrs[] = {
	/* NF_CT_HELPER_NAME_LEN is 16 with the NUL */
	ATTR(CTA_HELP_NAME, "name", CTNL_K_STRING, 0, 15, struct ctnl_ct_help, name, NULL, 0),
	ATTR(CTA_HELP_INFO, "info", CTNL_K_BINARY, CTNL_FMT_HEX, 0, struct ctnl_ct_help, info, NULL, 0),
};
static const struct ctnl_nest_desc help_desc = NEST("helper", struct ctnl_ct_help, help_attrs, NULL, 0);

static const struct ctnl_attr_desc protonat_attrs[] = {
	ATTR(CTA_PROTONAT_PORT_MIN, "port-min", CTNL_K_BE16, CTNL_FMT_DEC, 0, struct ctnl_ct_protonat, port_min, NULL, 0),
	ATTR(CTA_PROTONAT_PORT_MAX, "port-max", CTNL_K_BE16, CTNL_FMT_DEC, 0, struct ctnl_ct_protonat, port_max, NULL, 0),
};
static const struct ctnl_nest_desc protonat_desc = NEST("proto", struct ctnl_ct_protonat, protonat_attrs, NULL, 0);

static const struct ctnl_attr_desc nat_attrs[] = {
	ATTR(CTA_NAT_V4_MINIP, "v4-min", CTNL_K_FIXED, CTNL_FMT_IPV4, 4, struct ctnl_ct_nat, v4_min, NULL, 0),
	ATTR(CTA_NAT_V4_MAXIP, "v4-max", CTNL_K_FIXED, CTNL_FMT_IPV4, 4, struct ctnl_ct_nat, v4_max, NULL, 0),
	ATTR(CTA_NAT_PROTO, "proto", CTNL_K_NEST, 0, 0, struct ctnl_ct_nat, proto, &protonat_desc, 0),
	ATTR(CTA_NAT_V6_MINIP, "v6-min", CTNL_K_FIXED, CTNL_FMT_IPV6, 16, struct ctnl_ct_nat, v6_min, NULL, 0),
	ATTR(CTA_NAT_V6_MAXIP, "v6-max", CTNL_K_FIXED, CTNL_FMT_IPV6, 16, struct ctnl_ct_nat, v6_max, NULL, 0),
};
static const struct ctnl_nest_desc nat_desc = NEST("nat", struct ctnl_ct_nat, nat_attrs, NULL, 0);

static const struct ctnl_attr_desc counters_attrs[] = {
	ATTR(CTA_COUNTERS_PACKETS, "packets", CTNL_K_BE64, CTNL_FMT_DEC, 0, struct ctnl_ct_counters, packets, NULL, 0),
	ATTR(CTA_COUNTERS_BYTES, "bytes", CTNL_K_BE64, CTNL_FMT_DEC, 0, struct ctnl_ct_counters, bytes, NULL, 0),
	ATTR(CTA_COUNTERS32_PACKETS, "packets32", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct_counters, packets32, NULL, CTNL_AF_OBSOLETE),
	ATTR(CTA_COUNTERS32_BYTES, "bytes32", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct_counters, bytes32, NULL, CTNL_AF_OBSOLETE),
	ATTR(CTA_COUNTERS_PAD, "pad", CTNL_K_PAD, 0, 0, struct ctnl_ct_counters, present, NULL, 0),
};
static const struct ctnl_nest_desc counters_desc = NEST("counters", struct ctnl_ct_counters, counters_attrs, NULL, 0);

static const struct ctnl_attr_desc seqadj_attrs[] = {
	ATTR(CTA_SEQADJ_CORRECTION_POS, "correction-pos", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct_seqadj, correction_pos, NULL, 0),
	ATTR(CTA_SEQADJ_OFFSET_BEFORE, "offset-before", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct_seqadj, offset_before, NULL, 0),
	ATTR(CTA_SEQADJ_OFFSET_AFTER, "offset-after", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct_seqadj, offset_after, NULL, 0),
};
static const struct ctnl_nest_desc seqadj_desc = NEST("seq-adj", struct ctnl_ct_seqadj, seqadj_attrs, NULL, 0);

static const struct ctnl_attr_desc secctx_attrs[] = {
	ATTR(CTA_SECCTX_NAME, "name", CTNL_K_STRING, 0, 0, struct ctnl_ct_secctx, name, NULL, 0),
};
static const struct ctnl_nest_desc secctx_desc = NEST("secctx", struct ctnl_ct_secctx, secctx_attrs, NULL, 0);

static const struct ctnl_attr_desc tstamp_attrs[] = {
	ATTR(CTA_TIMESTAMP_START, "start", CTNL_K_BE64, CTNL_FMT_DEC, 0, struct ctnl_ct_tstamp, start, NULL, 0),
	ATTR(CTA_TIMESTAMP_STOP, "stop", CTNL_K_BE64, CTNL_FMT_DEC, 0, struct ctnl_ct_tstamp, stop, NULL, 0),
	ATTR(CTA_TIMESTAMP_PAD, "pad", CTNL_K_PAD, 0, 0, struct ctnl_ct_tstamp, present, NULL, 0),
};
static const struct ctnl_nest_desc tstamp_desc = NEST("timestamp", struct ctnl_ct_tstamp, tstamp_attrs, NULL, 0);

static const struct ctnl_attr_desc synproxy_attrs[] = {
	ATTR(CTA_SYNPROXY_ISN, "isn", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct_synproxy, isn, NULL, 0),
	ATTR(CTA_SYNPROXY_ITS, "its", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct_synproxy, its, NULL, 0),
	ATTR(CTA_SYNPROXY_TSOFF, "tsoff", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct_synproxy, tsoff, NULL, 0),
};
static const struct ctnl_nest_desc synproxy_desc = NEST("synproxy", struct ctnl_ct_synproxy, synproxy_attrs, NULL, 0);

static const struct ctnl_attr_desc filter_attrs[] = {
	ATTR(CTA_FILTER_ORIG_FLAGS, "orig-flags", CTNL_K_U32, CTNL_FMT_HEX, 0, struct ctnl_ct_filter, orig_flags, NULL, CTNL_AF_INPUT),
	ATTR(CTA_FILTER_REPLY_FLAGS, "reply-flags", CTNL_K_U32, CTNL_FMT_HEX, 0, struct ctnl_ct_filter, reply_flags, NULL, CTNL_AF_INPUT),
};
static const struct ctnl_nest_desc filter_desc = NEST("filter", struct ctnl_ct_filter, filter_attrs, NULL, 0);

/* ---- top level ---- */

static const struct ctnl_attr_desc ct_attrs[] = {
	ATTR(CTA_TUPLE_ORIG, "orig", CTNL_K_NEST, 0, 0, struct ctnl_ct, orig, &ctnl_ct_tuple_desc, 0),
	ATTR(CTA_TUPLE_REPLY, "reply", CTNL_K_NEST, 0, 0, struct ctnl_ct, reply, &ctnl_ct_tuple_desc, 0),
	/* CTA_TIMESTAMP_EVENT pads with type 3 at this level: an empty one is padding */
	ATTR(CTA_STATUS, "status", CTNL_K_BE32, CTNL_FMT_HEX, 0, struct ctnl_ct, status, NULL, CTNL_AF_PAD_OK),
	ATTR(CTA_PROTOINFO, "protoinfo", CTNL_K_NEST, 0, 0, struct ctnl_ct, protoinfo, &protoinfo_desc, 0),
	ATTR(CTA_HELP, "helper", CTNL_K_NEST, 0, 0, struct ctnl_ct, help, &help_desc, 0),
	ATTR(CTA_NAT_SRC, "nat-src", CTNL_K_NEST, 0, 0, struct ctnl_ct, nat_src, &nat_desc, CTNL_AF_INPUT),
	ATTR(CTA_TIMEOUT, "timeout", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct, timeout, NULL, 0),
	ATTR(CTA_MARK, "mark", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct, mark, NULL, 0),
	ATTR(CTA_COUNTERS_ORIG, "counters-orig", CTNL_K_NEST, 0, 0, struct ctnl_ct, counters_orig, &counters_desc, 0),
	ATTR(CTA_COUNTERS_REPLY, "counters-reply", CTNL_K_NEST, 0, 0, struct ctnl_ct, counters_reply, &counters_desc, 0),
	ATTR(CTA_USE, "use", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct, use, NULL, 0),
	ATTR(CTA_ID, "id", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct, id, NULL, 0),
	ATTR(CTA_NAT_DST, "nat-dst", CTNL_K_NEST, 0, 0, struct ctnl_ct, nat_dst, &nat_desc, CTNL_AF_INPUT),
	ATTR(CTA_TUPLE_MASTER, "master", CTNL_K_NEST, 0, 0, struct ctnl_ct, master, &ctnl_ct_tuple_desc, 0),
	ATTR(CTA_SEQ_ADJ_ORIG, "seq-adj-orig", CTNL_K_NEST, 0, 0, struct ctnl_ct, seqadj_orig, &seqadj_desc, 0),
	ATTR(CTA_SEQ_ADJ_REPLY, "seq-adj-reply", CTNL_K_NEST, 0, 0, struct ctnl_ct, seqadj_reply, &seqadj_desc, 0),
	ATTR(CTA_SECMARK, "secmark", CTNL_K_BE32, CTNL_FMT_DEC, 0, struct ctnl_ct, secmark, NULL, CTNL_AF_OBSOLETE),
	ATTR(CTA_ZONE, "zone", CTNL_K_BE16, CTNL_FMT_DEC, 0, struct ctnl_ct, zone, NULL, 0),
	ATTR(CTA_SECCTX, "secctx", CTNL_K_NEST, 0, 0, struct ctnl_ct, secctx, &secctx_desc, 0),
	ATTR(CTA_TIMESTAMP, "timestamp", CTNL_K_NEST, 0, 0, struct ctnl_ct, timestamp, &tstamp_desc, 0),
	ATTR(CTA_MARK_MASK, "mark-mask", CTNL_K_BE32, CTNL_FMT_HEX, 0, struct ctnl_ct, mark_mask, NULL, CTNL_AF_INPUT),
	/* sizeof(struct nf_conn_labels): 128 bits */
	ATTR(CTA_LABELS, "labels", CTNL_K_BINARY, CTNL_FMT_HEX, 16, struct ctnl_ct, labels, NULL, 0),
	ATTR(CTA_LABELS_MASK, "labels-mask", CTNL_K_BINARY, CTNL_FMT_HEX, 16, struct ctnl_ct, labels_mask, NULL, CTNL_AF_INPUT),
	ATTR(CTA_SYNPROXY, "synproxy", CTNL_K_NEST, 0, 0, struct ctnl_ct, synproxy, &synproxy_desc, 0),
	ATTR(CTA_FILTER, "filter", CTNL_K_NEST, 0, 0, struct ctnl_ct, filter, &filter_desc, CTNL_AF_INPUT),
	ATTR(CTA_STATUS_MASK, "status-mask", CTNL_K_BE32, CTNL_FMT_HEX, 0, struct ctnl_ct, status_mask, NULL, CTNL_AF_INPUT),
	/* spelled out: the installed 6.1 header lacks the name, so ATTR() would say CTNL_... */
	[CTNL_CTA_TIMESTAMP_EVENT] = { "timestamp-event", "CTA_TIMESTAMP_EVENT", CTNL_K_BE64, CTNL_FMT_DEC, 0, 0,
				       (uint16_t)offsetof(struct ctnl_ct, timestamp_event), NULL },
};

/* The order ctnetlink_fill_info() dumps in (6.18), then the request-only
 * attributes: re-encoding a kernel message built by hand matches it. */
static const uint8_t ct_order[] = {
	CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_ZONE, CTA_STATUS, CTA_MARK, CTA_SECCTX, CTA_ID, CTA_USE,
	CTA_TUPLE_MASTER, CTA_TIMEOUT, CTA_PROTOINFO, CTA_COUNTERS_ORIG, CTA_COUNTERS_REPLY, CTA_TIMESTAMP,
	CTA_HELP, CTA_LABELS, CTA_SEQ_ADJ_ORIG, CTA_SEQ_ADJ_REPLY, CTA_SYNPROXY, CTA_NAT_SRC, CTA_NAT_DST,
	CTA_MARK_MASK, CTA_LABELS_MASK, CTA_STATUS_MASK, CTA_FILTER, CTA_SECMARK, CTNL_CTA_TIMESTAMP_EVENT,
};

const struct ctnl_nest_desc ctnl_ct_top_desc = NEST("ct", struct ctnl_ct, ct_attrs, ct_order, sizeof(ct_order));

const struct ctnl_nest_desc *ctnl_ct_desc(void)
{
	return &ctnl_ct_top_desc;
}
