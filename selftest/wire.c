/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The suite's own netlink socket: requests go out byte for byte as the
 * scenario built them (malformed ones too), every datagram sent and
 * received is written to the scenario's capture, and the answer keeps
 * the kernel's NLMSG_ERROR with its extended ACK.  The transport library
 * would hide those bytes; a regression suite needs them.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>

#include <ctnl/pcap.h>

#include "st.h"

#define ST_RCVBUF (256u * 1024u)
#define ST_WAIT_MS 3000
#define ST_SILENCE_MS 200

static void record(struct st_ctx *c, const void *buf, size_t len)
{
	if (c->cap && ctnl_pcap_write(c->cap, buf, len, NETLINK_NETFILTER, NULL) == 0)
		c->records++;
}

static int nl_socket(struct st_ctx *c, unsigned groups, uint32_t *portid)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	socklen_t sl = sizeof(sa);
	int one = 1, big = 8 << 20;
	int fd = ctnl_ns_socket(c->ns, AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);

	if (fd < 0)
		return fd;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || getsockname(fd, (struct sockaddr *)&sa, &sl) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	if (portid)
		*portid = sa.nl_pid;
	return fd;
}

int st_wire_open(struct st_ctx *c)
{
	c->ev = -1;
	c->nl = nl_socket(c, 0, &c->portid);
	return c->nl < 0 ? c->nl : 0;
}

void st_wire_close(struct st_ctx *c)
{
	if (c->nl >= 0)
		close(c->nl);
	if (c->ev >= 0)
		close(c->ev);
	c->nl = c->ev = -1;
}

static int reply_append(struct st_reply *r, const void *msg, size_t len)
{
	size_t need = r->len + ((len + 3) & ~(size_t)3);

	if (need > r->cap) {
		size_t cap = r->cap ? r->cap : 65536;
		uint8_t *nb;

		while (cap < need)
			cap *= 2;
		nb = realloc(r->buf, cap);
		if (!nb)
			return -ENOMEM;
		r->buf = nb;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, msg, len);
	memset(r->buf + r->len + len, 0, need - r->len - len);
	r->len = need;
	return 0;
}

