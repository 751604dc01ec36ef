/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * -o save: each entry as the command line that makes it again, for
 * `ctnl -R` (or `conntrack -R`).
 *
 * The line starts as conntrack 1.4.7 writes it:
 *
 *   -A -t 118 -u SEEN_REPLY,ASSURED [-c N] [-w Z] [--orig-zone Z] [--reply-zone Z]
 *      -s A -d B -r C|-g C -q D|-n D -p tcp --sport ... --state ESTABLISHED
 *
 * and, unlike conntrack, carries what it drops: " -m MARK" when the mark
 * is not 0, " --label-add a,b" for the labels that have a name.  A
 * helper is written as a comment-free trailing " --helper NAME" only by
 * ctnl's JSON; conntrack cannot create a helper binding, so neither can
 * the save line (it is listed in docs/cli.md).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/nf_conntrack_common.h>

#include "conntrack_out.h"

struct sbuf {
	char *p;
	size_t len, pos;
};

static void put(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->pos < b->len ? b->p + b->pos : NULL, b->pos < b->len ? b->len - b->pos : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->pos += (size_t)n;
}

static void put_addr(struct sbuf *b, const char *opt, int family, const uint8_t *a)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(family, a, s, sizeof(s));
	put(b, "%s %s ", opt, s);
}

static const char *const tcp_states[] = { "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
					  "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2" };
static const char *const sctp_states[] = { "NONE", "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED",
					   "SHUTDOWN_SENT", "SHUTDOWN_RECD", "SHUTDOWN_ACK_SENT" };
static const char *const dccp_states[] = { "NONE", "REQUEST", "RESPOND", "PARTOPEN", "OPEN",
					   "CLOSEREQ", "CLOSING", "TIMEWAIT", "IGNORE", "INVALID" };

static const char *state_name(const char *const *names, unsigned n, unsigned v)
{
	return v < n ? names[v] : "(null)";
}

