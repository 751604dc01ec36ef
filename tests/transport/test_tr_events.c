/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Live: event subscriptions.  NEW, UPDATE and DESTROY with the right
 * content; real traffic; kernel-side filters; the event-loop mode under
 * epoll; stopping; ENOBUFS counted with the subscription going on, and
 * the resync that reports what was missed; a storm read without loss
 * with the default settings.
 */
#include <pthread.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "trutil.h"

#define MAXEV 64

struct rec {
	int n;
	unsigned group[MAXEV];
	int table[MAXEV];
	uint32_t mark[MAXEV];
	uint16_t sport[MAXEV];
	uint8_t proto[MAXEV];
	uint32_t status[MAXEV];
};

static int record(const struct ctnl_event *ev, void *arg)
{
	struct rec *r = arg;

	if (r->n >= MAXEV || !ev->ct)
		return 0;
	r->group[r->n] = ev->group;
	r->table[r->n] = ev->table;
	r->mark[r->n] = ctnl_has(&ev->ct->ct, CTA_MARK) ? ev->ct->ct.mark : 0;
	r->sport[r->n] = ev->ct->ct.orig.proto.src_port;
	r->proto[r->n] = ev->ct->ct.orig.proto.num;
	r->status[r->n] = ev->ct->ct.status;
	r->n++;
	return 0;
}

static void drain(struct ctnl_handle *h, int ms)
{
	struct ctnl_err e;

	(void)ctnl_event_run(h, ms, &e);
}

static void test_new_update_destroy(void)
{
	struct ctnl_ns *ns;
	struct ctnl_handle *h, *l;
	struct ctnl_open_opts o = { .size = sizeof(o), .event_source = 1 };
	struct ctnl_ct_msg m;
	struct ctnl_err e = { 0 };
	struct rec r = { 0 };

	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, NULL);
	l = tr_open(ns, &o);
	TR_OK(ctnl_event_register(l, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_ALL, record, &r, NULL, &e));
	tr_entry4(&m, 6, "10.20.0.1", 1111, "10.20.0.2", 80);
	tr_set_mark(&m, 5);
	TR_OK(ctnl_ct_create(h, &m, &e));
	tr_set_mark(&m, 6);
	m.ct.present &= ~(1u << CTA_STATUS);
	TR_OK(ctnl_ct_update(h, &m, &e));
	TR_OK(ctnl_ct_delete(h, &m, &e));
	drain(l, 300);
	CU_ASSERT_EQUAL_FATAL(r.n, 3);
	CU_ASSERT_EQUAL(r.group[0], CTNL_EV_CT_NEW);
	CU_ASSERT_EQUAL(r.group[1], CTNL_EV_CT_UPDATE);
	CU_ASSERT_EQUAL(r.group[2], CTNL_EV_CT_DESTROY);
	for (int i = 0; i < 3; i++) {
		CU_ASSERT_EQUAL(r.table[i], CTNL_TABLE_CONNTRACK);
		CU_ASSERT_EQUAL(r.sport[i], 1111);
		CU_ASSERT_EQUAL(r.proto[i], 6);
	}
	CU_ASSERT_EQUAL(r.mark[0], 5);
	CU_ASSERT_EQUAL(r.mark[1], 6);
	CU_ASSERT_EQUAL(r.mark[2], 6);
	CU_ASSERT(r.status[2] & IPS_DYING);

	/* real traffic: a UDP exchange makes a NEW with its ports */
	r.n = 0;
	TR_OK(ctnl_ns_udp(ns, "127.0.0.1", 41000, "127.0.0.1", 5300, 1, 1));
	drain(l, 300);
	CU_ASSERT(r.n >= 1);
	CU_ASSERT_EQUAL(r.group[0], CTNL_EV_CT_NEW);
	CU_ASSERT_EQUAL(r.sport[0], 41000);
	CU_ASSERT_EQUAL(r.proto[0], 17);
	ctnl_close(l);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

