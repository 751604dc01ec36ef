/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every example shares: open a handle, optionally in a namespace
 * given as "--netns PATH" (e.g. /run/netns/NAME), and print errors. */
#ifndef CTNL_EXAMPLES_COMMON_H
#define CTNL_EXAMPLES_COMMON_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctnl/conntrack.h>
#include <ctnl/ctnl.h>

static inline void ex_fail(const char *what, int rc, const struct ctnl_err *e)
{
	fprintf(stderr, "%s: %s (%s)\n", what, e->what[0] ? e->what : strerror(-rc), e->path[0] ? e->path : "-");
}

/* Consumes "--netns PATH" from argv; returns the handle or NULL. */
static inline struct ctnl_handle *ex_open(int *argc, char **argv, const struct ctnl_open_opts *base)
{
	struct ctnl_open_opts o = { .size = sizeof(o) };
	struct ctnl_handle *h;
	struct ctnl_err e = { 0 };
	int rc;

	if (base)
		o = *base;
	if (*argc >= 3 && strcmp(argv[1], "--netns") == 0) {
		o.netns_path = argv[2];
		memmove(argv + 1, argv + 3, (size_t)(*argc - 3 + 1) * sizeof(char *));
		*argc -= 2;
	}
	rc = ctnl_open(&h, &o, &e);
	if (rc < 0) {
		ex_fail("open", rc, &e);
		return NULL;
	}
	return h;
}

/* An IPv4 TCP entry SRC:SPORT -> DST:DPORT as the create/update/delete
 * examples name it on their command lines. */
static inline int ex_tuple(struct ctnl_ct_msg *m, char **argv)
{
	struct ctnl_ct_tuple *t[2] = { &m->ct.orig, &m->ct.reply };

	ctnl_ct_init(m);
	m->hdr.family = AF_INET;
	for (int i = 0; i < 2; i++) {
		t[i]->present = 1u << CTA_TUPLE_IP | 1u << CTA_TUPLE_PROTO;
		t[i]->ip.present = 1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST;
		if (inet_pton(AF_INET, argv[i ? 2 : 0], t[i]->ip.v4_src) != 1 ||
		    inet_pton(AF_INET, argv[i ? 0 : 2], t[i]->ip.v4_dst) != 1)
			return -1;
		t[i]->proto.present = 1u << CTA_PROTO_NUM | 1u << CTA_PROTO_SRC_PORT | 1u << CTA_PROTO_DST_PORT;
		t[i]->proto.num = 6;
		t[i]->proto.src_port = (uint16_t)atoi(argv[i ? 3 : 1]);
		t[i]->proto.dst_port = (uint16_t)atoi(argv[i ? 1 : 3]);
	}
	m->ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_TUPLE_REPLY;
	return 0;
}

#endif