int ctc_save_line(char *buf, size_t len, const struct ctnl_ct_msg *m, const char *verb, struct ctc_ctx *ctx)
{
	const struct ctnl_ct *ct = &m->ct;
	const struct ctnl_ct_proto *op = &ct->orig.proto, *rp = &ct->reply.proto;
	const struct ctnl_ct_protoinfo *pi = &ct->protoinfo;
	struct sbuf b = { buf, len, 0 };
	int fam = m->hdr.family, v4 = fam == AF_INET;
	const uint8_t *osrc = v4 ? ct->orig.ip.v4_src : ct->orig.ip.v6_src;
	const uint8_t *odst = v4 ? ct->orig.ip.v4_dst : ct->orig.ip.v6_dst;
	const uint8_t *rsrc = v4 ? ct->reply.ip.v4_src : ct->reply.ip.v6_src;
	const uint8_t *rdst = v4 ? ct->reply.ip.v4_dst : ct->reply.ip.v6_dst;
	int alen = v4 ? 4 : 16, snat, dnat;
	uint8_t proto = op->num;

	if (len)
		buf[0] = '\0';
	put(&b, "%s ", verb);
	if (ctnl_has(ct, CTA_TIMEOUT))
		put(&b, "-t %u ", ct->timeout);
	if (ctnl_has(ct, CTA_STATUS)) {
		static const struct { unsigned bit; const char *name; } st[] = {
			{ IPS_EXPECTED_BIT, "EXPECTED" }, { IPS_SEEN_REPLY_BIT, "SEEN_REPLY" },
			{ IPS_ASSURED_BIT, "ASSURED" }, { IPS_FIXED_TIMEOUT_BIT, "FIXED_TIMEOUT" },
		};
		int any = 0;

		put(&b, "-u ");
		for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++)
			if (ct->status & (1u << st[i].bit)) {
				put(&b, "%s%s", any ? "," : "", st[i].name);
				any = 1;
			}
		put(&b, "%s ", any ? "" : "UNSET");
	}
	if (ctnl_has(ct, CTA_SECMARK))
		put(&b, "-c %u ", ct->secmark);
	if (ctnl_has(ct, CTA_ZONE))
		put(&b, "-w %u ", ct->zone);
	if (ctnl_has(&ct->orig, CTA_TUPLE_ZONE))
		put(&b, "--orig-zone %u ", ct->orig.zone);
	if (ctnl_has(&ct->reply, CTA_TUPLE_ZONE))
		put(&b, "--reply-zone %u ", ct->reply.zone);
	if (fam != AF_INET && fam != AF_INET6) {
		fprintf(ctx->io->err, "WARNING: unsupported l3proto %d, skipping.\n", fam);
		if (len)
			buf[0] = '\0';
		return 0;
	}
	snat = (!ctnl_has(ct, CTA_STATUS) || (ct->status & IPS_SRC_NAT_DONE)) && memcmp(rdst, osrc, alen);
	dnat = (!ctnl_has(ct, CTA_STATUS) || (ct->status & IPS_DST_NAT_DONE)) && memcmp(rsrc, odst, alen);
	put_addr(&b, "-s", fam, osrc);
	put_addr(&b, "-d", fam, odst);
	put_addr(&b, dnat ? "-g" : "-r", fam, rsrc);
	put_addr(&b, snat ? "-n" : "-q", fam, rdst);

	switch (proto) {
	case 6: case 17: case 136: case 132: case 33: case 47: {
		const char *name = proto == 6 ? "tcp" : proto == 17 ? "udp" : proto == 136 ? "udplite" :
				   proto == 132 ? "sctp" : proto == 33 ? "dccp" : "gre";
		int gre = proto == 47;

		put(&b, "-p %s ", name);
		if (ctnl_has(op, CTA_PROTO_SRC_PORT))
			put(&b, "%s %u ", gre ? "--srckey" : "--sport", op->src_port);
		if (ctnl_has(op, CTA_PROTO_DST_PORT))
			put(&b, "%s %u ", gre ? "--dstkey" : "--dport", op->dst_port);
		if (ctnl_has(rp, CTA_PROTO_SRC_PORT))
			put(&b, "%s %u ", gre ? "--reply-key-src" : "--reply-port-src", rp->src_port);
		if (ctnl_has(rp, CTA_PROTO_DST_PORT))
			put(&b, "%s %u ", gre ? "--reply-key-dst" : "--reply-port-dst", rp->dst_port);
		if (proto == 6 && ctnl_has(pi, CTA_PROTOINFO_TCP) && ctnl_has(&pi->tcp, CTA_PROTOINFO_TCP_STATE))
			put(&b, "--state %s ", state_name(tcp_states, 10, pi->tcp.state));
		if (proto == 132 && ctnl_has(pi, CTA_PROTOINFO_SCTP)) {
			if (ctnl_has(&pi->sctp, CTA_PROTOINFO_SCTP_STATE))
				put(&b, "--state %s ", state_name(sctp_states, 8, pi->sctp.state));
			if (ctnl_has(&pi->sctp, CTA_PROTOINFO_SCTP_VTAG_ORIGINAL))
				put(&b, "--orig-vtag %u ", pi->sctp.vtag_orig);
			if (ctnl_has(&pi->sctp, CTA_PROTOINFO_SCTP_VTAG_REPLY))
				put(&b, "--reply-vtag %u ", pi->sctp.vtag_reply);
		}
		if (proto == 33 && ctnl_has(pi, CTA_PROTOINFO_DCCP)) {
			if (ctnl_has(&pi->dccp, CTA_PROTOINFO_DCCP_STATE))
				put(&b, "--state %s ", state_name(dccp_states, 10, pi->dccp.state));
			if (ctnl_has(&pi->dccp, CTA_PROTOINFO_DCCP_ROLE))
				put(&b, "--role %s ", pi->dccp.role == 0 ? "client" : pi->dccp.role == 1 ? "server" : "(null)");
		}
		break;
	}
	case 1:
	case 58: {
		const char *v6 = proto == 58 ? "v6" : "";
		int t = proto == 58 ? CTA_PROTO_ICMPV6_TYPE : CTA_PROTO_ICMP_TYPE;
		int c = proto == 58 ? CTA_PROTO_ICMPV6_CODE : CTA_PROTO_ICMP_CODE;
		int id = proto == 58 ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID;

		put(&b, "-p icmp%s ", v6);
		if (ctnl_has(op, t))
			put(&b, "--icmp%s-type %u ", v6, proto == 58 ? op->icmpv6_type : op->icmp_type);
		if (ctnl_has(op, c))
			put(&b, "--icmp%s-code %u ", v6, proto == 58 ? op->icmpv6_code : op->icmp_code);
		if (ctnl_has(op, id))
			put(&b, "--icmp%s-id %u ", v6, proto == 58 ? op->icmpv6_id : op->icmp_id);
		break;
	}
	default:
		put(&b, "-p %u ", proto);
		break;
	}

	/* what conntrack leaves out */
	if (ctnl_has(ct, CTA_MARK) && ct->mark)
		put(&b, "-m %u ", ct->mark);
	if (ctnl_has(ct, CTA_LABELS) && ct->labels.len && ctx->labels) {
		int any = 0;

		for (unsigned i = 0; i < ct->labels.len * 8u && i < CTNL_LABELS_MAX; i++)
			if (((ct->labels.ptr[i / 8] >> (i % 8)) & 1) && ctx->labels->names[i]) {
				put(&b, "%s%s", any ? "," : "--label-add ", ctx->labels->names[i]);
				any = 1;
			}
		if (any)
			put(&b, " ");
	}
	while (b.pos && b.pos <= b.len && buf[b.pos - 1] == ' ')
		buf[--b.pos] = '\0';
	return (int)b.pos;
}
