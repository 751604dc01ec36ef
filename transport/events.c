/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Subscriptions: a second socket that joins the event groups, read in a
 * blocking loop or from the caller's own poll/epoll loop.  Lost events
 * (ENOBUFS) are counted and reported and the subscription goes on; with
 * resync on, the table is dumped and the difference reported.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "tr.h"

#define EV_BUF (64u * 1024u)
#define PROCESS_MAX 4096                 /* datagrams per ctnl_event_process call */

/* ---- resync: one record per known entry, keyed by its id ---- */

struct rs_rec {
	uint32_t id;
	uint32_t mark, status;
	uint32_t gen;
	uint16_t zone;
	uint8_t family;
	uint8_t used;
	struct ctnl_ct_tuple orig;
};

struct ctnl_resync {
	struct rs_rec *t;
	size_t cap, n;                     /* cap: a power of two */
	uint32_t gen;
};

static size_t rs_hash(uint32_t id, size_t cap)
{
	return (size_t)(id * 2654435761u) & (cap - 1);
}

static struct rs_rec *rs_find(struct ctnl_resync *rs, uint32_t id)
{
	for (size_t i = rs_hash(id, rs->cap);; i = (i + 1) & (rs->cap - 1)) {
		if (!rs->t[i].used)
			return NULL;
		if (rs->t[i].id == id)
			return &rs->t[i];
	}
}

static int rs_grow(struct ctnl_resync *rs)
{
	size_t ncap = rs->cap ? rs->cap * 2 : 1024;
	struct rs_rec *nt = calloc(ncap, sizeof(*nt)), *old = rs->t;

	if (!nt)
		return -ENOMEM;
	for (size_t i = 0; i < rs->cap; i++) {
		size_t j;

		if (!old[i].used)
			continue;
		for (j = rs_hash(old[i].id, ncap); nt[j].used; j = (j + 1) & (ncap - 1))
			;
		nt[j] = old[i];
	}
	free(old);
	rs->t = nt;
	rs->cap = ncap;
	return 0;
}

static struct rs_rec *rs_put(struct ctnl_resync *rs, const struct ctnl_ct_msg *m)
{
	struct rs_rec *r;
	size_t i;

	if (!ctnl_has(&m->ct, CTA_ID))
		return NULL;
	r = rs->cap ? rs_find(rs, m->ct.id) : NULL;
	if (!r) {
		if ((rs->n + 1) * 4 > rs->cap * 3 && rs_grow(rs) < 0)
			return NULL;
		for (i = rs_hash(m->ct.id, rs->cap); rs->t[i].used; i = (i + 1) & (rs->cap - 1))
			;
		r = &rs->t[i];
		r->used = 1;
		r->id = m->ct.id;
		rs->n++;
	}
	r->mark = m->ct.mark;
	r->status = m->ct.status;
	r->zone = m->ct.zone;
	r->family = m->hdr.family;
	if (ctnl_has(&m->ct, CTA_TUPLE_ORIG))
		r->orig = m->ct.orig;
	r->gen = rs->gen;
	return r;
}

/* Remove with backward shift: no tombstones, probes stay short. */
static void rs_del(struct ctnl_resync *rs, struct rs_rec *r)
{
	size_t i = (size_t)(r - rs->t), j = i;

	rs->t[i].used = 0;
	rs->n--;
	for (;;) {
		size_t k;

		j = (j + 1) & (rs->cap - 1);
		if (!rs->t[j].used)
			return;
		k = rs_hash(rs->t[j].id, rs->cap);
		/* can t[j] move to the hole at i? */
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			rs->t[i] = rs->t[j];
			rs->t[j].used = 0;
			i = j;
		}
	}
}

static void rs_track(struct ctnl_resync *rs, const struct ctnl_ct_msg *m, unsigned group)
{
	if (group == CTNL_EV_CT_DESTROY) {
		struct rs_rec *r = ctnl_has(&m->ct, CTA_ID) && rs->cap ? rs_find(rs, m->ct.id) : NULL;

		if (r)
			rs_del(rs, r);
		return;
	}
	(void)rs_put(rs, m);
}

