/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TEST_PCAP_CONV_H
#define CTNL_TEST_PCAP_CONV_H

/*
 * A ctnetlink conversation as the records an nlmon capture would hold:
 * real kernel bytes from tests/fixtures/ (dumps, with their NLMSG_DONE,
 * and events) around requests encoded with ctnl_ct_encode(), plus
 * hand-made messages for what the fixtures lack (helpers, ACKs, an error
 * with extended ACK, a batch of two requests, expectation per-CPU stats).
 *
 * Each record is one socket buffer, in this host's byte order.
 */

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/ct.h>
#include <ctnl/msg.h>
#include <ctnl/pcap.h>

struct conv_rec {
	uint8_t *buf;
	size_t len;
};

struct conv {
	struct conv_rec *rec;
	size_t n, cap;
	unsigned ct_msgs;                  /* conntrack messages in all records */
	unsigned msgs;                     /* all netlink messages */
	unsigned exp_stats_replies;
};

static inline void conv_add(struct conv *c, const void *buf, size_t len)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->rec = realloc(c->rec, c->cap * sizeof(*c->rec));
	}
	c->rec[c->n].buf = malloc(len ? len : 1);
	memcpy(c->rec[c->n].buf, buf, len);
	c->rec[c->n].len = len;
	c->n++;
}

static inline void conv_free(struct conv *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->rec[i].buf);
	free(c->rec);
	memset(c, 0, sizeof(*c));
}

/* A netlink header (and nfgenmsg when fam >= 0) at p; returns 16 or 20. */
static inline size_t conv_hdr(uint8_t *p, uint32_t len, uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid,
			      int fam, uint16_t res_id)
{
	memcpy(p, &len, 4);
	memcpy(p + 4, &type, 2);
	memcpy(p + 6, &flags, 2);
	memcpy(p + 8, &seq, 4);
	memcpy(p + 12, &pid, 4);
	if (fam < 0)
		return 16;
	p[16] = (uint8_t)fam;
	p[17] = 0;
	p[18] = (uint8_t)(res_id >> 8);
	p[19] = (uint8_t)res_id;
	return 20;
}

/* A u32 attribute with a big-endian value. */
static inline size_t conv_be32_attr(uint8_t *p, uint16_t type, uint32_t v)
{
	uint16_t l = 8;
	uint32_t be = htonl(v);

	memcpy(p, &l, 2);
	memcpy(p + 2, &type, 2);
	memcpy(p + 4, &be, 4);
	return 8;
}

static inline size_t conv_ack(uint8_t *p, const uint8_t *req, uint32_t pid)
{
	uint32_t seq;
	int32_t zero = 0;

	memcpy(&seq, req + 8, 4);
	conv_hdr(p, 36, NLMSG_ERROR, NLM_F_CAPPED, seq, pid, -1, 0);
	memcpy(p + 16, &zero, 4);
	memcpy(p + 20, req, 16);
	return 36;
}

static inline void conv_tuple4(struct ctnl_ct_tuple *t, const char *src, const char *dst, uint8_t proto,
			       uint16_t sport, uint16_t dport)
{
	t->present = 1u << CTA_TUPLE_IP | 1u << CTA_TUPLE_PROTO;
	t->ip.present = 1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST;
	inet_pton(AF_INET, src, t->ip.v4_src);
	inet_pton(AF_INET, dst, t->ip.v4_dst);
	t->proto.present = 1u << CTA_PROTO_NUM | 1u << CTA_PROTO_SRC_PORT | 1u << CTA_PROTO_DST_PORT;
	t->proto.num = proto;
	t->proto.src_port = sport;
	t->proto.dst_port = dport;
}

static inline void conv_tuple6(struct ctnl_ct_tuple *t, const char *src, const char *dst, uint8_t proto,
			       uint16_t sport, uint16_t dport)
{
	conv_tuple4(t, "0.0.0.0", "0.0.0.0", proto, sport, dport);
	t->ip.present = 1u << CTA_IP_V6_SRC | 1u << CTA_IP_V6_DST;
	inet_pton(AF_INET6, src, t->ip.v6_src);
	inet_pton(AF_INET6, dst, t->ip.v6_dst);
}

static inline size_t conv_encode(const struct ctnl_ct_msg *m, uint8_t *p, size_t cap)
{
	size_t n = 0;

	if (ctnl_ct_encode(m, p, cap, &n, NULL) < 0) {
		fprintf(stderr, "conv: ctnl_ct_encode failed\n");
		abort();
	}
	return n;
}

