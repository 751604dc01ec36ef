/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Conntrack entries: create, update, delete, get, dump (streaming),
 * query, flush, batches.  Requests are encoded with the codec straight
 * into the handle's request buffer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "tr.h"

#define CT_TYPE(cmd) ((uint16_t)(NFNL_SUBSYS_CTNETLINK << 8 | (cmd)))

uint8_t ctnl_tr_family_of(const struct ctnl_ct_msg *m)
{
	const struct ctnl_ct_tuple *t[] = { &m->ct.orig, &m->ct.reply };

	if (m->hdr.family)
		return m->hdr.family;
	for (unsigned i = 0; i < 2; i++) {
		if (!ctnl_has(t[i], CTA_TUPLE_IP))
			continue;
		if (t[i]->ip.present & (1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST))
			return AF_INET;
		if (t[i]->ip.present & (1u << CTA_IP_V6_SRC | 1u << CTA_IP_V6_DST))
			return AF_INET6;
	}
	return AF_UNSPEC;
}

/* Encode @m as a request of type @cmd into @buf, with a fresh seq. */
int ctnl_tr_ct_encode(struct ctnl_handle *h, const struct ctnl_ct_msg *m, uint16_t cmd, uint16_t flags, uint8_t *buf,
		      size_t cap, size_t *len, struct ctnl_err *err)
{
	struct ctnl_ct_msg q;
	int rc;

	q = *m;
	q.hdr.type = CT_TYPE(cmd);
	q.hdr.flags = (uint16_t)(NLM_F_REQUEST | flags);
	q.hdr.seq = ++h->seq ? h->seq : ++h->seq;
	q.hdr.pid = h->portid;
	q.hdr.family = ctnl_tr_family_of(m);
	q.hdr.version = 0;
	q.hdr.res_id = 0;
	rc = ctnl_ct_encode(&q, buf, cap, len, err);
	return rc;
}

static int ct_simple(struct ctnl_handle *h, const struct ctnl_ct_msg *m, uint16_t cmd, uint16_t flags,
		     ctnl_msg_fn fn, void *arg, struct ctnl_err *err)
{
	struct ctnl_tr_req r = { .msg = h->sbuf, .desc = ctnl_ct_desc(), .fn = fn, .arg = arg };
	int rc = ctnl_tr_ct_encode(h, m, cmd, flags, h->sbuf, CTNL_TR_SBUF, &r.len, err);

	if (rc < 0)
		return rc;
	return ctnl_tr_xfer(h, &r, err);
}

static int has_tuple(const struct ctnl_ct_msg *m)
{
	return ctnl_has(&m->ct, CTA_TUPLE_ORIG) || ctnl_has(&m->ct, CTA_TUPLE_REPLY);
}

int ctnl_ct_create(struct ctnl_handle *h, const struct ctnl_ct_msg *m, struct ctnl_err *err)
{
	return ct_simple(h, m, IPCTNL_MSG_CT_NEW, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, NULL, NULL, err);
}

int ctnl_ct_update(struct ctnl_handle *h, const struct ctnl_ct_msg *m, struct ctnl_err *err)
{
	if (!has_tuple(m))
		return ctnl_tr_fail(err, -EINVAL, "an update needs CTA_TUPLE_ORIG or CTA_TUPLE_REPLY");
	return ct_simple(h, m, IPCTNL_MSG_CT_NEW, NLM_F_ACK, NULL, NULL, err);
}

/* The key of an entry: one tuple, its zone, and (for delete) its id. */
static void ct_key(const struct ctnl_ct_msg *m, struct ctnl_ct_msg *k, int with_id)
{
	ctnl_ct_init(k);
	k->hdr.family = ctnl_tr_family_of(m);
	if (ctnl_has(&m->ct, CTA_TUPLE_ORIG)) {
		k->ct.orig = m->ct.orig;
		k->ct.present |= 1u << CTA_TUPLE_ORIG;
	} else if (ctnl_has(&m->ct, CTA_TUPLE_REPLY)) {
		k->ct.reply = m->ct.reply;
		k->ct.present |= 1u << CTA_TUPLE_REPLY;
	}
	if (ctnl_has(&m->ct, CTA_ZONE)) {
		k->ct.zone = m->ct.zone;
		k->ct.present |= 1u << CTA_ZONE;
	}
	if (with_id && ctnl_has(&m->ct, CTA_ID)) {
		k->ct.id = m->ct.id;
		k->ct.present |= 1u << CTA_ID;
	}
}

