/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers and expectations: FTP (IPv4 PORT and IPv6 EPRT) and TFTP
 * through nft "ct helper", the expectations they make, expectation
 * events, ctnetlink's expectation create/get/delete and their errors,
 * and the RELATED entry of an expected connection.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netfilter/nf_conntrack_common.h>

#include "st.h"


static const char ftp_rules[] =
	"table inet ctst_helper {\n"
	"	ct helper ftp-std { type \"ftp\" protocol tcp; }\n"
	"	chain out { type filter hook output priority 0; tcp dport 21 ct helper set \"ftp-std\"; }\n"
	"}\n";

static int ftp_setup(struct st_ctx *c)
{
	return st_nft(c, NULL, ftp_rules);
}

/* A control connection to port 21 that sends @cmd after a first line
 * (the helper only parses data that follows a line end it has seen). */
static int ftp_session(struct st_ctx *c, const char *addr, const char *cmd, int *cl, int *sv)
{
	static const char user[] = "USER anonymous\r\n";
	struct pollfd p;
	char buf[128];
	int rc = st_tcp(c, NULL, addr, 40021, NULL, addr, 21, cl, sv);

	if (rc < 0)
		return rc;
	p = (struct pollfd){ *sv, POLLIN, 0 };
	if (write(*cl, user, sizeof(user) - 1) < 0 || poll(&p, 1, 1000) != 1 || read(*sv, buf, sizeof(buf)) <= 0 ||
	    write(*cl, cmd, strlen(cmd)) < 0 || poll(&p, 1, 1000) != 1 || read(*sv, buf, sizeof(buf)) <= 0)
		return -EIO;
	return 0;
}

/* The expectation events that arrive now, in order, against @want
 * ("NEW", "DESTROY NEW", ...); NEW must carry CREATE|EXCL. */
static void exp_events(struct st_ctx *c, const char *want, const char *what)
{
	char got[128] = "";
	struct st_reply r;
	const uint8_t *msg;
	size_t pos = 0, len, o = 0;
	int nwant = 1, n;

	for (const char *p = want; *p; p++)
		nwant += *p == ' ';
	n = st_events_read(c, nwant + 1, 300, &r);
	while (n > 0 && st_reply_next(&r, &pos, &msg, &len) == 1 && o < sizeof(got) - 16) {
		struct nlmsghdr nh;

		memcpy(&nh, msg, sizeof(nh));
		if (nh.nlmsg_type == (NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_NEW))
			o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%s", o ? " " : "",
					      nh.nlmsg_flags == (NLM_F_CREATE | NLM_F_EXCL) ? "NEW" : "NEW?flags");
		else if (nh.nlmsg_type == (NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_DELETE))
			o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%s", o ? " " : "", "DESTROY");
		else
			o += (size_t)snprintf(got + o, sizeof(got) - o, "%s0x%04x", o ? " " : "", nh.nlmsg_type);
	}
	st_check(c, !strcmp(got, want), "%s: expectation events \"%s\", got \"%s\" [capture records %u-%u]", what,
		 want, got, r.first_record, r.last_record);
	st_reply_free(&r);
}

static void exp_request(struct st_ctx *c, uint8_t type, uint16_t flags, const struct ctnl_exp_msg *e, int want,
			const char *what)
{
	struct st_reply r;

	if (st_exp_talk(c, type, flags, e, &r) < 0)
		st_check(c, 0, "%s: not sent", what);
	else
		st_errno(c, what, want, &r);
	st_reply_free(&r);
}