static inline uint8_t *conv_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	long n;

	*len = 0;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc(n > 0 ? (size_t)n : 1);
	if (n > 0 && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = b ? (size_t)n : 0;
	return b;
}

static inline int conv_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add a recorded dump: the request that asked for it, then the kernel's
 * bytes in records of up to per_record messages (NLMSG_DONE alone when
 * done_alone, as 6.18 sends it, else in the last data record). */
static inline void conv_dump(struct conv *c, const uint8_t *b, size_t len, unsigned per_record, int done_alone)
{
	struct ctnl_stream s;
	const uint8_t *msg, *start = b;
	size_t ml;
	unsigned in_rec = 0;
	struct ctnl_ct_msg req;
	uint8_t rbuf[256];
	uint32_t seq;

	if (len < 16)
		return;
	memcpy(&seq, b + 8, 4);
	ctnl_ct_init(&req);
	req.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET;
	req.hdr.flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.hdr.seq = seq;
	req.hdr.pid = 0;                   /* as libmnl and conntrack(8) send it */
	req.hdr.family = AF_UNSPEC;
	conv_add(c, rbuf, conv_encode(&req, rbuf, sizeof(rbuf)));
	c->ct_msgs++;
	c->msgs++;

	ctnl_stream_init(&s, b, len);
	while (ctnl_stream_next(&s, &msg, &ml, NULL) == 1) {
		uint16_t type;

		memcpy(&type, msg + 4, 2);
		c->msgs++;
		if (ctnl_ct_is_entry_type(type))
			c->ct_msgs++;
		/* a record ends before DONE (alone) or after per_record entries */
		if (in_rec && (type == NLMSG_DONE ? done_alone : in_rec == per_record)) {
			conv_add(c, start, (size_t)(msg - start));
			start = msg;
			in_rec = 0;
		}
		in_rec++;
	}
	if (start < b + len)
		conv_add(c, start, (size_t)(b + len - start));
}

/* Events (conntrack and expectation): one record each, as multicast
 * delivers them. */
static inline void conv_events(struct conv *c, const uint8_t *b, size_t len)
{
	struct ctnl_stream s;
	const uint8_t *msg;
	size_t ml;

	ctnl_stream_init(&s, b, len);
	while (ctnl_stream_next(&s, &msg, &ml, NULL) == 1) {
		uint16_t type;

		memcpy(&type, msg + 4, 2);
		conv_add(c, msg, ml);
		c->msgs++;
		if (ctnl_ct_is_entry_type(type))
			c->ct_msgs++;
	}
}