static void test_filtered(void)
{
	struct ctnl_ns *ns;
	struct ctnl_handle *h, *l;
	struct ctnl_ct_msg m;
	struct ctnl_err e = { 0 };
	struct rec r = { 0 };
	struct ctnl_bpf_match f[2] = { 0 };
	struct ctnl_event_opts eo = { .size = sizeof(eo), .match = f, .nmatch = 2 };

	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, NULL);
	l = tr_open(ns, NULL);
	/* mark 42 and UDP: the kernel drops everything else before the socket */
	f[0].type = CTNL_BPF_MARK;
	f[0].len = 4;
	f[0].value[3] = 42;
	f[1].type = CTNL_BPF_ORIG_L4PROTO;
	f[1].len = 1;
	f[1].value[0] = 17;
	TR_OK(ctnl_event_register(l, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_NEW | CTNL_EV_CT_DESTROY, record, &r, &eo, &e));
	tr_entry4(&m, 17, "10.21.0.1", 1, "10.21.0.9", 2);
	tr_set_mark(&m, 42);
	TR_OK(ctnl_ct_create(h, &m, &e));
	tr_entry4(&m, 17, "10.21.0.2", 1, "10.21.0.9", 2);
	tr_set_mark(&m, 7);
	TR_OK(ctnl_ct_create(h, &m, &e));
	tr_entry4(&m, 6, "10.21.0.3", 1, "10.21.0.9", 2);
	tr_set_mark(&m, 42);
	TR_OK(ctnl_ct_create(h, &m, &e));
	TR_OK(ctnl_ct_flush(h, 0, NULL, &e));
	drain(l, 300);
	CU_ASSERT_EQUAL(r.n, 2);
	for (int i = 0; i < r.n; i++) {
		CU_ASSERT_EQUAL(r.mark[i], 42);
		CU_ASSERT_EQUAL(r.proto[i], 17);
	}
	/* a bad filter fails the subscription and leaves nothing joined */
	ctnl_event_unregister(l);
	f[0].len = 3;
	CU_ASSERT_EQUAL(ctnl_event_register(l, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_NEW, record, &r, &eo, &e), -ERANGE);
	CU_ASSERT_EQUAL(ctnl_event_fd(l), -ENOENT);
	ctnl_close(l);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

static int stop_now(const struct ctnl_event *ev, void *arg)
{
	(void)ev;
	ctnl_event_stop(arg);
	return 0;
}

static void test_event_loop_mode(void)
{
	struct ctnl_ns *ns;
	struct ctnl_handle *h, *l;
	struct ctnl_ct_msg m;
	struct ctnl_err e = { 0 };
	struct rec r = { 0 };
	struct epoll_event ee = { .events = EPOLLIN }, out;
	int ep, got = 0;

	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, NULL);
	l = tr_open(ns, NULL);
	TR_OK(ctnl_event_register(l, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_NEW, record, &r, NULL, &e));
	ep = epoll_create1(EPOLL_CLOEXEC);
	ee.data.fd = ctnl_event_fd(l);
	TR_OK(epoll_ctl(ep, EPOLL_CTL_ADD, ee.data.fd, &ee));
	CU_ASSERT_EQUAL(ctnl_event_process(l, NULL, &e), 0);   /* nothing yet, no blocking */
	for (int i = 0; i < 5; i++) {
		char src[16];

		snprintf(src, sizeof(src), "10.22.0.%d", i + 1);
		tr_entry4(&m, 17, src, 1, "10.22.1.1", 2);
		TR_OK(ctnl_ct_create(h, &m, &e));
	}
	while (got < 5 && epoll_wait(ep, &out, 1, 1000) == 1) {
		int rc = ctnl_event_process(l, NULL, &e);

		TR_OK(rc);
		got += rc;
	}
	CU_ASSERT_EQUAL(got, 5);
	CU_ASSERT_EQUAL(r.n, 5);
	close(ep);

	/* ctnl_event_stop from the callback ends ctnl_event_run with 0 */
	ctnl_event_unregister(l);
	TR_OK(ctnl_event_register(l, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_NEW, stop_now, l, NULL, &e));
	tr_entry4(&m, 17, "10.22.2.1", 1, "10.22.1.1", 2);
	TR_OK(ctnl_ct_create(h, &m, &e));
	CU_ASSERT_EQUAL(ctnl_event_run(l, 2000, &e), 0);
	ctnl_close(l);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

/* ---- losses ---- */

struct ids {
	uint32_t *id;
	int n, cap, resync, real;
	int stop_when_full;
};

