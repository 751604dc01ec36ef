/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctnl-record DIR [SCENARIO...]: run the live scenarios of the transport
 * tests, each in a fresh namespace (netns-harness), through a handle
 * whose tap writes every buffer to DIR/SCENARIO.pcap (ctnl_pcap_tap).
 * corpus/record.sh runs it to (re)make corpus/recorded/; tests/replay
 * replays what it made.
 *
 * Every entry comes from a request (no traffic), so `ctnl replay` of a
 * capture rebuilds the same state from the capture alone.  Exit status:
 * 0, 1 if a scenario failed, 77 if namespaces cannot be made here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>

#include <ctnl/conntrack.h>
#include <ctnl/ctnl.h>
#include <ctnl/pcap.h>

#include "ctnl_ns.h"

static int failures;

#define STEP(expr)                                                                                   \
	do {                                                                                         \
		int rc_ = (expr);                                                                    \
		if (rc_ < 0) {                                                                       \
			fprintf(stderr, "%s:%d: %s = %d (%s)\n", __FILE__, __LINE__, #expr, rc_,     \
				strerror(-rc_));                                                     \
			failures++;                                                                  \
		}                                                                                    \
	} while (0)

/* A request the scenario expects the kernel to refuse with this error. */
#define REFUSED(expr, code)                                                                          \
	do {                                                                                         \
		int rc_ = (expr);                                                                    \
		if (rc_ != (code)) {                                                                 \
			fprintf(stderr, "%s:%d: %s = %d, expected %d\n", __FILE__, __LINE__, #expr,  \
				rc_, (code));                                                        \
			failures++;                                                                  \
		}                                                                                    \
	} while (0)

static void tuple(struct ctnl_ct_tuple *t, int family, uint8_t proto, const char *src, uint16_t sport,
		  const char *dst, uint16_t dport)
{
	memset(t, 0, sizeof(*t));
	t->present = 1u << CTA_TUPLE_IP | 1u << CTA_TUPLE_PROTO;
	if (family == AF_INET) {
		t->ip.present = 1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST;
		inet_pton(AF_INET, src, t->ip.v4_src);
		inet_pton(AF_INET, dst, t->ip.v4_dst);
	} else {
		t->ip.present = 1u << CTA_IP_V6_SRC | 1u << CTA_IP_V6_DST;
		inet_pton(AF_INET6, src, t->ip.v6_src);
		inet_pton(AF_INET6, dst, t->ip.v6_dst);
	}
	t->proto.present = 1u << CTA_PROTO_NUM;
	t->proto.num = proto;
	if (proto == IPPROTO_ICMP) {
		t->proto.present |= 1u << CTA_PROTO_ICMP_ID | 1u << CTA_PROTO_ICMP_TYPE | 1u << CTA_PROTO_ICMP_CODE;
		t->proto.icmp_id = sport;
		t->proto.icmp_type = (uint8_t)dport;
	} else if (proto == IPPROTO_ICMPV6) {
		t->proto.present |= 1u << CTA_PROTO_ICMPV6_ID | 1u << CTA_PROTO_ICMPV6_TYPE |
				    1u << CTA_PROTO_ICMPV6_CODE;
		t->proto.icmpv6_id = sport;
		t->proto.icmpv6_type = (uint8_t)dport;
	} else {
		t->proto.present |= 1u << CTA_PROTO_SRC_PORT | 1u << CTA_PROTO_DST_PORT;
		t->proto.src_port = sport;
		t->proto.dst_port = dport;
	}
}

