/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * exp-mkreq: write one expectation request, encoded by the codec, to a
 * file (for `ctnl-nlraw send`).  The fixture scenarios use it to make
 * expectations with NAT, class, flags and fn, which no tool on Debian 12
 * can ask for.
 *
 *   exp-mkreq [new|delete|get] [key=value...] OUT
 *
 *   master=P,SRC,SPORT,DST,DPORT  tuple=...  mask=...   (P: tcp, udp or a number;
 *                                  addresses IPv4 or IPv6)
 *   timeout=N id=N helper=NAME zone=N flags=N class=N fn=NAME
 *   natdir=N nat=P,SRC,SPORT      family=2|10   seq=N
 *
 * The message asks for an ACK (NLM_F_ACK); new also sets CREATE|EXCL.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctnl/ctnl.h>

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "exp-mkreq: %s: %s\n", what, arg);
	exit(2);
}

static unsigned long num(const char *s, unsigned long max)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v > max)
		die("bad number", s);
	return v;
}

static void addr(const char *s, struct ctnl_ct_ip *ip, int is_src, uint8_t *family)
{
	if (strchr(s, ':')) {
		uint8_t a[16];

		if (inet_pton(AF_INET6, s, a) != 1)
			die("bad IPv6 address", s);
		memcpy(is_src ? ip->v6_src : ip->v6_dst, a, 16);
		ip->present |= 1u << (is_src ? CTA_IP_V6_SRC : CTA_IP_V6_DST);
		*family = AF_INET6;
	} else {
		uint8_t a[4];

		if (inet_pton(AF_INET, s, a) != 1)
			die("bad IPv4 address", s);
		memcpy(is_src ? ip->v4_src : ip->v4_dst, a, 4);
		ip->present |= 1u << (is_src ? CTA_IP_V4_SRC : CTA_IP_V4_DST);
	}
}

/* "P,SRC,SPORT[,DST,DPORT]" */
static void tuple(char *s, struct ctnl_ct_tuple *t, uint8_t *family)
{
	char *f[5];
	int n = 0;

	for (char *tok = strtok(s, ","); tok && n < 5; tok = strtok(NULL, ","))
		f[n++] = tok;
	if (n != 3 && n != 5)
		die("a tuple is P,SRC,SPORT[,DST,DPORT]", s);
	memset(t, 0, sizeof(*t));
	t->present = 1u << CTA_TUPLE_IP | 1u << CTA_TUPLE_PROTO;
	t->proto.present = 1u << CTA_PROTO_NUM | 1u << CTA_PROTO_SRC_PORT;
	t->proto.num = !strcmp(f[0], "tcp") ? 6 : !strcmp(f[0], "udp") ? 17 : (uint8_t)num(f[0], 255);
	addr(f[1], &t->ip, 1, family);
	t->proto.src_port = (uint16_t)num(f[2], 65535);
	if (n == 5) {
		addr(f[3], &t->ip, 0, family);
		t->proto.dst_port = (uint16_t)num(f[4], 65535);
		t->proto.present |= 1u << CTA_PROTO_DST_PORT;
	}
}

int main(int argc, char **argv)
{
	static struct ctnl_exp_msg m;
	struct ctnl_exp *e = &m.exp;
	uint8_t buf[4096], family = AF_INET;
	int family_set = 0, i = 1;
	struct ctnl_err err = { 0 };
	size_t len;
	FILE *f;

	ctnl_exp_init(&m);
	m.hdr.type = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_NEW;
	m.hdr.flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	m.hdr.seq = 1;
	if (argc > 1 && !strcmp(argv[1], "delete")) {
		m.hdr.type = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_DELETE;
		m.hdr.flags = NLM_F_REQUEST | NLM_F_ACK;
		i++;
	} else if (argc > 1 && !strcmp(argv[1], "get")) {
		m.hdr.type = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_GET;
		m.hdr.flags = NLM_F_REQUEST | NLM_F_ACK;
		i++;
	} else if (argc > 1 && !strcmp(argv[1], "new")) {
		i++;
	}
	for (; i < argc - 1; i++) {
		char *k = argv[i], *v = strchr(k, '=');

		if (!v)
			die("expected key=value", k);
		*v++ = '\0';
		if (!strcmp(k, "master")) {
			tuple(v, &e->master, &family);
			e->present |= 1u << CTA_EXPECT_MASTER;
		} else if (!strcmp(k, "tuple")) {
			tuple(v, &e->tuple, &family);
			e->present |= 1u << CTA_EXPECT_TUPLE;
		} else if (!strcmp(k, "mask")) {
			tuple(v, &e->mask, &family);
			e->present |= 1u << CTA_EXPECT_MASK;
		} else if (!strcmp(k, "timeout")) {
			e->timeout = (uint32_t)num(v, 0xffffffffu);
			e->present |= 1u << CTA_EXPECT_TIMEOUT;
		} else if (!strcmp(k, "id")) {
			e->id = (uint32_t)num(v, 0xffffffffu);
			e->present |= 1u << CTA_EXPECT_ID;
		} else if (!strcmp(k, "helper")) {
			e->helper.ptr = (const uint8_t *)v;
			e->helper.len = (uint32_t)strlen(v);
			e->present |= 1u << CTA_EXPECT_HELP_NAME;
		} else if (!strcmp(k, "zone")) {
			e->zone = (uint16_t)num(v, 65535);
			e->present |= 1u << CTA_EXPECT_ZONE;
		} else if (!strcmp(k, "flags")) {
			e->flags = (uint32_t)num(v, 0xffffffffu);
			e->present |= 1u << CTA_EXPECT_FLAGS;
		} else if (!strcmp(k, "class")) {
			e->exp_class = (uint32_t)num(v, 0xffffffffu);
			e->present |= 1u << CTA_EXPECT_CLASS;
		} else if (!strcmp(k, "fn")) {
			e->fn.ptr = (const uint8_t *)v;
			e->fn.len = (uint32_t)strlen(v);
			e->present |= 1u << CTA_EXPECT_FN;
		} else if (!strcmp(k, "natdir")) {
			e->nat.dir = (uint32_t)num(v, 0xffffffffu);
			e->nat.present |= 1u << CTA_EXPECT_NAT_DIR;
			e->present |= 1u << CTA_EXPECT_NAT;
		} else if (!strcmp(k, "nat")) {
			tuple(v, &e->nat.tuple, &family);
			e->nat.present |= 1u << CTA_EXPECT_NAT_TUPLE;
			e->present |= 1u << CTA_EXPECT_NAT;
		} else if (!strcmp(k, "family")) {
			family = (uint8_t)num(v, 255);
			family_set = 1;
		} else if (!strcmp(k, "seq")) {
			m.hdr.seq = (uint32_t)num(v, 0xffffffffu);
		} else {
			die("unknown key", k);
		}
	}
	if (i != argc - 1)
		die("usage", "exp-mkreq [new|delete|get] [key=value...] OUT");
	(void)family_set;
	m.hdr.family = family;
	if (ctnl_exp_encode(&m, buf, sizeof(buf), &len, &err) < 0) {
		char line[256];

		ctnl_err_format(&err, line, sizeof(line));
		die("encode", line);
	}
	f = fopen(argv[argc - 1], "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0)
		die("cannot write", argv[argc - 1]);
	return 0;
}
