/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One JSON object per conntrack message; the schema is docs/json.md.
 *
 * Keys appear in a fixed order, a key is present only when the message
 * carries what it describes, and everything the decoder kept is shown
 * (unknown attributes included), so the object is a lossless view of the
 * decoded struct apart from raw padding.
 */
#include <stdint.h>
#include <string.h>

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/render.h>

#include "fmt.h"

/* enum ip_conntrack_status bit names (the kernel's, without IPS_). */
static const char *const status_names[16] = {
	"EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT", "DST_NAT", "SEQ_ADJUST", "SRC_NAT_DONE",
	"DST_NAT_DONE", "DYING", "FIXED_TIMEOUT", "TEMPLATE", "UNTRACKED", "HELPER", "OFFLOAD", "HW_OFFLOAD",
};

/* struct nf_ct_tcp_flags bits (IP_CT_TCP_FLAG_*, without the prefix). */
static const char *const tcp_flag_names[8] = {
	"WINDOW_SCALE", "SACK_PERM", "CLOSE_INIT", "BE_LIBERAL",
	"DATA_UNACKNOWLEDGED", "MAXACK_SET", "EXP_CHALLENGE_ACK", "SIMULTANEOUS_OPEN",
};

/* A JSON object writer on top of ctnl_w: tracks whether a comma is due. */
struct jw {
	struct ctnl_w w;
	int first;
};

static void j_key(struct jw *j, const char *k, size_t n)
{
	if (!j->first)
		ctnl_w_ch(&j->w, ',');
	j->first = 0;
	ctnl_w_ch(&j->w, '"');
	ctnl_w_mem(&j->w, k, n);
	ctnl_w_lit(&j->w, "\":");
}

#define K(j, lit) j_key((j), (lit), sizeof(lit) - 1)

static void j_open(struct jw *j, char c)
{
	ctnl_w_ch(&j->w, c);
	j->first = 1;
}

static void j_close(struct jw *j, char c)
{
	ctnl_w_ch(&j->w, c);
	j->first = 0;
}

/* An array element separator. */
static void j_elem(struct jw *j)
{
	if (!j->first)
		ctnl_w_ch(&j->w, ',');
	j->first = 0;
}

static void j_u64(struct jw *j, const char *k, size_t n, uint64_t v)
{
	j_key(j, k, n);
	ctnl_w_u64(&j->w, v);
}

#define KU(j, lit, v) j_u64((j), (lit), sizeof(lit) - 1, (v))

static void j_cstr(struct jw *j, const char *k, size_t n, const char *s)
{
	j_key(j, k, n);
	ctnl_w_json_cstr(&j->w, s);
}

#define KS(j, lit, s) j_cstr((j), (lit), sizeof(lit) - 1, (s))

static void j_bool(struct jw *j, const char *k, size_t n, int v)
{
	j_key(j, k, n);
	if (v)
		ctnl_w_lit(&j->w, "true");
	else
		ctnl_w_lit(&j->w, "false");
}

static void j_view(struct jw *j, const struct ctnl_view *v)
{
	ctnl_w_json_str(&j->w, v->ptr, v->len);
}

static void j_hex(struct jw *j, const struct ctnl_view *v)
{
	ctnl_w_ch(&j->w, '"');
	for (uint32_t i = 0; i < v->len; i++) {
		char h[2] = { ctnl_hexdig[v->ptr[i] >> 4], ctnl_hexdig[v->ptr[i] & 15] };

		ctnl_w_mem(&j->w, h, 2);
	}
	ctnl_w_ch(&j->w, '"');
}

static void j_ip(struct jw *j, const char *k, size_t n, const uint8_t *a, int v6)
{
	char tmp[48];
	size_t l = v6 ? ctnl_fmt_ipv6(tmp, a) : ctnl_fmt_ipv4(tmp, a);

	j_key(j, k, n);
	ctnl_w_ch(&j->w, '"');
	ctnl_w_mem(&j->w, tmp, l);
	ctnl_w_ch(&j->w, '"');
}