int ctnl_ct_delete(struct ctnl_handle *h, const struct ctnl_ct_msg *m, struct ctnl_err *err)
{
	struct ctnl_ct_msg k;

	if (!has_tuple(m))
		return ctnl_tr_fail(err, -EINVAL, "a delete needs a tuple (to delete many, use ctnl_ct_flush)");
	ct_key(m, &k, 1);
	return ct_simple(h, &k, IPCTNL_MSG_CT_DELETE, NLM_F_ACK, NULL, NULL, err);
}

/* ---- replies decoded into entries ---- */

struct ct_cb {
	struct ctnl_handle *h;
	ctnl_ct_fn fn;
	void *arg;
	uint32_t index;                    /* message index in the whole exchange */
	int delivered;
	struct ctnl_ct_msg m;
	struct ctnl_ct_decoder dec;        /* a dump repeats a few layouts */
};

static int ct_reply(const void *msg, size_t len, void *arg)
{
	struct ct_cb *c = arg;
	struct ctnl_err e = { 0 };
	uint32_t idx = c->index++;
	int rc;

	if (!ctnl_ct_is_entry_type(*(const uint16_t *)((const uint8_t *)msg + 4))) {
		ctnl_tr_log(c->h, CTNL_LOG_INFO, "skipped a reply of type 0x%04x in a conntrack exchange",
			    *(const uint16_t *)((const uint8_t *)msg + 4));
		return 0;
	}
	rc = ctnl_ct_decode_with(&c->dec, msg, len, &c->m, &e);
	if (rc < 0) {
		/* one bad entry does not end the dump (seed bug B15) */
		e.msg_index = idx;
		c->h->cnt.malformed++;
		ctnl_tr_report(c->h, &e, msg, len);
		return 0;
	}
	c->delivered++;
	return c->fn ? c->fn(&c->m, c->arg) : 0;
}

int ctnl_ct_get(struct ctnl_handle *h, const struct ctnl_ct_msg *m, ctnl_ct_fn fn, void *arg, struct ctnl_err *err)
{
	struct ct_cb *c;
	struct ctnl_ct_msg k;
	int rc;

	if (!has_tuple(m))
		return ctnl_tr_fail(err, -EINVAL, "a get needs CTA_TUPLE_ORIG or CTA_TUPLE_REPLY");
	c = malloc(sizeof(*c));
	if (!c)
		return ctnl_tr_fail(err, -ENOMEM, "out of memory");
	c->h = h;
	c->fn = fn;
	c->arg = arg;
	c->index = 0;
	ctnl_ct_decoder_init(&c->dec);
	c->delivered = 0;
	ct_key(m, &k, 0);
	rc = ct_simple(h, &k, IPCTNL_MSG_CT_GET, NLM_F_ACK, ct_reply, c, err);
	free(c);
	return rc;
}

static const uint16_t list_cmd[] = {
	[CTNL_LIST_MAIN] = IPCTNL_MSG_CT_GET,
	[CTNL_LIST_CTRZERO] = IPCTNL_MSG_CT_GET_CTRZERO,
	[CTNL_LIST_DYING] = IPCTNL_MSG_CT_GET_DYING,
	[CTNL_LIST_UNCONFIRMED] = IPCTNL_MSG_CT_GET_UNCONFIRMED,
};

