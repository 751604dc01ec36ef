/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Namespaces joined by veth, rulesets, commands, and message builders. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>

#include "st.h"

int st_nft(struct st_ctx *c, struct ctnl_ns *ns, const char *ruleset)
{
	char *out = NULL;
	int rc = ctnl_ns_run(ns ? ns : c->ns, &out, ruleset, "nft", "-f", "-", NULL);

	if (rc != 0)
		st_note(c, "nft -f failed (%d): %s", rc, out ? out : "");
	free(out);
	return rc == 0 ? 0 : -EIO;
}

int st_cmd(struct st_ctx *c, struct ctnl_ns *ns, char **out, const char *argv0, ...)
{
	const char *a[16] = { argv0 };     /* ctnl_ns_run stops at the first NULL */
	unsigned n = 1;
	char *text = NULL;
	va_list ap;
	int rc;

	va_start(ap, argv0);
	while (n < 15 && (a[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	rc = ctnl_ns_run(ns ? ns : c->ns, &text, NULL, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
			 a[10], a[11], a[12], a[13], a[14], NULL);
	if (rc != 0)
		st_note(c, "%s failed (%d): %s", argv0, rc, text ? text : "");
	if (out)
		*out = text;
	else
		free(text);
	return rc == 0 ? 0 : -EIO;
}

static int ip_batch(struct st_ctx *c, struct ctnl_ns *ns, const char *script)
{
	char *out = NULL;
	int rc = ctnl_ns_run(ns, &out, script, "ip", "-batch", "-", NULL);

	if (rc != 0)
		st_note(c, "ip -batch failed (%d): %s", rc, out ? out : "");
	free(out);
	return rc == 0 ? 0 : -EIO;
}

int st_link(struct st_ctx *c, struct ctnl_ns *a, struct ctnl_ns *b, int n)
{
	char s[1024];

	/* made in a, the peer end created straight in b: nothing ever
	 * appears in the caller's namespace, and both ends die with theirs */
	snprintf(s, sizeof(s),
		 "link add ctst%da type veth peer name ctst%db netns %s\n"
		 "addr add 10.%d.0.1/24 dev ctst%da\n"
		 "addr add fd00:%d::1/64 dev ctst%da nodad\n"
		 "link set ctst%da up\n",
		 n, n, b->path, n, n, n, n, n);
	if (ip_batch(c, a, s) < 0)
		return -EIO;
	snprintf(s, sizeof(s),
		 "addr add 10.%d.0.2/24 dev ctst%db\n"
		 "addr add fd00:%d::2/64 dev ctst%db nodad\n"
		 "link set ctst%db up\n",
		 n, n, n, n, n);
	return ip_batch(c, b, s);
}

void st_msleep(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0)
		;
}

int st_kernel_at_least(int maj, int min)
{
	struct utsname u;
	int a = 0, b = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &a, &b) != 2)
		return 0;
	return a > maj || (a == maj && b >= min);
}

const char *st_tcp_state(unsigned s)
{
	static const char *const names[] = { "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
					     "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2" };

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

void st_status_str(uint32_t status, char *buf, size_t len)
{
	static const char *const bits[] = { "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT",
					    "DST_NAT", "SEQ_ADJUST", "SRC_NAT_DONE", "DST_NAT_DONE", "DYING",
					    "FIXED_TIMEOUT", "TEMPLATE", "NAT_CLASH", "HELPER", "OFFLOAD",
					    "HW_OFFLOAD" };
	size_t o = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < 32; i++) {
		if (!(status >> i & 1))
			continue;
		if (i < sizeof(bits) / sizeof(bits[0]))
			o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s", o ? "|" : "", bits[i]);
		else
			o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%sbit%u", o ? "|" : "", i);
		if (o >= len)
			break;
	}
}