/* The members of a tuple object (the caller opened it). */
static void j_tuple_members(struct jw *j, const struct ctnl_ct_tuple *t)
{
	const struct ctnl_ct_ip *ip = &t->ip;
	const struct ctnl_ct_proto *p = &t->proto;

	if (ctnl_has(t, CTA_TUPLE_IP)) {
		/* an IPv6 attribute wins over an IPv4 one, as in conntrack */
		if (ctnl_has(ip, CTA_IP_V6_SRC))
			j_ip(j, "src", 3, ip->v6_src, 1);
		else if (ctnl_has(ip, CTA_IP_V4_SRC))
			j_ip(j, "src", 3, ip->v4_src, 0);
		if (ctnl_has(ip, CTA_IP_V6_DST))
			j_ip(j, "dst", 3, ip->v6_dst, 1);
		else if (ctnl_has(ip, CTA_IP_V4_DST))
			j_ip(j, "dst", 3, ip->v4_dst, 0);
	}
	if (ctnl_has(t, CTA_TUPLE_PROTO)) {
		int gre = ctnl_has(p, CTA_PROTO_NUM) && p->num == 47;

		if (ctnl_has(p, CTA_PROTO_NUM)) {
			const char *n = ctnl_r_proto_name(p->num);

			KS(j, "proto", n ? n : "unknown");
			KU(j, "proto_num", p->num);
		}
		if (ctnl_has(p, CTA_PROTO_SRC_PORT)) {
			if (gre)
				KU(j, "srckey", p->src_port);
			else
				KU(j, "sport", p->src_port);
		}
		if (ctnl_has(p, CTA_PROTO_DST_PORT)) {
			if (gre)
				KU(j, "dstkey", p->dst_port);
			else
				KU(j, "dport", p->dst_port);
		}
		/* ICMPv6 fields share the ICMP names; v6 wins if both came */
		if (ctnl_has(p, CTA_PROTO_ICMPV6_TYPE))
			KU(j, "type", p->icmpv6_type);
		else if (ctnl_has(p, CTA_PROTO_ICMP_TYPE))
			KU(j, "type", p->icmp_type);
		if (ctnl_has(p, CTA_PROTO_ICMPV6_CODE))
			KU(j, "code", p->icmpv6_code);
		else if (ctnl_has(p, CTA_PROTO_ICMP_CODE))
			KU(j, "code", p->icmp_code);
		if (ctnl_has(p, CTA_PROTO_ICMPV6_ID))
			KU(j, "id", p->icmpv6_id);
		else if (ctnl_has(p, CTA_PROTO_ICMP_ID))
			KU(j, "id", p->icmp_id);
	}
	if (ctnl_has(t, CTA_TUPLE_ZONE))
		KU(j, "zone", t->zone);
}

static void j_counters(struct jw *j, const struct ctnl_ct_counters *c)
{
	if (ctnl_has(c, CTA_COUNTERS_PACKETS))
		KU(j, "packets", c->packets);
	else if (ctnl_has(c, CTA_COUNTERS32_PACKETS))
		KU(j, "packets", c->packets32);
	if (ctnl_has(c, CTA_COUNTERS_BYTES))
		KU(j, "bytes", c->bytes);
	else if (ctnl_has(c, CTA_COUNTERS32_BYTES))
		KU(j, "bytes", c->bytes32);
}

/* "orig"/"reply": the tuple and that direction's counters. */
static void j_direction(struct jw *j, const char *k, size_t n, const struct ctnl_ct *ct, int tuple_type,
			int counters_type)
{
	const struct ctnl_ct_tuple *t = tuple_type == CTA_TUPLE_ORIG ? &ct->orig : &ct->reply;
	const struct ctnl_ct_counters *c = counters_type == CTA_COUNTERS_ORIG ? &ct->counters_orig : &ct->counters_reply;
	int has_t = (int)ctnl_has(ct, tuple_type), has_c = (int)ctnl_has(ct, counters_type);

	if (!has_t && !has_c)
		return;
	j_key(j, k, n);
	j_open(j, '{');
	if (has_t)
		j_tuple_members(j, t);
	if (has_c)
		j_counters(j, c);
	j_close(j, '}');
}

