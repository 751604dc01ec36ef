/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Error answers, and malformed requests built on purpose: the kernel must
 * answer each with the error of its policy (with an extended ACK where it
 * gives one) and the namespace must stay healthy afterwards.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/nf_conntrack_common.h>

#include "st.h"

/* ---- hand-made messages ---- */

struct mb {
	uint8_t b[1024];
	size_t len;
};

static void mb_hdr(struct mb *m, uint16_t type, uint16_t flags, uint8_t family)
{
	struct nlmsghdr nh = { .nlmsg_type = type, .nlmsg_flags = flags };
	uint8_t nfg[4] = { family, 0, 0, 0 };

	memset(m, 0, sizeof(*m));
	memcpy(m->b, &nh, sizeof(nh));
	memcpy(m->b + 16, nfg, 4);
	m->len = 20;
}

static size_t mb_attr(struct mb *m, uint16_t type, const void *data, size_t len)
{
	size_t at = m->len;
	uint16_t l = (uint16_t)(4 + len);

	memcpy(m->b + at, &l, 2);
	memcpy(m->b + at + 2, &type, 2);
	if (len)
		memcpy(m->b + at + 4, data, len);
	m->len = at + ((4 + len + 3) & ~(size_t)3);
	return at;
}

static size_t mb_nest(struct mb *m, uint16_t type)
{
	return mb_attr(m, type | NLA_F_NESTED, NULL, 0);
}

static void mb_close(struct mb *m, size_t at)
{
	uint16_t l = (uint16_t)(m->len - at);

	memcpy(m->b + at, &l, 2);
}

static void mb_end(struct mb *m)
{
	uint32_t l = (uint32_t)m->len;

	memcpy(m->b, &l, 4);
}

/* CTA_TUPLE_ORIG/REPLY for @proto 10.7.0.1:1000 -> 10.7.0.2:2000 (or reversed). */
static void mb_tuple(struct mb *m, uint16_t type, int reply, uint8_t proto)
{
	uint8_t a[4] = { 10, 7, 0, 1 }, b[4] = { 10, 7, 0, 2 };
	uint16_t sp = htons(1000), dp = htons(2000);
	size_t t = mb_nest(m, type), ip, pr;

	ip = mb_nest(m, CTA_TUPLE_IP);
	mb_attr(m, CTA_IP_V4_SRC, reply ? b : a, 4);
	mb_attr(m, CTA_IP_V4_DST, reply ? a : b, 4);
	mb_close(m, ip);
	pr = mb_nest(m, CTA_TUPLE_PROTO);
	mb_attr(m, CTA_PROTO_NUM, &proto, 1);
	mb_attr(m, CTA_PROTO_SRC_PORT, reply ? &dp : &sp, 2);
	mb_attr(m, CTA_PROTO_DST_PORT, reply ? &sp : &dp, 2);
	mb_close(m, pr);
	mb_close(m, t);
}

static uint16_t ct_type(uint8_t cmd)
{
	return (uint16_t)(NFNL_SUBSYS_CTNETLINK << 8 | cmd);
}

