/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Protocols: TCP through its states, UDP, UDPLITE, ICMP, ICMPv6, SCTP,
 * GRE, DCCP; IPv4 and IPv6.  Entries come from real packets in the
 * namespace (sockets, or raw sockets for the protocols the kernel has no
 * socket for), and are read back with dumps and GETs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_sctp.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <linux/netfilter/nfnetlink.h>

#include "st.h"

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif

/* The entry of @proto to @dport in a fresh dump of @family. */
static const struct ctnl_ct_msg *entry_of(struct st_ctx *c, struct st_list *l, uint8_t family, uint8_t proto,
					  uint16_t dport)
{
	const struct ctnl_ct_msg *m;
	int n = st_dump(c, IPCTNL_MSG_CT_GET, family, NULL, l);

	if (n < 0) {
		st_check(c, 0, "dump (family %u): %s", family, strerror(-n));
		return NULL;
	}
	m = st_find(l, proto, dport);
	st_check(c, m != NULL, "an entry of protocol %u to port %u in the dump [capture records %u-%u]", proto, dport,
		 l->r.first_record, l->r.last_record);
	return m;
}

static void check_tcp_state(struct st_ctx *c, const char *addr, uint8_t family, uint16_t port, unsigned state,
			    uint32_t want_status, uint32_t not_status)
{
	struct st_list l;
	const struct ctnl_ct_msg *m = entry_of(c, &l, family, 6, port);
	char what[64], have[160];

	(void)addr;
	if (m) {
		snprintf(what, sizeof(what), "port %u: TCP state", port);
		st_check(c, m->ct.protoinfo.tcp.state == state,
			 "%s: want %s, got %s [capture records %u-%u]", what, st_tcp_state(state),
			 st_tcp_state(m->ct.protoinfo.tcp.state), l.r.first_record, l.r.last_record);
		st_status_str(m->ct.status, have, sizeof(have));
		st_check(c, (m->ct.status & want_status) == want_status && !(m->ct.status & not_status),
			 "port %u: status 0x%x must have 0x%x and not 0x%x; got %s [capture records %u-%u]", port,
			 m->ct.status, want_status, not_status, have, l.r.first_record, l.r.last_record);
	}
	st_list_free(&l);
}

static int tcp_setup(struct st_ctx *c)
{
	/* SYN_SENT: the server's answers on port 8002 never leave, and
	 * conntrack (priority -200) never sees them */
	static const char rules[] =
		"table inet ctst_tcp {\n"
		"	chain out { type filter hook output priority -300; tcp sport 8002 drop; }\n"
		"}\n";
	static const char drop_all[] =
		"table inet ctst_fault {\n"
		"	chain out { type filter hook output priority 0; ct direction reply drop; }\n"
		"}\n";

	if (st_fault_on(c, "drop-reply") && st_nft(c, NULL, drop_all) < 0)
		return -1;
	return st_nft(c, NULL, rules);
}

static void tcp_states(struct st_ctx *c, const char *addr, uint8_t family)
{
	struct linger lg = { 1, 0 };
	int fd, srv, rc;

	/* ESTABLISHED and ASSURED: a connection that exchanged data */
	rc = st_tcp(c, NULL, addr, 41000, NULL, addr, 8000, &fd, &srv);
	if (rc < 0)
		st_note(c, "TCP connection to port 8000: %s", strerror(-rc));
	check_tcp_state(c, addr, family, 8000, TCP_CONNTRACK_ESTABLISHED,
			IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED, 0);
	/* TIME_WAIT: the client closes first, then the server */
	if (rc == 0) {
		close(fd);
		st_msleep(20);
		close(srv);
		st_msleep(50);
		check_tcp_state(c, addr, family, 8000, TCP_CONNTRACK_TIME_WAIT, IPS_ASSURED, 0);
	}
	/* CLOSE: an abortive close sends RST */
	rc = st_tcp(c, NULL, addr, 41001, NULL, addr, 8001, &fd, &srv);
	if (rc == 0) {
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
		close(srv);
		st_msleep(50);
		check_tcp_state(c, addr, family, 8001, TCP_CONNTRACK_CLOSE, 0, 0);
	} else {
		st_check(c, 0, "TCP connection to port 8001: %s", strerror(-rc));
	}
	/* SYN_SENT: nobody answers (the ruleset drops the SYN-ACK) */
	rc = st_tcp(c, NULL, addr, 41002, NULL, addr, 8002, &fd, &srv);
	st_check(c, rc < 0, "no connection on port 8002 (its SYN-ACK is dropped)");
	check_tcp_state(c, addr, family, 8002, TCP_CONNTRACK_SYN_SENT, IPS_CONFIRMED, IPS_SEEN_REPLY);
}

