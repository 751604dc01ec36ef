/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ctnl command, run in-process from a table of {arguments, exit
 * status, what stdout and stderr must hold}.  Input files are written
 * from golden bytes (a 6.18 dump entry) into a temporary directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "cli.h"
#include "../unit/testutil.h"

static const char entry_hex[] =
	"f0000000 00012200 00000000 00000000 02000000"
	"34000180 14000180 08000100 0a000001 08000200 0a000002 1c000280 05000100 06000000 06000200 03e80000 06000300 00500000"
	"34000280 14000180 08000100 0a000002 08000200 0a000001 1c000280 05000100 06000000 06000200 00500000 06000300 03e80000"
	"08000300 00000008 08000800 00000007 08000c00 7cb6dd16 08000b00 00000001 08000700 00000064"
	"30000480 2c000180 05000100 03000000 05000200 00000000 05000300 00000000 06000400 00000000 06000500 00000000"
	"1c001880 08000100 00000000 08000200 00000000 08000300 00000000";
#define OFF_MARK (20 + 52 + 52 + 8)

static char dir[64];
static char good[128], bad[128], cut[128], done_err[128], stx[128], cap[128];

/* Runs in the suite's setup, where CUnit assertions are not allowed. */
static int write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	size_t w;

	if (!f)
		return -1;
	w = fwrite(p, 1, n, f);
	return fclose(f) == 0 && w == n ? 0 : -1;
}

