/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Attributes of an entry: zones (plain and directional), marks, labels
 * (with and without a ruleset that enables them), accounting and
 * timestamps (on and off), secmark.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/netfilter/nf_conntrack_common.h>

#include "st.h"

/* The UDP entry to @dport after one datagram (with an answer). */
static const struct ctnl_ct_msg *udp_entry(struct st_ctx *c, struct st_list *l, uint16_t dport)
{
	const struct ctnl_ct_msg *m;
	int rc = ctnl_ns_udp(c->ns, "127.0.0.1", (uint16_t)(dport + 1000), "127.0.0.1", dport, 1, 1);

	st_check(c, rc == 0, "UDP exchange with port %u: %s", dport, strerror(-rc));
	rc = st_dump(c, IPCTNL_MSG_CT_GET, AF_INET, NULL, l);
	m = rc >= 0 ? st_find(l, 17, dport) : NULL;
	st_check(c, m != NULL, "the entry of UDP port %u in the dump [capture records %u-%u]", dport,
		 l->r.first_record, l->r.last_record);
	return m;
}

static void zone_plain(struct st_ctx *c)
{
	static const char rules[] =
		"table inet ctst_zone {\n"
		"	chain out { type filter hook output priority -300; udp dport 5400 ct zone set 7; }\n"
		"}\n";
	struct ctnl_ct_msg m;
	struct st_list l;
	const struct ctnl_ct_msg *e;

	if (st_nft(c, NULL, rules) < 0) {
		st_check(c, 0, "nft 'ct zone set' ruleset loads");
		return;
	}
	e = udp_entry(c, &l, 5400);
	if (e) {
		st_check(c, ctnl_has(&e->ct, CTA_ZONE), "CTA_ZONE in the entry of a zoned packet");
		st_eq(c, "zone set by the ruleset", 7, e->ct.zone);
		st_check(c, !ctnl_has(&e->ct.orig, CTA_TUPLE_ZONE), "no CTA_TUPLE_ZONE for a plain zone");
	}
	st_list_free(&l);
	/* created in zone 5: found with the zone, not without it */
	st_entry(&m, 17, "10.8.0.1", 1000, "10.8.0.2", 2000);
	m.ct.present |= 1u << CTA_ZONE;
	m.ct.zone = 5;
	st_ct_expect(c, "create in zone 5", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	st_eq(c, "GET with zone 5", 0, st_get(c, &m, &l));
	if (l.n == 1)
		st_eq(c, "zone read back", 5, l.e[0].ct.zone);
	st_list_free(&l);
	m.ct.present &= ~(1u << CTA_ZONE);
	st_eq(c, "GET of the zone-5 entry without a zone", -ENOENT, st_get(c, &m, &l));
	st_list_free(&l);
	/* the same tuple again in zone 0 is another entry */
	st_ct_expect(c, "the same tuple in zone 0", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
}

static void zone_directional(struct st_ctx *c)
{
	static const char rules[] =
		"table inet ctst_zone {\n"
		"	chain out { type filter hook output priority -300; udp dport 5401 ct original zone set 3; }\n"
		"}\n";
	struct ctnl_ct_msg m;
	struct st_list l;
	const struct ctnl_ct_msg *e;

	if (st_nft(c, NULL, rules) < 0) {
		st_check(c, 0, "nft 'ct original zone set' ruleset loads");
		return;
	}
	e = udp_entry(c, &l, 5401);
	if (e) {
		st_check(c, ctnl_has(&e->ct.orig, CTA_TUPLE_ZONE), "CTA_TUPLE_ZONE in the original tuple");
		st_eq(c, "original-direction zone", 3, e->ct.orig.zone);
		st_check(c, !ctnl_has(&e->ct.reply, CTA_TUPLE_ZONE), "no CTA_TUPLE_ZONE in the reply tuple");
	}
	st_list_free(&l);
	/* through ctnetlink: one direction works, both at once do not */
	st_entry(&m, 17, "10.8.0.1", 1001, "10.8.0.2", 2001);
	m.ct.orig.present |= 1u << CTA_TUPLE_ZONE;
	m.ct.orig.zone = 4;
	st_ct_expect(c, "create with an original-direction zone", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	st_entry(&m, 17, "10.8.0.1", 1002, "10.8.0.2", 2002);
	m.ct.reply.present |= 1u << CTA_TUPLE_ZONE;
	m.ct.reply.zone = 4;
	st_ct_expect(c, "create with a reply-direction zone", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	st_entry(&m, 17, "10.8.0.1", 1003, "10.8.0.2", 2003);
	m.ct.orig.present |= 1u << CTA_TUPLE_ZONE;
	m.ct.orig.zone = 4;
	m.ct.reply.present |= 1u << CTA_TUPLE_ZONE;
	m.ct.reply.zone = 5;
	st_ct_expect(c, "create with zones in both directions", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, -EINVAL);
}

static void mark_ctnetlink(struct st_ctx *c)
{
	static const char rules[] =
		"table inet ctst_mark {\n"
		"	chain out { type filter hook output priority 0; udp dport 5402 ct mark set 0x42; }\n"
		"}\n";
	uint32_t want = st_fault_on(c, "mark-value") ? 0x12 : 0x11;
	struct ctnl_ct_msg m;
	struct st_list l;
	const struct ctnl_ct_msg *e;

	st_entry(&m, 6, "10.8.0.1", 1000, "10.8.0.2", 2000);
	m.ct.present |= 1u << CTA_MARK;
	m.ct.mark = 0x1;
	st_ct_expect(c, "create with mark 0x1", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	if (st_get(c, &m, &l) == 0 && l.n == 1)
		st_eq(c, "mark after create", 0x1, l.e[0].ct.mark);
	st_list_free(&l);
	/* masked update: (old & ~mask) ^ mark */
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_MARK | 1u << CTA_MARK_MASK;
	m.ct.mark = 0x10;
	m.ct.mark_mask = 0xf0;
	st_ct_expect(c, "update mark 0x10/0xf0", IPCTNL_MSG_CT_NEW, ST_ACK, &m, 0);
	if (st_get(c, &m, &l) == 0 && l.n == 1)
		st_eq(c, "mark after a masked update of 0x1 with 0x10/0xf0", want, l.e[0].ct.mark);
	st_list_free(&l);
	m.ct.present &= ~(1u << CTA_MARK_MASK);
	m.ct.mark = 0x7;
	st_ct_expect(c, "update mark 0x7 without a mask", IPCTNL_MSG_CT_NEW, ST_ACK, &m, 0);
	if (st_get(c, &m, &l) == 0 && l.n == 1)
		st_eq(c, "mark after an unmasked update", 0x7, l.e[0].ct.mark);
	st_list_free(&l);
	/* a mark set by the ruleset */
	if (st_nft(c, NULL, rules) == 0) {
		e = udp_entry(c, &l, 5402);
		if (e)
			st_eq(c, "mark set by 'ct mark set 0x42'", 0x42, e->ct.mark);
		st_list_free(&l);
	} else {
		st_check(c, 0, "nft 'ct mark set' ruleset loads");
	}
}

static int label_bit(const struct ctnl_ct_msg *m, unsigned bit)
{
	unsigned long w = 0;
	size_t at = bit / (8 * sizeof(w)) * sizeof(w);

	if (!ctnl_has(&m->ct, CTA_LABELS) || at + sizeof(w) > m->ct.labels.len)
		return 0;
	memcpy(&w, m->ct.labels.ptr + at, sizeof(w));
	return (int)(w >> (bit % (8 * sizeof(w))) & 1);
}

static void set_label(uint8_t *buf, unsigned bit)
{
	unsigned long w;
	size_t at = bit / (8 * sizeof(w)) * sizeof(w);

	memcpy(&w, buf + at, sizeof(w));
	w |= 1ul << (bit % (8 * sizeof(w)));
	memcpy(buf + at, &w, sizeof(w));
}

static void labels_without(struct st_ctx *c)
{
	static uint8_t bits[16];
	struct ctnl_ct_msg m;
	struct st_list l;

	set_label(bits, 1);
	st_entry(&m, 6, "10.8.0.1", 1000, "10.8.0.2", 2000);
	m.ct.present |= 1u << CTA_LABELS;
	m.ct.labels = (struct ctnl_view){ bits, sizeof(bits) };
	/* no ruleset uses labels: the extension is missing, the create still succeeds */
	st_ct_expect(c, "create with labels, no label ruleset", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	if (st_get(c, &m, &l) == 0 && l.n == 1)
		st_check(c, !ctnl_has(&l.e[0].ct, CTA_LABELS), "no labels stored without a label ruleset");
	st_list_free(&l);
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_LABELS;
	st_ct_expect(c, "update labels without the extension", IPCTNL_MSG_CT_NEW, ST_ACK, &m, -ENOSPC);
}

static void labels_with(struct st_ctx *c)
{
	static const char rules[] =
		"table inet ctst_label {\n"
		"	chain out { type filter hook output priority 0; udp dport 5403 ct label set 3; }\n"
		"}\n";
	static uint8_t five[16], six[16];
	struct ctnl_ct_msg m;
	struct st_list l;
	const struct ctnl_ct_msg *e;

	if (st_nft(c, NULL, rules) < 0) {
		st_check(c, 0, "nft 'ct label set' ruleset loads");
		return;
	}
	e = udp_entry(c, &l, 5403);
	if (e)
		st_check(c, label_bit(e, 3), "label 3 set by the ruleset [capture records %u-%u]", l.r.first_record,
			 l.r.last_record);
	st_list_free(&l);
	set_label(five, 5);
	set_label(six, 6);
	st_entry(&m, 6, "10.8.0.1", 1000, "10.8.0.2", 2000);
	m.ct.present |= 1u << CTA_LABELS;
	m.ct.labels = (struct ctnl_view){ five, sizeof(five) };
	st_ct_expect(c, "create with label 5", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	if (st_get(c, &m, &l) == 0 && l.n == 1)
		st_check(c, label_bit(&l.e[0], 5), "label 5 stored on create");
	st_list_free(&l);
	m.ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_LABELS | 1u << CTA_LABELS_MASK;
	m.ct.labels = (struct ctnl_view){ six, sizeof(six) };
	m.ct.labels_mask = (struct ctnl_view){ six, sizeof(six) };
	st_ct_expect(c, "update: add label 6 under mask 6", IPCTNL_MSG_CT_NEW, ST_ACK, &m, 0);
	if (st_get(c, &m, &l) == 0 && l.n == 1)
		st_check(c, label_bit(&l.e[0], 5) && label_bit(&l.e[0], 6), "labels 5 and 6 after the masked update");
	st_list_free(&l);
}

static void acct_check(struct st_ctx *c, int on)
{
	struct st_list l;
	const struct ctnl_ct_msg *e;

	if (on && ctnl_ns_sysctl(c->ns, "net/netfilter/nf_conntrack_acct", "1") < 0)
		st_skip(c, "no net.netfilter.nf_conntrack_acct sysctl");
	e = udp_entry(c, &l, 5405);
	if (e && on) {
		st_check(c, ctnl_has(&e->ct, CTA_COUNTERS_ORIG) && ctnl_has(&e->ct, CTA_COUNTERS_REPLY),
			 "counters in both directions with accounting on");
		st_eq(c, "original packets", 1, (long long)e->ct.counters_orig.packets);
		st_eq(c, "reply packets", 1, (long long)e->ct.counters_reply.packets);
		st_eq(c, "original bytes (IPv4 20 + UDP 8 + 5)", 33, (long long)e->ct.counters_orig.bytes);
	} else if (e) {
		st_check(c, !ctnl_has(&e->ct, CTA_COUNTERS_ORIG) && !ctnl_has(&e->ct, CTA_COUNTERS_REPLY),
			 "no counters with accounting off");
	}
	st_list_free(&l);
}

static void acct_on(struct st_ctx *c)
{
	acct_check(c, 1);
}

static void acct_off(struct st_ctx *c)
{
	acct_check(c, 0);
}

static void tstamp(struct st_ctx *c, int on)
{
	struct st_list l;
	const struct ctnl_ct_msg *e;
	struct timespec now;

	if (on && ctnl_ns_sysctl(c->ns, "net/netfilter/nf_conntrack_timestamp", "1") < 0)
		st_skip(c, "no net.netfilter.nf_conntrack_timestamp sysctl");
	e = udp_entry(c, &l, 5406);
	clock_gettime(CLOCK_REALTIME, &now);
	if (e && on) {
		long long start = (long long)e->ct.timestamp.start, t = (long long)now.tv_sec * 1000000000LL + now.tv_nsec;

		st_check(c, ctnl_has(&e->ct, CTA_TIMESTAMP) && ctnl_has(&e->ct.timestamp, CTA_TIMESTAMP_START),
			 "CTA_TIMESTAMP with a start time, timestamps on");
		st_check(c, start <= t && start > t - 60000000000LL,
			 "start time within the last minute of CLOCK_REALTIME: %lld vs now %lld", start, t);
		st_check(c, !ctnl_has(&e->ct.timestamp, CTA_TIMESTAMP_STOP), "no stop time on a live entry");
	} else if (e) {
		st_check(c, !ctnl_has(&e->ct, CTA_TIMESTAMP), "no CTA_TIMESTAMP with timestamps off");
	}
	st_list_free(&l);
}

static void tstamp_on(struct st_ctx *c)
{
	tstamp(c, 1);
}

static void tstamp_off(struct st_ctx *c)
{
	tstamp(c, 0);
}

static int secmark_probe(struct st_ctx *c, char *why, size_t len)
{
	struct stat st;

	(void)c;
	if (stat("/sys/fs/selinux/enforce", &st) < 0) {
		snprintf(why, len, "no SELinux in use (no /sys/fs/selinux): CTA_SECCTX needs a security module "
				   "that names the secmark");
		return 1;
	}
	return 0;
}

static void secmark(struct st_ctx *c)
{
	static const char rules[] =
		"table inet ctst_sec {\n"
		"	secmark sm { \"system_u:object_r:unlabeled_t:s0\" }\n"
		"	chain out { type filter hook output priority 0; udp dport 5407 meta secmark set \"sm\";"
		" ct secmark set meta secmark; }\n"
		"}\n";
	struct st_list l;
	const struct ctnl_ct_msg *e;

	if (st_nft(c, NULL, rules) < 0)
		st_skip(c, "the secmark ruleset does not load (the policy has no unlabeled_t?)");
	e = udp_entry(c, &l, 5407);
	if (e) {
		st_check(c, ctnl_has(&e->ct, CTA_SECCTX), "CTA_SECCTX on a secmarked entry");
		st_check(c, e->ct.secctx.name.len > 0 && memmem(e->ct.secctx.name.ptr, e->ct.secctx.name.len,
								"unlabeled_t", 11) != NULL,
			 "the context names unlabeled_t");
	}
	st_list_free(&l);
}

const struct st_scenario st_fam_attr[] = {
	{ "attr.zone.plain", "ct zone set 7 by nft; create/get in zone 5; same tuple in zone 0", NULL, NULL,
	  zone_plain, 0 },
	{ "attr.zone.directional", "ct original zone set 3 -> CTA_TUPLE_ZONE; one direction ok, both EINVAL", NULL,
	  NULL, zone_directional, 0 },
	{ "attr.mark.ctnetlink", "mark on create, masked and plain update, ct mark set by nft", NULL, NULL,
	  mark_ctnetlink, 0 },
	{ "attr.labels.without-ruleset", "labels without the extension: create drops them, update ENOSPC", NULL,
	  NULL, labels_without, 0 },
	{ "attr.labels.with-ruleset", "ct label set 3 by nft; label on create; masked update adds", NULL, NULL,
	  labels_with, 0 },
	{ "attr.acct.on", "nf_conntrack_acct=1: packet and byte counters both ways", NULL, NULL, acct_on, 0 },
	{ "attr.acct.off", "nf_conntrack_acct=0: no CTA_COUNTERS_*", NULL, NULL, acct_off, 0 },
	{ "attr.timestamp.on", "nf_conntrack_timestamp=1: CTA_TIMESTAMP start, no stop", NULL, NULL, tstamp_on, 0 },
	{ "attr.timestamp.off", "nf_conntrack_timestamp=0: no CTA_TIMESTAMP", NULL, NULL, tstamp_off, 0 },
	{ "attr.secmark", "ct secmark set by nft -> CTA_SECCTX", secmark_probe, NULL, secmark, 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
