/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * -o xml: the <flow> elements conntrack(8) prints, as
 * libnetfilter_conntrack 1.0.9 writes them (one line per flow, no
 * indentation):
 *
 *   <flow [type="new"]>
 *     <meta direction="original"><layer3 ...><src/><dst/></layer3>
 *       <layer4 ...><sport/><dport/></layer4>[<zone/>][<counters/>]</meta>
 *     <meta direction="reply">...</meta>
 *     <meta direction="independent"><state/><timeout/><mark/>[<labels/>]
 *       <secmark/><zone/><use/><id/><assured/><unreplied/>[<timestamp/>]
 *       <deltatime/></meta>
 *     [<when>...</when>] [<helper/>]
 *   </flow>
 *
 * Habits kept: the counters element needs the original counters (for
 * both directions), SCTP and DCCP states are named from the TCP table,
 * GRE keys are hexadecimal, ICMP has an empty layer4.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/netfilter/nf_conntrack_common.h>

#include "conntrack_out.h"

struct xb {
	char *p;
	size_t len, pos;
};

static void x(struct xb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void x(struct xb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->pos < b->len ? b->p + b->pos : NULL, b->pos < b->len ? b->len - b->pos : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->pos += (size_t)n;
}

static const char *l4name(uint8_t p)
{
	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 33: return "dccp";
	case 47: return "gre";
	case 58: return "icmpv6";
	case 132: return "sctp";
	case 136: return "udplite";
	default: return "unknown";
	}
}

static const char *l3name(uint8_t f)
{
	return f == AF_INET ? "ipv4" : f == AF_INET6 ? "ipv6" : "unknown";
}

static void addr(struct xb *b, const char *tag, uint8_t fam, const uint8_t *a)
{
	char s[INET6_ADDRSTRLEN] = "";

	if (fam == AF_INET || fam == AF_INET6)
		inet_ntop(fam, a, s, sizeof(s));
	x(b, "<%s>%s</%s>", tag, s, tag);
}

static void ports(struct xb *b, uint8_t proto, int has_s, uint16_t s, int has_d, uint16_t d)
{
	switch (proto) {
	case 6: case 17: case 136: case 132: case 33:
		x(b, "<sport>%u</sport><dport>%u</dport>", has_s ? s : 0, has_d ? d : 0);
		break;
	case 47:
		x(b, "<srckey>0x%x</srckey><dstkey>0x%x</dstkey>", has_s ? s : 0, has_d ? d : 0);
		break;
	default:
		break;
	}
}

/* The tuple's addresses by the message's family, as the library keeps them. */
static void tuple_xml(struct xb *b, const struct ctnl_ct_msg *m, int repl)
{
	const struct ctnl_ct *ct = &m->ct;
	const struct ctnl_ct_tuple *t = repl ? &ct->reply : &ct->orig;
	int present = ctnl_has(ct, repl ? CTA_TUPLE_REPLY : CTA_TUPLE_ORIG);
	uint8_t fam = present ? m->hdr.family : 0, num = present ? t->proto.num : 0;
	const struct ctnl_ct_counters *c = repl ? &ct->counters_reply : &ct->counters_orig;

	x(b, "<meta direction=\"%s\">", repl ? "reply" : "original");
	x(b, "<layer3 protonum=\"%d\" protoname=\"%s\">", fam, l3name(fam));
	addr(b, "src", fam, fam == AF_INET ? t->ip.v4_src : t->ip.v6_src);
	addr(b, "dst", fam, fam == AF_INET ? t->ip.v4_dst : t->ip.v6_dst);
	x(b, "</layer3><layer4 protonum=\"%d\" protoname=\"%s\">", num, l4name(num));
	ports(b, num, ctnl_has(&t->proto, CTA_PROTO_SRC_PORT), t->proto.src_port,
	      ctnl_has(&t->proto, CTA_PROTO_DST_PORT), t->proto.dst_port);
	x(b, "</layer4>");
	if (ctnl_has(t, CTA_TUPLE_ZONE))
		x(b, "<zone>%u</zone>", t->zone);
	if (ctnl_has(ct, CTA_COUNTERS_ORIG) && ctnl_has(&ct->counters_orig, CTA_COUNTERS_PACKETS) &&
	    ctnl_has(&ct->counters_orig, CTA_COUNTERS_BYTES))
		x(b, "<counters><packets>%llu</packets><bytes>%llu</bytes></counters>",
		  (unsigned long long)c->packets, (unsigned long long)c->bytes);
	x(b, "</meta>");
}