static void j_state(struct jw *j, const char *name, uint8_t num)
{
	KS(j, "state", name ? name : "NONE");
	KU(j, "state_num", num);
}

static void j_tcpflags(struct jw *j, const char *k, size_t n, const struct ctnl_ct_tcpflags *f)
{
	j_key(j, k, n);
	j_open(j, '{');
	KU(j, "flags", f->flags);
	KU(j, "mask", f->mask);
	K(j, "names");
	j_open(j, '[');
	for (unsigned b = 0; b < 8; b++) {
		if (!(f->flags & (1u << b)))
			continue;
		j_elem(j);
		ctnl_w_json_cstr(&j->w, tcp_flag_names[b]);
	}
	j_close(j, ']');
	j_close(j, '}');
}

static void j_protoinfo(struct jw *j, const struct ctnl_ct_protoinfo *pi)
{
	K(j, "protoinfo");
	j_open(j, '{');
	if (ctnl_has(pi, CTA_PROTOINFO_TCP)) {
		const struct ctnl_ct_tcp *t = &pi->tcp;

		K(j, "tcp");
		j_open(j, '{');
		if (ctnl_has(t, CTA_PROTOINFO_TCP_STATE))
			j_state(j, ctnl_r_tcp_state(t->state), t->state);
		if (ctnl_has(t, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL))
			KU(j, "wscale_orig", t->wscale_orig);
		if (ctnl_has(t, CTA_PROTOINFO_TCP_WSCALE_REPLY))
			KU(j, "wscale_reply", t->wscale_reply);
		if (ctnl_has(t, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL))
			j_tcpflags(j, "flags_orig", 10, &t->flags_orig);
		if (ctnl_has(t, CTA_PROTOINFO_TCP_FLAGS_REPLY))
			j_tcpflags(j, "flags_reply", 11, &t->flags_reply);
		j_close(j, '}');
	}
	if (ctnl_has(pi, CTA_PROTOINFO_DCCP)) {
		const struct ctnl_ct_dccp *d = &pi->dccp;

		K(j, "dccp");
		j_open(j, '{');
		if (ctnl_has(d, CTA_PROTOINFO_DCCP_STATE))
			j_state(j, ctnl_r_dccp_state(d->state), d->state);
		if (ctnl_has(d, CTA_PROTOINFO_DCCP_ROLE)) {
			KS(j, "role", d->role == 0 ? "client" : d->role == 1 ? "server" : "unknown");
			KU(j, "role_num", d->role);
		}
		if (ctnl_has(d, CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ))
			KU(j, "handshake_seq", d->handshake_seq);
		j_close(j, '}');
	}
	if (ctnl_has(pi, CTA_PROTOINFO_SCTP)) {
		const struct ctnl_ct_sctp *s = &pi->sctp;

		K(j, "sctp");
		j_open(j, '{');
		if (ctnl_has(s, CTA_PROTOINFO_SCTP_STATE))
			j_state(j, ctnl_r_sctp_state(s->state), s->state);
		if (ctnl_has(s, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL))
			KU(j, "vtag_orig", s->vtag_orig);
		if (ctnl_has(s, CTA_PROTOINFO_SCTP_VTAG_REPLY))
			KU(j, "vtag_reply", s->vtag_reply);
		j_close(j, '}');
	}
	j_close(j, '}');
}

static void j_nat(struct jw *j, const char *k, size_t n, const struct ctnl_ct_nat *nat)
{
	j_key(j, k, n);
	j_open(j, '{');
	if (ctnl_has(nat, CTA_NAT_V6_MINIP))
		j_ip(j, "min", 3, nat->v6_min, 1);
	else if (ctnl_has(nat, CTA_NAT_V4_MINIP))
		j_ip(j, "min", 3, nat->v4_min, 0);
	if (ctnl_has(nat, CTA_NAT_V6_MAXIP))
		j_ip(j, "max", 3, nat->v6_max, 1);
	else if (ctnl_has(nat, CTA_NAT_V4_MAXIP))
		j_ip(j, "max", 3, nat->v4_max, 0);
	if (ctnl_has(nat, CTA_NAT_PROTO)) {
		if (ctnl_has(&nat->proto, CTA_PROTONAT_PORT_MIN))
			KU(j, "port_min", nat->proto.port_min);
		if (ctnl_has(&nat->proto, CTA_PROTONAT_PORT_MAX))
			KU(j, "port_max", nat->proto.port_max);
	}
	j_close(j, '}');
}