static void tcp4(struct st_ctx *c)
{
	tcp_states(c, "127.0.0.1", AF_INET);
}

static void tcp6(struct st_ctx *c)
{
	tcp_states(c, "::1", AF_INET6);
}

static void udp_check(struct st_ctx *c, const char *addr, uint8_t family)
{
	struct st_list l;
	const struct ctnl_ct_msg *m;
	int rc;

	rc = ctnl_ns_udp(c->ns, addr, 42000, addr, 5300, 1, 0);
	st_check(c, rc == 0, "UDP datagram to port 5300 sent: %s", strerror(-rc));
	rc = ctnl_ns_udp(c->ns, addr, 42001, addr, 5301, 2, 1);
	st_check(c, rc == 0, "UDP exchange with port 5301: %s", strerror(-rc));
	m = entry_of(c, &l, family, 17, 5300);
	if (m) {
		st_check(c, !(m->ct.status & IPS_SEEN_REPLY), "port 5300: unreplied, status 0x%x [capture records %u-%u]",
			 m->ct.status, l.r.first_record, l.r.last_record);
		st_eq(c, "port 5300: reply tuple's source port", 5300, m->ct.reply.proto.src_port);
		st_check(c, ctnl_has(&m->ct, CTA_TIMEOUT) && m->ct.timeout > 0 && m->ct.timeout <= 120,
			 "port 5300: a timeout in (0, 120], got %u", m->ct.timeout);
	}
	m = st_find(&l, 17, 5301);
	st_check(c, m != NULL, "an entry for UDP port 5301");
	if (m)
		st_check(c, (m->ct.status & IPS_SEEN_REPLY) != 0,
			 "port 5301: SEEN_REPLY after an answer, status 0x%x [capture records %u-%u]", m->ct.status,
			 l.r.first_record, l.r.last_record);
	/* the other family's dump does not show it */
	st_list_free(&l);
	rc = st_dump(c, IPCTNL_MSG_CT_GET, family == AF_INET ? AF_INET6 : AF_INET, NULL, &l);
	st_eq(c, "entries in the other family's dump", 0, rc);
	st_list_free(&l);
}

static void udp4(struct st_ctx *c)
{
	udp_check(c, "127.0.0.1", AF_INET);
}

static void udp6(struct st_ctx *c)
{
	udp_check(c, "::1", AF_INET6);
}

static int udplite_probe(struct st_ctx *c, char *why, size_t len)
{
	int fd = ctnl_ns_socket(c->ns, AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);

	if (fd < 0) {
		snprintf(why, len, "no UDP-Lite sockets in this kernel (%s): no UDPLITE traffic to track",
			 strerror(-fd));
		return 1;
	}
	close(fd);
	return 0;
}

static void udplite(struct st_ctx *c)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(5302) };
	struct st_list l;
	const struct ctnl_ct_msg *m;
	int fd = ctnl_ns_socket(c->ns, AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);

	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	st_check(c, fd >= 0 && sendto(fd, "lite", 4, 0, (struct sockaddr *)&to, sizeof(to)) == 4,
		 "a UDP-Lite datagram sent");
	if (fd >= 0)
		close(fd);
	m = entry_of(c, &l, AF_INET, IPPROTO_UDPLITE, 5302);
	if (m)
		st_eq(c, "UDP-Lite reply tuple's source port", 5302, m->ct.reply.proto.src_port);
	st_list_free(&l);
}