static const char *const states[] = { "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
				       "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "LISTEN" };

static void when(struct xb *b)
{
	time_t t = time(NULL);
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return;
	x(b, "<when><hour>%d</hour><min>%02d</min><sec>%02d</sec><wday>%d</wday><day>%d</day><month>%d</month>"
	     "<year>%d</year></when>",
	  tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_wday + 1, tm.tm_mday, tm.tm_mon + 1, 1900 + tm.tm_year);
}

int ctc_xml_ct(char *buf, size_t len, const struct ctnl_ct_msg *m, int kind, unsigned output, long now)
{
	static const char *const types[] = { "", " type=\"new\"", " type=\"update\"", " type=\"destroy\"" };
	const struct ctnl_ct *ct = &m->ct;
	const struct ctnl_ct_protoinfo *pi = &ct->protoinfo;
	struct xb b = { buf, len, 0 };
	int tcp = ctnl_has(pi, CTA_PROTOINFO_TCP) && ctnl_has(&pi->tcp, CTA_PROTOINFO_TCP_STATE);
	int sctp = ctnl_has(pi, CTA_PROTOINFO_SCTP) && ctnl_has(&pi->sctp, CTA_PROTOINFO_SCTP_STATE);
	int dccp = ctnl_has(pi, CTA_PROTOINFO_DCCP) && ctnl_has(&pi->dccp, CTA_PROTOINFO_DCCP_STATE);
	int ts = ctnl_has(ct, CTA_TIMESTAMP), start = ts && ctnl_has(&ct->timestamp, CTA_TIMESTAMP_START),
	    stop = ts && ctnl_has(&ct->timestamp, CTA_TIMESTAMP_STOP);
	int indep = tcp || sctp || dccp || ctnl_has(ct, CTA_TIMEOUT) || ctnl_has(ct, CTA_MARK) ||
		    ctnl_has(ct, CTA_SECMARK) || ctnl_has(ct, CTA_ZONE) || ctnl_has(ct, CTA_USE) ||
		    ctnl_has(ct, CTA_STATUS) || ctnl_has(ct, CTA_ID) || ctnl_has(ct, CTA_LABELS) || start || stop;

	if (len)
		buf[0] = '\0';
	x(&b, "<flow%s>", types[kind >= 0 && kind <= 3 ? kind : 0]);
	tuple_xml(&b, m, 0);
	tuple_xml(&b, m, 1);
	if (indep)
		x(&b, "<meta direction=\"independent\">");
	if (tcp)
		x(&b, "<state>%s</state>", states[pi->tcp.state < 10 ? pi->tcp.state : 0]);
	if (sctp)
		x(&b, "<state>%s</state>", states[pi->sctp.state < 10 ? pi->sctp.state : 0]);
	if (dccp)
		x(&b, "<state>%s</state>", states[pi->dccp.state < 10 ? pi->dccp.state : 0]);
	if (ctnl_has(ct, CTA_TIMEOUT))
		x(&b, "<timeout>%u</timeout>", ct->timeout);
	if (ctnl_has(ct, CTA_MARK))
		x(&b, "<mark>%u</mark>", ct->mark);
	if (ctnl_has(ct, CTA_SECMARK))
		x(&b, "<secmark>%u</secmark>", ct->secmark);
	if (ctnl_has(ct, CTA_SECCTX) && ctnl_has(&ct->secctx, CTA_SECCTX_NAME))
		x(&b, "<secctx>%.*s</secctx>", (int)ct->secctx.name.len, (const char *)ct->secctx.name.ptr);
	if (ctnl_has(ct, CTA_ZONE))
		x(&b, "<zone>%u</zone>", ct->zone);
	if (ctnl_has(ct, CTA_USE))
		x(&b, "<use>%u</use>", ct->use);
	if (ctnl_has(ct, CTA_ID))
		x(&b, "<id>%u</id>", ct->id);
	if (ctnl_has(ct, CTA_STATUS) && (ct->status & IPS_ASSURED))
		x(&b, "<assured/>");
	if (ctnl_has(ct, CTA_STATUS) && !(ct->status & IPS_SEEN_REPLY))
		x(&b, "<unreplied/>");
	if ((output & CTC_O_KTMS) && (start || stop)) {
		x(&b, "<timestamp>");
		if (start)
			x(&b, "<start>%llu</start>", (unsigned long long)ct->timestamp.start);
		if (stop)
			x(&b, "<stop>%llu</stop>", (unsigned long long)ct->timestamp.stop);
		x(&b, "</timestamp>");
	}
	if (start && stop)
		x(&b, "<deltatime>%llu</deltatime>",
		  (unsigned long long)(long long)((ct->timestamp.stop - ct->timestamp.start) / 1000000000u));
	else if (start)
		x(&b, "<deltatime>%llu</deltatime>",
		  (unsigned long long)(now - (long)(ct->timestamp.start / 1000000000u)));
	if (indep)
		x(&b, "</meta>");
	if ((output & CTC_O_TMS) && kind)
		when(&b);
	if (ctnl_has(ct, CTA_HELP) && ctnl_has(&ct->help, CTA_HELP_NAME))
		x(&b, "<helper>%.*s</helper>", (int)(ct->help.name.len < 15 ? ct->help.name.len : 15),
		  (const char *)ct->help.name.ptr);
	x(&b, "</flow>");
	return (int)b.pos;
}

static void exp_tuple(struct xb *b, const char *tag, const struct ctnl_ct_tuple *t, uint8_t fam, int l4, uint8_t num)
{
	x(b, "<%s>", tag);
	if (!l4) {
		addr(b, "src", fam, fam == AF_INET ? t->ip.v4_src : t->ip.v6_src);
		addr(b, "dst", fam, fam == AF_INET ? t->ip.v4_dst : t->ip.v6_dst);
	} else {
		ports(b, num, ctnl_has(&t->proto, CTA_PROTO_SRC_PORT), t->proto.src_port,
		      ctnl_has(&t->proto, CTA_PROTO_DST_PORT), t->proto.dst_port);
	}
	x(b, "</%s>", tag);
}

int ctc_xml_exp(char *buf, size_t len, const struct ctnl_exp_msg *m, int kind)
{
	static const char *const types[] = { "", " type=\"new\"", " type=\"update\"", " type=\"destroy\"" };
	const struct ctnl_exp *e = &m->exp;
	struct xb b = { buf, len, 0 };
	uint8_t fam = m->hdr.family;
	uint8_t num = ctnl_has(e, CTA_EXPECT_TUPLE) ? e->tuple.proto.num : 0;
	/* each tuple prints its own ports by its own protocol number */
	uint8_t mnum = ctnl_has(e, CTA_EXPECT_MASK) ? e->mask.proto.num : 0;
	uint8_t xnum = ctnl_has(e, CTA_EXPECT_MASTER) ? e->master.proto.num : 0;

	if (len)
		buf[0] = '\0';
	x(&b, "<flow%s>", types[kind >= 0 && kind <= 3 ? kind : 0]);
	x(&b, "<layer3 protonum=\"%d\" protoname=\"%s\">", fam, l3name(fam));
	exp_tuple(&b, "expected", &e->tuple, fam, 0, num);
	exp_tuple(&b, "mask", &e->mask, fam, 0, num);
	exp_tuple(&b, "master", &e->master, fam, 0, num);
	x(&b, "</layer3><layer4 protonum=\"%d\" protoname=\"%s\">", num, l4name(num));
	exp_tuple(&b, "expected", &e->tuple, fam, 1, num);
	exp_tuple(&b, "mask", &e->mask, fam, 1, mnum);
	exp_tuple(&b, "master", &e->master, fam, 1, xnum);
	x(&b, "</layer4><meta>");
	if (ctnl_has(e, CTA_EXPECT_HELP_NAME))
		x(&b, "<helper-name>%.*s</helper-name>", (int)(e->helper.len < 15 ? e->helper.len : 15),
		  (const char *)e->helper.ptr);
	if (ctnl_has(e, CTA_EXPECT_TIMEOUT))
		x(&b, "<timeout>%u</timeout>", e->timeout);
	if (ctnl_has(e, CTA_EXPECT_CLASS))
		x(&b, "<class>%u</class>", e->exp_class);
	if (ctnl_has(e, CTA_EXPECT_ZONE))
		x(&b, "<zone>%u</zone>", e->zone);
	if (e->flags & 1)
		x(&b, "<permanent/>");
	if (e->flags & 2)
		x(&b, "<inactive/>");
	if (e->flags & 4)
		x(&b, "<userspace/>");
	x(&b, "</meta></flow>");
	return (int)b.pos;
}