static void j_seqadj(struct jw *j, const char *k, size_t n, const struct ctnl_ct_seqadj *s)
{
	j_key(j, k, n);
	j_open(j, '{');
	if (ctnl_has(s, CTA_SEQADJ_CORRECTION_POS))
		KU(j, "correction_pos", s->correction_pos);
	if (ctnl_has(s, CTA_SEQADJ_OFFSET_BEFORE))
		KU(j, "offset_before", s->offset_before);
	if (ctnl_has(s, CTA_SEQADJ_OFFSET_AFTER))
		KU(j, "offset_after", s->offset_after);
	j_close(j, '}');
}

/* [{"bit":N,"name":"x"|null}, ...] for the set bits of a label bitmap. */
static void j_labels(struct jw *j, const char *k, size_t n, const struct ctnl_view *l,
		     const struct ctnl_render_opts *o)
{
	j_key(j, k, n);
	j_open(j, '[');
	for (unsigned i = 0; i < l->len * 8u; i++) {
		const char *name;

		if (!ctnl_r_label_bit(l->ptr, l->len, i))
			continue;
		name = o->label_names && i < o->nlabels ? o->label_names[i] : NULL;
		j_elem(j);
		j_open(j, '{');
		KU(j, "bit", i);
		K(j, "name");
		if (name && name[0])
			ctnl_w_json_cstr(&j->w, name);
		else
			ctnl_w_lit(&j->w, "null");
		j_close(j, '}');
	}
	j_close(j, ']');
}

static void j_status(struct jw *j, uint32_t status)
{
	KU(j, "status", status);
	K(j, "status_flags");
	j_open(j, '[');
	for (unsigned b = 0; b < 32; b++) {
		if (!(status & (1u << b)))
			continue;
		j_elem(j);
		if (b < 16) {
			ctnl_w_json_cstr(&j->w, status_names[b]);
		} else {
			ctnl_w_lit(&j->w, "\"BIT_");
			ctnl_w_u32(&j->w, b);
			ctnl_w_ch(&j->w, '"');
		}
	}
	j_close(j, ']');
	j_bool(j, "unreplied", 9, !(status & IPS_SEEN_REPLY));
}

static void j_unknown(struct jw *j, const struct ctnl_ct_msg *m)
{
	const struct ctnl_nest_desc *root = ctnl_ct_desc();

	K(j, "unknown");
	j_open(j, '[');
	for (unsigned i = 0; i < m->unknown.kept && i < CTNL_UNKNOWN_MAX; i++) {
		const struct ctnl_unknown *u = &m->unknown.list[i];
		char path[CTNL_MAX_DEPTH * 24 + 16];

		ctnl_unknown_path(root, u, path, sizeof(path));
		j_elem(j);
		j_open(j, '{');
		KS(j, "path", path);
		KU(j, "type", u->type & 0x3fffu);
		KU(j, "len", u->len);
		KU(j, "offset", u->offset);
		j_close(j, '}');
	}
	j_close(j, ']');
	if (m->unknown.count > m->unknown.kept)
		KU(j, "unknown_count", m->unknown.count);
}