/* An entry ready to create: both tuples, timeout, CONFIRMED, TCP ESTABLISHED. */
static void entry(struct ctnl_ct_msg *m, int family, uint8_t proto, const char *src, uint16_t sport, const char *dst,
		  uint16_t dport)
{
	ctnl_ct_init(m);
	m->hdr.family = (uint8_t)family;
	tuple(&m->ct.orig, family, proto, src, sport, dst, dport);
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		tuple(&m->ct.reply, family, proto, dst, sport, src, proto == IPPROTO_ICMP ? 0 : 129);
	} else {
		tuple(&m->ct.reply, family, proto, dst, dport, src, sport);
	}
	m->ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_TUPLE_REPLY | 1u << CTA_TIMEOUT | 1u << CTA_STATUS;
	m->ct.timeout = 300;
	m->ct.status = IPS_CONFIRMED;
	if (proto == IPPROTO_TCP) {
		m->ct.present |= 1u << CTA_PROTOINFO;
		m->ct.protoinfo.present = 1u << CTA_PROTOINFO_TCP;
		m->ct.protoinfo.tcp.present = 1u << CTA_PROTOINFO_TCP_STATE;
		m->ct.protoinfo.tcp.state = TCP_CONNTRACK_ESTABLISHED;
	}
}

static void mark(struct ctnl_ct_msg *m, uint32_t v)
{
	m->ct.present |= 1u << CTA_MARK;
	m->ct.mark = v;
}

static int count_ct(const struct ctnl_ct_msg *m, void *arg)
{
	(void)m;
	(*(int *)arg)++;
	return 0;
}

static int count_exp(const struct ctnl_exp_msg *m, void *arg)
{
	(void)m;
	(*(int *)arg)++;
	return 0;
}

static int count_ev(const struct ctnl_event *ev, void *arg)
{
	(void)ev;
	(*(int *)arg)++;
	return 0;
}

/* ---- scenarios ---- */

/* create, get, update (mark, timeout, status), get, delete, get (ENOENT) */
static void sc_crud(struct ctnl_handle *h, struct ctnl_ns *ns)
{
	struct ctnl_ct_msg m, u;
	struct ctnl_err e;
	int n = 0;

	(void)ns;
	entry(&m, AF_INET, IPPROTO_TCP, "10.0.0.1", 1000, "10.0.0.2", 80);
	mark(&m, 7);
	STEP(ctnl_ct_create(h, &m, &e));
	REFUSED(ctnl_ct_create(h, &m, &e), -EEXIST);
	STEP(ctnl_ct_get(h, &m, count_ct, &n, &e));
	ctnl_ct_init(&u);
	u.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_TIMEOUT | 1u << CTA_STATUS;
	u.ct.orig = m.ct.orig;
	u.ct.timeout = 500;
	u.ct.status = IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED;
	mark(&u, 9);
	STEP(ctnl_ct_update(h, &u, &e));
	STEP(ctnl_ct_get(h, &m, count_ct, &n, &e));
	STEP(ctnl_ct_delete(h, &m, &e));
	REFUSED(ctnl_ct_get(h, &m, count_ct, &n, &e), -ENOENT);
	REFUSED(ctnl_ct_update(h, &u, &e), -ENOENT);
}