static void icmp_check(struct st_ctx *c, const char *addr, uint8_t family)
{
	uint8_t proto = family == AF_INET ? 1 : 58;
	struct st_list l;
	const struct ctnl_ct_msg *m;
	int rc = ctnl_ns_ping(c->ns, addr, 0x4d2, 2);

	st_check(c, rc == 0, "echo request answered: %s", strerror(-rc));
	m = entry_of(c, &l, family, proto, 0);
	if (m && family == AF_INET) {
		st_eq(c, "orig ICMP id", 0x4d2, m->ct.orig.proto.icmp_id);
		st_eq(c, "orig ICMP type (echo request)", 8, m->ct.orig.proto.icmp_type);
		st_eq(c, "reply ICMP type (echo reply)", 0, m->ct.reply.proto.icmp_type);
		st_check(c, (m->ct.status & IPS_SEEN_REPLY) != 0, "ICMP entry replied, status 0x%x", m->ct.status);
	} else if (m) {
		st_eq(c, "orig ICMPv6 id", 0x4d2, m->ct.orig.proto.icmpv6_id);
		st_eq(c, "orig ICMPv6 type (echo request)", 128, m->ct.orig.proto.icmpv6_type);
		st_eq(c, "reply ICMPv6 type (echo reply)", 129, m->ct.reply.proto.icmpv6_type);
		st_check(c, (m->ct.status & IPS_SEEN_REPLY) != 0, "ICMPv6 entry replied, status 0x%x", m->ct.status);
	}
	st_list_free(&l);
}

static void icmp4(struct st_ctx *c)
{
	icmp_check(c, "127.0.0.1", AF_INET);
}

static void icmp6(struct st_ctx *c)
{
	icmp_check(c, "::1", AF_INET6);
}

/* CRC32c, as SCTP's checksum. */
static uint32_t crc32c(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return ~crc;
}

/* One packet of @proto through a raw socket to 127.0.0.1. */
static int raw_send(struct st_ctx *c, int proto, const uint8_t *pkt, size_t len)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	int fd = ctnl_ns_socket(c->ns, AF_INET, SOCK_RAW, proto), rc = 0;

	if (fd < 0)
		return fd;
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	if (sendto(fd, pkt, len, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)len)
		rc = -errno;
	close(fd);
	return rc;
}

static void sctp_traffic(struct st_ctx *c)
{
	/* common header 12 bytes, INIT chunk 20 bytes: the kernel has no SCTP
	 * sockets here, but the tracker sees the packet leave */
	uint8_t p[32] = { 0x9c, 0x40, 0x0b, 0xb8,      /* 40000 -> 3000 */
			  0, 0, 0, 0, 0, 0, 0, 0,      /* vtag 0 (INIT), checksum */
			  1, 0, 0, 20,                 /* INIT, flags, length */
			  0x11, 0x22, 0x33, 0x44,      /* initiate tag */
			  0, 1, 0, 0, 0, 1, 0, 1,      /* a_rwnd, streams */
			  0, 0, 0, 1 };                /* initial TSN */
	uint32_t sum;
	struct st_list l;
	const struct ctnl_ct_msg *m;
	int rc;

	sum = crc32c(p, sizeof(p));
	memcpy(p + 8, &sum, 4);            /* the CRC goes out in little-endian order */
	rc = raw_send(c, IPPROTO_SCTP, p, sizeof(p));
	st_check(c, rc == 0, "SCTP INIT sent through a raw socket: %s", strerror(-rc));
	m = entry_of(c, &l, AF_INET, IPPROTO_SCTP, 3000);
	if (m) {
		st_check(c, ctnl_has(&m->ct.protoinfo, CTA_PROTOINFO_SCTP),
			 "SCTP protoinfo in the entry [capture records %u-%u]", l.r.first_record, l.r.last_record);
		/* a lone INIT leaves CLOSED on 6.x kernels, COOKIE_WAIT on older ones */
		st_check(c, m->ct.protoinfo.sctp.state == SCTP_CONNTRACK_CLOSED ||
				    m->ct.protoinfo.sctp.state == SCTP_CONNTRACK_COOKIE_WAIT,
			 "SCTP state after INIT: want CLOSED (%u) or COOKIE_WAIT (%u), got %u",
			 SCTP_CONNTRACK_CLOSED, SCTP_CONNTRACK_COOKIE_WAIT, m->ct.protoinfo.sctp.state);
		st_note(c, "SCTP state after a lone INIT: %u", m->ct.protoinfo.sctp.state);
		st_eq(c, "SCTP reply vtag = the INIT's initiate tag", 0x11223344, m->ct.protoinfo.sctp.vtag_reply);
	}
	st_list_free(&l);
}