void st_tuple(struct ctnl_ct_tuple *t, uint8_t proto, const char *src, uint16_t sport, const char *dst,
	      uint16_t dport)
{
	memset(t, 0, sizeof(*t));
	t->present = 1u << CTA_TUPLE_IP | 1u << CTA_TUPLE_PROTO;
	if (strchr(src, ':')) {
		t->ip.present = 1u << CTA_IP_V6_SRC | 1u << CTA_IP_V6_DST;
		inet_pton(AF_INET6, src, t->ip.v6_src);
		inet_pton(AF_INET6, dst, t->ip.v6_dst);
	} else {
		t->ip.present = 1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST;
		inet_pton(AF_INET, src, t->ip.v4_src);
		inet_pton(AF_INET, dst, t->ip.v4_dst);
	}
	t->proto.present = 1u << CTA_PROTO_NUM;
	t->proto.num = proto;
	if (proto == 1) {
		t->proto.present |= 1u << CTA_PROTO_ICMP_ID | 1u << CTA_PROTO_ICMP_TYPE | 1u << CTA_PROTO_ICMP_CODE;
		t->proto.icmp_id = sport;
		t->proto.icmp_type = (uint8_t)dport;
	} else if (proto == 58) {
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

void st_entry(struct ctnl_ct_msg *m, uint8_t proto, const char *src, uint16_t sport, const char *dst,
	      uint16_t dport)
{
	ctnl_ct_init(m);
	m->hdr.family = strchr(src, ':') ? AF_INET6 : AF_INET;
	st_tuple(&m->ct.orig, proto, src, sport, dst, dport);
	st_tuple(&m->ct.reply, proto, dst, dport, src, sport);
	if (proto == 1) {                  /* echo request 8 answered by echo reply 0 */
		m->ct.reply.proto.icmp_id = sport;
		m->ct.reply.proto.icmp_type = 0;
	} else if (proto == 58) {          /* 128 answered by 129 */
		m->ct.reply.proto.icmpv6_id = sport;
		m->ct.reply.proto.icmpv6_type = 129;
	}
	m->ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_TUPLE_REPLY | 1u << CTA_TIMEOUT | 1u << CTA_STATUS;
	m->ct.timeout = 120;
	m->ct.status = IPS_CONFIRMED;
	if (proto == 6) {
		m->ct.present |= 1u << CTA_PROTOINFO;
		m->ct.protoinfo.present = 1u << CTA_PROTOINFO_TCP;
		m->ct.protoinfo.tcp.present = 1u << CTA_PROTOINFO_TCP_STATE;
		m->ct.protoinfo.tcp.state = TCP_CONNTRACK_ESTABLISHED;
	}
}

static void sockaddr_set(struct sockaddr_storage *ss, const char *addr, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *s = (void *)ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		inet_pton(AF_INET6, addr, &s->sin6_addr);
	} else {
		struct sockaddr_in *s = (void *)ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		inet_pton(AF_INET, addr, &s->sin_addr);
	}
}

int st_tcp(struct st_ctx *c, struct ctnl_ns *from, const char *src, uint16_t sport, struct ctnl_ns *to,
	   const char *dst, uint16_t dport, int *client, int *server)
{
	return st_tcp_to(c, from, src, sport, to, dst, dport, dst, dport, client, server);
}

int st_tcp_to(struct st_ctx *c, struct ctnl_ns *from, const char *src, uint16_t sport, struct ctnl_ns *to,
	      const char *listen_addr, uint16_t listen_port, const char *dst, uint16_t dport, int *client, int *server)
{
	int v6 = strchr(dst, ':') != NULL, af = v6 ? AF_INET6 : AF_INET, one = 1;
	struct sockaddr_storage sa, da, la;
	socklen_t sl = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	int ls, fd, a = -1, rc = -ETIMEDOUT;
	struct pollfd p;

	*client = *server = -1;
	sockaddr_set(&sa, src, sport);
	sockaddr_set(&da, dst, dport);
	sockaddr_set(&la, listen_addr, listen_port);
	ls = ctnl_ns_socket(to ? to : c->ns, af, SOCK_STREAM, 0);
	fd = ctnl_ns_socket(from ? from : c->ns, af, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (ls < 0 || fd < 0)
		goto out;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(ls, (struct sockaddr *)&la, sl) < 0 || listen(ls, 4) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sl) < 0) {
		rc = -errno;
		goto out;
	}
	if (connect(fd, (struct sockaddr *)&da, sl) < 0 && errno != EINPROGRESS) {
		rc = -errno;
		goto out;
	}
	/* a handshake that does not finish in a second will not: the caller
	 * looks at the entry it left */
	p = (struct pollfd){ ls, POLLIN, 0 };
	/* across namespaces the first SYN can wait on neighbour discovery
	 * and go again after the 1 s retransmission timer */
	if (poll(&p, 1, from || to ? 3000 : 1000) != 1)
		goto out;
	a = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	p = (struct pollfd){ fd, POLLOUT, 0 };
	if (a < 0 || poll(&p, 1, 1000) != 1)
		goto out;
	{
		char buf[8];

		p = (struct pollfd){ a, POLLIN, 0 };
		if (write(fd, "ping", 4) != 4 || poll(&p, 1, 1000) != 1 || read(a, buf, sizeof(buf)) <= 0 ||
		    write(a, "pong", 4) != 4)
			goto out;
		p = (struct pollfd){ fd, POLLIN, 0 };
		if (poll(&p, 1, 1000) != 1 || read(fd, buf, sizeof(buf)) <= 0)
			goto out;
	}
	*client = fd;
	*server = a;
	fd = a = -1;
	rc = 0;
out:
	if (ls >= 0)
		close(ls);
	if (a >= 0)
		close(a);
	if (fd >= 0 && rc < 0) {
		/* leave the half-open attempt in place for the caller to see: the
		 * namespace goes away with the scenario */
		if (c->ns->nkeep < CTNL_NS_MAX_PIDS)
			c->ns->keep[c->ns->nkeep++] = fd;
		else
			close(fd);
	}
	return rc;
}
