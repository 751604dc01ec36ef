/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The line conntrack(8) 1.4.7 prints for an entry.
 *
 * conntrack(8) parses each message with libnetfilter_conntrack 1.0.x into
 * a struct nf_conntrack, prints it with nfct_snprintf_labels() (default
 * output) and appends " [USERSPACE] portid=N" to events whose nlmsg_pid is
 * not 0.  This file reproduces that text from a decoded message without
 * going through the intermediate object, so two of its habits are
 * emulated on purpose:
 *
 *  - addresses and layer-4 ids live in unions there: an IPv6 attribute
 *    overwrites an IPv4 one of the same tuple, the ICMP type and code
 *    overlay the destination port, the ICMP id the source port, and the
 *    ICMPv6 attributes overwrite the ICMP ones;
 *  - the TCP, SCTP and DCCP states share one byte: with two protoinfo
 *    nests, both names are looked up from the value stored last;
 *  - what a tuple prints is chosen by the message's nfgen_family (the
 *    addresses) and by that tuple's own protocol number (ports, keys or
 *    ICMP fields), not by which attributes are present.
 *
 * When the original tuple has no protocol number, nfct_snprintf() fails
 * part way and conntrack prints whatever it had written (the event column
 * and, with -o extended, the layer-3 column); we produce the same prefix.
 */
#include <stdint.h>
#include <string.h>

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>

#include <ctnl/render.h>

#include "fmt.h"

/* ---- names (shared with render_json.c) ---- */

const char *ctnl_r_proto_name(uint8_t num)
{
	switch (num) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 33: return "dccp";
	case 47: return "gre";
	case 58: return "icmpv6";
	case 132: return "sctp";
	case 136: return "udplite";
	default: return NULL;
	}
}

const char *ctnl_r_family_name(uint8_t family)
{
	switch (family) {
	case 2: return "ipv4";
	case 10: return "ipv6";
	default: return NULL;
	}
}

static const char *const tcp_states[10] = {
	"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
	"CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2",
};

static const char *const sctp_states[10] = {
	"NONE", "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED",
	"SHUTDOWN_SENT", "SHUTDOWN_RECD", "SHUTDOWN_ACK_SENT", "HEARTBEAT_SENT", "HEARTBEAT_ACKED",
};

static const char *const dccp_states[10] = {
	"NONE", "REQUEST", "RESPOND", "PARTOPEN", "OPEN",
	"CLOSEREQ", "CLOSING", "TIMEWAIT", "IGNORE", "INVALID",
};

const char *ctnl_r_tcp_state(uint8_t s)
{
	return s < 10 ? tcp_states[s] : NULL;
}

const char *ctnl_r_sctp_state(uint8_t s)
{
	return s < 10 ? sctp_states[s] : NULL;
}

const char *ctnl_r_dccp_state(uint8_t s)
{
	return s < 10 ? dccp_states[s] : NULL;
}

int ctnl_r_event_kind(uint16_t nlmsg_type, uint16_t nlmsg_flags)
{
	/* conntrack looks at the low byte only, and at NLM_F_CREATE alone
	 * (the kernel sends NEW events with CREATE|EXCL) */
	switch (nlmsg_type & 0xff) {
	case IPCTNL_MSG_CT_NEW:
		return (nlmsg_flags & NLM_F_CREATE) ? 1 : 2;
	case IPCTNL_MSG_CT_DELETE:
		return 3;
	default:
		return 0;
	}
}

int64_t ctnl_r_delta_time(uint64_t start_ns, uint64_t stop_ns, int64_t now)
{
	int64_t stop = stop_ns == 0 ? now : (int64_t)(stop_ns / 1000000000u);

	return (int64_t)((uint64_t)stop - start_ns / 1000000000u);
}

int ctnl_r_label_bit(const uint8_t *bits, uint32_t len, unsigned i)
{
	uint8_t word[4] = { 0 };
	uint32_t v, at = (i / 32) * 4;

	if (at >= len)
		return 0;
	memcpy(word, bits + at, len - at < 4 ? len - at : 4);
	memcpy(&v, word, 4);
	return (v >> (i % 32)) & 1u;
}

