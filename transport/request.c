/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One request and its replies.  Every reply is checked against the
 * request: its sequence number and its port id (the kernel writes the
 * requester's port id into unicast replies).  Anything else in the
 * socket is counted, reported and dropped, never taken for an answer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "tr.h"

static const char cap_fix[] = "needs CAP_NET_ADMIN: run as root or `setcap cap_net_admin=+ep PROGRAM`";

size_t ctnl_tr_hdr(struct ctnl_handle *h, uint8_t *buf, uint16_t type, uint16_t flags, uint8_t family)
{
	struct nlmsghdr n = {
		.nlmsg_len = CTNL_NLMSG_HDRLEN + CTNL_NFGEN_HDRLEN,
		.nlmsg_type = type,
		.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags),
		.nlmsg_seq = ++h->seq ? h->seq : ++h->seq,
		.nlmsg_pid = h->portid,
	};

	memcpy(buf, &n, sizeof(n));
	buf[16] = family;
	buf[17] = 0;                       /* NFNETLINK_V0 */
	buf[18] = buf[19] = 0;             /* res_id */
	return CTNL_NLMSG_HDRLEN + CTNL_NFGEN_HDRLEN;
}

int ctnl_tr_map_nlerr(struct ctnl_handle *h, const uint8_t *msg, size_t len, const uint8_t *req, size_t req_len,
		      const struct ctnl_nest_desc *desc, struct ctnl_err *err)
{
	struct ctnl_nlerr ne;
	struct ctnl_err pe = { 0 };
	int rc = ctnl_nlerr_parse(msg, len, &ne, &pe);

	if (rc < 0) {
		ctnl_tr_report(h, &pe, msg, len);
		return ctnl_tr_fail(err, -EBADMSG, "malformed NLMSG_ERROR from the kernel: %s", pe.what);
	}
	if (ne.error >= 0)
		return 0;
	if (!err)
		return ne.error;
	memset(err, 0, sizeof(*err));
	err->code = ne.error;
	if (ne.error == -EPERM)
		snprintf(err->what, sizeof(err->what), "%s", cap_fix);
	else if (ne.ext_msg.len)
		snprintf(err->what, sizeof(err->what), "%.*s", (int)ne.ext_msg.len, (const char *)ne.ext_msg.ptr);
	else
		snprintf(err->what, sizeof(err->what), "%s", strerror(-ne.error));
	if (ne.has_ext_offset) {
		err->offset = ne.ext_offset;
		if (desc && req) {
			uint16_t t = 0;

			if (ctnl_path_at_offset(desc, req, req_len, ne.ext_offset, err->path, sizeof(err->path), &t) > 0)
				err->attr_type = t;
		}
	}
	return ne.error;
}

static int send_all(struct ctnl_handle *h, const void *buf, size_t len, struct ctnl_err *err)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	ssize_t n;

	do
		n = sendto(h->fd, buf, len, 0, (struct sockaddr *)&k, sizeof(k));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;

		if (e == EAGAIN || e == EWOULDBLOCK)
			return ctnl_tr_fail(err, -ETIMEDOUT, "send timed out after %u ms", h->o.write_timeout_ms);
		return ctnl_tr_fail(err, -e, "sendto: %s", strerror(e));
	}
	ctnl_tr_tap(h, buf, (size_t)n, 1);
	if ((size_t)n != len)
		return ctnl_tr_fail(err, -EMSGSIZE, "short send: %zd of %zu bytes", n, len);
	return 0;
}

void ctnl_tr_recv(int fd, uint8_t *buf, int stamp, struct ctnl_tr_dgram *d)
{
	struct sockaddr_nl from = { 0 };
	struct iovec iov = { buf, CTNL_TR_RBUF };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1 };

	do
		d->n = recvmsg(fd, &mh, 0);
	while (d->n < 0 && errno == EINTR);
	d->err = d->n < 0 ? errno : 0;
	d->buf = buf;
	d->flags = mh.msg_flags;
	d->from = from.nl_pid;
	if (stamp && d->n >= 0)
		clock_gettime(CLOCK_REALTIME, &d->ts);
}

/* A received datagram judged: its length, 0 to drop it, or -errno. */
static ssize_t take_one(struct ctnl_handle *h, const struct ctnl_tr_dgram *d, struct ctnl_err *err)
{
	if (d->n < 0) {
		if (d->err == EAGAIN || d->err == EWOULDBLOCK)
			return ctnl_tr_fail(err, -ETIMEDOUT, "no reply within %u ms", h->o.read_timeout_ms);
		return ctnl_tr_fail(err, -d->err, "recvmsg: %s", strerror(d->err));
	}
	ctnl_tr_tap_at(h, d->buf, (size_t)d->n < CTNL_TR_RBUF ? (size_t)d->n : CTNL_TR_RBUF, 0, &d->ts);
	if (d->flags & MSG_TRUNC)
		return ctnl_tr_fail(err, -EMSGSIZE, "a reply datagram was larger than %u bytes", CTNL_TR_RBUF);
	if (d->from != 0) {
		/* only the kernel (port 0) answers requests */
		h->cnt.foreign++;
		ctnl_tr_log(h, CTNL_LOG_WARN, "dropped a datagram from port %u (not the kernel)", d->from);
		return 0;
	}
	return d->n;
}