/* The hand-made part. */
static inline void conv_synthetic(struct conv *c)
{
	static uint8_t b[4096];
	struct ctnl_ct_msg m;
	size_t n, n2, at;
	const uint32_t pid = 4242;
	uint8_t req[512];
	size_t reql;

	/* 1. NEW with a helper, NLM_F_ACK: the request, then the ACK. */
	ctnl_ct_init(&m);
	m.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW;
	m.hdr.flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	m.hdr.seq = 7001;
	m.hdr.family = AF_INET;
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_TUPLE_REPLY | 1u << CTA_STATUS | 1u << CTA_TIMEOUT |
		       1u << CTA_HELP | 1u << CTA_MARK;
	conv_tuple4(&m.ct.orig, "192.0.2.1", "198.51.100.2", IPPROTO_TCP, 40000, 21);
	conv_tuple4(&m.ct.reply, "198.51.100.2", "192.0.2.1", IPPROTO_TCP, 21, 40000);
	m.ct.status = IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED;
	m.ct.timeout = 300;
	m.ct.mark = 17;
	m.ct.help.present = 1u << CTA_HELP_NAME;
	m.ct.help.name.ptr = (const uint8_t *)"ftp";
	m.ct.help.name.len = 3;
	reql = conv_encode(&m, req, sizeof(req));
	conv_add(c, req, reql);
	n = conv_ack(b, req, pid);
	conv_add(c, b, n);
	c->ct_msgs++;
	c->msgs += 2;

	/* 2. GET of that entry: the reply carries the helper and an id
	 *    (flags NLM_F_MULTI, as the kernel sets for any unicast reply). */
	ctnl_ct_init(&m);
	m.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET;
	m.hdr.flags = NLM_F_REQUEST | NLM_F_ACK;
	m.hdr.seq = 7002;
	m.hdr.family = AF_INET;
	m.ct.present = 1u << CTA_TUPLE_ORIG;
	conv_tuple4(&m.ct.orig, "192.0.2.1", "198.51.100.2", IPPROTO_TCP, 40000, 21);
	reql = conv_encode(&m, req, sizeof(req));
	conv_add(c, req, reql);
	ctnl_ct_init(&m);
	m.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW;
	m.hdr.flags = NLM_F_MULTI;
	m.hdr.seq = 7002;
	m.hdr.pid = pid;
	m.hdr.family = AF_INET;
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_TUPLE_REPLY | 1u << CTA_STATUS | 1u << CTA_TIMEOUT |
		       1u << CTA_HELP | 1u << CTA_MARK | 1u << CTA_ID | 1u << CTA_USE;
	conv_tuple4(&m.ct.orig, "192.0.2.1", "198.51.100.2", IPPROTO_TCP, 40000, 21);
	conv_tuple4(&m.ct.reply, "198.51.100.2", "192.0.2.1", IPPROTO_TCP, 21, 40000);
	m.ct.status = IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED | IPS_HELPER;
	m.ct.timeout = 299;
	m.ct.mark = 17;
	m.ct.id = 0xdeadbeef;
	m.ct.use = 1;
	m.ct.help.present = 1u << CTA_HELP_NAME;
	m.ct.help.name.ptr = (const uint8_t *)"ftp";
	m.ct.help.name.len = 3;
	n = conv_encode(&m, b, sizeof(b));
	n += conv_ack(b + n, req, pid);
	conv_add(c, b, n);
	c->ct_msgs += 2;
	c->msgs += 3;

	/* 3. A batch: two IPv6 GETs in one sendmsg, answered in turn. */
	ctnl_ct_init(&m);
	m.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET;
	m.hdr.flags = NLM_F_REQUEST | NLM_F_ACK;
	m.hdr.seq = 7003;
	m.hdr.family = AF_INET6;
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_ID;
	conv_tuple6(&m.ct.orig, "2001:db8::1", "2001:db8::2", IPPROTO_UDP, 5353, 53);
	m.ct.id = 99;
	n = conv_encode(&m, b, sizeof(b));
	m.hdr.seq = 7004;
	conv_tuple6(&m.ct.orig, "2001:db8::1", "2001:db8::3", IPPROTO_SCTP, 7, 9);
	m.ct.id = 100;
	n2 = conv_encode(&m, b + n, sizeof(b) - n);
	conv_add(c, b, n + n2);
	c->ct_msgs += 2;
	c->msgs += 2;
	for (int i = 0; i < 2; i++) {
		const uint8_t *q = i ? b + n : b;
		uint8_t r[1024];
		struct ctnl_ct_msg e;
		size_t rl;

		ctnl_ct_init(&e);
		e.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW;
		e.hdr.flags = NLM_F_MULTI;
		e.hdr.seq = 7003 + (uint32_t)i;
		e.hdr.pid = pid;
		e.hdr.family = AF_INET6;
		e.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_TUPLE_REPLY | 1u << CTA_STATUS | 1u << CTA_ID |
			       1u << CTA_TIMEOUT;
		conv_tuple6(&e.ct.orig, "2001:db8::1", i ? "2001:db8::3" : "2001:db8::2",
			    i ? IPPROTO_SCTP : IPPROTO_UDP, i ? 7 : 5353, i ? 9 : 53);
		conv_tuple6(&e.ct.reply, i ? "2001:db8::3" : "2001:db8::2", "2001:db8::1",
			    i ? IPPROTO_SCTP : IPPROTO_UDP, i ? 9 : 53, i ? 7 : 5353);
		e.ct.status = IPS_CONFIRMED | (i ? IPS_SEEN_REPLY : 0);
		e.ct.id = 99 + (uint32_t)i;
		e.ct.timeout = 30;
		rl = conv_encode(&e, r, sizeof(r));
		conv_add(c, r, rl);
		rl = conv_ack(r, q, pid);
		conv_add(c, r, rl);
		c->ct_msgs++;
		c->msgs += 2;
	}

	/* 4. A DELETE the kernel refuses: the error echoes the request and
	 *    carries extended-ACK TLVs. */
	ctnl_ct_init(&m);
	m.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE;
	m.hdr.flags = NLM_F_REQUEST | NLM_F_ACK;
	m.hdr.seq = 7005;
	m.hdr.family = AF_INET;
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_ID;
	conv_tuple4(&m.ct.orig, "10.1.2.3", "10.3.2.1", IPPROTO_UDP, 1000, 2000);
	m.ct.id = 12345;
	reql = conv_encode(&m, req, sizeof(req));
	conv_add(c, req, reql);
	{
		static const char text[] = "no such entry";
		int32_t e = -ENOENT;
		uint16_t l, t;
		uint32_t off = 20;

		at = conv_hdr(b, 0, NLMSG_ERROR, NLM_F_ACK_TLVS, 7005, pid, -1, 0);
		memcpy(b + at, &e, 4);
		memcpy(b + at + 4, req, reql);
		at += 4 + ((reql + 3) & ~(size_t)3);
		l = (uint16_t)(4 + sizeof(text));
		t = NLMSGERR_ATTR_MSG;
		memcpy(b + at, &l, 2);
		memcpy(b + at + 2, &t, 2);
		memset(b + at + 4, 0, (l + 3u) & ~3u);
		memcpy(b + at + 4, text, sizeof(text));
		at += (l + 3u) & ~3u;
		l = 8;
		t = NLMSGERR_ATTR_OFFS;
		memcpy(b + at, &l, 2);
		memcpy(b + at + 2, &t, 2);
		memcpy(b + at + 4, &off, 4);
		at += 8;
		memcpy(b, &(uint32_t){ (uint32_t)at }, 4);
		conv_add(c, b, at);
	}
	c->ct_msgs++;
	c->msgs += 2;

	/* 5. Expectation per-CPU stats: the request is 0x0203, the kernel
	 *    answers with 0x0103 (two CPUs in one record), then DONE. */
	at = conv_hdr(b, 20, NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_GET_STATS_CPU,
		      NLM_F_REQUEST | NLM_F_DUMP, 7006, 0, AF_UNSPEC, 0);
	conv_add(c, b, at);
	at = 0;
	for (uint16_t cpu = 0; cpu < 2; cpu++) {
		size_t s = at;

		at += conv_hdr(b + at, 44, NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET_CTRZERO, NLM_F_MULTI, 7006,
			       pid, AF_UNSPEC, cpu);
		at += conv_be32_attr(b + at, CTA_STATS_EXP_NEW, 5 + cpu);
		at += conv_be32_attr(b + at, CTA_STATS_EXP_CREATE, 3);
		at += conv_be32_attr(b + at, CTA_STATS_EXP_DELETE, 1);
		(void)s;
	}
	conv_add(c, b, at);
	at = conv_hdr(b, 20, NLMSG_DONE, NLM_F_MULTI, 7006, pid, -1, 0);
	memset(b + 16, 0, 4);
	conv_add(c, b, 20);
	c->msgs += 4;
	c->exp_stats_replies += 2;
}