const struct ctnl_render_opts *ctnl_r_opts(struct ctnl_render_opts *copy, const struct ctnl_render_opts *o)
{
	size_t n;

	memset(copy, 0, sizeof(*copy));
	copy->size = sizeof(*copy);
	if (!o)
		return copy;
	/* fields past the caller's size read as 0; size 0 means "all of it" */
	n = o->size && o->size < sizeof(*copy) ? o->size : sizeof(*copy);
	memcpy(copy, o, n);
	return copy;
}

int ctnl_ct_is_event(const struct ctnl_msg *hdr)
{
	return !(hdr->flags & NLM_F_MULTI);
}

/* ---- the line ---- */

/* One tuple as libnetfilter_conntrack stores it (see the top comment). */
struct tview {
	uint8_t src[16], dst[16];
	uint8_t l4src[2], l4dst[2];
	uint8_t protonum;
};

static void tuple_view(const struct ctnl_ct_tuple *t, struct tview *v)
{
	memset(v, 0, sizeof(*v));
	if (ctnl_has(t, CTA_TUPLE_IP)) {
		const struct ctnl_ct_ip *ip = &t->ip;

		if (ctnl_has(ip, CTA_IP_V4_SRC))
			memcpy(v->src, ip->v4_src, 4);
		if (ctnl_has(ip, CTA_IP_V4_DST))
			memcpy(v->dst, ip->v4_dst, 4);
		if (ctnl_has(ip, CTA_IP_V6_SRC))
			memcpy(v->src, ip->v6_src, 16);
		if (ctnl_has(ip, CTA_IP_V6_DST))
			memcpy(v->dst, ip->v6_dst, 16);
	}
	if (ctnl_has(t, CTA_TUPLE_PROTO)) {
		const struct ctnl_ct_proto *p = &t->proto;

		if (ctnl_has(p, CTA_PROTO_NUM))
			v->protonum = p->num;
		if (ctnl_has(p, CTA_PROTO_SRC_PORT)) {
			v->l4src[0] = (uint8_t)(p->src_port >> 8);
			v->l4src[1] = (uint8_t)p->src_port;
		}
		if (ctnl_has(p, CTA_PROTO_DST_PORT)) {
			v->l4dst[0] = (uint8_t)(p->dst_port >> 8);
			v->l4dst[1] = (uint8_t)p->dst_port;
		}
		if (ctnl_has(p, CTA_PROTO_ICMP_TYPE))
			v->l4dst[0] = p->icmp_type;
		if (ctnl_has(p, CTA_PROTO_ICMP_CODE))
			v->l4dst[1] = p->icmp_code;
		if (ctnl_has(p, CTA_PROTO_ICMP_ID)) {
			v->l4src[0] = (uint8_t)(p->icmp_id >> 8);
			v->l4src[1] = (uint8_t)p->icmp_id;
		}
		if (ctnl_has(p, CTA_PROTO_ICMPV6_TYPE))
			v->l4dst[0] = p->icmpv6_type;
		if (ctnl_has(p, CTA_PROTO_ICMPV6_CODE))
			v->l4dst[1] = p->icmpv6_code;
		if (ctnl_has(p, CTA_PROTO_ICMPV6_ID)) {
			v->l4src[0] = (uint8_t)(p->icmpv6_id >> 8);
			v->l4src[1] = (uint8_t)p->icmpv6_id;
		}
	}
}

/* "name     N ": printf("%-8s %u ") */
static void put_padded(struct ctnl_w *w, const char *name, uint8_t num)
{
	char tmp[24];
	size_t n = strlen(name);

	memcpy(tmp, name, n);
	while (n < 8)
		tmp[n++] = ' ';
	tmp[n++] = ' ';
	if (num >= 100) {
		tmp[n++] = (char)('0' + num / 100);
		memcpy(tmp + n, ctnl_digits2 + 2 * (num % 100), 2);
		n += 2;
	} else if (num >= 10) {
		memcpy(tmp + n, ctnl_digits2 + 2 * num, 2);
		n += 2;
	} else {
		tmp[n++] = (char)('0' + num);
	}
	tmp[n++] = ' ';
	ctnl_w_mem(w, tmp, n);
}

