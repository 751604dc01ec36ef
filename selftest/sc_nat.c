/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * NAT on a router: client -- router -- server, three namespaces joined by
 * veth, the rules and the ctnetlink socket in the router.
 *
 *   client 10.1.0.1 fd00:1::1 -- 10.1.0.2 | router | 10.2.0.1 -- 10.2.0.2 fd00:2::2 server
 *                                 ctst1b              ctst2a
 *
 * SNAT, DNAT, masquerade, port ranges, IPv4 and IPv6, and NAT set up
 * through ctnetlink on create.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>

#include "st.h"

struct natcase {
	const char *rules;
	const char *client, *server;       /* addresses */
	const char *to;                    /* where the client connects (DNAT), or NULL: the server */
	uint16_t to_port;
	uint32_t status;                   /* IPS_SRC_NAT or IPS_DST_NAT */
	const char *reply_addr;            /* expected: reply destination (SNAT) or source (DNAT) */
	uint16_t port_lo, port_hi;         /* expected range of the NAT'd port */
};

static const struct natcase cases[] = {
	/* nat.snat.v4 */
	{ "table ip ctst_nat { chain post { type nat hook postrouting priority 100;"
	  " ip saddr 10.1.0.1 oifname \"ctst2a\" snat to 10.2.0.1; }\n}\n",
	  "10.1.0.1", "10.2.0.2", NULL, 0, IPS_SRC_NAT, "10.2.0.1", 40000, 40000 },
	/* nat.snat.v6 */
	{ "table ip6 ctst_nat { chain post { type nat hook postrouting priority 100;"
	  " ip6 saddr fd00:1::1 oifname \"ctst2a\" snat to fd00:2::1; }\n}\n",
	  "fd00:1::1", "fd00:2::2", NULL, 0, IPS_SRC_NAT, "fd00:2::1", 40000, 40000 },
	/* nat.masquerade.v4 */
	{ "table ip ctst_nat { chain post { type nat hook postrouting priority 100; oifname \"ctst2a\" masquerade; }\n}\n",
	  "10.1.0.1", "10.2.0.2", NULL, 0, IPS_SRC_NAT, "10.2.0.1", 40000, 40000 },
	/* nat.masquerade.v6 */
	{ "table ip6 ctst_nat { chain post { type nat hook postrouting priority 100; oifname \"ctst2a\" masquerade; }\n}\n",
	  "fd00:1::1", "fd00:2::2", NULL, 0, IPS_SRC_NAT, "fd00:2::1", 40000, 40000 },
	/* nat.dnat.v4 */
	{ "table ip ctst_nat { chain pre { type nat hook prerouting priority -100;"
	  " ip daddr 10.2.0.99 tcp dport 80 dnat to 10.2.0.2:8080; }\n}\n",
	  "10.1.0.1", "10.2.0.2", "10.2.0.99", 80, IPS_DST_NAT, "10.2.0.2", 8080, 8080 },
	/* nat.dnat.v6 */
	{ "table ip6 ctst_nat { chain pre { type nat hook prerouting priority -100;"
	  " ip6 daddr fd00:2::99 tcp dport 80 dnat to [fd00:2::2]:8080; }\n}\n",
	  "fd00:1::1", "fd00:2::2", "fd00:2::99", 80, IPS_DST_NAT, "fd00:2::2", 8080, 8080 },
	/* nat.ports.v4 */
	{ "table ip ctst_nat { chain post { type nat hook postrouting priority 100;"
	  " oifname \"ctst2a\" meta l4proto tcp snat to 10.2.0.1:20000-20010; }\n}\n",
	  "10.1.0.1", "10.2.0.2", NULL, 0, IPS_SRC_NAT, "10.2.0.1", 20000, 20010 },
	/* nat.ports.v6 */
	{ "table ip6 ctst_nat { chain post { type nat hook postrouting priority 100;"
	  " oifname \"ctst2a\" meta l4proto tcp masquerade to :30000-30010; }\n}\n",
	  "fd00:1::1", "fd00:2::2", NULL, 0, IPS_SRC_NAT, "fd00:2::1", 30000, 30010 },
};