/* Still healthy: an entry can be created, read, deleted, and the table dumped. */
static void health(struct st_ctx *c, const char *after)
{
	struct ctnl_ct_msg m;
	struct st_list l;
	char what[160];
	int n;

	st_entry(&m, 17, "10.7.7.1", 1, "10.7.7.2", 2);
	snprintf(what, sizeof(what), "after %s: create", after);
	st_ct_expect(c, what, IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	snprintf(what, sizeof(what), "after %s: GET", after);
	st_eq(c, what, 0, st_get(c, &m, &l));
	st_list_free(&l);
	snprintf(what, sizeof(what), "after %s: delete", after);
	st_ct_expect(c, what, IPCTNL_MSG_CT_DELETE, ST_ACK, &m, 0);
	n = st_dump(c, IPCTNL_MSG_CT_GET, 0, NULL, &l);
	st_check(c, n >= 0, "after %s: the table still dumps (%d)", after, n);
	st_list_free(&l);
}

/* ---- error answers ---- */

static void create_exists(struct st_ctx *c)
{
	struct ctnl_ct_msg m;

	st_entry(&m, 6, "10.6.0.1", 1000, "10.6.0.2", 2000);
	st_ct_expect(c, "first create", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	st_ct_expect(c, "create of an existing entry", IPCTNL_MSG_CT_NEW, ST_CREATE, &m,
		     st_fault_on(c, "exist-errno") ? -ENOENT : -EEXIST);
	/* without EXCL it is an update, and succeeds */
	st_ct_expect(c, "create without EXCL of an existing entry (an update)", IPCTNL_MSG_CT_NEW,
		     NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, &m, 0);
}

static void missing(struct st_ctx *c)
{
	struct ctnl_ct_msg m;
	struct st_list l;

	st_entry(&m, 6, "10.6.0.1", 1000, "10.6.0.2", 2000);
	st_ct_expect(c, "delete of a missing entry", IPCTNL_MSG_CT_DELETE, ST_ACK, &m, -ENOENT);
	st_eq(c, "GET of a missing entry", -ENOENT, st_get(c, &m, &l));
	st_list_free(&l);
	st_ct_expect(c, "update (no CREATE) of a missing entry", IPCTNL_MSG_CT_NEW, ST_ACK, &m, -ENOENT);
	st_ct_expect(c, "create", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	if (st_get(c, &m, &l) == 0 && l.n == 1) {
		struct ctnl_ct_msg d = l.e[0];

		d.ct.id ^= 0x5a5a;
		st_ct_expect(c, "delete with a wrong CTA_ID", IPCTNL_MSG_CT_DELETE, ST_ACK, &d, -ENOENT);
		d.ct.id ^= 0x5a5a;
		st_ct_expect(c, "delete with the right CTA_ID", IPCTNL_MSG_CT_DELETE, ST_ACK, &d, 0);
	} else {
		st_check(c, 0, "GET of the created entry");
	}
	st_list_free(&l);
}

static void nat_update(struct st_ctx *c)
{
	struct ctnl_ct_msg m;

	st_entry(&m, 6, "10.6.0.1", 1000, "10.6.0.2", 2000);
	st_ct_expect(c, "create", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_NAT_SRC;
	m.ct.nat_src.present = 1u << CTA_NAT_V4_MINIP | 1u << CTA_NAT_V4_MAXIP;
	inet_pton(AF_INET, "10.6.9.9", m.ct.nat_src.v4_min);
	inet_pton(AF_INET, "10.6.9.9", m.ct.nat_src.v4_max);
	st_ct_expect(c, "update with CTA_NAT_SRC", IPCTNL_MSG_CT_NEW, ST_ACK, &m, -EOPNOTSUPP);
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_TUPLE_MASTER;
	st_tuple(&m.ct.master, 6, "10.6.0.1", 1, "10.6.0.2", 21);
	st_ct_expect(c, "update with CTA_TUPLE_MASTER", IPCTNL_MSG_CT_NEW, ST_ACK, &m, -EOPNOTSUPP);
}

static void invalid(struct st_ctx *c)
{
	struct ctnl_ct_msg m;

	st_entry(&m, 17, "10.6.0.1", 1000, "10.6.0.2", 2000);
	m.ct.present &= ~(1u << CTA_TIMEOUT);
	st_ct_expect(c, "create without CTA_TIMEOUT", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, -EINVAL);
	st_entry(&m, 17, "10.6.0.1", 1000, "10.6.0.2", 2000);
	m.ct.present &= ~(1u << CTA_TUPLE_REPLY);
	st_ct_expect(c, "create without a reply tuple", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, -EINVAL);
	st_entry(&m, 17, "10.6.0.1", 1000, "10.6.0.2", 2000);
	m.ct.reply.proto.num = 6;
	st_ct_expect(c, "create with tuples of two protocols", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, -EINVAL);
	st_entry(&m, 17, "10.6.0.1", 1000, "10.6.0.2", 2000);
	m.ct.status = IPS_SEEN_REPLY;
	st_ct_expect(c, "create with CTA_STATUS lacking CONFIRMED", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, -EBUSY);
	st_entry(&m, 17, "10.6.0.1", 1000, "10.6.0.2", 2000);
	m.ct.present |= 1u << CTA_HELP;
	m.ct.help.present = 1u << CTA_HELP_NAME;
	m.ct.help.name = (struct ctnl_view){ (const uint8_t *)"nosuchhelper", 12 };
	st_ct_expect(c, "create with an unknown helper", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, -EOPNOTSUPP);
	health(c, "refused creates");
}

/* A policy violation: the error, the extended ACK's text and the offset of
 * the attribute, which must name it. */
static void policy_case(struct st_ctx *c, const char *what, struct mb *m, int want, const char *path)
{
	struct st_reply r;
	char got[96] = "";
	int rc;

	mb_end(m);
	rc = st_talk(c, m->b, m->len, 0, &r);
	if (rc < 0) {
		st_check(c, 0, "%s: not sent: %s", what, strerror(-rc));
		return;
	}
	st_errno(c, what, want, &r);
	if (path) {
		st_check(c, r.has_nlerr && r.nlerr.ext_msg.len > 0, "%s: an extended ACK message [capture record %u]",
			 what, r.last_record);
		if (r.has_nlerr && r.nlerr.has_ext_offset)
			ctnl_path_at_offset(ctnl_ct_desc(), m->b, m->len, r.nlerr.ext_offset, got, sizeof(got), NULL);
		st_check(c, !strcmp(got, path), "%s: the extended ACK offset names '%s', got '%s' (offset %u)", what,
			 path, got, r.has_nlerr ? r.nlerr.ext_offset : 0);
		if (r.has_nlerr && r.nlerr.ext_msg.len)
			st_note(c, "%s: kernel says \"%.*s\"", what, (int)r.nlerr.ext_msg.len,
				(const char *)r.nlerr.ext_msg.ptr);
	}
	st_reply_free(&r);
}

static void policy(struct st_ctx *c)
{
	uint32_t timeout = htonl(100);
	uint16_t short_timeout = htons(100);
	uint8_t state = 10;
	struct mb m;
	size_t pi, tcp;

	/* CTA_TIMEOUT of 2 bytes */
	mb_hdr(&m, ct_type(IPCTNL_MSG_CT_NEW), ST_CREATE, AF_INET);
	mb_tuple(&m, CTA_TUPLE_ORIG, 0, 17);
	mb_tuple(&m, CTA_TUPLE_REPLY, 1, 17);
	mb_attr(&m, CTA_TIMEOUT, &short_timeout, 2);
	policy_case(c, "a 2-byte CTA_TIMEOUT", &m, -ERANGE, "timeout");
	/* TCP state above TCP_CONNTRACK_MAX - 1 (a UDP entry would ignore it) */
	mb_hdr(&m, ct_type(IPCTNL_MSG_CT_NEW), ST_CREATE, AF_INET);
	mb_tuple(&m, CTA_TUPLE_ORIG, 0, 6);
	mb_tuple(&m, CTA_TUPLE_REPLY, 1, 6);
	mb_attr(&m, CTA_TIMEOUT, &timeout, 4);
	pi = mb_nest(&m, CTA_PROTOINFO);
	tcp = mb_nest(&m, CTA_PROTOINFO_TCP);
	mb_attr(&m, CTA_PROTOINFO_TCP_STATE, &state, 1);
	mb_close(&m, tcp);
	mb_close(&m, pi);
	/* the TCP nest is parsed without an extack: the bare errno comes back */
	policy_case(c, "TCP state 10", &m, -ERANGE, NULL);
	health(c, "policy violations");
}

/* ---- malformed requests ---- */

struct bad {
	const char *name;
	int want;                          /* the answer; 1: none at all */
	int ack;                           /* the answer is an ACK (0) */
};

static void malformed(struct st_ctx *c, const char *what, struct mb *m, size_t send_len, int want)
{
	struct st_reply r;
	int rc;

	c->wait_ms = want == 1 ? 500 : 0;  /* silence is the answer: do not wait long for it */
	rc = st_talk(c, m->b, send_len, 1, &r);
	c->wait_ms = 0;

	if (rc < 0) {
		st_check(c, 0, "%s: not sent: %s", what, strerror(-rc));
		return;
	}
	if (want == 1)
		st_check(c, r.first_record == 0, "%s: no answer at all, got %s [capture record %u]", what,
			 r.error ? strerror(-r.error) : "ACK", r.last_record);
	else
		st_errno(c, what, want, &r);
	st_reply_free(&r);
	health(c, what);
}

static void mb_seq(struct mb *m, uint32_t seq)
{
	memcpy(m->b + 8, &seq, 4);
}

static void bad_header(struct st_ctx *c)
{
	struct mb m;

	/* no nfgenmsg: nfnetlink ignores it, netlink still ACKs */
	mb_hdr(&m, ct_type(IPCTNL_MSG_CT_GET), ST_ACK, AF_INET);
	m.len = 16;
	mb_end(&m);
	mb_seq(&m, 9001);
	malformed(c, "a 16-byte message without nfgenmsg", &m, 16, 0);
	/* nlmsg_len beyond what was sent: dropped without a word */
	mb_hdr(&m, ct_type(IPCTNL_MSG_CT_GET), NLM_F_REQUEST | NLM_F_DUMP, AF_INET);
	mb_end(&m);
	memcpy(m.b, &(uint32_t){ 200 }, 4);
	mb_seq(&m, 9002);
	malformed(c, "nlmsg_len 200 in a 20-byte datagram", &m, 20, 1);
	/* a command ctnetlink does not have */
	mb_hdr(&m, ct_type(0x1f), ST_ACK, AF_INET);
	mb_end(&m);
	mb_seq(&m, 9003);
	malformed(c, "ctnetlink command 0x1f", &m, m.len, -EINVAL);
	/* a subsystem number past NFNL_SUBSYS_COUNT */
	mb_hdr(&m, (uint16_t)(0x0e << 8 | 1), ST_ACK, AF_INET);
	mb_end(&m);
	mb_seq(&m, 9004);
	malformed(c, "nfnetlink subsystem 14 (none such)", &m, m.len, -EINVAL);
}

static void bad_attr(struct st_ctx *c)
{
	uint32_t timeout = htonl(100);
	uint8_t big[20] = { 1 };
	struct mb m;
	size_t at;

	/* an attribute whose length runs past the message */
	mb_hdr(&m, ct_type(IPCTNL_MSG_CT_NEW), ST_CREATE, AF_INET);
	mb_tuple(&m, CTA_TUPLE_ORIG, 0, 17);
	at = mb_attr(&m, CTA_TIMEOUT, &timeout, 4);
	memcpy(m.b + at, &(uint16_t){ 64 }, 2);
	mb_end(&m);
	mb_seq(&m, 9101);
	malformed(c, "an attribute longer than the message", &m, m.len, -EINVAL);
	/* an attribute of length 2 (shorter than its header) */
	mb_hdr(&m, ct_type(IPCTNL_MSG_CT_NEW), ST_CREATE, AF_INET);
	mb_tuple(&m, CTA_TUPLE_ORIG, 0, 17);
	at = mb_attr(&m, CTA_TIMEOUT, &timeout, 4);
	memcpy(m.b + at, &(uint16_t){ 2 }, 2);
	mb_end(&m);
	mb_seq(&m, 9102);
	malformed(c, "an attribute of length 2", &m, m.len, -EINVAL);
	/* CTA_LABELS longer than 16 bytes */
	mb_hdr(&m, ct_type(IPCTNL_MSG_CT_NEW), ST_CREATE, AF_INET);
	mb_tuple(&m, CTA_TUPLE_ORIG, 0, 17);
	mb_tuple(&m, CTA_TUPLE_REPLY, 1, 17);
	mb_attr(&m, CTA_TIMEOUT, &timeout, 4);
	mb_attr(&m, CTA_LABELS, big, sizeof(big));
	mb_end(&m);
	mb_seq(&m, 9103);
	malformed(c, "a 20-byte CTA_LABELS", &m, m.len, -ERANGE);
	/* a helper name without its NUL */
	mb_hdr(&m, ct_type(IPCTNL_MSG_CT_NEW), ST_CREATE, AF_INET);
	mb_tuple(&m, CTA_TUPLE_ORIG, 0, 17);
	mb_tuple(&m, CTA_TUPLE_REPLY, 1, 17);
	mb_attr(&m, CTA_TIMEOUT, &timeout, 4);
	at = mb_nest(&m, CTA_HELP);
	mb_attr(&m, CTA_HELP_NAME, "ftp", 3);
	mb_close(&m, at);
	mb_end(&m);
	mb_seq(&m, 9104);
	malformed(c, "CTA_HELP_NAME without a NUL", &m, m.len, -EINVAL);
}

static void bad_nest(struct st_ctx *c)
{
	uint32_t zero = 0;
	struct mb m;
	size_t at, ip;

	/* CTA_FILTER is parsed strictly: without NLA_F_NESTED it is refused */
	mb_hdr(&m, ct_type(IPCTNL_MSG_CT_GET), NLM_F_REQUEST | NLM_F_DUMP, AF_INET);
	at = mb_attr(&m, CTA_FILTER, NULL, 0);
	mb_attr(&m, CTA_FILTER_ORIG_FLAGS, &zero, 4);
	mb_attr(&m, CTA_FILTER_REPLY_FLAGS, &zero, 4);
	mb_close(&m, at);
	mb_end(&m);
	mb_seq(&m, 9201);
	malformed(c, "CTA_FILTER without NLA_F_NESTED", &m, m.len, -EINVAL);
	/* CTA_FILTER with an unknown inner attribute */
	mb_hdr(&m, ct_type(IPCTNL_MSG_CT_GET), NLM_F_REQUEST | NLM_F_DUMP, AF_INET);
	at = mb_nest(&m, CTA_FILTER);
	mb_attr(&m, 7, &zero, 4);
	mb_close(&m, at);
	mb_end(&m);
	mb_seq(&m, 9202);
	malformed(c, "CTA_FILTER with inner type 7", &m, m.len, -EINVAL);
	/* a tuple whose IP nest holds a 3-byte address */
	mb_hdr(&m, ct_type(IPCTNL_MSG_CT_GET), ST_ACK, AF_INET);
	at = mb_nest(&m, CTA_TUPLE_ORIG);
	ip = mb_nest(&m, CTA_TUPLE_IP);
	mb_attr(&m, CTA_IP_V4_SRC, "\x0a\x07\x00", 3);
	mb_close(&m, ip);
	mb_close(&m, at);
	mb_end(&m);
	mb_seq(&m, 9203);
	malformed(c, "a 3-byte IPv4 address in a tuple", &m, m.len, -ERANGE);
	/* an empty tuple */
	mb_hdr(&m, ct_type(IPCTNL_MSG_CT_GET), ST_ACK, AF_INET);
	at = mb_nest(&m, CTA_TUPLE_ORIG);
	mb_close(&m, at);
	mb_end(&m);
	mb_seq(&m, 9204);
	malformed(c, "an empty CTA_TUPLE_ORIG", &m, m.len, -EINVAL);
}

const struct st_scenario st_fam_errors[] = {
	{ "errors.create-exists", "create twice with EXCL -> EEXIST; without EXCL it updates", NULL, NULL,
	  create_exists, 0 },
	{ "errors.missing", "delete/GET/update of a missing entry, delete with a wrong id -> ENOENT", NULL, NULL,
	  missing, 0 },
	{ "errors.nat-on-update", "NAT or master on update -> EOPNOTSUPP", NULL, NULL, nat_update, 0 },
	{ "errors.invalid", "create without timeout/reply, mixed protocols -> EINVAL; no CONFIRMED -> EBUSY", NULL,
	  NULL, invalid, 0 },
	{ "errors.policy-extack", "policy violations -> ERANGE with extended ACK naming the attribute", NULL, NULL,
	  policy, 0 },
	{ "errors.malformed.header", "no nfgenmsg, nlmsg_len past the datagram, unknown command/subsystem", NULL,
	  NULL, bad_header, 0 },
	{ "errors.malformed.attr", "attribute past the end, length 2, oversized labels, string without NUL", NULL,
	  NULL, bad_attr, 0 },
	{ "errors.malformed.nest", "CTA_FILTER not nested or with unknown types, short address, empty tuple", NULL,
	  NULL, bad_nest, 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