static void put_addresses(struct ctnl_w *w, uint8_t family, const struct tview *v)
{
	char tmp[2 * 50 + 10];
	size_t n;

	if (family == 2) {
		memcpy(tmp, "src=", 4);
		n = 4 + ctnl_fmt_ipv4(tmp + 4, v->src);
		memcpy(tmp + n, " dst=", 5);
		n += 5;
		n += ctnl_fmt_ipv4(tmp + n, v->dst);
	} else if (family == 10) {
		memcpy(tmp, "src=", 4);
		n = 4 + ctnl_fmt_ipv6(tmp + 4, v->src);
		memcpy(tmp + n, " dst=", 5);
		n += 5;
		n += ctnl_fmt_ipv6(tmp + n, v->dst);
	} else {
		return;
	}
	tmp[n++] = ' ';
	ctnl_w_mem(w, tmp, n);
}

static void put_l4(struct ctnl_w *w, const struct tview *v)
{
	uint16_t s = (uint16_t)(v->l4src[0] << 8 | v->l4src[1]);
	uint16_t d = (uint16_t)(v->l4dst[0] << 8 | v->l4dst[1]);

	switch (v->protonum) {
	case 6:   /* tcp */
	case 17:  /* udp */
	case 136: /* udplite */
	case 132: /* sctp */
	case 33:  /* dccp */
		ctnl_w_lit(w, "sport=");
		ctnl_w_u32(w, s);
		ctnl_w_lit(w, " dport=");
		ctnl_w_u32(w, d);
		ctnl_w_ch(w, ' ');
		break;
	case 47:  /* gre: the keys, in hex */
		ctnl_w_lit(w, "srckey=0x");
		ctnl_w_hex(w, s);
		ctnl_w_lit(w, " dstkey=0x");
		ctnl_w_hex(w, d);
		ctnl_w_ch(w, ' ');
		break;
	case 1:   /* icmp */
	case 58:  /* icmpv6 */
		ctnl_w_lit(w, "type=");
		ctnl_w_u32(w, v->l4dst[0]);
		ctnl_w_lit(w, " code=");
		ctnl_w_u32(w, v->l4dst[1]);
		ctnl_w_lit(w, " id=");
		ctnl_w_u32(w, s);
		ctnl_w_ch(w, ' ');
		break;
	default:
		break;
	}
}

static int has_counters(const struct ctnl_ct_counters *c)
{
	return (ctnl_has(c, CTA_COUNTERS_PACKETS) || ctnl_has(c, CTA_COUNTERS32_PACKETS)) &&
	       (ctnl_has(c, CTA_COUNTERS_BYTES) || ctnl_has(c, CTA_COUNTERS32_BYTES));
}

static void put_counters(struct ctnl_w *w, const struct ctnl_ct_counters *c)
{
	uint64_t p = ctnl_has(c, CTA_COUNTERS_PACKETS) ? c->packets : c->packets32;
	uint64_t b = ctnl_has(c, CTA_COUNTERS_BYTES) ? c->bytes : c->bytes32;

	ctnl_w_lit(w, "packets=");
	ctnl_w_u64(w, p);
	ctnl_w_lit(w, " bytes=");
	ctnl_w_u64(w, b);
	ctnl_w_ch(w, ' ');
}

static void put_zone(struct ctnl_w *w, const char *pfx, size_t n, uint16_t zone)
{
	ctnl_w_mem(w, pfx, n);
	ctnl_w_u32(w, zone);
	ctnl_w_ch(w, ' ');
}

static void put_state(struct ctnl_w *w, const char *name)
{
	ctnl_w_str(w, name ? name : "NONE");
	ctnl_w_ch(w, ' ');
}

static void put_date(struct ctnl_w *w, const char *pfx, size_t n, uint64_t ns, int tz)
{
	char tmp[40];
	size_t l = ctnl_fmt_ctime(tmp, (int64_t)(ns / 1000000000u) + tz);

	ctnl_w_mem(w, pfx, n);
	ctnl_w_mem(w, tmp, l);
	ctnl_w_lit(w, "] ");
}