static const char *const names[] = {
	"nat.snat.v4", "nat.snat.v6", "nat.masquerade.v4", "nat.masquerade.v6",
	"nat.dnat.v4", "nat.dnat.v6", "nat.ports.v4", "nat.ports.v6",
};

static const struct natcase *case_of(const struct st_ctx *c)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i], c->sc->name))
			return &cases[i];
	return NULL;
}

static int nat_setup(struct st_ctx *c)
{
	const struct natcase *k = case_of(c);

	return k ? st_nft(c, NULL, k->rules) : -1;
}

static int addr_is(const struct ctnl_ct_ip *ip, int dst, const char *text)
{
	uint8_t a[16];

	if (strchr(text, ':'))
		return inet_pton(AF_INET6, text, a) == 1 && !memcmp(dst ? ip->v6_dst : ip->v6_src, a, 16);
	return inet_pton(AF_INET, text, a) == 1 && !memcmp(dst ? ip->v4_dst : ip->v4_src, a, 4);
}

static void nat_check(struct st_ctx *c)
{
	const struct natcase *k = case_of(c);
	uint8_t family = strchr(k->client, ':') ? AF_INET6 : AF_INET;
	int dnat = k->status == IPS_DST_NAT, fd, srv, rc;
	const struct ctnl_ct_msg *m;
	struct st_list l;
	uint16_t port;
	char st[160];

	rc = st_tcp_to(c, c->client, k->client, 40000, c->peer, k->server, 8080, k->to ? k->to : k->server,
		       k->to ? k->to_port : 8080, &fd, &srv);
	st_check(c, rc == 0, "TCP from the client to the server through the router: %s", strerror(-rc));
	rc = st_dump(c, IPCTNL_MSG_CT_GET, family, NULL, &l);
	m = rc >= 0 ? st_find(&l, 6, k->to ? k->to_port : 8080) : NULL;
	st_check(c, m != NULL, "the router's entry for the connection [capture records %u-%u]", l.r.first_record,
		 l.r.last_record);
	if (m) {
		st_status_str(m->ct.status, st, sizeof(st));
		st_check(c, (m->ct.status & (k->status | IPS_SEEN_REPLY | IPS_CONFIRMED)) ==
				    (k->status | IPS_SEEN_REPLY | IPS_CONFIRMED),
			 "status has %s|SEEN_REPLY|CONFIRMED: got %s", dnat ? "DST_NAT" : "SRC_NAT", st);
		st_check(c, addr_is(&m->ct.orig.ip, 0, k->client), "original source is the client %s", k->client);
		st_check(c, addr_is(&m->ct.reply.ip, !dnat, k->reply_addr), "reply %s is %s",
			 dnat ? "source" : "destination", k->reply_addr);
		port = dnat ? m->ct.reply.proto.src_port : m->ct.reply.proto.dst_port;
		st_check(c, port >= k->port_lo && port <= k->port_hi, "reply %s port %u in %u-%u",
			 dnat ? "source" : "destination", port, k->port_lo, k->port_hi);
		st_eq(c, "TCP state", TCP_CONNTRACK_ESTABLISHED, m->ct.protoinfo.tcp.state);
	}
	st_list_free(&l);
	if (fd >= 0)
		close(fd);
	if (srv >= 0)
		close(srv);
}

static int ctnetlink_setup(struct st_ctx *c)
{
	/* NAT through ctnetlink needs the NAT core to be in use in the namespace */
	return st_nft(c, NULL, "table ip ctst_nat { chain post { type nat hook postrouting priority 100; }\n}\n");
}

