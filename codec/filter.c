/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Dump and flush requests with kernel-side filters.  The request is a
 * struct ctnl_ct_msg like any other, so the one description table
 * encodes it; this file only decides which attributes go in and refuses
 * what the kernel would refuse or, worse, silently ignore.
 */
#include <errno.h>
#include <string.h>

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/filter.h>

#include "internal.h"

/* No socket header in the codec: the values of <sys/socket.h>,
 * <netinet/in.h> and <linux/netlink.h> it needs. */
#define F_AF_UNSPEC 0
#define F_AF_INET 2
#define F_AF_INET6 10
#define F_IPPROTO_ICMP 1
#define F_IPPROTO_TCP 6
#define F_IPPROTO_UDP 17
#define F_IPPROTO_ICMPV6 58
#define F_NLM_F_REQUEST 0x1
#define F_NLM_F_ACK 0x4
#define F_NLM_F_DUMP 0x300

#define PORT_FLAGS (CTNL_FILTER_F_SRC_PORT | CTNL_FILTER_F_DST_PORT)
#define ICMP_FLAGS (CTNL_FILTER_F_ICMP_TYPE | CTNL_FILTER_F_ICMP_CODE | CTNL_FILTER_F_ICMP_ID)
#define ICMPV6_FLAGS (CTNL_FILTER_F_ICMPV6_TYPE | CTNL_FILTER_F_ICMPV6_CODE | CTNL_FILTER_F_ICMPV6_ID)

static int check_tuple_flags(uint32_t flags, const struct ctnl_ct_tuple *t, const char *dir, uint8_t family, int raw_v6,
			     struct ctnl_err *err)
{
	if (!flags)
		return 0;
	if (flags & ~CTNL_FILTER_F_ALL)
		return ctnl_set_err(err, -EINVAL, 0, "%s flags 0x%x: unknown bits 0x%x", dir, flags,
				    flags & ~CTNL_FILTER_F_ALL);
	if (family != F_AF_INET && family != F_AF_INET6)
		return ctnl_set_err(err, -EINVAL, 0, "%s tuple filter needs family inet or inet6", dir);
	/* Linux 5.8 to 6.18 at least invert this match (ctnetlink_filter_match_tuple
	 * tests !ipv6_addr_cmp): a dump would return every entry but the
	 * matching ones, and a flush would delete them.  Refused rather than
	 * sent; `ctnl selftest` reports when a kernel gets it right. */
	if (family == F_AF_INET6 && !raw_v6 && (flags & (CTNL_FILTER_F_IP_SRC | CTNL_FILTER_F_IP_DST)))
		return ctnl_set_err(err, -EOPNOTSUPP, 0,
				    "%s IPv6 address filter: the kernel inverts this match (match it in user space)", dir);
	if ((flags & (PORT_FLAGS | ICMP_FLAGS | ICMPV6_FLAGS)) && !(flags & CTNL_FILTER_F_PROTO_NUM))
		return ctnl_set_err(err, -EINVAL, 0, "%s port or ICMP flag without a protocol (CTNL_FILTER_F_PROTO_NUM)",
				    dir);
	if ((flags & PORT_FLAGS) && t->proto.num != F_IPPROTO_TCP && t->proto.num != F_IPPROTO_UDP)
		return ctnl_set_err(err, -EINVAL, 0, "%s port flag with protocol %u: the kernel compares ports of TCP and UDP only",
				    dir, t->proto.num);
	if ((flags & ICMP_FLAGS) && t->proto.num != F_IPPROTO_ICMP)
		return ctnl_set_err(err, -EINVAL, 0, "%s ICMP flag with protocol %u", dir, t->proto.num);
	if ((flags & ICMPV6_FLAGS) && t->proto.num != F_IPPROTO_ICMPV6)
		return ctnl_set_err(err, -EINVAL, 0, "%s ICMPv6 flag with protocol %u", dir, t->proto.num);
	return 0;
}