/* Create an entry with protoinfo through ctnetlink and read it back. */
static void sctp_ctnetlink(struct st_ctx *c)
{
	struct ctnl_ct_msg m;
	struct st_reply r;
	struct st_list l;

	st_entry(&m, IPPROTO_SCTP, "10.9.0.1", 40001, "10.9.0.2", 3001);
	m.ct.present |= 1u << CTA_PROTOINFO;
	m.ct.protoinfo.present = 1u << CTA_PROTOINFO_SCTP;
	m.ct.protoinfo.sctp.present = 1u << CTA_PROTOINFO_SCTP_STATE | 1u << CTA_PROTOINFO_SCTP_VTAG_ORIGINAL |
				      1u << CTA_PROTOINFO_SCTP_VTAG_REPLY;
	m.ct.protoinfo.sctp.state = SCTP_CONNTRACK_ESTABLISHED;
	m.ct.protoinfo.sctp.vtag_orig = 0xa1a2a3a4;
	m.ct.protoinfo.sctp.vtag_reply = 0xb1b2b3b4;
	st_ct_talk(c, IPCTNL_MSG_CT_NEW, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &m, &r);
	st_errno(c, "create an SCTP entry with protoinfo", 0, &r);
	st_reply_free(&r);
	if (st_get(c, &m, &l) == 0 && l.n == 1) {
		const struct ctnl_ct_sctp *s = &l.e[0].ct.protoinfo.sctp;

		st_eq(c, "SCTP state read back", SCTP_CONNTRACK_ESTABLISHED, s->state);
		st_eq(c, "SCTP original vtag read back", 0xa1a2a3a4, s->vtag_orig);
		st_eq(c, "SCTP reply vtag read back", 0xb1b2b3b4, s->vtag_reply);
	} else {
		st_check(c, 0, "GET of the SCTP entry: %s", strerror(-l.r.error));
	}
	st_list_free(&l);
}

static void gre(struct st_ctx *c)
{
	/* PPTP's enhanced GRE (version 1, key present): the tracker keys the
	 * entry by call id; plain GRE (version 0) gets keys 0 */
	uint8_t v1[16] = { 0x20, 0x01, 0x88, 0x0b, 0x00, 0x04, 0x12, 0x34, 'p', 'p', 't', 'p' };
	uint8_t v0[8] = { 0x00, 0x00, 0x08, 0x00, 'g', 'r', 'e', '0' };
	struct st_list l;
	const struct ctnl_ct_msg *m;
	int rc = raw_send(c, IPPROTO_GRE, v1, 12);

	st_check(c, rc == 0, "GRE version 1 packet sent: %s", strerror(-rc));
	m = entry_of(c, &l, AF_INET, IPPROTO_GRE, 0x1234);
	if (m)
		st_eq(c, "GRE v1 reply tuple's source key (the call id)", 0x1234, m->ct.reply.proto.src_port);
	st_list_free(&l);
	/* version 0 over IPv6 */
	{
		struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
		int fd = ctnl_ns_socket(c->ns, AF_INET6, SOCK_RAW, IPPROTO_GRE);

		inet_pton(AF_INET6, "::1", &to.sin6_addr);
		st_check(c, fd >= 0 && sendto(fd, v0, sizeof(v0), 0, (struct sockaddr *)&to, sizeof(to)) == sizeof(v0),
			 "GRE version 0 packet sent over IPv6");
		if (fd >= 0)
			close(fd);
	}
	m = entry_of(c, &l, AF_INET6, IPPROTO_GRE, 0);
	if (m)
		st_eq(c, "GRE v0 key", 0, m->ct.orig.proto.dst_port);
	st_list_free(&l);
}