static void nat_ctnetlink(struct st_ctx *c)
{
	struct ctnl_ct_msg m;
	struct st_list l;
	uint8_t want[4];

	st_entry(&m, 6, "10.3.0.1", 1000, "10.3.0.2", 80);
	m.ct.present |= 1u << CTA_NAT_SRC;
	m.ct.nat_src.present = 1u << CTA_NAT_V4_MINIP | 1u << CTA_NAT_V4_MAXIP | 1u << CTA_NAT_PROTO;
	inet_pton(AF_INET, "10.3.9.9", m.ct.nat_src.v4_min);
	inet_pton(AF_INET, "10.3.9.9", m.ct.nat_src.v4_max);
	m.ct.nat_src.proto.present = 1u << CTA_PROTONAT_PORT_MIN | 1u << CTA_PROTONAT_PORT_MAX;
	m.ct.nat_src.proto.port_min = 5000;
	m.ct.nat_src.proto.port_max = 5000;
	st_ct_expect(c, "create with CTA_NAT_SRC 10.3.9.9:5000", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	if (st_get(c, &m, &l) == 0 && l.n == 1) {
		inet_pton(AF_INET, "10.3.9.9", want);
		st_check(c, !memcmp(l.e[0].ct.reply.ip.v4_dst, want, 4), "reply destination rewritten to 10.3.9.9");
		st_eq(c, "reply destination port", 5000, l.e[0].ct.reply.proto.dst_port);
		st_check(c, (l.e[0].ct.status & IPS_SRC_NAT) != 0, "status SRC_NAT, got 0x%x", l.e[0].ct.status);
	} else {
		st_check(c, 0, "GET of the NAT'd entry");
	}
	st_list_free(&l);
	/* IPv6 destination NAT */
	st_entry(&m, 17, "fd00:3::1", 1000, "fd00:3::2", 53);
	m.ct.present |= 1u << CTA_NAT_DST;
	m.ct.nat_dst.present = 1u << CTA_NAT_V6_MINIP | 1u << CTA_NAT_V6_MAXIP;
	inet_pton(AF_INET6, "fd00:3::53", m.ct.nat_dst.v6_min);
	inet_pton(AF_INET6, "fd00:3::53", m.ct.nat_dst.v6_max);
	st_ct_expect(c, "create with CTA_NAT_DST fd00:3::53", IPCTNL_MSG_CT_NEW, ST_CREATE, &m, 0);
	if (st_get(c, &m, &l) == 0 && l.n == 1) {
		st_check(c, addr_is(&l.e[0].ct.reply.ip, 0, "fd00:3::53"), "reply source rewritten to fd00:3::53");
		st_check(c, (l.e[0].ct.status & IPS_DST_NAT) != 0, "status DST_NAT, got 0x%x", l.e[0].ct.status);
	} else {
		st_check(c, 0, "GET of the IPv6 NAT'd entry");
	}
	st_list_free(&l);
}

const struct st_scenario st_fam_nat[] = {
	{ "nat.snat.v4", "router SNAT to its address: reply tuple, SRC_NAT", NULL, nat_setup, nat_check, ST_F_ROUTER },
	{ "nat.snat.v6", "router SNAT, IPv6", NULL, nat_setup, nat_check, ST_F_ROUTER },
	{ "nat.masquerade.v4", "router masquerade", NULL, nat_setup, nat_check, ST_F_ROUTER },
	{ "nat.masquerade.v6", "router masquerade, IPv6", NULL, nat_setup, nat_check, ST_F_ROUTER },
	{ "nat.dnat.v4", "router DNAT of a virtual address and port: reply source, DST_NAT", NULL, nat_setup,
	  nat_check, ST_F_ROUTER },
	{ "nat.dnat.v6", "router DNAT, IPv6", NULL, nat_setup, nat_check, ST_F_ROUTER },
	{ "nat.ports.v4", "SNAT to a port range 20000-20010", NULL, nat_setup, nat_check, ST_F_ROUTER },
	{ "nat.ports.v6", "masquerade to ports 30000-30010, IPv6", NULL, nat_setup, nat_check, ST_F_ROUTER },
	{ "nat.ctnetlink", "NAT set up by ctnetlink on create: SNAT v4 with a port, DNAT v6", NULL, ctnetlink_setup,
	  nat_ctnetlink, 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
