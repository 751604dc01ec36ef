/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Live: the expectation table with the FTP helper (create, get, delete,
 * dump, flush per family), and statistics against conntrack -S / -C.
 */
#include <unistd.h>

#include "trutil.h"

static const char ftp_ruleset[] =
	"table inet ftp {\n"
	"	ct helper ftp-std {\n"
	"		type \"ftp\" protocol tcp\n"
	"	}\n"
	"	chain out {\n"
	"		type filter hook output priority 0;\n"
	"		tcp dport 21 ct helper set \"ftp-std\"\n"
	"	}\n"
	"}\n";

struct expseen {
	int n;
	struct ctnl_exp_msg last;          /* tuples only are read after the callback */
	char helper[16];
};

static int keep_exp(const struct ctnl_exp_msg *m, void *arg)
{
	struct expseen *s = arg;

	s->n++;
	s->last = *m;
	snprintf(s->helper, sizeof(s->helper), "%.*s", (int)m->exp.helper.len, (const char *)m->exp.helper.ptr);
	s->last.exp.present &= ~(1u << CTA_EXPECT_HELP_NAME | 1u << CTA_EXPECT_FN);
	return 0;
}

/* An FTP control connection 127.0.0.1:40021 -> :21.  The helper parses
 * only segments that start right after a line end it has seen, so the
 * client sends a whole line first, then "PORT 127,0,0,1,39,16": the
 * helper expects the server to connect to port 39*256+16 = 10000. */
static int ftp_session(struct ctnl_ns *ns)
{
	static const char user[] = "USER anonymous\r\n", port[] = "PORT 127,0,0,1,39,16\r\n";
	int c = ctnl_ns_tcp(ns, "127.0.0.1", 40021, "127.0.0.1", 21, 0), srv;
	char buf[128];

	if (c < 0)
		return c;
	srv = ns->keep[ns->nkeep - 1];
	if (write(c, user, sizeof(user) - 1) < 0 || read(srv, buf, sizeof(buf)) <= 0 ||
	    write(c, port, sizeof(port) - 1) < 0 || read(srv, buf, sizeof(buf)) <= 0)
		return -EIO;
	return c;
}

static void tuple4(struct ctnl_ct_tuple *t, const char *src, const char *dst, uint16_t sport, uint16_t dport)
{
	memset(t, 0, sizeof(*t));
	t->present = 1u << CTA_TUPLE_IP | 1u << CTA_TUPLE_PROTO;
	t->ip.present = 1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST;
	inet_pton(AF_INET, src, t->ip.v4_src);
	inet_pton(AF_INET, dst, t->ip.v4_dst);
	t->proto.present = 1u << CTA_PROTO_NUM | 1u << CTA_PROTO_SRC_PORT | 1u << CTA_PROTO_DST_PORT;
	t->proto.num = 6;
	t->proto.src_port = sport;
	t->proto.dst_port = dport;
}