/* ---- delivery ---- */

static int deliver(struct ctnl_handle *h, struct ctnl_event *ev)
{
	if (!h->o.event_source) {
		ev->table = 0;
		ev->group = 0;
	}
	h->cnt.events++;
	return h->efn(ev, h->earg);
}

struct rs_dump {
	struct ctnl_handle *h;
	int stop;
};

static int rs_seed(const struct ctnl_ct_msg *m, void *arg)
{
	struct ctnl_handle *h = arg;

	return rs_put(h->rs, m) || !ctnl_has(&m->ct, CTA_ID) ? 0 : -ENOMEM;
}

static int rs_entry(const struct ctnl_ct_msg *m, void *arg)
{
	struct rs_dump *d = arg;
	struct ctnl_handle *h = d->h;
	struct ctnl_resync *rs = h->rs;
	struct rs_rec *r = ctnl_has(&m->ct, CTA_ID) && rs->cap ? rs_find(rs, m->ct.id) : NULL;
	struct ctnl_event ev = { .table = CTNL_TABLE_CONNTRACK, .resync = 1, .ct = m };

	if (r && r->mark == m->ct.mark && r->status == m->ct.status) {
		r->gen = rs->gen;
		return 0;
	}
	ev.group = r ? CTNL_EV_CT_UPDATE : CTNL_EV_CT_NEW;
	if (!rs_put(rs, m))
		return 0;
	if (d->stop)
		return 0;
	if (h->egroups & ev.group) {
		int rc = deliver(h, &ev);

		if (rc)
			d->stop = rc;
	}
	return 0;
}

/* Dump the table, report what differs from what the events said. */
static int resync(struct ctnl_handle *h)
{
	struct ctnl_resync *rs = h->rs;
	struct rs_dump d = { h, 0 };
	struct ctnl_err e = { 0 };
	int rc;

	rs->gen++;
	h->cnt.resyncs++;
	rc = ctnl_ct_dump(h, NULL, rs_entry, &d, &e);
	if (rc < 0) {
		ctnl_tr_report(h, &e, NULL, 0);
		return 0;
	}
	for (size_t i = 0; i < rs->cap;) {
		struct rs_rec *r = &rs->t[i];
		struct ctnl_ct_msg *m;
		struct ctnl_event ev = { .table = CTNL_TABLE_CONNTRACK, .group = CTNL_EV_CT_DESTROY, .resync = 1 };

		if (!r->used || r->gen == rs->gen) {
			i++;
			continue;
		}
		/* gone while events were lost: a DESTROY made from the record */
		m = calloc(1, sizeof(*m));
		if (m && !d.stop && (h->egroups & CTNL_EV_CT_DESTROY)) {
			m->hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE;
			m->hdr.family = r->family;
			m->ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_ID | 1u << CTA_MARK | 1u << CTA_STATUS;
			m->ct.orig = r->orig;
			m->ct.id = r->id;
			m->ct.mark = r->mark;
			m->ct.status = r->status;
			if (r->zone) {
				m->ct.zone = r->zone;
				m->ct.present |= 1u << CTA_ZONE;
			}
			ev.ct = m;
			rc = deliver(h, &ev);
			if (rc)
				d.stop = rc;
		}
		free(m);
		rs_del(rs, r);     /* the slot now holds a record not yet seen: look at i again */
	}
	return d.stop;
}

static unsigned group_of(uint16_t type, uint16_t flags)
{
	uint8_t sub = (uint8_t)(type >> 8), cmd = (uint8_t)type;

	if (sub == NFNL_SUBSYS_CTNETLINK) {
		if (cmd == IPCTNL_MSG_CT_NEW)
			return flags & (NLM_F_CREATE | NLM_F_EXCL) ? CTNL_EV_CT_NEW : CTNL_EV_CT_UPDATE;
		if (cmd == IPCTNL_MSG_CT_DELETE)
			return CTNL_EV_CT_DESTROY;
	} else if (sub == NFNL_SUBSYS_CTNETLINK_EXP) {
		if (cmd == IPCTNL_MSG_EXP_NEW)
			return flags & (NLM_F_CREATE | NLM_F_EXCL) ? CTNL_EV_EXP_NEW : CTNL_EV_EXP_UPDATE;
		if (cmd == IPCTNL_MSG_EXP_DELETE)
			return CTNL_EV_EXP_DESTROY;
	}
	return 0;
}