static void ftp4(struct st_ctx *c)
{
	struct st_xlist x;
	struct ctnl_exp_msg e;
	struct ctnl_ct_msg m;
	struct st_reply r;
	struct st_list l;
	int cl, sv, dcl, dsv, n, rc;

	rc = st_events_open(c, ST_GROUP(NFNLGRP_CONNTRACK_EXP_NEW) | ST_GROUP(NFNLGRP_CONNTRACK_EXP_DESTROY));
	st_check(c, rc == 0, "expectation event socket: %s", strerror(-rc));
	rc = ftp_session(c, "127.0.0.1", "PORT 127,0,0,1,39,16\r\n", &cl, &sv);
	st_check(c, rc == 0, "FTP control session with PORT: %s", strerror(-rc));
	/* on loopback the helper sees the PORT segment twice (postrouting and
	 * input): the second sighting replaces the identical expectation */
	exp_events(c, "NEW DESTROY NEW", "the helper's expectation (seen twice on loopback)");
	n = st_exp_dump(c, AF_INET, &x);
	st_eq(c, "expectations after PORT", 1, n);
	if (n == 1) {
		st_eq(c, "expected destination port (39*256+16)", 10000, x.e[0].exp.tuple.proto.dst_port);
		st_eq(c, "master's destination port", 21, x.e[0].exp.master.proto.dst_port);
		st_check(c, x.e[0].exp.helper.len == 3 && !memcmp(x.e[0].exp.helper.ptr, "ftp", 3),
			 "helper name 'ftp' [capture records %u-%u]", x.r.first_record, x.r.last_record);
		st_eq(c, "expectation dump message type", NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_NEW,
		      x.e[0].hdr.type);
	}
	st_xlist_free(&x);
	st_eq(c, "IPv6 expectations", 0, st_exp_dump(c, AF_INET6, &x));
	st_xlist_free(&x);
	/* the master carries the helper */
	st_entry(&m, 6, "127.0.0.1", 40021, "127.0.0.1", 21);
	if (st_get(c, &m, &l) == 0 && l.n == 1)
		st_check(c, l.e[0].ct.help.name.len == 3 && !memcmp(l.e[0].ct.help.name.ptr, "ftp", 3),
			 "the control entry's CTA_HELP names ftp");
	st_list_free(&l);
	/* the expected data connection: EXPECTED, with its master's tuple;
	 * the expectation is used up */
	rc = st_tcp(c, NULL, "127.0.0.1", 40020, NULL, "127.0.0.1", 10000, &dcl, &dsv);
	st_check(c, rc == 0, "the expected data connection: %s", strerror(-rc));
	st_entry(&m, 6, "127.0.0.1", 40020, "127.0.0.1", 10000);
	if (st_get(c, &m, &l) == 0 && l.n == 1) {
		st_check(c, (l.e[0].ct.status & IPS_EXPECTED) != 0, "the data entry is EXPECTED, status 0x%x",
			 l.e[0].ct.status);
		st_check(c, ctnl_has(&l.e[0].ct, CTA_TUPLE_MASTER), "the data entry names its master");
		st_eq(c, "master tuple's destination port", 21, l.e[0].ct.master.proto.dst_port);
	} else {
		st_check(c, 0, "GET of the data connection's entry");
	}
	st_list_free(&l);
	exp_events(c, "DESTROY", "the used expectation");
	st_eq(c, "expectations left once used", 0, st_exp_dump(c, 0, &x));
	st_xlist_free(&x);
	/* ctnetlink expectations on the same master */
	ctnl_exp_init(&e);
	e.exp.present = 1u << CTA_EXPECT_MASTER | 1u << CTA_EXPECT_TUPLE | 1u << CTA_EXPECT_MASK |
			1u << CTA_EXPECT_TIMEOUT;
	st_tuple(&e.exp.master, 6, "127.0.0.1", 40021, "127.0.0.1", 21);
	st_tuple(&e.exp.tuple, 6, "127.0.0.1", 0, "127.0.0.1", 10001);
	st_tuple(&e.exp.mask, 6, "255.255.255.255", 0, "255.255.255.255", 0xffff);
	e.exp.timeout = 100;
	exp_request(c, IPCTNL_MSG_EXP_NEW, ST_CREATE, &e, 0, "expectation create");
	exp_events(c, "NEW", "an expectation made by ctnetlink");
	exp_request(c, IPCTNL_MSG_EXP_NEW, ST_CREATE, &e, -EEXIST, "expectation create again");
	st_exp_talk(c, IPCTNL_MSG_EXP_GET, ST_ACK, &e, &r);
	st_errno(c, "expectation GET", 0, &r);
	st_eq(c, "expectation GET answers", 1, r.nmsg);
	st_reply_free(&r);
	exp_request(c, IPCTNL_MSG_EXP_DELETE, ST_ACK, &e, 0, "expectation delete");
	exp_events(c, "DESTROY", "a deleted expectation");
	exp_request(c, IPCTNL_MSG_EXP_DELETE, ST_ACK, &e, -ENOENT, "expectation delete again");
	/* the ftp helper allows one expectation per master: a second evicts the first */
	exp_request(c, IPCTNL_MSG_EXP_NEW, ST_CREATE, &e, 0, "expectation for port 10001");
	st_tuple(&e.exp.tuple, 6, "127.0.0.1", 0, "127.0.0.1", 10003);
	exp_request(c, IPCTNL_MSG_EXP_NEW, ST_CREATE, &e, 0, "expectation for port 10003");
	exp_events(c, "NEW DESTROY NEW", "a second expectation on a one-expectation master");
	n = st_exp_dump(c, AF_INET, &x);
	st_check(c, n == 1 && x.e[0].exp.tuple.proto.dst_port == 10003,
		 "only the newer expectation stays (ftp max_expected 1): %d, port %u", n,
		 n > 0 ? x.e[0].exp.tuple.proto.dst_port : 0);
	st_xlist_free(&x);
	/* a master that does not exist, and one without a helper */
	st_tuple(&e.exp.master, 6, "127.0.0.1", 40099, "127.0.0.1", 21);
	st_tuple(&e.exp.tuple, 6, "127.0.0.1", 0, "127.0.0.1", 10005);   /* an existing tuple would give EEXIST first */
	exp_request(c, IPCTNL_MSG_EXP_NEW, ST_CREATE, &e, -ENOENT, "expectation on a missing master");
	st_entry(&m, 6, "10.2.2.1", 1000, "10.2.2.2", 2000);
	st_ct_expect(c, "create a master without a helper", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	st_tuple(&e.exp.master, 6, "10.2.2.1", 1000, "10.2.2.2", 2000);
	st_tuple(&e.exp.tuple, 6, "10.2.2.2", 0, "10.2.2.1", 10001);
	exp_request(c, IPCTNL_MSG_EXP_NEW, ST_CREATE, &e, -EOPNOTSUPP, "expectation on a master without a helper");
}

static void ftp6(struct st_ctx *c)
{
	struct st_xlist x;
	int cl, sv, n, rc = ftp_session(c, "::1", "EPRT |2|::1|10002|\r\n", &cl, &sv);

	st_check(c, rc == 0, "FTP control session over IPv6 with EPRT: %s", strerror(-rc));
	n = st_exp_dump(c, AF_INET6, &x);
	st_eq(c, "IPv6 expectations after EPRT", 1, n);
	if (n == 1) {
		st_eq(c, "expected destination port", 10002, x.e[0].exp.tuple.proto.dst_port);
		st_eq(c, "expectation family", AF_INET6, x.e[0].hdr.family);
	}
	st_xlist_free(&x);
	st_eq(c, "IPv4 expectations", 0, st_exp_dump(c, AF_INET, &x));
	st_xlist_free(&x);
}

static int tftp_setup(struct st_ctx *c)
{
	static const char rules[] =
		"table inet ctst_helper {\n"
		"	ct helper tftp-std { type \"tftp\" protocol udp; }\n"
		"	chain out { type filter hook output priority 0; udp dport 69 ct helper set \"tftp-std\"; }\n"
		"}\n";

	return st_nft(c, NULL, rules);
}

static void tftp(struct st_ctx *c)
{
	static const char rrq[] = "\0\1boot.img\0octet";   /* + the final NUL */
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(69) }, from = { .sin_family = AF_INET };
	struct st_xlist x;
	int fd = ctnl_ns_socket(c->ns, AF_INET, SOCK_DGRAM, 0), n;

	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &from.sin_addr);
	from.sin_port = htons(41069);
	st_check(c, fd >= 0 && bind(fd, (struct sockaddr *)&from, sizeof(from)) == 0 &&
			    sendto(fd, rrq, sizeof(rrq), 0, (struct sockaddr *)&to, sizeof(to)) == sizeof(rrq),
		 "a TFTP read request sent from port 41069");
	if (fd >= 0)
		close(fd);
	n = st_exp_dump(c, AF_INET, &x);
	st_eq(c, "expectations after a TFTP read request", 1, n);
	if (n == 1) {
		st_eq(c, "expected protocol", 17, x.e[0].exp.tuple.proto.num);
		st_eq(c, "expected destination port (the client's)", 41069, x.e[0].exp.tuple.proto.dst_port);
		st_eq(c, "expected source port is wildcarded by the mask", 0, x.e[0].exp.mask.proto.src_port);
		st_check(c, x.e[0].exp.helper.len == 4 && !memcmp(x.e[0].exp.helper.ptr, "tftp", 4),
			 "helper name 'tftp' [capture records %u-%u]", x.r.first_record, x.r.last_record);
	}
	st_xlist_free(&x);
}

const struct st_scenario st_fam_helper[] = {
	{ "helper.ftp.v4", "FTP PORT: expectation, NEW/DESTROY events, ctnetlink create/get/delete, errors, RELATED",
	  NULL, ftp_setup, ftp4, 0 },
	{ "helper.ftp.v6", "FTP EPRT over IPv6: an IPv6 expectation", NULL, ftp_setup, ftp6, 0 },
	{ "helper.tftp", "TFTP read request: a UDP expectation for the client's port", NULL, tftp_setup, tftp, 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