static int collect_ids(const struct ctnl_event *ev, void *arg)
{
	struct ids *s = arg;

	if (!ev->ct || ev->group != CTNL_EV_CT_NEW)
		return 0;
	if (s->n < s->cap)
		s->id[s->n++] = ev->ct->ct.id;
	if (ev->resync)
		s->resync++;
	else
		s->real++;
	return s->stop_when_full && s->n >= s->cap;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

struct errs {
	int enobufs;
	uint32_t last_count;
};

static void on_error(const struct ctnl_err *e, const void *msg, size_t len, void *arg)
{
	struct errs *s = arg;

	(void)msg;
	(void)len;
	if (e->code == -ENOBUFS) {
		s->enobufs++;
		s->last_count = e->msg_index;
	}
}

static struct ctnl_ct_msg *many(int n, int base)
{
	struct ctnl_ct_msg *m = calloc((size_t)n, sizeof(*m));

	for (int i = 0; m && i < n; i++) {
		char src[32];

		snprintf(src, sizeof(src), "10.%d.%d.%d", base + i / 62500, i / 250 % 250, i % 250 + 1);
		tr_entry4(&m[i], 17, src, 1000, "10.99.0.1", 53);
	}
	return m;
}

static void test_enobufs_resync(void)
{
	enum { N = 3000 };
	struct ctnl_ns *ns;
	struct errs es = { 0 };
	struct ctnl_open_opts o = { .size = sizeof(o), .event_rcvbuf = 4096, .on_error = on_error, .error_arg = &es,
				     .event_source = 1 };
	struct ctnl_event_opts eo = { .size = sizeof(eo), .resync = 1 };
	struct ctnl_handle *h, *l;
	struct ctnl_ct_msg *m = many(N, 30), one;
	struct ids s = { calloc(2 * N, sizeof(uint32_t)), 0, 2 * N, 0, 0, 0 };
	struct ctnl_err e = { 0 };
	struct ctnl_counters c;
	int distinct = 0;

	CU_ASSERT_FATAL(m && s.id);
	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, NULL);
	l = tr_open(ns, &o);
	TR_OK(ctnl_event_register(l, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_NEW, collect_ids, &s, &eo, &e));
	/* nobody reads while 3000 entries are made: a small buffer overflows */
	CU_ASSERT_EQUAL(ctnl_ct_batch(h, CTNL_BATCH_CREATE, m, N, NULL, &e), N);
	drain(l, 300);
	ctnl_handle_counters(l, &c);
	CU_ASSERT(es.enobufs >= 1);
	CU_ASSERT_EQUAL(c.enobufs, (uint64_t)es.enobufs);
	CU_ASSERT_EQUAL(es.last_count, (uint32_t)c.enobufs);
	CU_ASSERT(c.resyncs >= 1);
	CU_ASSERT(s.resync > 0);
	/* events plus resync: every entry reported, none silently lost */
	qsort(s.id, (size_t)s.n, sizeof(uint32_t), cmp_u32);
	for (int i = 0; i < s.n; i++)
		distinct += i == 0 || s.id[i] != s.id[i - 1];
	CU_ASSERT_EQUAL(distinct, N);
	fprintf(stderr, "enobufs %d, events %d, resync events %d, distinct entries %d of %d\n", es.enobufs, s.real,
		s.resync, distinct, N);
	/* the subscription goes on */
	s.n = s.real = s.resync = 0;
	tr_entry4(&one, 6, "10.23.0.1", 1, "10.23.0.2", 2);
	TR_OK(ctnl_ct_create(h, &one, &e));
	drain(l, 200);
	CU_ASSERT_EQUAL(s.real, 1);
	ctnl_close(l);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
	free(m);
	free(s.id);
}

struct storm {
	struct ctnl_handle *h;
	struct ctnl_ct_msg *m;
	int n, accepted;
};

static void *creator(void *arg)
{
	struct storm *st = arg;
	struct ctnl_err e;

	st->accepted = ctnl_ct_batch(st->h, CTNL_BATCH_CREATE, st->m, (size_t)st->n, NULL, &e);
	return NULL;
}

static void test_storm_default_settings(void)
{
	enum { N = 30000 };
	struct ctnl_ns *ns;
	struct errs es = { 0 };
	struct ctnl_open_opts o = { .size = sizeof(o), .on_error = on_error, .error_arg = &es, .event_source = 1 };
	struct ctnl_handle *h, *l;
	struct ids s = { calloc(N, sizeof(uint32_t)), 0, N, 0, 0, 1 };
	struct storm st = { 0 };
	struct ctnl_err e = { 0 };
	pthread_t t;

	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, NULL);
	l = tr_open(ns, &o);
	st.h = h;
	st.m = many(N, 40);
	st.n = N;
	CU_ASSERT_FATAL(st.m && s.id);
	TR_OK(ctnl_event_register(l, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_NEW, collect_ids, &s, NULL, &e));
	pthread_create(&t, NULL, creator, &st);
	/* the callback stops the loop at N; a 3 s silence ends it too */
	(void)ctnl_event_run(l, 3000, &e);
	pthread_join(t, NULL);
	drain(l, 100);
	fprintf(stderr, "storm: %d created, %d events, %d ENOBUFS\n", st.accepted, s.n, es.enobufs);
	CU_ASSERT_EQUAL(st.accepted, N);
	CU_ASSERT_EQUAL(s.n, N);
	CU_ASSERT_EQUAL(es.enobufs, 0);
	ctnl_close(l);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
	free(st.m);
	free(s.id);
}

static CU_TestInfo tests[] = {
	{ "NEW, UPDATE, DESTROY with their content; real traffic", test_new_update_destroy },
	{ "filtered events honour the filter", test_filtered },
	{ "event-loop mode under epoll; stop from the callback", test_event_loop_mode },
	{ "ENOBUFS counted, resync reports the missed, subscription goes on", test_enobufs_resync },
	{ "a 30,000-entry storm with default settings loses nothing", test_storm_default_settings },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return tr_main("transport-events", tests);
}