struct ev_state {
	uint8_t buf[EV_BUF];
	struct ctnl_ct_msg m;
	struct ctnl_ct_decoder dec;        /* events repeat a few layouts too */
	struct ctnl_exp_msg em;
	volatile int stop;
	uint32_t index;
};

static struct ev_state *ev_state(struct ctnl_handle *h)
{
	return (struct ev_state *)h->ebuf;
}

static int lost(struct ctnl_handle *h)
{
	struct ctnl_err e = { .code = -ENOBUFS };

	h->cnt.enobufs++;
	e.msg_index = (uint32_t)h->cnt.enobufs;
	snprintf(e.what, sizeof(e.what), "events lost (the receive buffer overflowed; %llu times so far)%s",
		 (unsigned long long)h->cnt.enobufs, h->rs ? ", resyncing" : "");
	ctnl_tr_report(h, &e, NULL, 0);
	return h->rs ? resync(h) : 0;
}

/* One datagram's events. */
static int dispatch(struct ctnl_handle *h, size_t n)
{
	struct ev_state *s = ev_state(h);
	struct ctnl_stream st;
	const uint8_t *m;
	size_t ml;
	int sr, delivered = 0;

	ctnl_stream_init(&st, s->buf, n);
	while ((sr = ctnl_stream_next(&st, &m, &ml, NULL)) != 0) {
		struct ctnl_event ev = { 0 };
		struct ctnl_err e = { 0 };
		uint16_t type, flags;
		int rc;

		if (sr < 0) {
			ctnl_stream_init(&st, s->buf, n);
			(void)ctnl_stream_next(&st, &m, &ml, &e);
			h->cnt.malformed++;
			ctnl_tr_report(h, &e, s->buf, n);
			break;
		}
		s->index++;
		memcpy(&type, m + 4, 2);
		memcpy(&flags, m + 6, 2);
		ev.group = group_of(type, flags);
		if (!ev.group || !(h->egroups & ev.group))
			continue;
		ev.table = (enum ctnl_table)(type >> 8);
		ev.raw = m;
		ev.len = ml;
		if (ev.table == CTNL_TABLE_CONNTRACK) {
			if (ctnl_ct_decode_with(&s->dec, m, ml, &s->m, &e) < 0) {
				e.msg_index = s->index - 1;
				h->cnt.malformed++;
				ctnl_tr_report(h, &e, m, ml);
				continue;
			}
			ev.ct = &s->m;
			if (h->rs)
				rs_track(h->rs, &s->m, ev.group);
		} else {
			if (ctnl_exp_decode(m, ml, &s->em, &e) < 0) {
				e.msg_index = s->index - 1;
				h->cnt.malformed++;
				ctnl_tr_report(h, &e, m, ml);
				continue;
			}
			ev.exp = &s->em;
		}
		rc = deliver(h, &ev);
		if (rc)
			return rc;
		delivered++;
	}
	return 0;
}