/* Encode a dump request (plain or filtered) into h->sbuf. */
static int dump_request(struct ctnl_handle *h, const struct ctnl_dump_opts *o, size_t *len, struct ctnl_err *err)
{
	struct ctnl_dump_opts d = { 0 };
	struct ctnl_ct_msg q;
	int rc;

	if (o)
		memcpy(&d, o, o->size < sizeof(d) ? o->size : sizeof(d));
	if ((unsigned)d.list >= sizeof(list_cmd) / sizeof(list_cmd[0]))
		return ctnl_tr_fail(err, -EINVAL, "unknown list %d", (int)d.list);
	if (d.query) {
		struct ctnl_filter f = *d.query;

		if (!f.family)
			f.family = d.family;
		rc = ctnl_filter_build(&f, CTNL_FILTER_DUMP, 0, &q, err);
		if (rc < 0)
			return rc;
	} else {
		ctnl_ct_init(&q);
		q.hdr.family = d.family;
	}
	rc = ctnl_tr_ct_encode(h, &q, list_cmd[d.list], NLM_F_DUMP, h->sbuf, CTNL_TR_SBUF, len, err);
	if (rc < 0)
		return rc;
	/* the family as asked, not as a filter tuple would suggest */
	h->sbuf[16] = q.hdr.family;
	return 0;
}

int ctnl_ct_dump(struct ctnl_handle *h, const struct ctnl_dump_opts *o, ctnl_ct_fn fn, void *arg,
		 struct ctnl_err *err)
{
	struct ctnl_tr_req r = { .msg = h->sbuf, .desc = ctnl_ct_desc(), .fn = ct_reply };
	struct ct_cb *c;
	int rc = dump_request(h, o, &r.len, err);

	if (rc < 0)
		return rc;
	c = malloc(sizeof(*c));
	if (!c)
		return ctnl_tr_fail(err, -ENOMEM, "out of memory");
	c->h = h;
	c->fn = fn;
	c->arg = arg;
	c->index = 0;
	ctnl_ct_decoder_init(&c->dec);
	c->delivered = 0;
	r.arg = c;
	rc = ctnl_tr_xfer(h, &r, err);
	if (rc == 0)
		rc = c->delivered;
	free(c);
	return rc;
}

int ctnl_ct_flush(struct ctnl_handle *h, uint8_t family, const struct ctnl_filter *f, struct ctnl_err *err)
{
	struct ctnl_tr_req r = { .msg = h->sbuf, .desc = ctnl_ct_desc() };
	struct ctnl_filter g = { 0 };
	struct ctnl_ct_msg q;
	int rc;

	if (f) {
		if (f->family && f->family != family)
			return ctnl_tr_fail(err, -EINVAL, "flush of family %u with a filter of family %u", family,
					    f->family);
		g = *f;
	}
	g.family = family;
	/* the filter builder adds CTA_FILTER whenever a family is given:
	 * without it the kernel flushes every family (seed bug B18) */
	rc = ctnl_filter_build(&g, CTNL_FILTER_FLUSH, 0, &q, err);
	if (rc < 0)
		return rc;
	rc = ctnl_tr_ct_encode(h, &q, IPCTNL_MSG_CT_DELETE, NLM_F_ACK, h->sbuf, CTNL_TR_SBUF, &r.len, err);
	if (rc < 0)
		return rc;
	h->sbuf[16] = family;
	return ctnl_tr_xfer(h, &r, err);
}

int ctnl_ct_replay(struct ctnl_handle *h, const void *buf, size_t len, ctnl_ct_fn fn, void *arg,
		   struct ctnl_err *err)
{
	struct ct_cb *c = malloc(sizeof(*c));
	struct ctnl_stream s;
	const uint8_t *m;
	size_t ml;
	int rc = 0, sr;

	if (!c)
		return ctnl_tr_fail(err, -ENOMEM, "out of memory");
	c->h = h;
	c->fn = fn;
	c->arg = arg;
	c->index = 0;
	ctnl_ct_decoder_init(&c->dec);
	c->delivered = 0;
	ctnl_stream_init(&s, buf, len);
	while ((sr = ctnl_stream_next(&s, &m, &ml, err)) == 1) {
		uint16_t type;

		memcpy(&type, m + 4, 2);
		if (type == NLMSG_DONE)
			break;
		if (type == NLMSG_ERROR) {
			rc = ctnl_tr_map_nlerr(h, m, ml, NULL, 0, NULL, err);
			if (rc < 0)
				break;
			continue;
		}
		if (type == NLMSG_NOOP)
			continue;
		h->cnt.replies++;
		rc = ct_reply(m, ml, c);
		if (rc)
			break;
	}
	if (sr < 0)
		rc = sr;
	if (rc == 0)
		rc = c->delivered;
	free(c);
	return rc;
}

