/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every golden fixture (tests/fixtures/<scenario>/dump.bin, recorded from
 * the running kernel by record.sh) decoded and checked field by field
 * against facts.txt: what the recording script knew without any decoder
 * (the traffic it made, the rules it loaded, conntrack(8)'s listing).
 * Tuples are formatted here, by the test, not by ctnl's renderer.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/ct.h>
#include <ctnl/msg.h>

static const char *fixtures_dir;

#define MAX_FACTS 512
#define MAX_ENTRIES 64

struct facts {
	char key[MAX_FACTS][48];
	char val[MAX_FACTS][160];
	int n;
};

static const char *fact(const struct facts *f, const char *key)
{
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->key[i], key))
			return f->val[i];
	return NULL;
}

static int load_facts(const char *path, struct facts *f)
{
	FILE *fp = fopen(path, "r");
	char line[256];

	f->n = 0;
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp) && f->n < MAX_FACTS) {
		char *eq = strchr(line, '=');

		if (line[0] == '#' || !eq)
			continue;
		*eq = '\0';
		line[strcspn(line, "")] = '\0';
		eq[1 + strcspn(eq + 1, "\n")] = '\0';
		snprintf(f->key[f->n], sizeof(f->key[0]), "%s", line);
		snprintf(f->val[f->n], sizeof(f->val[0]), "%s", eq + 1);
		f->n++;
	}
	fclose(fp);
	return 0;
}

