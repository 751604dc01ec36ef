/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers of the live transport tests: entries to create, handles in a
 * namespace, and conntrack(8)'s view of the same namespace. */
#ifndef CTNL_TESTS_TRUTIL_H
#define CTNL_TESTS_TRUTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>

#include <CUnit/Basic.h>

#include <ctnl/conntrack.h>
#include <ctnl/ctnl.h>

#include "ctnl_ns.h"

static const char *const tr_tools[] = { "nft", "conntrack", NULL };

#define TR_OK(expr)                                                                              \
	do {                                                                                     \
		int tr_rc_ = (expr);                                                             \
		if (tr_rc_ < 0)                                                                  \
			fprintf(stderr, "%s:%d: %s = %d (%s)\n", __FILE__, __LINE__, #expr, tr_rc_, \
				strerror(-tr_rc_));                                              \
		CU_ASSERT_FATAL(tr_rc_ >= 0);                                                    \
	} while (0)

/* A TCP (6) or UDP (17) entry a.b.c.d:sport -> e.f.g.h:dport, ready to
 * create: both tuples, a timeout, CONFIRMED, TCP ESTABLISHED. */
static inline void tr_entry4(struct ctnl_ct_msg *m, uint8_t proto, const char *src, uint16_t sport, const char *dst,
			     uint16_t dport)
{
	struct ctnl_ct_tuple *t[2] = { &m->ct.orig, &m->ct.reply };

	ctnl_ct_init(m);
	m->hdr.family = AF_INET;
	for (int i = 0; i < 2; i++) {
		t[i]->present = 1u << CTA_TUPLE_IP | 1u << CTA_TUPLE_PROTO;
		t[i]->ip.present = 1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST;
		inet_pton(AF_INET, i ? dst : src, t[i]->ip.v4_src);
		inet_pton(AF_INET, i ? src : dst, t[i]->ip.v4_dst);
		t[i]->proto.present = 1u << CTA_PROTO_NUM | 1u << CTA_PROTO_SRC_PORT | 1u << CTA_PROTO_DST_PORT;
		t[i]->proto.num = proto;
		t[i]->proto.src_port = i ? dport : sport;
		t[i]->proto.dst_port = i ? sport : dport;
	}
	m->ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_TUPLE_REPLY | 1u << CTA_TIMEOUT | 1u << CTA_STATUS;
	m->ct.timeout = 100;
	m->ct.status = IPS_CONFIRMED;
	if (proto == 6) {
		m->ct.present |= 1u << CTA_PROTOINFO;
		m->ct.protoinfo.present = 1u << CTA_PROTOINFO_TCP;
		m->ct.protoinfo.tcp.present = 1u << CTA_PROTOINFO_TCP_STATE;
		m->ct.protoinfo.tcp.state = TCP_CONNTRACK_ESTABLISHED;
	}
}

static inline void tr_entry6(struct ctnl_ct_msg *m, uint8_t proto, const char *src, uint16_t sport, const char *dst,
			     uint16_t dport)
{
	struct ctnl_ct_tuple *t[2] = { &m->ct.orig, &m->ct.reply };

	tr_entry4(m, proto, "0.0.0.0", sport, "0.0.0.0", dport);
	m->hdr.family = AF_INET6;
	for (int i = 0; i < 2; i++) {
		t[i]->ip.present = 1u << CTA_IP_V6_SRC | 1u << CTA_IP_V6_DST;
		inet_pton(AF_INET6, i ? dst : src, t[i]->ip.v6_src);
		inet_pton(AF_INET6, i ? src : dst, t[i]->ip.v6_dst);
	}
}

static inline void tr_set_zone(struct ctnl_ct_msg *m, uint16_t zone)
{
	m->ct.present |= 1u << CTA_ZONE;
	m->ct.zone = zone;
}

static inline void tr_set_mark(struct ctnl_ct_msg *m, uint32_t mark)
{
	m->ct.present |= 1u << CTA_MARK;
	m->ct.mark = mark;
}

/* A handle in the namespace (by fd). */
static inline struct ctnl_handle *tr_open(struct ctnl_ns *ns, struct ctnl_open_opts *o)
{
	struct ctnl_open_opts d = { .size = sizeof(d) };
	struct ctnl_handle *h = NULL;
	struct ctnl_err e = { 0 };
	int rc;

	if (!o)
		o = &d;
	o->netns_fd = ns->fd;
	rc = ctnl_open(&h, o, &e);
	if (rc < 0)
		fprintf(stderr, "ctnl_open: %d %s\n", rc, e.what);
	CU_ASSERT_FATAL(rc == 0);
	return h;
}

/* conntrack(8)'s output inside the namespace (caller frees; -C prints a number). */
static inline char *tr_conntrack(struct ctnl_ns *ns, const char *a1, const char *a2, const char *a3, const char *a4)
{
	char *out = NULL;

	/* stdout only: conntrack's summary on stderr can land inside a line */
	ctnl_ns_run(ns, &out, NULL, "sh", "-c", "exec conntrack \"$@\" 2>/dev/null", "sh", a1, a2, a3, a4, NULL);
	return out ? out : strdup("");
}

/* Lines of @text containing every one of the NULL-terminated words. */
static inline int tr_lines_with(const char *text, ...)
{
	int n = 0;
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *l = strndup(line, len);
		int all = 1;
		va_list ap;
		const char *w;

		va_start(ap, text);
		while ((w = va_arg(ap, const char *)) != NULL)
			if (!strstr(l, w))
				all = 0;
		va_end(ap);
		n += all;
		free(l);
		line = end ? end + 1 : NULL;
	}
	return n;
}

static inline int tr_count_cb(const struct ctnl_ct_msg *m, void *arg)
{
	(void)m;
	(*(int *)arg)++;
	return 0;
}

/* The CUnit main of every live test program. */
static inline int tr_main(const char *suite, CU_TestInfo *tests)
{
	CU_SuiteInfo suites[] = { { suite, NULL, NULL, NULL, NULL, tests }, CU_SUITE_INFO_NULL };
	unsigned failed;

	ctnl_ns_require_or_skip(tr_tools);
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	CU_register_suites(suites);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

#endif