/* ---- the collector ---- */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

/* The collector keeps the raw bytes during the dump (views would move
 * with realloc) and decodes them once at the end. */
static int collect_msg(const void *msg, size_t len, void *arg)
{
	struct ctnl_ct_list *l = arg;

	if (!ctnl_ct_is_entry_type(*(const uint16_t *)((const uint8_t *)msg + 4)))
		return 0;
	if (grow((void **)&l->raw, &l->raw_cap, l->raw_len + len, 1) < 0 ||
	    grow((void **)&l->offsets, &l->offsets_cap, l->count + 1, sizeof(size_t)) < 0)
		return -ENOMEM;
	memcpy(l->raw + l->raw_len, msg, len);
	l->offsets[l->count++] = l->raw_len;
	l->raw_len += len;
	return 0;
}

int ctnl_ct_dump_all(struct ctnl_handle *h, const struct ctnl_dump_opts *o, struct ctnl_ct_list *out,
		     struct ctnl_err *err)
{
	struct ctnl_tr_req r = { .msg = h->sbuf, .desc = ctnl_ct_desc(), .fn = collect_msg, .arg = out };
	size_t kept = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = dump_request(h, o, &r.len, err);
	if (rc < 0)
		return rc;
	rc = ctnl_tr_xfer(h, &r, err);
	if (rc == -ENOMEM)
		return ctnl_tr_fail(err, rc, "out of memory collecting %zu entries", out->count);
	if (rc < 0)
		return rc;
	out->entries = calloc(out->count ? out->count : 1, sizeof(*out->entries));
	if (!out->entries)
		return ctnl_tr_fail(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < out->count; i++) {
		struct ctnl_err e = { 0 };
		const uint8_t *m = out->raw + out->offsets[i];
		uint32_t ml;

		memcpy(&ml, m, 4);
		if (ctnl_ct_decode(m, ml, &out->entries[kept], &e) < 0) {
			e.msg_index = (uint32_t)i;
			h->cnt.malformed++;
			ctnl_tr_report(h, &e, m, ml);
			continue;
		}
		kept++;
	}
	out->count = kept;
	return (int)kept;
}

void ctnl_ct_list_free(struct ctnl_ct_list *l)
{
	if (!l)
		return;
	free(l->entries);
	free(l->raw);
	free(l->offsets);
	memset(l, 0, sizeof(*l));
}

/* ---- batches ---- */

static const struct {
	uint16_t cmd;
	uint16_t flags;
} batch_ops[] = {
	[CTNL_BATCH_CREATE] = { IPCTNL_MSG_CT_NEW, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL },
	[CTNL_BATCH_UPDATE] = { IPCTNL_MSG_CT_NEW, NLM_F_ACK },
	[CTNL_BATCH_DELETE] = { IPCTNL_MSG_CT_DELETE, NLM_F_ACK },
};

/* ACKs the receive buffer holds without dropping any (an ACK's skb costs
 * well under 1 KiB of buffer; errors with an extended ACK a little more). */
static size_t inflight_max(struct ctnl_handle *h)
{
	int rb = 0;
	socklen_t l = sizeof(rb);

	if (getsockopt(h->fd, SOL_SOCKET, SO_RCVBUF, &rb, &l) < 0 || rb <= 0)
		return 64;
	return rb / 1536 > 16 ? (size_t)rb / 1536 : 16;
}