void st_reply_free(struct st_reply *r)
{
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

int st_reply_next(const struct st_reply *r, size_t *pos, const uint8_t **msg, size_t *len)
{
	while (*pos + CTNL_NLMSG_HDRLEN <= r->len) {
		const struct nlmsghdr *nh = (const void *)(r->buf + *pos);

		if (nh->nlmsg_len < CTNL_NLMSG_HDRLEN || *pos + nh->nlmsg_len > r->len)
			return 0;
		*msg = r->buf + *pos;
		*len = nh->nlmsg_len;
		*pos += (nh->nlmsg_len + 3u) & ~3u;
		if (nh->nlmsg_type == NLMSG_ERROR || nh->nlmsg_type == NLMSG_DONE)
			continue;
		return 1;
	}
	return 0;
}

static int wait_in(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	int n;

	do
		n = poll(&p, 1, ms);
	while (n < 0 && errno == EINTR);
	return n;
}

/* Walk one received datagram; 1 when it ends the exchange. */
static int take(struct st_reply *r, const uint8_t *buf, size_t n, uint32_t seq, size_t *err_at)
{
	size_t pos = 0;
	int end = 0;

	while (pos + CTNL_NLMSG_HDRLEN <= n) {
		const struct nlmsghdr *nh = (const void *)(buf + pos);

		if (nh->nlmsg_len < CTNL_NLMSG_HDRLEN || pos + nh->nlmsg_len > n)
			break;
		if (nh->nlmsg_seq == seq || nh->nlmsg_type == NLMSG_ERROR) {
			if (nh->nlmsg_type == NLMSG_ERROR) {
				*err_at = r->len;
				end = 1;
			} else if (nh->nlmsg_type == NLMSG_DONE) {
				int v = 0;

				if (nh->nlmsg_len >= CTNL_NLMSG_HDRLEN + 4)
					memcpy(&v, buf + pos + CTNL_NLMSG_HDRLEN, 4);
				r->error = v;
				end = 1;
			} else {
				r->nmsg++;
			}
			if (reply_append(r, nh, nh->nlmsg_len) < 0)
				return -ENOMEM;
		}
		pos += (nh->nlmsg_len + 3u) & ~3u;
	}
	return end;
}

int st_talk(struct st_ctx *c, const void *req, size_t len, int raw, struct st_reply *r)
{
	static uint8_t buf[ST_RCVBUF];
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	uint16_t flags = 0;
	uint32_t seq = 0;
	size_t err_at = (size_t)-1;
	uint8_t *copy;
	int end = 0, waits;

	memset(r, 0, sizeof(*r));
	r->error = -ETIMEDOUT;
	copy = malloc(len ? len : 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, req, len);
	if (len >= CTNL_NLMSG_HDRLEN) {
		struct nlmsghdr *nh = (void *)copy;

		if (!raw) {
			nh->nlmsg_seq = ++c->seq;
			nh->nlmsg_pid = 0;
		}
		seq = nh->nlmsg_seq;
		flags = nh->nlmsg_flags;
	}
	if (sendto(c->nl, copy, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		int e = -errno;

		free(copy);
		return e;
	}
	record(c, copy, len);
	r->req_record = c->records;
	free(copy);
	/* A request that asks for neither an ACK nor a dump may get no answer
	 * at all: then silence ends the wait, not the clock. */
	waits = c->wait_ms ? (int)c->wait_ms : ST_WAIT_MS;
	if (!(flags & (NLM_F_ACK | NLM_F_DUMP)) || len < CTNL_NLMSG_HDRLEN)
		waits = ST_SILENCE_MS;
	while (!end) {
		ssize_t n;

		if (wait_in(c->nl, waits) <= 0)
			break;
		n = recv(c->nl, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS)
				return -ENOBUFS;
			return -errno;
		}
		record(c, buf, (size_t)n);
		if (!r->first_record)
			r->first_record = c->records;
		r->last_record = c->records;
		end = take(r, buf, (size_t)n, seq, &err_at);
		if (end < 0)
			return end;
		if (!(flags & (NLM_F_ACK | NLM_F_DUMP)))
			waits = ST_SILENCE_MS;
	}
	if (err_at != (size_t)-1) {
		const struct nlmsghdr *nh = (const void *)(r->buf + err_at);

		if (ctnl_nlerr_parse(nh, nh->nlmsg_len, &r->nlerr, NULL) == 0) {
			r->has_nlerr = 1;
			r->error = r->nlerr.error;
		}
	} else if (!end && r->nmsg) {
		r->error = 0;              /* a GET without ACK: its entry was the answer */
	}
	return 0;
}

int st_ct_talk(struct st_ctx *c, uint8_t type, uint16_t flags, const struct ctnl_ct_msg *m, struct st_reply *r)
{
	struct ctnl_ct_msg q = *m;
	uint8_t buf[4096];
	size_t len;
	int rc;

	q.hdr.type = (uint16_t)(NFNL_SUBSYS_CTNETLINK << 8 | type);
	q.hdr.flags = flags;
	if (!q.hdr.family)
		q.hdr.family = ctnl_has(&q.ct.orig.ip, CTA_IP_V6_SRC) ? AF_INET6 : AF_INET;
	rc = ctnl_ct_encode(&q, buf, sizeof(buf), &len, NULL);
	if (rc < 0)
		return rc;
	return st_talk(c, buf, len, 0, r);
}

int st_exp_talk(struct st_ctx *c, uint8_t type, uint16_t flags, const struct ctnl_exp_msg *m, struct st_reply *r)
{
	struct ctnl_exp_msg q = *m;
	uint8_t buf[4096];
	size_t len;
	int rc;

	q.hdr.type = (uint16_t)(NFNL_SUBSYS_CTNETLINK_EXP << 8 | type);
	q.hdr.flags = flags;
	if (!q.hdr.family)
		q.hdr.family = ctnl_has(&q.exp.tuple.ip, CTA_IP_V6_SRC) ? AF_INET6 : AF_INET;
	rc = ctnl_exp_encode(&q, buf, sizeof(buf), &len, NULL);
	if (rc < 0)
		return rc;
	return st_talk(c, buf, len, 0, r);
}

int st_ct_expect(struct st_ctx *c, const char *what, uint8_t type, uint16_t flags, const struct ctnl_ct_msg *m,
		 int want)
{
	struct st_reply r;
	int rc = st_ct_talk(c, type, flags, m, &r);

	if (rc < 0) {
		st_check(c, 0, "%s: the request could not be sent: %s", what, strerror(-rc));
		return rc;
	}
	st_errno(c, what, want, &r);
	rc = r.error;
	st_reply_free(&r);
	return rc;
}

static int list_decode(struct st_list *l)
{
	const uint8_t *msg;
	size_t pos = 0, len;
	unsigned n = 0;

	l->e = calloc(l->r.nmsg ? l->r.nmsg : 1, sizeof(*l->e));
	if (!l->e)
		return -ENOMEM;
	while (st_reply_next(&l->r, &pos, &msg, &len) == 1 && n < l->r.nmsg) {
		uint16_t type;

		memcpy(&type, msg + 4, 2);
		if (!ctnl_ct_is_entry_type(type) || ctnl_ct_decode(msg, len, &l->e[n], NULL) < 0) {
			l->bad++;
			continue;
		}
		n++;
	}
	l->n = n;
	return 0;
}

int st_dump(struct st_ctx *c, uint8_t kind, uint8_t family, const struct ctnl_filter *f, struct st_list *l)
{
	struct ctnl_ct_msg q;
	uint8_t buf[2048];
	size_t len;
	int rc;

	memset(l, 0, sizeof(*l));
	if (f) {
		rc = ctnl_filter_build(f, CTNL_FILTER_DUMP, 0, &q, NULL);
		if (rc < 0)
			return rc;
	} else {
		ctnl_ct_init(&q);
		q.hdr.family = family;
	}
	q.hdr.type = (uint16_t)(NFNL_SUBSYS_CTNETLINK << 8 | kind);
	q.hdr.flags = NLM_F_REQUEST | NLM_F_DUMP;
	rc = ctnl_ct_encode(&q, buf, sizeof(buf), &len, NULL);
	if (rc < 0)
		return rc;
	rc = st_talk(c, buf, len, 0, &l->r);
	if (rc < 0)
		return rc;
	if (l->r.error < 0)
		return l->r.error;
	rc = list_decode(l);
	return rc < 0 ? rc : (int)l->n;
}

int st_get(struct st_ctx *c, const struct ctnl_ct_msg *m, struct st_list *l)
{
	struct ctnl_ct_msg q;
	int rc;

	memset(l, 0, sizeof(*l));
	ctnl_ct_init(&q);
	q.hdr.family = m->hdr.family;
	q.ct.present = m->ct.present & (1u << CTA_TUPLE_ORIG | 1u << CTA_ZONE);
	q.ct.orig = m->ct.orig;
	q.ct.zone = m->ct.zone;
	rc = st_ct_talk(c, IPCTNL_MSG_CT_GET, NLM_F_REQUEST | NLM_F_ACK, &q, &l->r);
	if (rc < 0)
		return rc;
	if (l->r.error < 0)
		return l->r.error;
	rc = list_decode(l);
	return rc < 0 ? rc : 0;
}

void st_list_free(struct st_list *l)
{
	st_reply_free(&l->r);
	free(l->e);
	memset(l, 0, sizeof(*l));
}

const struct ctnl_ct_msg *st_find(const struct st_list *l, uint8_t proto, uint16_t dport)
{
	for (unsigned i = 0; i < l->n; i++) {
		const struct ctnl_ct_proto *p = &l->e[i].ct.orig.proto;
		uint16_t d = p->dst_port;

		if (proto == 1 || proto == 58)
			d = 0;
		if (p->num == proto && (!dport || d == dport))
			return &l->e[i];
	}
	return NULL;
}

int st_exp_dump(struct st_ctx *c, uint8_t family, struct st_xlist *l)
{
	struct ctnl_exp_msg q;
	const uint8_t *msg;
	size_t pos = 0, len;
	uint8_t buf[256];
	int rc;

	memset(l, 0, sizeof(*l));
	ctnl_exp_init(&q);
	q.hdr.type = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_GET;
	q.hdr.flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.hdr.family = family;
	rc = ctnl_exp_encode(&q, buf, sizeof(buf), &len, NULL);
	if (rc < 0)
		return rc;
	rc = st_talk(c, buf, len, 0, &l->r);
	if (rc < 0)
		return rc;
	if (l->r.error < 0)
		return l->r.error;
	l->e = calloc(l->r.nmsg ? l->r.nmsg : 1, sizeof(*l->e));
	if (!l->e)
		return -ENOMEM;
	while (st_reply_next(&l->r, &pos, &msg, &len) == 1 && l->n < l->r.nmsg)
		if (ctnl_exp_decode(msg, len, &l->e[l->n], NULL) == 0)
			l->n++;
	return (int)l->n;
}

void st_xlist_free(struct st_xlist *l)
{
	st_reply_free(&l->r);
	free(l->e);
	memset(l, 0, sizeof(*l));
}

int st_events_open(struct st_ctx *c, unsigned groups)
{
	if (c->ev >= 0)
		close(c->ev);
	c->ev = nl_socket(c, groups, NULL);
	return c->ev < 0 ? c->ev : 0;
}

int st_events_read(struct st_ctx *c, int n, int ms, struct st_reply *r)
{
	static uint8_t buf[ST_RCVBUF];
	int got = 0;

	memset(r, 0, sizeof(*r));
	while (got < n && wait_in(c->ev, ms) > 0) {
		ssize_t len = recv(c->ev, buf, sizeof(buf), 0);
		size_t pos = 0;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		record(c, buf, (size_t)len);
		if (!r->first_record)
			r->first_record = c->records;
		r->last_record = c->records;
		while (pos + CTNL_NLMSG_HDRLEN <= (size_t)len) {
			const struct nlmsghdr *nh = (const void *)(buf + pos);

			if (nh->nlmsg_len < CTNL_NLMSG_HDRLEN || pos + nh->nlmsg_len > (size_t)len)
				break;
			if (reply_append(r, nh, nh->nlmsg_len) < 0)
				return -ENOMEM;
			r->nmsg++;
			got++;
			pos += (nh->nlmsg_len + 3u) & ~3u;
		}
	}
	r->error = 0;
	return got;
}