/* a table of every kind of entry, dumped whole, per family, and queried */
static void sc_dump(struct ctnl_handle *h, struct ctnl_ns *ns)
{
	struct ctnl_ct_msg m;
	struct ctnl_err e;
	struct ctnl_dump_opts d = { .size = sizeof(d) };
	struct ctnl_filter f = { 0 };
	int n = 0;

	(void)ns;
	entry(&m, AF_INET, IPPROTO_TCP, "10.1.0.1", 1001, "10.1.0.2", 80);
	mark(&m, 1);
	STEP(ctnl_ct_create(h, &m, &e));
	entry(&m, AF_INET, IPPROTO_UDP, "10.1.0.1", 5353, "10.1.0.3", 53);
	mark(&m, 2);
	STEP(ctnl_ct_create(h, &m, &e));
	entry(&m, AF_INET, IPPROTO_ICMP, "10.1.0.1", 77, "10.1.0.4", 8);
	STEP(ctnl_ct_create(h, &m, &e));
	entry(&m, AF_INET6, IPPROTO_TCP, "2001:db8::1", 2001, "2001:db8::2", 443);
	mark(&m, 2);
	STEP(ctnl_ct_create(h, &m, &e));
	entry(&m, AF_INET6, IPPROTO_ICMPV6, "2001:db8::1", 88, "2001:db8::5", 128);
	STEP(ctnl_ct_create(h, &m, &e));
	entry(&m, AF_INET, IPPROTO_TCP, "10.1.0.1", 1001, "10.1.0.2", 80);   /* the same tuple, zone 5 */
	m.ct.present |= 1u << CTA_ZONE;
	m.ct.zone = 5;
	STEP(ctnl_ct_create(h, &m, &e));

	STEP(ctnl_ct_dump(h, NULL, count_ct, &n, &e));
	d.family = AF_INET6;
	STEP(ctnl_ct_dump(h, &d, count_ct, &n, &e));
	d.family = 0;
	f.has = CTNL_FILTER_HAS_MARK;
	f.mark = 2;
	f.mark_mask = 0xffffffff;
	d.query = &f;
	STEP(ctnl_ct_dump(h, &d, count_ct, &n, &e));
	memset(&f, 0, sizeof(f));
	f.has = CTNL_FILTER_HAS_ZONE;
	f.zone = 5;
	STEP(ctnl_ct_dump(h, &d, count_ct, &n, &e));
	d.query = NULL;
	d.list = CTNL_LIST_CTRZERO;
	STEP(ctnl_ct_dump(h, &d, count_ct, &n, &e));
	d.list = CTNL_LIST_DYING;
	STEP(ctnl_ct_dump(h, &d, count_ct, &n, &e));
	d.list = CTNL_LIST_UNCONFIRMED;
	STEP(ctnl_ct_dump(h, &d, count_ct, &n, &e));
}

/* per-family flush, then the rest */
static void sc_flush(struct ctnl_handle *h, struct ctnl_ns *ns)
{
	struct ctnl_ct_msg m;
	struct ctnl_err e;
	int n = 0;

	(void)ns;
	entry(&m, AF_INET, IPPROTO_TCP, "10.2.0.1", 1002, "10.2.0.2", 80);
	STEP(ctnl_ct_create(h, &m, &e));
	entry(&m, AF_INET, IPPROTO_UDP, "10.2.0.1", 1003, "10.2.0.2", 53);
	STEP(ctnl_ct_create(h, &m, &e));
	entry(&m, AF_INET6, IPPROTO_UDP, "2001:db8::10", 1004, "2001:db8::11", 53);
	STEP(ctnl_ct_create(h, &m, &e));
	STEP(ctnl_ct_flush(h, AF_INET, NULL, &e));
	STEP(ctnl_ct_dump(h, NULL, count_ct, &n, &e));
	STEP(ctnl_ct_flush(h, 0, NULL, &e));
	STEP(ctnl_ct_dump(h, NULL, count_ct, &n, &e));
}

/* batches: create 8, update their marks, delete them */
static void sc_batch(struct ctnl_handle *h, struct ctnl_ns *ns)
{
	struct ctnl_ct_msg m[8];
	struct ctnl_err e;
	int res[8], n = 0;

	(void)ns;
	for (int i = 0; i < 8; i++)
		entry(&m[i], AF_INET, IPPROTO_UDP, "10.3.0.1", (uint16_t)(3000 + i), "10.3.0.2", 53);
	STEP(ctnl_ct_batch(h, CTNL_BATCH_CREATE, m, 8, res, &e));
	for (int i = 0; i < 8; i++) {
		m[i].ct.present &= ~(1u << CTA_STATUS | 1u << CTA_TUPLE_REPLY);
		mark(&m[i], 100u + (unsigned)i);
	}
	STEP(ctnl_ct_batch(h, CTNL_BATCH_UPDATE, m, 8, res, &e));
	STEP(ctnl_ct_dump(h, NULL, count_ct, &n, &e));
	STEP(ctnl_ct_batch(h, CTNL_BATCH_DELETE, m, 8, res, &e));
	STEP(ctnl_ct_dump(h, NULL, count_ct, &n, &e));
}