/* Copy the flagged fields of @src into @dst with their present bits. */
static void put_tuple(uint32_t flags, uint8_t family, const struct ctnl_ct_tuple *src, struct ctnl_ct_tuple *dst)
{
	struct ctnl_ct_ip *ip = &dst->ip;
	struct ctnl_ct_proto *pr = &dst->proto;

	memset(dst, 0, sizeof(*dst));
	if (flags & CTNL_FILTER_F_IP_SRC) {
		if (family == F_AF_INET) {
			memcpy(ip->v4_src, src->ip.v4_src, 4);
			ip->present |= 1u << CTA_IP_V4_SRC;
		} else {
			memcpy(ip->v6_src, src->ip.v6_src, 16);
			ip->present |= 1u << CTA_IP_V6_SRC;
		}
	}
	if (flags & CTNL_FILTER_F_IP_DST) {
		if (family == F_AF_INET) {
			memcpy(ip->v4_dst, src->ip.v4_dst, 4);
			ip->present |= 1u << CTA_IP_V4_DST;
		} else {
			memcpy(ip->v6_dst, src->ip.v6_dst, 16);
			ip->present |= 1u << CTA_IP_V6_DST;
		}
	}
	if (flags & CTNL_FILTER_F_PROTO_NUM) {
		pr->num = src->proto.num;
		pr->present |= 1u << CTA_PROTO_NUM;
	}
	if (flags & CTNL_FILTER_F_SRC_PORT) {
		pr->src_port = src->proto.src_port;
		pr->present |= 1u << CTA_PROTO_SRC_PORT;
	}
	if (flags & CTNL_FILTER_F_DST_PORT) {
		pr->dst_port = src->proto.dst_port;
		pr->present |= 1u << CTA_PROTO_DST_PORT;
	}
	if (flags & CTNL_FILTER_F_ICMP_TYPE) {
		pr->icmp_type = src->proto.icmp_type;
		pr->present |= 1u << CTA_PROTO_ICMP_TYPE;
	}
	if (flags & CTNL_FILTER_F_ICMP_CODE) {
		pr->icmp_code = src->proto.icmp_code;
		pr->present |= 1u << CTA_PROTO_ICMP_CODE;
	}
	if (flags & CTNL_FILTER_F_ICMP_ID) {
		pr->icmp_id = src->proto.icmp_id;
		pr->present |= 1u << CTA_PROTO_ICMP_ID;
	}
	if (flags & CTNL_FILTER_F_ICMPV6_TYPE) {
		pr->icmpv6_type = src->proto.icmpv6_type;
		pr->present |= 1u << CTA_PROTO_ICMPV6_TYPE;
	}
	if (flags & CTNL_FILTER_F_ICMPV6_CODE) {
		pr->icmpv6_code = src->proto.icmpv6_code;
		pr->present |= 1u << CTA_PROTO_ICMPV6_CODE;
	}
	if (flags & CTNL_FILTER_F_ICMPV6_ID) {
		pr->icmpv6_id = src->proto.icmpv6_id;
		pr->present |= 1u << CTA_PROTO_ICMPV6_ID;
	}
	if (flags & CTNL_FILTER_F_TUPLE_ZONE) {
		dst->zone = src->zone;
		dst->present |= 1u << CTA_TUPLE_ZONE;
	}
	if (ip->present)
		dst->present |= 1u << CTA_TUPLE_IP;
	if (pr->present)
		dst->present |= 1u << CTA_TUPLE_PROTO;
}

int ctnl_filter_build(const struct ctnl_filter *f, enum ctnl_filter_op op, uint32_t seq, struct ctnl_ct_msg *out,
		      struct ctnl_err *err)
{
	struct ctnl_ct *ct = &out->ct;
	int rc;