/* The whole conversation: every fixture's dump (alternating the two DONE
 * layouts and the batch sizes), every events file, the hand-made part. */
static inline int conv_build(struct conv *c, const char *fixtures)
{
	char *names[64];
	int nn = 0;
	DIR *d = opendir(fixtures);
	struct dirent *de;

	if (!d)
		return -errno;
	while ((de = readdir(d)) && nn < 64)
		if (de->d_name[0] != '.')
			names[nn++] = strdup(de->d_name);
	closedir(d);
	qsort(names, (size_t)nn, sizeof(names[0]), conv_cmp);
	for (int i = 0; i < nn; i++) {
		char path[4096];
		uint8_t *b;
		size_t len;

		snprintf(path, sizeof(path), "%s/%s/dump.bin", fixtures, names[i]);
		b = conv_slurp(path, &len);
		if (b)
			conv_dump(c, b, len, 1 + (unsigned)i % 4, i % 2 == 0);
		free(b);
		snprintf(path, sizeof(path), "%s/%s/events.bin", fixtures, names[i]);
		b = conv_slurp(path, &len);
		if (b)
			conv_events(c, b, len);
		free(b);
		free(names[i]);
	}
	conv_synthetic(c);
	return c->n ? 0 : -ENOENT;
}

/* Write the conversation with the library's writer; time stamps 1 ms apart. */
static inline int conv_write(const struct conv *c, const char *path)
{
	struct ctnl_pcap_writer *w;
	int rc = ctnl_pcap_writer_open(path, &w, NULL);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		struct timespec ts = { 1795925776 + (time_t)(i / 1000), (long)(i % 1000) * 1000000 + 123 };

		rc = ctnl_pcap_write(w, c->rec[i].buf, c->rec[i].len, 12 /* NETLINK_NETFILTER */, &ts);
	}
	if (ctnl_pcap_writer_close(w) < 0 && rc == 0)
		rc = -EIO;
	return rc;
}

#endif