/* DCCP: nf_conntrack_proto_dccp is gone from newer kernels (and optional
 * before); an entry created with DCCP protoinfo shows whether it is here. */
static int dccp_probe(struct st_ctx *c, char *why, size_t len)
{
	struct ctnl_ct_msg m;
	struct st_reply r;
	struct st_list l;
	int have = 0;

	st_entry(&m, 33, "10.9.0.1", 40002, "10.9.0.2", 3002);
	m.ct.present |= 1u << CTA_PROTOINFO;
	m.ct.protoinfo.present = 1u << CTA_PROTOINFO_DCCP;
	m.ct.protoinfo.dccp.present = 1u << CTA_PROTOINFO_DCCP_STATE | 1u << CTA_PROTOINFO_DCCP_ROLE |
				      1u << CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ;
	m.ct.protoinfo.dccp.state = 4;     /* CT_DCCP_OPEN */
	m.ct.protoinfo.dccp.role = 0;
	m.ct.protoinfo.dccp.handshake_seq = 77;
	st_ct_talk(c, IPCTNL_MSG_CT_NEW, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &m, &r);
	if (r.error == 0 && st_get(c, &m, &l) == 0 && l.n == 1)
		have = ctnl_has(&l.e[0].ct.protoinfo, CTA_PROTOINFO_DCCP);
	st_reply_free(&r);
	st_list_free(&l);
	if (!have) {
		snprintf(why, len, "this kernel has no DCCP connection tracking (an entry created with DCCP protoinfo "
				   "comes back without it; nf_conntrack_proto_dccp is not built or was removed)");
		return 1;
	}
	return 0;
}

static void dccp(struct st_ctx *c)
{
	struct ctnl_ct_msg m;
	struct st_list l;

	st_entry(&m, 33, "10.9.0.1", 40002, "10.9.0.2", 3002);
	if (st_get(c, &m, &l) == 0 && l.n == 1) {
		st_eq(c, "DCCP state read back", 4, l.e[0].ct.protoinfo.dccp.state);
		st_eq(c, "DCCP handshake seq read back", 77, (long long)l.e[0].ct.protoinfo.dccp.handshake_seq);
	} else {
		st_check(c, 0, "GET of the DCCP entry");
	}
	st_list_free(&l);
}

const struct st_scenario st_fam_proto[] = {
	{ "proto.tcp.v4.states", "TCP over IPv4: ESTABLISHED+ASSURED, TIME_WAIT, CLOSE (RST), SYN_SENT (unreplied)",
	  NULL, tcp_setup, tcp4, 0 },
	{ "proto.tcp.v6.states", "TCP over IPv6: the same four states", NULL, tcp_setup, tcp6, 0 },
	{ "proto.udp.v4", "UDP over IPv4: unreplied and replied entries, family-scoped dump", NULL, NULL, udp4, 0 },
	{ "proto.udp.v6", "UDP over IPv6: the same", NULL, NULL, udp6, 0 },
	{ "proto.udplite", "UDP-Lite datagram tracked with its ports", udplite_probe, NULL, udplite, 0 },
	{ "proto.icmp", "ICMP echo: id, request and reply types", NULL, NULL, icmp4, 0 },
	{ "proto.icmpv6", "ICMPv6 echo: id, types 128/129", NULL, NULL, icmp6, 0 },
	{ "proto.sctp.traffic", "SCTP INIT (raw socket): COOKIE_WAIT, reply vtag from the initiate tag", NULL, NULL,
	  sctp_traffic, 0 },
	{ "proto.sctp.ctnetlink", "SCTP entry created with state and vtags, read back", NULL, NULL, sctp_ctnetlink,
	  0 },
	{ "proto.gre", "GRE v1 (PPTP) keyed by call id, GRE v0 over IPv6 with key 0", NULL, NULL, gre, 0 },
	{ "proto.dccp", "DCCP entry with protoinfo, read back", dccp_probe, NULL, dccp, 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