	ctnl_ct_init(out);
	if (op != CTNL_FILTER_DUMP && op != CTNL_FILTER_FLUSH)
		return ctnl_set_err(err, -EINVAL, 0, "unknown operation %d", (int)op);
	if (f->family != F_AF_UNSPEC && f->family != F_AF_INET && f->family != F_AF_INET6)
		return ctnl_set_err(err, -EAFNOSUPPORT, 0, "family %u: only unspec, inet and inet6", f->family);
	if (f->has & ~(CTNL_FILTER_HAS_MARK | CTNL_FILTER_HAS_STATUS | CTNL_FILTER_HAS_ZONE | CTNL_FILTER_RAW_V6_ADDR))
		return ctnl_set_err(err, -EINVAL, 0, "unknown 'has' bits 0x%x", f->has);
	rc = check_tuple_flags(f->orig_flags, &f->orig, "orig", f->family, f->has & CTNL_FILTER_RAW_V6_ADDR, err);
	if (rc < 0)
		return rc;
	rc = check_tuple_flags(f->reply_flags, &f->reply, "reply", f->family, f->has & CTNL_FILTER_RAW_V6_ADDR, err);
	if (rc < 0)
		return rc;
	if ((f->orig_flags & f->reply_flags & CTNL_FILTER_F_TUPLE_ZONE) ||
	    (((f->orig_flags | f->reply_flags) & CTNL_FILTER_F_TUPLE_ZONE) && (f->has & CTNL_FILTER_HAS_ZONE)))
		return ctnl_set_err(err, -EINVAL, 0, "one zone per request: CTA_ZONE or one tuple zone");
	if ((f->has & CTNL_FILTER_HAS_MARK) && (f->mark & ~f->mark_mask))
		return ctnl_set_err(err, -EINVAL, 0, "mark 0x%x has bits outside mask 0x%x: it would never match",
				    f->mark, f->mark_mask);
	if (f->has & CTNL_FILTER_HAS_STATUS) {
		if (f->status_mask == 0)
			return ctnl_set_err(err, -EINVAL, 0, "status mask 0 (the kernel refuses it)");
		if (f->status & ~f->status_mask)
			return ctnl_set_err(err, -EINVAL, 0, "status 0x%x has bits outside mask 0x%x: it would never match",
					    f->status, f->status_mask);
	}

	out->hdr.type = (uint16_t)(NFNL_SUBSYS_CTNETLINK << 8 |
				   (op == CTNL_FILTER_DUMP ? IPCTNL_MSG_CT_GET : IPCTNL_MSG_CT_DELETE));
	out->hdr.flags = op == CTNL_FILTER_DUMP ? F_NLM_F_REQUEST | F_NLM_F_DUMP : F_NLM_F_REQUEST | F_NLM_F_ACK;
	out->hdr.seq = seq;
	out->hdr.family = f->family;
	out->hdr.version = NFNETLINK_V0;

	if (f->has & CTNL_FILTER_HAS_MARK) {
		ct->mark = f->mark;
		ct->mark_mask = f->mark_mask;
		ct->present |= 1u << CTA_MARK | 1u << CTA_MARK_MASK;
	}
	if (f->has & CTNL_FILTER_HAS_STATUS) {
		ct->status = f->status;
		ct->status_mask = f->status_mask;
		ct->present |= 1u << CTA_STATUS | 1u << CTA_STATUS_MASK;
	}
	if (f->has & CTNL_FILTER_HAS_ZONE) {
		ct->zone = f->zone;
		ct->present |= 1u << CTA_ZONE;
	}
	if (f->orig_flags) {
		put_tuple(f->orig_flags, f->family, &f->orig, &ct->orig);
		ct->present |= 1u << CTA_TUPLE_ORIG;
	}
	if (f->reply_flags) {
		put_tuple(f->reply_flags, f->family, &f->reply, &ct->reply);
		ct->present |= 1u << CTA_TUPLE_REPLY;
	}
	/* The family counts on a flush only with CTA_FILTER present; a
	 * tuple on a DELETE without it would name one entry, not a filter. */
	if (f->family != F_AF_UNSPEC || f->orig_flags || f->reply_flags) {
		ct->filter.orig_flags = f->orig_flags;
		ct->filter.reply_flags = f->reply_flags;
		ct->filter.present = 1u << CTA_FILTER_ORIG_FLAGS | 1u << CTA_FILTER_REPLY_FLAGS;
		ct->present |= 1u << CTA_FILTER;
	}
	return 0;
}

int ctnl_filter_encode(const struct ctnl_filter *f, enum ctnl_filter_op op, uint32_t seq, void *buf, size_t cap,
		       size_t *out_len, struct ctnl_err *err)
{
	struct ctnl_ct_msg m;
	int rc = ctnl_filter_build(f, op, seq, &m, err);

	if (rc < 0)
		return rc;
	return ctnl_ct_encode(&m, buf, cap, out_len, err);
}