int ctnl_ct_batch(struct ctnl_handle *h, enum ctnl_batch_op op, const struct ctnl_ct_msg *msgs, size_t n,
		  int *results, struct ctnl_err *err)
{
	size_t done = 0, cap = inflight_max(h);
	int accepted = 0, first_fail = 0;

	if (op < CTNL_BATCH_CREATE || op > CTNL_BATCH_DELETE)
		return ctnl_tr_fail(err, -EINVAL, "unknown batch operation %d", (int)op);
	if (h->busy)
		return ctnl_tr_fail(err, -EBUSY, "a callback may not start another request on its own handle");
	while (done < n) {
		size_t len = 0, k = 0, last = 0, failed = 0;
		int closed = 0;
		uint32_t seq0 = 0;
		struct sockaddr_nl kn = { .nl_family = AF_NETLINK };

		while (done + k < n && k < cap) {
			const struct ctnl_ct_msg *m = &msgs[done + k];
			struct ctnl_ct_msg key;
			struct ctnl_err ee;
			size_t ml;
			int rc;

			if (op == CTNL_BATCH_DELETE) {
				ct_key(m, &key, 1);
				m = &key;
			}
			/* only the last message of a datagram asks for an ACK:
			 * the kernel answers failures anyway, and handles a
			 * datagram's messages in order, so that ACK closes them
			 * all; half the replies to read is most of the gain */
			rc = ctnl_tr_ct_encode(h, m, batch_ops[op].cmd, batch_ops[op].flags & ~NLM_F_ACK,
					       h->sbuf + len, CTNL_TR_SBUF - len, &ml, &ee);
			if (rc == -ENOSPC && k > 0) {
				h->seq--;  /* not sent: reuse its number */
				break;
			}
			if (rc < 0) {
				if (err)
					*err = ee;
				return rc;
			}
			if (k == 0)
				memcpy(&seq0, h->sbuf + 8, 4);
			last = len;
			len += (ml + 3) & ~(size_t)3;
			k++;
		}
		{
			uint16_t fl;

			memcpy(&fl, h->sbuf + last + 6, 2);
			fl |= NLM_F_ACK;
			memcpy(h->sbuf + last + 6, &fl, 2);
		}
		ssize_t s;

		do
			s = sendto(h->fd, h->sbuf, len, 0, (struct sockaddr *)&kn, sizeof(kn));
		while (s < 0 && errno == EINTR);
		if (s < 0)
			return ctnl_tr_fail(err, -errno, "sendto (a batch of %zu): %s", k, strerror(errno));
		ctnl_tr_tap(h, h->sbuf, (size_t)s, 1);
		h->cnt.requests += k;
		/* success is silent now: every slot is 0 until a failure names it */
		if (results)
			memset(results + done, 0, k * sizeof(*results));
		while (!closed) {
			struct sockaddr_nl from;
			struct iovec iov = { h->rbuf, CTNL_TR_RBUF };
			struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1 };
			struct ctnl_stream st;
			const uint8_t *m;
			size_t ml;
			ssize_t r;

			do
				r = recvmsg(h->fd, &mh, 0);
			while (r < 0 && errno == EINTR);
			if (r < 0) {
				int e = errno == EAGAIN ? ETIMEDOUT : errno;
				struct ctnl_err re;

				ctnl_tr_sock_reset(h, &re);
				return ctnl_tr_fail(err, -e, "waiting for the ACKs of a batch: %s", strerror(e));
			}
			ctnl_tr_tap(h, h->rbuf, (size_t)r < CTNL_TR_RBUF ? (size_t)r : CTNL_TR_RBUF, 0);
			ctnl_stream_init(&st, h->rbuf, (size_t)r);
			while (ctnl_stream_next(&st, &m, &ml, NULL) == 1) {
				struct nlmsghdr a;
				uint32_t i;

				memcpy(&a, m, sizeof(a));
				i = a.nlmsg_seq - seq0;
				if (a.nlmsg_type != NLMSG_ERROR || a.nlmsg_pid != h->portid || i >= k) {
					h->cnt.foreign++;
					ctnl_tr_log(h, CTNL_LOG_WARN, "batch: dropped a reply with seq %u pid %u type %u",
						    a.nlmsg_seq, a.nlmsg_pid, a.nlmsg_type);
					continue;
				}
				{
					struct ctnl_err me;
					int e = ctnl_tr_map_nlerr(h, m, ml, NULL, 0, NULL, &me);

					if (results)
						results[done + i] = e;
					if (e != 0) {
						failed++;
						if (!first_fail) {
							first_fail = e;
							if (err)
								*err = me;
						}
					}
					/* the last message's answer comes after every other's */
					if (i == k - 1)
						closed = 1;
				}
				h->cnt.replies++;
			}
		}
		accepted += (int)(k - failed);
		done += k;
	}
	return accepted;
}