static void test_expectations(void)
{
	struct ctnl_ns *ns;
	struct ctnl_handle *h;
	struct ctnl_err e = { 0 };
	struct expseen s = { 0 };
	struct ctnl_exp_msg x;
	char *out;
	int c;

	TR_OK(ctnl_ns_create(&ns));
	TR_OK(ctnl_ns_nft(ns, ftp_ruleset));
	h = tr_open(ns, NULL);
	c = ftp_session(ns);
	TR_OK(c);
	usleep(50000);

	/* dump: what the helper made, as conntrack -L expect shows it */
	CU_ASSERT_EQUAL(ctnl_exp_dump(h, 0, keep_exp, &s, &e), 1);
	out = tr_conntrack(ns, "-L", "expect", NULL, NULL);
	CU_ASSERT_EQUAL(tr_lines_with(out, "dport=10000", "helper=ftp", NULL), 1);
	free(out);
	CU_ASSERT_EQUAL(s.last.exp.tuple.proto.dst_port, 10000);
	CU_ASSERT_EQUAL(s.last.exp.master.proto.dst_port, 21);
	CU_ASSERT_STRING_EQUAL(s.helper, "ftp");
	CU_ASSERT_EQUAL(ctnl_exp_dump(h, AF_INET6, NULL, NULL, &e), 0);

	/* get and delete by the dumped expectation */
	x = s.last;
	s.n = 0;
	TR_OK(ctnl_exp_get(h, &x, keep_exp, &s, &e));
	CU_ASSERT_EQUAL(s.n, 1);
	TR_OK(ctnl_exp_delete(h, &x, &e));
	out = tr_conntrack(ns, "-L", "expect", NULL, NULL);
	CU_ASSERT_EQUAL(tr_lines_with(out, "dport=10000", NULL), 0);
	free(out);
	CU_ASSERT_EQUAL(ctnl_exp_get(h, &x, keep_exp, &s, &e), -ENOENT);

	/* create one on the same master, for port 10001 */
	ctnl_exp_init(&x);
	x.exp.present = 1u << CTA_EXPECT_MASTER | 1u << CTA_EXPECT_TUPLE | 1u << CTA_EXPECT_MASK |
			1u << CTA_EXPECT_TIMEOUT;
	tuple4(&x.exp.master, "127.0.0.1", "127.0.0.1", 40021, 21);
	tuple4(&x.exp.tuple, "127.0.0.1", "127.0.0.1", 0, 10001);
	tuple4(&x.exp.mask, "255.255.255.255", "255.255.255.255", 0, 0xffff);
	x.exp.timeout = 100;
	TR_OK(ctnl_exp_create(h, &x, &e));
	CU_ASSERT_EQUAL(ctnl_exp_create(h, &x, &e), -EEXIST);
	out = tr_conntrack(ns, "-L", "expect", NULL, NULL);
	CU_ASSERT_EQUAL(tr_lines_with(out, "dport=10001", NULL), 1);
	free(out);
	CU_ASSERT_EQUAL(ctnl_count(h, CTNL_TABLE_EXPECT, &e), 1);

	/* flush per family: IPv6 leaves it, IPv4 takes it */
	TR_OK(ctnl_exp_flush(h, AF_INET6, &e));
	CU_ASSERT_EQUAL(ctnl_exp_dump(h, 0, NULL, NULL, &e), 1);
	TR_OK(ctnl_exp_flush(h, AF_INET, &e));
	out = tr_conntrack(ns, "-L", "expect", NULL, NULL);
	CU_ASSERT_EQUAL(tr_lines_with(out, "dport=", NULL), 0);
	free(out);
	TR_OK(ctnl_exp_create(h, &x, &e));
	TR_OK(ctnl_exp_flush(h, 0, &e));
	CU_ASSERT_EQUAL(ctnl_exp_dump(h, 0, NULL, NULL, &e), 0);
	close(c);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

/* The value of "key=" in one conntrack -S line. */
static long field(const char *line, const char *key)
{
	char k[48];
	const char *p;

	snprintf(k, sizeof(k), " %s=", key);
	p = strstr(line, k);
	if (!p) {
		snprintf(k, sizeof(k), "\t%s=", key);
		p = strstr(line, k);
	}
	return p ? strtol(p + strlen(k), NULL, 10) : -1;
}

static void test_stats(void)
{
	static const struct {
		const char *name;
		unsigned attr;
	} ct_fields[] = {
		{ "found", CTA_STATS_FOUND },
		{ "invalid", CTA_STATS_INVALID },
		{ "insert", CTA_STATS_INSERT },
		{ "insert_failed", CTA_STATS_INSERT_FAILED },
		{ "drop", CTA_STATS_DROP },
		{ "early_drop", CTA_STATS_EARLY_DROP },
		{ "error", CTA_STATS_ERROR },
		{ "search_restart", CTA_STATS_SEARCH_RESTART },
	};
	struct ctnl_ns *ns;
	struct ctnl_handle *h;
	struct ctnl_err e = { 0 };
	struct ctnl_cpu_stats cpu[256];
	struct ctnl_global_stats g;
	struct ctnl_ct_msg m;
	char *out, *line;
	int n, checked = 0;

	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, NULL);
	TR_OK(ctnl_ns_udp(ns, "127.0.0.1", 42000, "127.0.0.1", 5400, 2, 1));
	TR_OK(ctnl_ns_ping(ns, "127.0.0.1", 99, 1));
	tr_entry4(&m, 6, "10.30.0.1", 1, "10.30.0.2", 2);
	TR_OK(ctnl_ct_create(h, &m, &e));

	n = ctnl_cpu_stats(h, CTNL_TABLE_CONNTRACK, cpu, 256, &e);
	TR_OK(n);
	out = tr_conntrack(ns, "-S", NULL, NULL, NULL);
	CU_ASSERT_EQUAL(tr_lines_with(out, "cpu=", NULL), n);
	for (line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		long id = -1;

		if (strncmp(line, "cpu=", 4) == 0)
			id = strtol(line + 4, NULL, 10);
		if (id < 0)
			continue;
		for (int i = 0; i < n; i++) {
			if (cpu[i].cpu != id)
				continue;
			for (size_t f = 0; f < sizeof(ct_fields) / sizeof(ct_fields[0]); f++) {
				long want = field(line, ct_fields[f].name);

				if (want < 0)
					continue;
				CU_ASSERT(cpu[i].present & (1u << ct_fields[f].attr));
				CU_ASSERT_EQUAL((long)cpu[i].v[ct_fields[f].attr], want);
				checked++;
			}
		}
	}
	CU_ASSERT(checked >= 8);
	free(out);

	TR_OK(ctnl_global_stats(h, &g, &e));
	out = tr_conntrack(ns, "-C", NULL, NULL, NULL);
	CU_ASSERT_EQUAL((long)g.entries, atol(out));
	CU_ASSERT_EQUAL(ctnl_count(h, CTNL_TABLE_CONNTRACK, &e), atol(out));
	CU_ASSERT_EQUAL(g.entries, 3);
	CU_ASSERT(g.max_entries > 0);
	free(out);

	n = ctnl_cpu_stats(h, CTNL_TABLE_EXPECT, cpu, 256, &e);
	TR_OK(n);
	out = tr_conntrack(ns, "-S", "expect", NULL, NULL);
	CU_ASSERT_EQUAL(tr_lines_with(out, "cpu=", NULL), n);
	for (int i = 0; i < n; i++)
		CU_ASSERT(cpu[i].present & (1u << CTA_STATS_EXP_NEW));
	free(out);
	CU_ASSERT_EQUAL(ctnl_cpu_stats(h, 9, cpu, 256, &e), -EINVAL);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

static CU_TestInfo tests[] = {
	{ "expectations with the FTP helper: dump, get, delete, create, flush", test_expectations },
	{ "CPU and global statistics agree with conntrack -S and -C", test_stats },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return tr_main("transport-exp-stats", tests);
}