static int setup(void)
{
	uint8_t one[256], buf[1024];
	size_t n = hex2bin(entry_hex, one, sizeof(one)), len;

	strcpy(dir, "/tmp/ctnl-cli-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(good, sizeof(good), "%s/good.bin", dir);
	snprintf(bad, sizeof(bad), "%s/bad.bin", dir);
	snprintf(cut, sizeof(cut), "%s/cut.bin", dir);
	snprintf(done_err, sizeof(done_err), "%s/done-err.bin", dir);
	snprintf(stx, sizeof(stx), "%s/exp-stats.bin", dir);
	snprintf(cap, sizeof(cap), "%s/good.pcap", dir);

	/* an EXP GET_STATS_CPU request (0x0203), its 0x0103 answer for CPU 1, NLMSG_DONE */
	len = hex2bin("14000000 03020103 09000000 00000000 00000000"
		      "2c000000 03010200 09000000 99000000 00000001 08000100 00000001 08000200 00000002"
		      "08000300 00000003 14000000 03000200 09000000 99000000 00000000",
		      buf, sizeof(buf));
	if (write_file(stx, buf, len) < 0)
		return -1;

	/* two entries and NLMSG_DONE */
	memcpy(buf, one, n);
	memcpy(buf + n, one, n);
	len = 2 * n + hex2bin("14000000 03000200 00000000 00000000 00000000", buf + 2 * n, 64);
	if (write_file(good, buf, len) < 0)
		return -1;

	/* the same three messages as one nlmon record (pcap, ns time stamps) */
	{
		uint8_t pc[1200];
		uint32_t gh[6] = { 0xa1b23c4du, 0x00040002u, 0, 0, 262144, 253 };
		uint32_t rh[4] = { 1700000000u, 5, (uint32_t)len + 16, (uint32_t)len + 16 };
		static const uint8_t cooked[16] = { 0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12 };

		memcpy(pc, gh, 24);
		memcpy(pc + 24, rh, 16);
		memcpy(pc + 40, cooked, 16);
		memcpy(pc + 56, buf, len);
		if (write_file(cap, pc, 56 + len) < 0)
			return -1;
	}

	/* three entries, the middle one with a 3-byte CTA_MARK */
	memcpy(buf, one, n);
	memcpy(buf + n, one, n);
	memcpy(buf + 2 * n, one, n);
	set_u16(buf + n + OFF_MARK, 7);
	if (write_file(bad, buf, 3 * n) < 0)
		return -1;

	/* one entry, then a message cut short by the end of the file */
	memcpy(buf, one, n);
	memcpy(buf + n, one, 100);
	if (write_file(cut, buf, n + 100) < 0)
		return -1;

	/* an ACK and an ENOENT error */
	len = hex2bin("24000000 02000001 07000000 99000000 00000000 14000000 00010500 07000000 99000000"
		      "24000000 02000001 08000000 99000000 feffffff 14000000 02010500 08000000 99000000",
		      buf, sizeof(buf));
	return write_file(done_err, buf, len);
}

static int teardown(void)
{
	unlink(good);
	unlink(bad);
	unlink(cut);
	unlink(done_err);
	unlink(stx);
	unlink(cap);
	rmdir(dir);
	return 0;
}

struct outcome {
	int rc;
	char *out;
	char *err;
};

static struct outcome run(const char *const *args)
{
	char *argv[16];
	int argc = 0;
	size_t olen, elen;
	struct outcome r;
	struct ctnl_io io;

	while (args[argc] && argc < 15) {
		argv[argc] = (char *)args[argc];
		argc++;
	}
	argv[argc] = NULL;
	io.out = open_memstream(&r.out, &olen);
	io.err = open_memstream(&r.err, &elen);
	r.rc = ctnl_main(argc, argv, &io);
	fclose(io.out);
	fclose(io.err);
	return r;
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

struct cli_case {
	const char *args[8];
	int rc;
	const char *out_has;  /* NULL: no check */
	const char *err_has;
	int out_lines;        /* -1: no check */
};

#define F_GOOD "@good"
#define F_BAD "@bad"
#define F_CUT "@cut"
#define F_ERR "@err"
#define F_STX "@stx"
#define F_CAP "@cap"

static const struct cli_case cases[] = {
	{ { "ctnl", NULL }, 2, NULL, "Usage: ctnl", 0 },
	{ { "ctnl", "--help", NULL }, 0, "decode FILE", "", -1 },
	{ { "ctnl", "frobnicate", NULL }, 2, "", "unknown command 'frobnicate'", 0 },
	{ { "ctnl", "decode", "--help", NULL }, 0, "--format=conntrack", "", -1 },
	{ { "ctnl", "decode", NULL }, 2, "", "Usage: ctnl decode", 0 },
	{ { "ctnl", "decode", "--format=xml", F_GOOD, NULL }, 2, "", "unknown format 'xml'", 0 },
	{ { "ctnl", "decode", "-o", "extended,bogus", F_GOOD, NULL }, 2, "", "unknown output option", 0 },
	{ { "ctnl", "decode", "/nonexistent/file", NULL }, 1, "", "No such file or directory", 0 },
	/* text: every message, attributes by path */
	{ { "ctnl", "decode", F_GOOD, NULL }, 0,
	  "#0 kernel->user ct.new flags=0x0022 seq=0 pid=0 family=ipv4 res_id=0 orig.ip.v4-src=10.0.0.1 "
	  "orig.ip.v4-dst=10.0.0.2 orig.proto.num=6 orig.proto.src-port=1000 orig.proto.dst-port=80",
	  "", 3 },
	{ { "ctnl", "decode", F_GOOD, NULL }, 0, "#2 kernel->user done flags=0x0002", "", 3 },
	{ { "ctnl", "decode", F_GOOD, NULL }, 0, " protoinfo.tcp.state=3 protoinfo.tcp.wscale-orig=0", "", 3 },
	{ { "ctnl", "decode", F_GOOD, NULL }, 0, " timeout=100 mark=7 use=1 id=2092358934 synproxy.isn=0", "", 3 },
	/* conntrack: entries only */
	{ { "ctnl", "decode", "--format=conntrack", F_GOOD, NULL }, 0,
	  "tcp      6 100 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1000 dport=80 [UNREPLIED] "
	  "src=10.0.0.2 dst=10.0.0.1 sport=80 dport=1000 mark=7 use=1\n",
	  "", 2 },
	{ { "ctnl", "decode", "--format=conntrack", "-o", "extended,id", F_GOOD, NULL }, 0,
	  "ipv4     2 tcp      6 100 ESTABLISHED src=10.0.0.1", "", 2 },
	{ { "ctnl", "decode", "--format=conntrack", "-o", "extended,id", F_GOOD, NULL }, 0, " use=1 id=2092358934\n", "", 2 },
	/* json: one object per message */
	{ { "ctnl", "decode", "--format=json", F_GOOD, NULL }, 0, "{", "", 3 },
	/* a bad middle message: reported with index, offset, path; the others printed; status 1 */
	{ { "ctnl", "decode", "--format=conntrack", F_BAD, NULL }, 1, "dport=1000 mark=7 use=1\n",
	  "ctnl decode: @bad: message 1 (byte 240): mark (type 8) at byte 372: length 3, expected 4", 2 },
	{ { "ctnl", "decode", F_BAD, NULL }, 1, "#2 kernel->user ct.new", "message 1 (byte 240)", 3 },
	{ { "ctnl", "decode", F_BAD, NULL }, 1, "#1 kernel->user ct.new flags=0x0022 seq=0 pid=0 family=ipv4 res_id=0 (partial)",
	  NULL, 3 },
	/* a message cut by the end of the file: the first is printed, the cut one named */
	{ { "ctnl", "decode", "--format=conntrack", F_CUT, NULL }, 1, "mark=7 use=1\n",
	  "message 1 (byte 240): at byte 240: nlmsg_len 240 runs past the buffer (100 bytes left)", 1 },
	/* ACKs and errors */
	{ { "ctnl", "decode", F_ERR, NULL }, 0, "#0 kernel->user error flags=0x0100 seq=7 pid=153 errno=0 (ack)", "", 2 },
	{ { "ctnl", "decode", F_ERR, NULL }, 0, "#1 kernel->user error flags=0x0100 seq=8 pid=153 errno=-2 (No such file or directory)\n", "", 2 },
	{ { "ctnl", "decode", "--format=conntrack", F_ERR, NULL }, 0, "", "", 0 },
	{ { "ctnl", "decode", "--format=json", F_ERR, NULL }, 0, "{\"msg\":\"error\",\"index\":1,\"errno\":-2,\"seq\":8", "", 2 },
	/* expectation stats: the 0x0103 answer is judged by its request (same seq) */
	{ { "ctnl", "decode", "--format=conntrack", F_STX, NULL }, 0,
	  "cpu=1   \texpect_new=1 expect_create=2 expect_delete=3 \n", "", 1 },
	{ { "ctnl", "decode", F_STX, NULL }, 0,
	  "#1 kernel->user ct.get-ctrzero=exp.stats-cpu flags=0x0002 seq=9 pid=153 family=unspec res_id=1 "
	  "expect_new=1 expect_create=2 expect_delete=3\n", "", 3 },
	{ { "ctnl", "decode", F_STX, NULL }, 0, "#0 user->kernel exp.get-stats-cpu flags=0x0301", "", 3 },
	{ { "ctnl", "decode", "--format=json", F_STX, NULL }, 0,
	  "{\"type\":\"stats\",\"object\":\"stats_exp_cpu\",\"cpu\":1,\"expect_new\":1,", "", 3 },
	{ { "ctnl", "decode", "--format=conntrack", "--request", "exp.get-stats-cpu", F_STX, NULL }, 0,
	  "expect_delete=3 \n", "", 1 },
	{ { "ctnl", "decode", "--request", "bogus", F_STX, NULL }, 2, "", "--request takes a type", 0 },
	/* captures: record.index and time; JSON with where; filters; --stats */
	{ { "ctnl", "decode", F_CAP, NULL }, 0,
	  "#1.0 1700000000.000000005 kernel->user ct.new flags=0x0022 seq=0 pid=0 family=ipv4 res_id=0 "
	  "orig.ip.v4-src=10.0.0.1 ", "", 3 },
	{ { "ctnl", "decode", F_CAP, NULL }, 0, "#1.2 1700000000.000000005 kernel->user done flags=0x0002", "", 3 },
	{ { "ctnl", "decode", "--format=json", F_CAP, NULL }, 0,
	  "{\"record\":1,\"record_index\":1,\"time\":1700000000.000000005,\"dir\":\"to-user\",\"type\":\"entry\",", "", 3 },
	{ { "ctnl", "decode", "--format=conntrack", F_CAP, NULL }, 0, "dport=1000 mark=7 use=1\n", "", 2 },
	{ { "ctnl", "decode", "--direction", "to-kernel", F_CAP, NULL }, 0, "", "", 0 },
	{ { "ctnl", "decode", "--type", "done", F_CAP, NULL }, 0, "#1.2 ", "", 1 },
	{ { "ctnl", "decode", "--table", "exp", F_CAP, NULL }, 0, "", "", 0 },
	{ { "ctnl", "decode", "--family", "ipv6", F_GOOD, NULL }, 0, "", "", 0 },
	{ { "ctnl", "decode", "--family", "ipv4", "--type", "ct.new", F_GOOD, NULL }, 0, "#1 kernel->user ct.new", "", 2 },
	{ { "ctnl", "decode", "--stats", F_CAP, NULL }, 0, "messages: 3 (to-kernel 0, to-user 3)", "", -1 },
	{ { "ctnl", "decode", "--stats", F_CAP, NULL }, 0, "  orig.proto.dst-port", "", -1 },
	{ { "ctnl", "decode", "--stats", "--format=json", F_BAD, NULL }, 1, "\"malformed_messages\":1", "", 1 },
	{ { "ctnl", "decode", "--table", "bogus", F_CAP, NULL }, 2, "", "--table takes", 0 },
	{ { "ctnl", "replay", "--bogus", F_CAP, NULL }, 2, "", "unknown option", -1 },
	{ { "ctnl", "replay", NULL }, 2, "", "Usage: ctnl replay", 0 },
};

static const char *subst(const char *s, char *tmp, size_t n)
{
	const struct { const char *tag; const char *path; } map[] = {
		{ F_GOOD, good }, { F_BAD, bad }, { F_CUT, cut }, { F_ERR, done_err }, { F_STX, stx }, { F_CAP, cap },
	};

	if (!s)
		return NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const char *at = strstr(s, map[i].tag);

		if (at) {
			snprintf(tmp, n, "%.*s%s%s", (int)(at - s), s, map[i].path, at + strlen(map[i].tag));
			return tmp;
		}
	}
	return s;
}

static void test_table(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct cli_case *c = &cases[i];
		char targs[8][160], tout[512], terr[512];
		const char *args[9];
		struct outcome r;
		int ok;

		for (int a = 0; a < 8; a++)
			args[a] = c->args[a] ? subst(c->args[a], targs[a], sizeof(targs[a])) : NULL;
		args[8] = NULL;
		r = run(args);
		const char *want_out = subst(c->out_has, tout, sizeof(tout));
		const char *want_err = subst(c->err_has, terr, sizeof(terr));
		ok = r.rc == c->rc;
		if (want_out)
			ok = ok && (want_out[0] ? strstr(r.out, want_out) != NULL : r.out[0] == '\0');
		if (want_err)
			ok = ok && (want_err[0] ? strstr(r.err, want_err) != NULL : r.err[0] == '\0');
		if (c->out_lines >= 0)
			ok = ok && count_lines(r.out) == (unsigned)c->out_lines;
		if (!ok) {
			fprintf(stderr, "\ncase %zu:", i);
			for (int a = 0; args[a]; a++)
				fprintf(stderr, " %s", args[a]);
			fprintf(stderr, "\n  rc %d (want %d)\n  stdout:\n%s\n  stderr:\n%s\n", r.rc, c->rc, r.out, r.err);
		}
		CU_ASSERT(ok);
		free(r.out);
		free(r.err);
	}
}

int main(void)
{
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("cli", setup, teardown);
	CU_add_test(s, "ctnl command table", test_table);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