int ctnl_event_process(struct ctnl_handle *h, int *stop_value, struct ctnl_err *err)
{
	struct ev_state *s;
	int delivered = 0;

	if (stop_value)
		*stop_value = 0;
	if (h->efd < 0)
		return ctnl_tr_fail(err, -ENOENT, "not subscribed");
	s = ev_state(h);
	for (int i = 0; i < PROCESS_MAX && !s->stop; i++) {
		struct sockaddr_nl from;
		struct iovec iov = { s->buf, EV_BUF };
		struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n = recvmsg(h->efd, &mh, MSG_DONTWAIT);
		uint64_t before = h->cnt.events;
		int rc;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ENOBUFS) {
				rc = lost(h);
				delivered += (int)(h->cnt.events - before);
				if (rc) {
					if (stop_value)
						*stop_value = rc;
					break;
				}
				continue;
			}
			return ctnl_tr_fail(err, -errno, "recvmsg on the event socket: %s", strerror(errno));
		}
		ctnl_tr_tap(h, s->buf, (size_t)n < EV_BUF ? (size_t)n : EV_BUF, 0);
		if (from.nl_pid != 0) {
			h->cnt.foreign++;
			continue;
		}
		if (mh.msg_flags & MSG_TRUNC) {
			struct ctnl_err e = { .code = -EMSGSIZE };

			snprintf(e.what, sizeof(e.what), "an event datagram over %u bytes was cut", EV_BUF);
			ctnl_tr_report(h, &e, NULL, 0);
			continue;
		}
		rc = dispatch(h, (size_t)n);
		delivered += (int)(h->cnt.events - before);
		if (rc) {
			if (stop_value)
				*stop_value = rc;
			break;
		}
	}
	return delivered;
}

int ctnl_event_run(struct ctnl_handle *h, int timeout_ms, struct ctnl_err *err)
{
	struct ev_state *s;

	if (h->efd < 0)
		return ctnl_tr_fail(err, -ENOENT, "not subscribed");
	s = ev_state(h);
	for (;;) {
		struct pollfd p[2] = { { h->efd, POLLIN, 0 }, { h->stopfd, POLLIN, 0 } };
		int rc, sv = 0;

		if (s->stop)
			break;
		rc = poll(p, 2, timeout_ms < 0 ? -1 : timeout_ms);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			return ctnl_tr_fail(err, -errno, "poll: %s", strerror(errno));
		}
		if (rc == 0)
			return 0;
		if (p[1].revents)
			break;
		rc = ctnl_event_process(h, &sv, err);
		if (rc < 0)
			return rc;
		if (sv)
			return sv;
	}
	{
		uint64_t v;

		(void)!read(h->stopfd, &v, sizeof(v));
		s->stop = 0;
	}
	return 0;
}

void ctnl_event_stop(struct ctnl_handle *h)
{
	uint64_t one = 1;

	if (h->efd < 0)
		return;
	ev_state(h)->stop = 1;
	(void)!write(h->stopfd, &one, sizeof(one));
}

int ctnl_event_fd(const struct ctnl_handle *h)
{
	return h->efd >= 0 ? h->efd : -ENOENT;
}

void ctnl_tr_event_close(struct ctnl_handle *h)
{
	if (h->efd >= 0)
		close(h->efd);
	if (h->stopfd >= 0)
		close(h->stopfd);
	h->efd = h->stopfd = -1;
	if (h->rs) {
		free(h->rs->t);
		free(h->rs);
		h->rs = NULL;
	}
	free(h->ebuf);
	h->ebuf = NULL;
	h->egroups = 0;
	h->efn = NULL;
}

int ctnl_event_unregister(struct ctnl_handle *h)
{
	if (h->efd < 0)
		return -ENOENT;
	ctnl_tr_event_close(h);
	return 0;
}