static uint8_t *load(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* "src=A dst=B sport=1 dport=2", as the facts spell a tuple. */
static void tuple_text(const struct ctnl_ct_tuple *t, uint8_t family, char *buf, size_t len)
{
	char s[64] = "", d[64] = "";
	size_t n;
	unsigned num = t->proto.num;

	if (family == 2) {
		inet_ntop(AF_INET, t->ip.v4_src, s, sizeof(s));
		inet_ntop(AF_INET, t->ip.v4_dst, d, sizeof(d));
	} else {
		inet_ntop(AF_INET6, t->ip.v6_src, s, sizeof(s));
		inet_ntop(AF_INET6, t->ip.v6_dst, d, sizeof(d));
	}
	n = (size_t)snprintf(buf, len, "src=%s dst=%s", s, d);
	if (num == 1)
		snprintf(buf + n, len - n, " type=%u code=%u id=%u", t->proto.icmp_type, t->proto.icmp_code,
			 t->proto.icmp_id);
	else if (num == 58)
		snprintf(buf + n, len - n, " type=%u code=%u id=%u", t->proto.icmpv6_type, t->proto.icmpv6_code,
			 t->proto.icmpv6_id);
	else if (num == 47)
		snprintf(buf + n, len - n, " srckey=0x%x dstkey=0x%x", t->proto.src_port, t->proto.dst_port);
	else if (num == 6 || num == 17 || num == 136 || num == 132 || num == 33)
		snprintf(buf + n, len - n, " sport=%u dport=%u", t->proto.src_port, t->proto.dst_port);
}

static const char *const tcp_states[] = { "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
					  "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "LISTEN" };
static const char *const sctp_states[] = { "NONE", "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED",
					   "SHUTDOWN_SENT", "SHUTDOWN_RECD", "SHUTDOWN_ACK_SENT", "HEARTBEAT_SENT" };

static int label_set(const struct ctnl_view *v, unsigned bit)
{
	/* a host-order array of unsigned long: on a little-endian host,
	 * bit n is bit n%8 of byte n/8 */
	return bit / 8 < v->len && (v->ptr[bit / 8] >> (bit % 8)) & 1u;
}

static unsigned checked_fields;

static void check_entry(const char *scen, int e, const struct facts *f, const struct ctnl_ct_msg *m)
{
	char key[48], got[160], where[512];
	const char *want;
	const struct ctnl_ct *ct = &m->ct;

#define K(name) (snprintf(key, sizeof(key), "e%d." name, e), key)
#define CHECK(cond)                                                                                         \
	do {                                                                                                \
		checked_fields++;                                                                           \
		if (!(cond)) {                                                                              \
			snprintf(where, sizeof(where), "%s e%d: %s", scen, e, #cond);                       \
			CU_FAIL(where);                                                                     \
			fprintf(stderr, "\n  %s\n", where);                                                 \
		}                                                                                           \
	} while (0)

	if ((want = fact(f, K("l3num"))))
		CHECK(m->hdr.family == atoi(want));
	if ((want = fact(f, K("l4num"))))
		CHECK(ct->orig.proto.num == atoi(want) && ct->reply.proto.num == atoi(want));
	tuple_text(&ct->reply, m->hdr.family, got, sizeof(got));
	if ((want = fact(f, K("reply"))))
		CHECK(!strcmp(got, want));
	if ((want = fact(f, K("mark"))))
		CHECK(ctnl_has(ct, CTA_MARK) && ct->mark == strtoul(want, NULL, 10));
	if ((want = fact(f, K("zone"))))
		CHECK(ctnl_has(ct, CTA_ZONE) && ct->zone == atoi(want));
	if ((want = fact(f, K("zone-orig"))))
		CHECK(ctnl_has(&ct->orig, CTA_TUPLE_ZONE) && ct->orig.zone == atoi(want) && !ctnl_has(ct, CTA_ZONE));
	if ((want = fact(f, K("zone-reply"))))
		CHECK(ctnl_has(&ct->reply, CTA_TUPLE_ZONE) && ct->reply.zone == atoi(want) && !ctnl_has(ct, CTA_ZONE));
	if ((want = fact(f, K("flags")))) {
		int unreplied = strstr(want, "UNREPLIED") != NULL, assured = strstr(want, "ASSURED") != NULL;

		CHECK(ctnl_has(ct, CTA_STATUS));
		CHECK((!(ct->status & IPS_SEEN_REPLY)) == unreplied);
		CHECK(!!(ct->status & IPS_ASSURED) == assured);
	}
	if ((want = fact(f, K("status_has"))) && !strcmp(want, "FIXED_TIMEOUT"))
		CHECK(ct->status & IPS_FIXED_TIMEOUT);
	if ((want = fact(f, K("nat")))) {
		if (!strcmp(want, "dnat"))
			CHECK(ct->status & IPS_DST_NAT);
		else
			CHECK(ct->status & IPS_SRC_NAT);
	}
	if ((want = fact(f, K("state")))) {
		if (ct->orig.proto.num == 6)
			CHECK(ctnl_has(&ct->protoinfo, CTA_PROTOINFO_TCP) && ct->protoinfo.tcp.state < 10 &&
			      !strcmp(tcp_states[ct->protoinfo.tcp.state], want));
		else if (ct->orig.proto.num == 132)
			CHECK(ctnl_has(&ct->protoinfo, CTA_PROTOINFO_SCTP) && ct->protoinfo.sctp.state < 9 &&
			      !strcmp(sctp_states[ct->protoinfo.sctp.state], want));
	}
	if ((want = fact(f, K("vtag.orig"))))
		CHECK(ct->protoinfo.sctp.vtag_orig == strtoul(want, NULL, 10));
	if ((want = fact(f, K("vtag.reply"))))
		CHECK(ct->protoinfo.sctp.vtag_reply == strtoul(want, NULL, 10));
	if ((want = fact(f, K("orig.packets"))))
		CHECK(ctnl_has(ct, CTA_COUNTERS_ORIG) && ct->counters_orig.packets == strtoull(want, NULL, 10));
	if ((want = fact(f, K("orig.bytes"))))
		CHECK(ct->counters_orig.bytes == strtoull(want, NULL, 10));
	if ((want = fact(f, K("reply.packets"))))
		CHECK(ctnl_has(ct, CTA_COUNTERS_REPLY) && ct->counters_reply.packets == strtoull(want, NULL, 10));
	if ((want = fact(f, K("reply.bytes"))))
		CHECK(ct->counters_reply.bytes == strtoull(want, NULL, 10));
	if ((want = fact(f, K("synproxy"))) && !strcmp(want, "zero"))
		CHECK(ctnl_has(ct, CTA_SYNPROXY) && ct->synproxy.present == 0xe && !ct->synproxy.isn &&
		      !ct->synproxy.its && !ct->synproxy.tsoff);
	if ((want = fact(f, K("labels")))) {
		char list[64];
		unsigned nbits = 0, seen = 0;

		snprintf(list, sizeof(list), "%s", want);
		CHECK(ctnl_has(ct, CTA_LABELS) && ct->labels.len == 16);
		for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
			CHECK(label_set(&ct->labels, (unsigned)atoi(tok)));
			nbits++;
		}
		for (unsigned b = 0; b < 128; b++)
			seen += (unsigned)label_set(&ct->labels, b);
		CHECK(seen == nbits);
	}
	if (!strcmp(fact(f, "acct") ? fact(f, "acct") : "0", "1"))
		CHECK(ctnl_has(ct, CTA_COUNTERS_ORIG) && ctnl_has(ct, CTA_COUNTERS_REPLY));
	if (!strcmp(fact(f, "timestamp") ? fact(f, "timestamp") : "0", "1"))
		CHECK(ctnl_has(ct, CTA_TIMESTAMP) && ct->timestamp.start > 1700000000ull * 1000000000ull);
	/* nothing the kernel sent was left undecoded */
	CHECK(m->unknown.count == 0);
#undef CHECK
#undef K
}

static void check_scenario(const char *name)
{
	char path[512], key[32], txt[160];
	struct facts *f = calloc(1, sizeof(*f));
	static struct ctnl_ct_msg msgs[MAX_ENTRIES];
	int matched[MAX_ENTRIES] = { 0 };
	size_t len = 0, mlen;
	uint8_t *data;
	struct ctnl_stream s;
	const uint8_t *msg;
	int n = 0, entries, rc;

	snprintf(path, sizeof(path), "%s/%s/facts.txt", fixtures_dir, name);
	CU_ASSERT_EQUAL_FATAL(load_facts(path, f), 0);
	snprintf(path, sizeof(path), "%s/%s/dump.bin", fixtures_dir, name);
	data = load(path, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data);

	ctnl_stream_init(&s, data, len);
	while ((rc = ctnl_stream_next(&s, &msg, &mlen, NULL)) == 1) {
		uint16_t type;

		memcpy(&type, msg + 4, 2);
		if (!ctnl_ct_is_entry_type(type))
			continue;
		CU_ASSERT_FATAL(n < MAX_ENTRIES);
		CU_ASSERT_EQUAL(ctnl_ct_decode(msg, mlen, &msgs[n], NULL), 0);
		n++;
	}
	CU_ASSERT_EQUAL(rc, 0);
	entries = atoi(fact(f, "entries") ? fact(f, "entries") : "-1");
	CU_ASSERT_EQUAL(n, entries);
	if (n != entries)
		fprintf(stderr, "\n  %s: %d entries decoded, facts say %d\n", name, n, entries);

	/* each fact entry is found by its original tuple, then checked */
	for (int e = 1; e <= entries; e++) {
		const char *orig;
		int found = -1;

		snprintf(key, sizeof(key), "e%d.orig", e);
		orig = fact(f, key);
		CU_ASSERT_PTR_NOT_NULL(orig);
		if (!orig)
			continue;
		for (int i = 0; i < n && found < 0; i++) {
			tuple_text(&msgs[i].ct.orig, msgs[i].hdr.family, txt, sizeof(txt));
			if (!matched[i] && !strcmp(txt, orig))
				found = i;
		}
		if (found < 0) {
			fprintf(stderr, "\n  %s e%d: no decoded entry has orig %s\n", name, e, orig);
			CU_FAIL("fact entry not found among decoded entries");
			continue;
		}
		matched[found] = 1;
		check_entry(name, e, f, &msgs[found]);
	}
	free(data);
	free(f);
}

static void test_all_fixtures(void)
{
	DIR *d = opendir(fixtures_dir);
	struct dirent *de;
	int scenarios = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	checked_fields = 0;
	while ((de = readdir(d))) {
		char path[512];
		FILE *fp;

		if (de->d_name[0] == '.')
			continue;
		/* conntrack-table fixtures have a dump.bin; the expectation
		 * ones (expect-dump.bin) are checked by tests/exp */
		snprintf(path, sizeof(path), "%s/%s/dump.bin", fixtures_dir, de->d_name);
		fp = fopen(path, "r");
		if (!fp)
			continue;
		fclose(fp);
		check_scenario(de->d_name);
		scenarios++;
	}
	closedir(d);
	/* the suite is worth something only if it saw the fixtures */
	CU_ASSERT(scenarios >= 16);
	CU_ASSERT(checked_fields > 300);
	printf("\n  %d scenarios, %u field checks\n", scenarios, checked_fields);
}

int main(int argc, char **argv)
{
	CU_pSuite s;

	if (argc != 2) {
		fprintf(stderr, "usage: test_fixtures FIXTURES_DIR\n");
		return 2;
	}
	fixtures_dir = argv[1];
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("fixtures", NULL, NULL);
	CU_add_test(s, "every fixture, field by field against its facts", test_all_fixtures);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
