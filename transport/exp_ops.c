/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The expectation table: create, get, delete, dump, flush, encoded and
 * decoded with the expectation codec (ctnl/exp.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>

#include "tr.h"

#define EXP_TYPE(cmd) ((uint16_t)(NFNL_SUBSYS_CTNETLINK_EXP << 8 | (cmd)))

static uint8_t exp_family(const struct ctnl_exp_msg *m)
{
	const struct ctnl_ct_tuple *t[] = { &m->exp.tuple, &m->exp.master };

	if (m->hdr.family)
		return m->hdr.family;
	for (unsigned i = 0; i < 2; i++) {
		if (t[i]->ip.present & (1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST))
			return AF_INET;
		if (t[i]->ip.present & (1u << CTA_IP_V6_SRC | 1u << CTA_IP_V6_DST))
			return AF_INET6;
	}
	return AF_UNSPEC;
}

struct exp_cb {
	struct ctnl_handle *h;
	ctnl_exp_fn fn;
	void *arg;
	int n;
	uint32_t index;
	struct ctnl_exp_msg m;
};

static int exp_reply(const void *msg, size_t len, void *arg)
{
	struct exp_cb *c = arg;
	struct ctnl_err e = { 0 };
	uint32_t idx = c->index++;
	uint16_t type;

	memcpy(&type, (const uint8_t *)msg + 4, 2);
	if (!ctnl_exp_is_entry_type(type))
		return 0;
	if (ctnl_exp_decode(msg, len, &c->m, &e) < 0) {
		e.msg_index = idx;
		c->h->cnt.malformed++;
		ctnl_tr_report(c->h, &e, msg, len);
		return 0;
	}
	c->n++;
	return c->fn ? c->fn(&c->m, c->arg) : 0;
}

static int exp_xfer(struct ctnl_handle *h, const struct ctnl_exp_msg *m, uint16_t cmd, uint16_t flags, ctnl_exp_fn fn,
		    void *arg, int *count, struct ctnl_err *err)
{
	struct ctnl_tr_req r = { .msg = h->sbuf, .desc = ctnl_exp_desc() };
	struct ctnl_exp_msg q;
	struct exp_cb *c = NULL;
	int rc;

	q = *m;
	q.hdr.type = EXP_TYPE(cmd);
	q.hdr.flags = (uint16_t)(NLM_F_REQUEST | flags);
	q.hdr.seq = ++h->seq ? h->seq : ++h->seq;
	q.hdr.pid = h->portid;
	q.hdr.family = exp_family(m);
	q.hdr.version = 0;
	q.hdr.res_id = 0;
	rc = ctnl_exp_encode(&q, h->sbuf, CTNL_TR_SBUF, &r.len, err);
	if (rc < 0)
		return rc;
	if (fn || count) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return ctnl_tr_fail(err, -ENOMEM, "out of memory");
		c->h = h;
		c->fn = fn;
		c->arg = arg;
		r.fn = exp_reply;
		r.arg = c;
	}
	rc = ctnl_tr_xfer(h, &r, err);
	if (count && c)
		*count = c->n;
	free(c);
	return rc;
}

int ctnl_exp_create(struct ctnl_handle *h, const struct ctnl_exp_msg *m, struct ctnl_err *err)
{
	return exp_xfer(h, m, IPCTNL_MSG_EXP_NEW, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, NULL, NULL, NULL, err);
}

/* The key of an expectation: its tuple, zone, and (for delete) id. */
static int exp_key(const struct ctnl_exp_msg *m, struct ctnl_exp_msg *k, int with_id, struct ctnl_err *err)
{
	if (!ctnl_has(&m->exp, CTA_EXPECT_TUPLE))
		return ctnl_tr_fail(err, -EINVAL, "an expectation is named by its CTA_EXPECT_TUPLE");
	ctnl_exp_init(k);
	k->hdr.family = exp_family(m);
	k->exp.present = 1u << CTA_EXPECT_TUPLE;
	k->exp.tuple = m->exp.tuple;
	if (ctnl_has(&m->exp, CTA_EXPECT_ZONE)) {
		k->exp.present |= 1u << CTA_EXPECT_ZONE;
		k->exp.zone = m->exp.zone;
	}
	if (with_id && ctnl_has(&m->exp, CTA_EXPECT_ID)) {
		k->exp.present |= 1u << CTA_EXPECT_ID;
		k->exp.id = m->exp.id;
	}
	return 0;
}

int ctnl_exp_get(struct ctnl_handle *h, const struct ctnl_exp_msg *m, ctnl_exp_fn fn, void *arg, struct ctnl_err *err)
{
	struct ctnl_exp_msg k;
	int rc = exp_key(m, &k, 0, err);

	return rc < 0 ? rc : exp_xfer(h, &k, IPCTNL_MSG_EXP_GET, NLM_F_ACK, fn, arg, NULL, err);
}

int ctnl_exp_delete(struct ctnl_handle *h, const struct ctnl_exp_msg *m, struct ctnl_err *err)
{
	struct ctnl_exp_msg k;
	int rc = exp_key(m, &k, 1, err);

	return rc < 0 ? rc : exp_xfer(h, &k, IPCTNL_MSG_EXP_DELETE, NLM_F_ACK, NULL, NULL, NULL, err);
}

int ctnl_exp_dump(struct ctnl_handle *h, uint8_t family, ctnl_exp_fn fn, void *arg, struct ctnl_err *err)
{
	struct ctnl_exp_msg q;
	int n = 0, rc;

	ctnl_exp_init(&q);
	q.hdr.family = family;
	rc = exp_xfer(h, &q, IPCTNL_MSG_EXP_GET, NLM_F_DUMP, fn, arg, &n, err);
	return rc != 0 ? rc : n;
}

/* Per-family flush: the keys of the family's expectations, from a dump. */
struct keys {
	struct ctnl_exp_msg *k;
	size_t n, cap;
};

static int key_of(const struct ctnl_exp_msg *m, void *arg)
{
	struct keys *k = arg;

	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 16;
		struct ctnl_exp_msg *p = realloc(k->k, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		k->k = p;
		k->cap = cap;
	}
	/* tuples hold no views: the key outlives the receive buffer */
	return exp_key(m, &k->k[k->n++], 0, NULL);
}

int ctnl_exp_flush(struct ctnl_handle *h, uint8_t family, struct ctnl_err *err)
{
	struct keys k = { 0 };
	int rc;

	if (family == AF_UNSPEC) {
		struct ctnl_exp_msg q;

		ctnl_exp_init(&q);
		return exp_xfer(h, &q, IPCTNL_MSG_EXP_DELETE, NLM_F_ACK, NULL, NULL, NULL, err);
	}
	/* the kernel's expectation flush takes no family: one by one */
	rc = ctnl_exp_dump(h, family, key_of, &k, err);
	for (size_t i = 0; rc >= 0 && i < k.n; i++) {
		rc = ctnl_exp_delete(h, &k.k[i], err);
		if (rc == -ENOENT)
			rc = 0;    /* it expired meanwhile */
	}
	free(k.k);
	return rc < 0 ? rc : 0;
}