/* statistics of both tables, and the count */
static void sc_stats(struct ctnl_handle *h, struct ctnl_ns *ns)
{
	struct ctnl_ct_msg m;
	struct ctnl_cpu_stats cpu[64];
	struct ctnl_global_stats g;
	struct ctnl_err e;

	(void)ns;
	entry(&m, AF_INET, IPPROTO_TCP, "10.4.0.1", 1004, "10.4.0.2", 80);
	STEP(ctnl_ct_create(h, &m, &e));
	STEP(ctnl_cpu_stats(h, CTNL_TABLE_CONNTRACK, cpu, 64, &e));
	STEP(ctnl_cpu_stats(h, CTNL_TABLE_EXPECT, cpu, 64, &e));
	STEP(ctnl_global_stats(h, &g, &e));
	STEP((int)ctnl_count(h, CTNL_TABLE_CONNTRACK, &e));
	STEP((int)ctnl_count(h, CTNL_TABLE_EXPECT, &e));
}

/* expectations: a master with the FTP helper (made by a request), an
 * expectation of it, get, dump, delete, create again, flush per family */
static void sc_expect(struct ctnl_handle *h, struct ctnl_ns *ns)
{
	struct ctnl_ct_msg m;
	struct ctnl_exp_msg x;
	struct ctnl_err e;
	int n = 0;

	(void)ns;
	entry(&m, AF_INET, IPPROTO_TCP, "10.5.0.1", 40021, "10.5.0.2", 21);
	m.ct.present |= 1u << CTA_HELP;
	m.ct.help.present = 1u << CTA_HELP_NAME;
	m.ct.help.name.ptr = (const uint8_t *)"ftp";
	m.ct.help.name.len = 3;
	STEP(ctnl_ct_create(h, &m, &e));
	memset(&x, 0, sizeof(x));
	x.hdr.family = AF_INET;
	x.exp.present = 1u << CTA_EXPECT_MASTER | 1u << CTA_EXPECT_TUPLE | 1u << CTA_EXPECT_MASK |
			1u << CTA_EXPECT_TIMEOUT;
	x.exp.master = m.ct.orig;
	tuple(&x.exp.tuple, AF_INET, IPPROTO_TCP, "10.5.0.2", 0, "10.5.0.1", 10000);
	tuple(&x.exp.mask, AF_INET, IPPROTO_TCP, "255.255.255.255", 0, "255.255.255.255", 0xffff);
	x.exp.timeout = 300;
	STEP(ctnl_exp_create(h, &x, &e));
	REFUSED(ctnl_exp_create(h, &x, &e), -EEXIST);
	STEP(ctnl_exp_get(h, &x, count_exp, &n, &e));
	STEP(ctnl_exp_dump(h, 0, count_exp, &n, &e));
	STEP(ctnl_exp_delete(h, &x, &e));
	REFUSED(ctnl_exp_get(h, &x, count_exp, &n, &e), -ENOENT);
	STEP(ctnl_exp_create(h, &x, &e));
	STEP(ctnl_exp_flush(h, AF_INET, &e));
	STEP(ctnl_exp_dump(h, 0, count_exp, &n, &e));
	STEP(ctnl_exp_create(h, &x, &e));
	STEP(ctnl_exp_flush(h, 0, &e));
	STEP(ctnl_exp_dump(h, 0, count_exp, &n, &e));
}

/* events: subscribed while entries are made, changed and deleted */
static void sc_events(struct ctnl_handle *h, struct ctnl_ns *ns)
{
	struct ctnl_ct_msg m;
	struct ctnl_err e;
	int n = 0;

	(void)ns;
	STEP(ctnl_event_register(h, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_ALL, count_ev, &n, NULL, &e));
	entry(&m, AF_INET, IPPROTO_TCP, "10.6.0.1", 1006, "10.6.0.2", 80);
	STEP(ctnl_ct_create(h, &m, &e));
	mark(&m, 6);
	m.ct.present &= ~(1u << CTA_STATUS);
	STEP(ctnl_ct_update(h, &m, &e));
	STEP(ctnl_ct_delete(h, &m, &e));
	STEP(ctnl_event_run(h, 300, &e));
	if (n != 3) {
		fprintf(stderr, "events: %d, expected 3\n", n);
		failures++;
	}
}