int ctnl_ct_json(char *buf, size_t len, const struct ctnl_ct_msg *m, const struct ctnl_render_opts *o)
{
	struct ctnl_render_opts opts;
	const struct ctnl_ct *ct = &m->ct;
	struct jw jw, *j = &jw;
	int kind = 0;

	o = ctnl_r_opts(&opts, o);
	ctnl_w_init(&j->w, buf, len);
	j_open(j, '{');

	/* the kernel never sets NLM_F_REQUEST: such a message (from a
	 * capture) is a request, whatever its other flags */
	if ((o->flags & CTNL_OUT_EVENT) || (ctnl_ct_is_event(&m->hdr) && !(m->hdr.flags & NLM_F_REQUEST)))
		kind = ctnl_r_event_kind(m->hdr.type, m->hdr.flags);
	if (!kind && (m->hdr.flags & NLM_F_REQUEST))
		KS(j, "type", "request");
	else
		KS(j, "type", kind == 1 ? "new" : kind == 2 ? "update" : kind == 3 ? "destroy" : "entry");
	if (kind && m->hdr.pid)
		KU(j, "portid", m->hdr.pid);
	{
		const char *f = ctnl_r_family_name(m->hdr.family);

		KS(j, "family", f ? f : "unknown");
		KU(j, "family_num", m->hdr.family);
	}
	if (ctnl_has(ct, CTA_TUPLE_ORIG) && ctnl_has(&ct->orig, CTA_TUPLE_PROTO) &&
	    ctnl_has(&ct->orig.proto, CTA_PROTO_NUM)) {
		const char *n = ctnl_r_proto_name(ct->orig.proto.num);

		KS(j, "proto", n ? n : "unknown");
		KU(j, "proto_num", ct->orig.proto.num);
	}
	if (ctnl_has(ct, CTA_TIMEOUT))
		KU(j, "timeout", ct->timeout);
	if (ctnl_has(ct, CTA_PROTOINFO)) {
		const struct ctnl_ct_protoinfo *pi = &ct->protoinfo;

		/* the state conntrack prints: TCP, else SCTP, else DCCP */
		if (ctnl_has(pi, CTA_PROTOINFO_TCP) && ctnl_has(&pi->tcp, CTA_PROTOINFO_TCP_STATE)) {
			const char *s = ctnl_r_tcp_state(pi->tcp.state);
			KS(j, "state", s ? s : "NONE");
		} else if (ctnl_has(pi, CTA_PROTOINFO_SCTP) && ctnl_has(&pi->sctp, CTA_PROTOINFO_SCTP_STATE)) {
			const char *s = ctnl_r_sctp_state(pi->sctp.state);
			KS(j, "state", s ? s : "NONE");
		} else if (ctnl_has(pi, CTA_PROTOINFO_DCCP) && ctnl_has(&pi->dccp, CTA_PROTOINFO_DCCP_STATE)) {
			const char *s = ctnl_r_dccp_state(pi->dccp.state);
			KS(j, "state", s ? s : "NONE");
		}
	}
	j_direction(j, "orig", 4, ct, CTA_TUPLE_ORIG, CTA_COUNTERS_ORIG);
	j_direction(j, "reply", 5, ct, CTA_TUPLE_REPLY, CTA_COUNTERS_REPLY);
	if (ctnl_has(ct, CTA_STATUS))
		j_status(j, ct->status);
	if (ctnl_has(ct, CTA_MARK))
		KU(j, "mark", ct->mark);
	if (ctnl_has(ct, CTA_SECMARK))
		KU(j, "secmark", ct->secmark);
	if (ctnl_has(ct, CTA_SECCTX) && ctnl_has(&ct->secctx, CTA_SECCTX_NAME)) {
		K(j, "secctx");
		j_view(j, &ct->secctx.name);
	}
	if (ctnl_has(ct, CTA_ZONE))
		KU(j, "zone", ct->zone);
	if (ctnl_has(ct, CTA_USE))
		KU(j, "use", ct->use);
	if (ctnl_has(ct, CTA_ID))
		KU(j, "id", ct->id);
	if (ctnl_has(ct, CTA_HELP)) {
		if (ctnl_has(&ct->help, CTA_HELP_NAME)) {
			K(j, "helper");
			j_view(j, &ct->help.name);
		}
		if (ctnl_has(&ct->help, CTA_HELP_INFO)) {
			K(j, "helper_info");
			j_hex(j, &ct->help.info);
		}
	}
	if (ctnl_has(ct, CTA_LABELS))
		j_labels(j, "labels", 6, &ct->labels, o);
	if (ctnl_has(ct, CTA_TIMESTAMP)) {
		const struct ctnl_ct_tstamp *ts = &ct->timestamp;

		K(j, "timestamp");
		j_open(j, '{');
		if (ctnl_has(ts, CTA_TIMESTAMP_START))
			KU(j, "start", ts->start);
		if (ctnl_has(ts, CTA_TIMESTAMP_STOP))
			KU(j, "stop", ts->stop);
		if (ctnl_has(ts, CTA_TIMESTAMP_START) && (ts->stop != 0 || o->now != 0)) {
			K(j, "delta_time");
			ctnl_w_i64(&j->w, ctnl_r_delta_time(ts->start, ts->stop, o->now));
		}
		j_close(j, '}');
	}
	if (ctnl_has(ct, CTNL_CTA_TIMESTAMP_EVENT))
		KU(j, "timestamp_event", ct->timestamp_event);
	if (ctnl_has(ct, CTA_PROTOINFO))
		j_protoinfo(j, &ct->protoinfo);
	if (ctnl_has(ct, CTA_TUPLE_MASTER)) {
		K(j, "master");
		j_open(j, '{');
		j_tuple_members(j, &ct->master);
		j_close(j, '}');
	}
	if (ctnl_has(ct, CTA_SEQ_ADJ_ORIG) || ctnl_has(ct, CTA_SEQ_ADJ_REPLY)) {
		K(j, "seq_adj");
		j_open(j, '{');
		if (ctnl_has(ct, CTA_SEQ_ADJ_ORIG))
			j_seqadj(j, "orig", 4, &ct->seqadj_orig);
		if (ctnl_has(ct, CTA_SEQ_ADJ_REPLY))
			j_seqadj(j, "reply", 5, &ct->seqadj_reply);
		j_close(j, '}');
	}
	if (ctnl_has(ct, CTA_SYNPROXY)) {
		const struct ctnl_ct_synproxy *s = &ct->synproxy;

		K(j, "synproxy");
		j_open(j, '{');
		if (ctnl_has(s, CTA_SYNPROXY_ISN))
			KU(j, "isn", s->isn);
		if (ctnl_has(s, CTA_SYNPROXY_ITS))
			KU(j, "its", s->its);
		if (ctnl_has(s, CTA_SYNPROXY_TSOFF))
			KU(j, "tsoff", s->tsoff);
		j_close(j, '}');
	}
	if (ctnl_has(ct, CTA_NAT_SRC) || ctnl_has(ct, CTA_NAT_DST)) {
		K(j, "nat");
		j_open(j, '{');
		if (ctnl_has(ct, CTA_NAT_SRC))
			j_nat(j, "src", 3, &ct->nat_src);
		if (ctnl_has(ct, CTA_NAT_DST))
			j_nat(j, "dst", 3, &ct->nat_dst);
		j_close(j, '}');
	}
	if (ctnl_has(ct, CTA_MARK_MASK))
		KU(j, "mark_mask", ct->mark_mask);
	if (ctnl_has(ct, CTA_STATUS_MASK))
		KU(j, "status_mask", ct->status_mask);
	if (ctnl_has(ct, CTA_LABELS_MASK))
		j_labels(j, "labels_mask", 11, &ct->labels_mask, o);
	if (ctnl_has(ct, CTA_FILTER)) {
		K(j, "filter");
		j_open(j, '{');
		if (ctnl_has(&ct->filter, CTA_FILTER_ORIG_FLAGS))
			KU(j, "orig_flags", ct->filter.orig_flags);
		if (ctnl_has(&ct->filter, CTA_FILTER_REPLY_FLAGS))
			KU(j, "reply_flags", ct->filter.reply_flags);
		j_close(j, '}');
	}
	if (m->unknown.count)
		j_unknown(j, m);

	j_close(j, '}');
	return ctnl_w_end(&j->w);
}
