/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The expectation table: create, get, delete, dump, flush.  Requests
 * carry attributes the expectation codec encodes; replies are handed on
 * raw, checked for framing only.
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

static int exp_simple(struct ctnl_handle *h, uint16_t cmd, uint16_t flags, uint8_t family, const void *attrs,
		      size_t len, ctnl_msg_fn fn, void *arg, struct ctnl_err *err)
{
	struct ctnl_tr_req r = { .msg = h->sbuf, .fn = fn, .arg = arg };
	size_t at = ctnl_tr_hdr(h, h->sbuf, EXP_TYPE(cmd), flags, family);
	uint32_t l;

	if (len > CTNL_TR_SBUF - at)
		return ctnl_tr_fail(err, -EMSGSIZE, "%zu bytes of attributes do not fit a request", len);
	if (len)
		memcpy(h->sbuf + at, attrs, len);
	l = (uint32_t)(at + len);
	memcpy(h->sbuf, &l, 4);
	r.len = l;
	return ctnl_tr_xfer(h, &r, err);
}

int ctnl_exp_create(struct ctnl_handle *h, uint8_t family, const void *attrs, size_t len, struct ctnl_err *err)
{
	return exp_simple(h, IPCTNL_MSG_EXP_NEW, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, family, attrs, len, NULL, NULL,
			  err);
}

struct exp_cb {
	ctnl_msg_fn fn;
	void *arg;
	int n;
};

static int exp_reply(const void *msg, size_t len, void *arg)
{
	struct exp_cb *c = arg;
	uint16_t type;

	memcpy(&type, (const uint8_t *)msg + 4, 2);
	if (type >> 8 != NFNL_SUBSYS_CTNETLINK_EXP)
		return 0;
	c->n++;
	return c->fn ? c->fn(msg, len, c->arg) : 0;
}

int ctnl_exp_get(struct ctnl_handle *h, uint8_t family, const void *attrs, size_t len, ctnl_msg_fn fn, void *arg,
		 struct ctnl_err *err)
{
	struct exp_cb c = { fn, arg, 0 };

	return exp_simple(h, IPCTNL_MSG_EXP_GET, NLM_F_ACK, family, attrs, len, exp_reply, &c, err);
}

int ctnl_exp_delete(struct ctnl_handle *h, uint8_t family, const void *attrs, size_t len, struct ctnl_err *err)
{
	if (!len)
		return ctnl_tr_fail(err, -EINVAL, "a delete needs CTA_EXPECT_TUPLE (to delete all, use ctnl_exp_flush)");
	return exp_simple(h, IPCTNL_MSG_EXP_DELETE, NLM_F_ACK, family, attrs, len, NULL, NULL, err);
}

int ctnl_exp_dump(struct ctnl_handle *h, uint8_t family, ctnl_msg_fn fn, void *arg, struct ctnl_err *err)
{
	struct exp_cb c = { fn, arg, 0 };
	int rc = exp_simple(h, IPCTNL_MSG_EXP_GET, NLM_F_DUMP, family, NULL, 0, exp_reply, &c, err);

	return rc < 0 ? rc : (rc > 0 ? rc : c.n);
}

/* Per-family flush: the keys (tuple and zone attributes) of each
 * expectation of the family, collected during a dump. */
struct keys {
	uint8_t *buf;
	size_t len, cap;
	int oom;
};

static int key_of(const void *msg, size_t len, void *arg)
{
	struct keys *k = arg;
	const uint8_t *m = msg;
	size_t at = CTNL_NLMSG_HDRLEN + CTNL_NFGEN_HDRLEN, start = k->len;
	uint32_t klen;

	if (len < at)
		return 0;
	/* room for a length word, then the attributes */
	if (k->cap - k->len < len + 4) {
		size_t n = k->cap ? k->cap * 2 : 4096;
		uint8_t *p;

		while (n - k->len < len + 4)
			n *= 2;
		p = realloc(k->buf, n);
		if (!p)
			return -ENOMEM;
		k->buf = p;
		k->cap = n;
	}
	k->len += 4;
	while (len - at >= 4) {
		uint16_t l, t;

		memcpy(&l, m + at, 2);
		memcpy(&t, m + at + 2, 2);
		if (l < 4 || l > len - at)
			break;
		t &= NLA_TYPE_MASK;
		if (t == CTA_EXPECT_TUPLE || t == CTA_EXPECT_ZONE) {
			memcpy(k->buf + k->len, m + at, (l + 3u) & ~3u);
			k->len += (l + 3u) & ~3u;
		}
		at += (l + 3u) & ~3u;
	}
	klen = (uint32_t)(k->len - start - 4);
	memcpy(k->buf + start, &klen, 4);
	return 0;
}

int ctnl_exp_flush(struct ctnl_handle *h, uint8_t family, struct ctnl_err *err)
{
	struct keys k = { 0 };
	size_t at = 0;
	int rc;

	if (family == AF_UNSPEC)
		return exp_simple(h, IPCTNL_MSG_EXP_DELETE, NLM_F_ACK, AF_UNSPEC, NULL, 0, NULL, NULL, err);
	/* the kernel's expectation flush takes no family: delete one by one */
	rc = ctnl_exp_dump(h, family, key_of, &k, err);
	while (rc >= 0 && at < k.len) {
		uint32_t klen;

		memcpy(&klen, k.buf + at, 4);
		at += 4;
		if (klen) {
			rc = ctnl_exp_delete(h, family, k.buf + at, klen, err);
			if (rc == -ENOENT)
				rc = 0;    /* it expired meanwhile */
		}
		at += klen;
	}
	free(k.buf);
	return rc < 0 ? rc : 0;
}