/* requests the kernel refuses: their errors, with extended ACKs */
static void sc_errors(struct ctnl_handle *h, struct ctnl_ns *ns)
{
	struct ctnl_ct_msg m;
	struct ctnl_err e;

	(void)ns;
	entry(&m, AF_INET, IPPROTO_TCP, "10.7.0.1", 1007, "10.7.0.2", 80);
	REFUSED(ctnl_ct_delete(h, &m, &e), -ENOENT);
	m.ct.present &= ~(1u << CTA_TUPLE_REPLY);
	REFUSED(ctnl_ct_create(h, &m, &e), -EINVAL);        /* no reply tuple */
	entry(&m, AF_INET, IPPROTO_TCP, "10.7.0.1", 1007, "10.7.0.2", 80);
	m.ct.status = 0;                                      /* CONFIRMED missing */
	REFUSED(ctnl_ct_create(h, &m, &e), -EBUSY);
	entry(&m, AF_INET, IPPROTO_TCP, "10.7.0.1", 1008, "10.7.0.2", 80);
	m.ct.present |= 1u << CTA_HELP;
	m.ct.help.present = 1u << CTA_HELP_NAME;
	m.ct.help.name.ptr = (const uint8_t *)"nosuchhelper";
	m.ct.help.name.len = 12;
	REFUSED(ctnl_ct_create(h, &m, &e), -EOPNOTSUPP);
}

static const struct {
	const char *name;
	void (*fn)(struct ctnl_handle *, struct ctnl_ns *);
} scenarios[] = {
	{ "ct-crud", sc_crud },     { "ct-dump", sc_dump },   { "ct-flush", sc_flush }, { "ct-batch", sc_batch },
	{ "stats", sc_stats },      { "expect", sc_expect },  { "events", sc_events },  { "errors", sc_errors },
};

static int wanted(int argc, char **argv, const char *name)
{
	if (argc <= 2)
		return 1;
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const tools[] = { "nft", NULL };
	char why[256];

	if (argc < 2) {
		fprintf(stderr, "usage: ctnl-record DIR [SCENARIO...]\n");
		return 2;
	}
	if (ctnl_ns_why_not(why, sizeof(why), tools) < 0) {
		fprintf(stderr, "SKIP: %s\n", why);
		return 77;
	}
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		struct ctnl_pcap_writer *w;
		struct ctnl_open_opts o = { .size = sizeof(o), .read_timeout_ms = 5000, .tap = ctnl_pcap_tap };
		struct ctnl_handle *h;
		struct ctnl_ns *ns;
		struct ctnl_err e = { 0 };
		char path[512];
		int before = failures, rc;

		if (!wanted(argc, argv, scenarios[i].name))
			continue;
		snprintf(path, sizeof(path), "%s/%s.pcap", argv[1], scenarios[i].name);
		rc = ctnl_pcap_writer_open(path, &w, NULL);
		if (rc < 0) {
			fprintf(stderr, "%s: %s\n", path, strerror(-rc));
			return 1;
		}
		rc = ctnl_ns_create(&ns);
		if (rc < 0) {
			fprintf(stderr, "namespace: %s\n", strerror(-rc));
			return 1;
		}
		o.netns_fd = ns->fd;
		o.tap_arg = w;
		rc = ctnl_open(&h, &o, &e);
		if (rc < 0) {
			fprintf(stderr, "ctnl_open: %s\n", e.what);
			return 1;
		}
		scenarios[i].fn(h, ns);
		ctnl_close(h);
		ctnl_ns_destroy(ns);
		if (ctnl_pcap_writer_close(w) < 0) {
			fprintf(stderr, "%s: write error\n", path);
			failures++;
		}
		printf("%s %s\n", failures == before ? "ok  " : "FAIL", path);
	}
	return failures ? 1 : 0;
}