int ctnl_tr_xfer(struct ctnl_handle *h, struct ctnl_tr_req *r, struct ctnl_err *err)
{
	struct nlmsghdr q;
	int want_done, want_ack, stopped = 0, rc = 0, finished = 0, piped = 0;
	unsigned got = 0;

	if (h->busy)
		return ctnl_tr_fail(err, -EBUSY, "a callback may not start another request on its own handle");
	memcpy(&q, r->msg, sizeof(q));
	want_done = (q.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	want_ack = !!(q.nlmsg_flags & NLM_F_ACK);
	rc = send_all(h, r->msg, r->len, err);
	if (rc < 0)
		return rc;
	h->cnt.requests++;
	rc = 0;
	h->busy = 1;
	while (!finished) {
		struct ctnl_tr_dgram d;
		struct ctnl_stream s;
		const uint8_t *m;
		size_t ml;
		ssize_t n;
		int sr;

		if (piped && !ctnl_tr_reader_next(h, &d)) {
			/* the reader ended on something it could not judge
			 * (a stray DONE, broken framing): read on here */
			ctnl_tr_reader_stop(h);
			piped = 0;
		}
		if (!piped)
			ctnl_tr_recv(h->fd, h->rbuf, h->o.tap != NULL, &d);
		n = take_one(h, &d, err);
		if (n < 0) {
			rc = (int)n;
			break;
		}
		ctnl_stream_init(&s, d.buf, (size_t)n);
		for (;;) {
			struct ctnl_err se = { 0 };
			struct nlmsghdr a;

			sr = ctnl_stream_next(&s, &m, &ml, &se);
			if (sr == 0)
				break;
			if (sr < 0) {
				h->cnt.malformed++;
				ctnl_tr_report(h, &se, d.buf, (size_t)n);
				break;
			}
			memcpy(&a, m, sizeof(a));
			if (a.nlmsg_seq != q.nlmsg_seq || a.nlmsg_pid != h->portid) {
				struct ctnl_err fe = { .code = -EPROTO, .msg_index = s.index - 1 };

				h->cnt.foreign++;
				snprintf(fe.what, sizeof(fe.what), "reply with seq %u pid %u dropped: the request has seq %u pid %u",
					 a.nlmsg_seq, a.nlmsg_pid, q.nlmsg_seq, h->portid);
				ctnl_tr_report(h, &fe, m, ml);
				continue;
			}
			if (finished)
				continue;
			if (a.nlmsg_type == NLMSG_NOOP)
				continue;
			if (a.nlmsg_type == NLMSG_ERROR) {
				int e = ctnl_tr_map_nlerr(h, m, ml, r->msg, r->len, r->desc, err);

				if (e < 0 || !want_done) {
					if (e < 0 && !stopped)
						rc = e;
					finished = 1;
				}
				continue;
			}
			if (a.nlmsg_type == NLMSG_DONE) {
				int32_t de = 0;

				if (ml >= CTNL_NLMSG_HDRLEN + 4)
					memcpy(&de, m + CTNL_NLMSG_HDRLEN, 4);
				if (de < 0 && !stopped)
					rc = ctnl_tr_fail(err, de, "the kernel ended the dump with: %s", strerror(-de));
				finished = 1;
				continue;
			}
			h->cnt.replies++;
			if (stopped || !r->fn)
				continue;
			sr = r->fn(m, ml, r->arg);
			if (sr != 0) {
				stopped = 1;
				rc = sr;
				if (!want_done)
					continue;  /* the ACK is in this datagram or the next */
			}
		}
		if (piped)
			ctnl_tr_reader_release(h);
		if (!want_done && !want_ack)
			finished = 1;      /* nothing more is coming */
		if (stopped && want_done && !finished)
			break;
		/* a dump still going after two datagrams is a big one: let a
		 * thread take the kernel's share (building the next datagram
		 * inside each recvmsg) while this one decodes; failing that,
		 * read on here */
		if (++got == 2 && want_done && !finished) {
			int e = ctnl_tr_reader_start(h);

			if (e == 0)
				piped = 1;
			else
				ctnl_tr_log(h, CTNL_LOG_DEBUG, "no reader thread (%s): the dump is read serially",
					    strerror(-e));
		}
	}
	/* joined before anything else touches the socket */
	ctnl_tr_reader_stop(h);
	h->busy = 0;
	if (!finished) {
		/* a timeout, an error, or a dump left half read: the socket's
		 * queue now holds replies nobody will claim */
		struct ctnl_err re;

		if (ctnl_tr_sock_reset(h, &re) < 0)
			ctnl_tr_report(h, &re, NULL, 0);
	}
	return rc;
}

int ctnl_request(struct ctnl_handle *h, const void *req, size_t len, ctnl_msg_fn fn, void *arg, struct ctnl_err *err)
{
	struct ctnl_tr_req r;
	struct nlmsghdr n;

	if (len < CTNL_NLMSG_HDRLEN || len > CTNL_TR_SBUF)
		return ctnl_tr_fail(err, -EINVAL, "a request of %zu bytes (16 to %u)", len, CTNL_TR_SBUF);
	memcpy(h->sbuf, req, len);
	memcpy(&n, h->sbuf, sizeof(n));
	n.nlmsg_seq = ++h->seq ? h->seq : ++h->seq;
	n.nlmsg_pid = h->portid;
	n.nlmsg_flags |= NLM_F_REQUEST;
	memcpy(h->sbuf, &n, sizeof(n));
	r.msg = h->sbuf;
	r.len = len;
	r.desc = n.nlmsg_type >> 8 == CTNL_TABLE_CONNTRACK ? ctnl_ct_desc() : NULL;
	r.fn = fn;
	r.arg = arg;
	return ctnl_tr_xfer(h, &r, err);
}