static void put_labels(struct ctnl_w *w, const struct ctnl_view *l, const struct ctnl_render_opts *o)
{
	unsigned nbits = l->len * 8u;

	ctnl_w_lit(w, "labels=");
	for (unsigned i = 0; i < nbits && i < o->nlabels; i++) {
		const char *name;

		if (!ctnl_r_label_bit(l->ptr, l->len, i))
			continue;
		name = o->label_names[i];
		if (!name || !name[0])
			continue;   /* conntrack skips bits without a name */
		ctnl_w_str(w, name);
		ctnl_w_ch(w, ',');
	}
	/* drop the last ',' -- or, with no named bit, the '=' */
	ctnl_w_unput(w);
	ctnl_w_ch(w, ' ');
}

int ctnl_ct_snprintf(char *buf, size_t len, const struct ctnl_ct_msg *m, const struct ctnl_render_opts *o)
{
	struct ctnl_render_opts opts;
	const struct ctnl_ct *ct = &m->ct;
	const struct ctnl_ct_protoinfo *pi = &ct->protoinfo;
	unsigned flags;
	int kind = 0;
	struct tview v;
	struct ctnl_w w;

	o = ctnl_r_opts(&opts, o);
	flags = o->flags;
	ctnl_w_init(&w, buf, len);

	if (flags & CTNL_OUT_EVENT) {
		kind = ctnl_r_event_kind(m->hdr.type, m->hdr.flags);
		switch (kind) {
		case 1: ctnl_w_lit(&w, "    [NEW] "); break;
		case 2: ctnl_w_lit(&w, " [UPDATE] "); break;
		case 3: ctnl_w_lit(&w, "[DESTROY] "); break;
		default: break;
		}
	}

	if (flags & CTNL_OUT_EXTENDED) {
		const char *n = ctnl_r_family_name(m->hdr.family);

		if (!ctnl_has(ct, CTA_TUPLE_ORIG))
			goto partial;
		put_padded(&w, n ? n : "unknown", m->hdr.family);
	}

	if (!ctnl_has(ct, CTA_TUPLE_ORIG) || !ctnl_has(&ct->orig, CTA_TUPLE_PROTO) ||
	    !ctnl_has(&ct->orig.proto, CTA_PROTO_NUM))
		goto partial;
	{
		const char *n = ctnl_r_proto_name(ct->orig.proto.num);

		put_padded(&w, n ? n : "unknown", ct->orig.proto.num);
	}

	if (ctnl_has(ct, CTA_TIMEOUT)) {
		ctnl_w_u32(&w, ct->timeout);
		ctnl_w_ch(&w, ' ');
	}
	if (ctnl_has(ct, CTA_PROTOINFO)) {
		/* the three states share one byte there, stored TCP, SCTP, DCCP in
		 * that order: each present one prints the last value stored */
		int tcp = ctnl_has(pi, CTA_PROTOINFO_TCP) && ctnl_has(&pi->tcp, CTA_PROTOINFO_TCP_STATE);
		int sctp = ctnl_has(pi, CTA_PROTOINFO_SCTP) && ctnl_has(&pi->sctp, CTA_PROTOINFO_SCTP_STATE);
		int dccp = ctnl_has(pi, CTA_PROTOINFO_DCCP) && ctnl_has(&pi->dccp, CTA_PROTOINFO_DCCP_STATE);
		uint8_t state = dccp ? pi->dccp.state : sctp ? pi->sctp.state : pi->tcp.state;

		if (tcp)
			put_state(&w, ctnl_r_tcp_state(state));
		if (sctp)
			put_state(&w, ctnl_r_sctp_state(state));
		if (dccp)
			put_state(&w, ctnl_r_dccp_state(state));
	}

	/* original direction */
	tuple_view(&ct->orig, &v);
	put_addresses(&w, m->hdr.family, &v);
	put_l4(&w, &v);
	if (ctnl_has(&ct->orig, CTA_TUPLE_ZONE))
		put_zone(&w, "zone-orig=", 10, ct->orig.zone);
	if (ctnl_has(ct, CTA_COUNTERS_ORIG) && has_counters(&ct->counters_orig))
		put_counters(&w, &ct->counters_orig);
	if (ctnl_has(ct, CTA_STATUS) && !(ct->status & IPS_SEEN_REPLY))
		ctnl_w_lit(&w, "[UNREPLIED] ");

	/* reply direction: nothing of it without the attribute */
	if (ctnl_has(ct, CTA_TUPLE_REPLY)) {
		tuple_view(&ct->reply, &v);
		put_addresses(&w, m->hdr.family, &v);
		put_l4(&w, &v);
		if (ctnl_has(&ct->reply, CTA_TUPLE_ZONE))
			put_zone(&w, "zone-reply=", 11, ct->reply.zone);
	}
	if (ctnl_has(ct, CTA_COUNTERS_REPLY) && has_counters(&ct->counters_reply))
		put_counters(&w, &ct->counters_reply);

	if (ctnl_has(ct, CTA_STATUS)) {
		if (ct->status & 0x8000u) /* IPS_HW_OFFLOAD */
			ctnl_w_lit(&w, "[HW_OFFLOAD] ");
		else if (ct->status & 0x4000u) /* IPS_OFFLOAD */
			ctnl_w_lit(&w, "[OFFLOAD] ");
		else if (ct->status & IPS_ASSURED)
			ctnl_w_lit(&w, "[ASSURED] ");
	}
	if (ctnl_has(ct, CTA_MARK)) {
		ctnl_w_lit(&w, "mark=");
		ctnl_w_u32(&w, ct->mark);
		ctnl_w_ch(&w, ' ');
	}
	if (ctnl_has(ct, CTA_SECMARK)) {
		ctnl_w_lit(&w, "secmark=");
		ctnl_w_u32(&w, ct->secmark);
		ctnl_w_ch(&w, ' ');
	}
	if (ctnl_has(ct, CTA_SECCTX) && ctnl_has(&ct->secctx, CTA_SECCTX_NAME)) {
		ctnl_w_lit(&w, "secctx=");
		ctnl_w_mem(&w, ct->secctx.name.ptr, ct->secctx.name.len);
		ctnl_w_ch(&w, ' ');
	}
	if (ctnl_has(ct, CTA_ZONE))
		put_zone(&w, "zone=", 5, ct->zone);

	if (ctnl_has(ct, CTA_TIMESTAMP)) {
		const struct ctnl_ct_tstamp *ts = &ct->timestamp;

		if (ctnl_has(ts, CTA_TIMESTAMP_START)) {
			ctnl_w_lit(&w, "delta-time=");
			ctnl_w_u64(&w, (uint64_t)ctnl_r_delta_time(ts->start, ts->stop, o->now));
			ctnl_w_ch(&w, ' ');
		}
		if (flags & CTNL_OUT_KTIMESTAMP) {
			if (ctnl_has(ts, CTA_TIMESTAMP_START))
				put_date(&w, "[start=", 7, ts->start, o->tz_offset);
			if (ctnl_has(ts, CTA_TIMESTAMP_STOP))
				put_date(&w, "[stop=", 6, ts->stop, o->tz_offset);
		}
	}

	if (ctnl_has(ct, CTA_HELP) && ctnl_has(&ct->help, CTA_HELP_NAME)) {
		/* libnetfilter_conntrack keeps 15 bytes of the name */
		ctnl_w_lit(&w, "helper=");
		ctnl_w_mem(&w, ct->help.name.ptr, ct->help.name.len < 15 ? ct->help.name.len : 15);
		ctnl_w_ch(&w, ' ');
	}
	if (ctnl_has(ct, CTA_USE)) {
		ctnl_w_lit(&w, "use=");
		ctnl_w_u32(&w, ct->use);
		ctnl_w_ch(&w, ' ');
	}
	if ((flags & CTNL_OUT_ID) && ctnl_has(ct, CTA_ID)) {
		ctnl_w_lit(&w, "id=");
		ctnl_w_u32(&w, ct->id);
		ctnl_w_ch(&w, ' ');
	}
	if ((flags & CTNL_OUT_LABELS) && o->label_names && ctnl_has(ct, CTA_LABELS) && ct->labels.len)
		put_labels(&w, &ct->labels, o);

	ctnl_w_unput(&w); /* the last blank */

partial:
	if ((flags & CTNL_OUT_EVENT) && m->hdr.pid) {
		ctnl_w_lit(&w, " [USERSPACE] portid=");
		ctnl_w_u32(&w, m->hdr.pid);
	}
	return ctnl_w_end(&w);
}