int ctnl_event_register(struct ctnl_handle *h, enum ctnl_table table, unsigned groups, ctnl_event_fn fn, void *arg,
			const struct ctnl_event_opts *o, struct ctnl_err *err)
{
	struct ctnl_event_opts eo = { 0 };
	unsigned allowed;
	uint32_t pid;
	int fd, rb;

	if (o)
		memcpy(&eo, o, o->size < sizeof(eo) ? o->size : sizeof(eo));
	if (h->efd >= 0)
		return ctnl_tr_fail(err, -EBUSY, "already subscribed (one subscription per handle)");
	if (!fn)
		return ctnl_tr_fail(err, -EINVAL, "no callback");
	if (table == CTNL_TABLE_CONNTRACK)
		allowed = CTNL_EV_CT_ALL;
	else if (table == CTNL_TABLE_EXPECT)
		allowed = CTNL_EV_EXP_ALL;
	else
		return ctnl_tr_fail(err, -EINVAL, "no events for table %d", (int)table);
	if (!groups || (groups & ~allowed))
		return ctnl_tr_fail(err, -EINVAL, "groups 0x%x: only 0x%x belong to table %d", groups, allowed, (int)table);
	if (eo.resync && table != CTNL_TABLE_CONNTRACK)
		return ctnl_tr_fail(err, -EINVAL, "resync is for the conntrack table");
	if (eo.match && table != CTNL_TABLE_CONNTRACK)
		return ctnl_tr_fail(err, -EINVAL, "filters match conntrack events");
	if (eo.bpf && (eo.bpf_len == 0 || eo.bpf_len > BPF_MAXINSNS))
		return ctnl_tr_fail(err, -EINVAL, "a BPF program of %u instructions (1 to %d)", eo.bpf_len, BPF_MAXINSNS);

	rb = h->o.event_rcvbuf ? h->o.event_rcvbuf : CTNL_EVENT_RCVBUF_DEFAULT;
	fd = ctnl_tr_socket(h, &pid, rb > 0 ? rb : 0, err);
	if (fd < 0)
		return fd;
	h->efd = fd;
	h->eportid = pid;
	h->ebuf = malloc(sizeof(struct ev_state));
	h->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (!h->ebuf || h->stopfd < 0) {
		int e = h->ebuf ? -errno : -ENOMEM;

		ctnl_tr_event_close(h);
		return ctnl_tr_fail(err, e, "cannot set up the subscription: %s", strerror(-e));
	}
	memset(h->ebuf, 0, sizeof(struct ev_state));
	ctnl_ct_decoder_init(&ev_state(h)->dec);
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (h->o.no_enobufs) {
		int one = 1;

		(void)setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof(one));
	}
	if (eo.match || eo.bpf) {
		struct ctnl_bpf_insn *prog = (struct ctnl_bpf_insn *)eo.bpf;
		size_t n = eo.bpf_len;
		struct sock_fprog fp;
		int rc = 0;

		if (eo.match) {
			prog = calloc(CTNL_BPF_MAXINSNS, sizeof(*prog));
			rc = prog ? ctnl_bpf_compile(eo.match, eo.nmatch, prog, CTNL_BPF_MAXINSNS, &n, err) : -ENOMEM;
		}
		if (rc == 0) {
			fp.len = (unsigned short)n;
			fp.filter = (struct sock_filter *)prog;
			if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) < 0)
				rc = ctnl_tr_fail(err, -errno, "the kernel refused the BPF filter: %s", strerror(errno));
		} else if (rc == -ENOMEM) {
			ctnl_tr_fail(err, rc, "out of memory");
		}
		if (eo.match)
			free(prog);
		if (rc < 0) {
			ctnl_tr_event_close(h);
			return rc;
		}
	}
	/* filter first, groups second: no event passes unfiltered */
	for (unsigned bit = 0; bit < 6; bit++) {
		int g = (int)bit + 1;          /* NFNLGRP_CONNTRACK_NEW = 1 ... NFNLGRP_CONNTRACK_EXP_DESTROY = 6 */

		if (!(groups & (1u << bit)))
			continue;
		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0) {
			int e = -errno;

			ctnl_tr_event_close(h);  /* closing leaves every group joined so far */
			if (e == -EPERM)
				return ctnl_tr_fail(err, e, "joining event group %d needs CAP_NET_ADMIN: run as root or "
							     "`setcap cap_net_admin=+ep PROGRAM`", g);
			return ctnl_tr_fail(err, e, "joining event group %d: %s", g, strerror(-e));
		}
	}
	h->etable = table;
	h->egroups = groups;
	h->efn = fn;
	h->earg = arg;
	if (eo.resync) {
		int rc;

		h->rs = calloc(1, sizeof(*h->rs));
		if (!h->rs) {
			ctnl_tr_event_close(h);
			return ctnl_tr_fail(err, -ENOMEM, "out of memory");
		}
		/* subscribed first, then the table: nothing falls between */
		rc = ctnl_ct_dump(h, NULL, rs_seed, h, err);
		if (rc < 0) {
			ctnl_tr_event_close(h);
			return rc;
		}
	}
	return 0;
}
