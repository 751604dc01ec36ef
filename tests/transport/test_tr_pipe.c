/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Live: big dumps, whose datagrams after the second are received on a
 * reader thread while the caller's thread decodes them.  Every entry
 * arrives once, on the caller's thread, next to conntrack(8)'s view; a
 * callback's stop, a malformed entry and a timeout in the middle of the
 * pipelined part give what a serial read gives; small dumps and other
 * requests make no thread; the handle works afterwards.
 */
#include <dirent.h>
#include <pthread.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "trutil.h"

#define BIG 20000
#define SPORT0 1024

struct seen {
	unsigned char hit[BIG];
	int n, dup, stray, wrong_thread;
	int probe_at, readers;             /* reader threads seen at entry probe_at */
	uint64_t idsum;
	pthread_t self;
	int stop_at;                       /* return 42 at this count; 0: never */
	int swap_at;                       /* then dup2(swap_from, swap_to) */
	int swap_from, swap_to;
};

/* Threads of this process named as the reader is (counted by name:
 * sanitizers run threads of their own). */
static int readers_now(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *t;
	int n = 0;

	if (!d)
		return -1;
	while ((t = readdir(d)) != NULL) {
		char path[300], comm[32] = "";
		FILE *f;

		if (t->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", t->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && strcmp(comm, "ctnl-dump\n") == 0)
			n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

/* Reader threads left once a call has returned.  pthread_join returns
 * when the kernel clears the thread's tid, a moment before the task
 * leaves /proc/self/task, so a joined thread may still be listed for a
 * few microseconds; one left running (asleep in a futex or in recvmsg)
 * stays listed for good. */
static int readers_left(void)
{
	int n = readers_now();

	for (int i = 0; i < 500 && n > 0; i++) {
		usleep(1000);
		n = readers_now();
	}
	return n;
}

static int on_entry(const struct ctnl_ct_msg *m, void *arg)
{
	struct seen *s = arg;
	unsigned i = m->ct.orig.proto.src_port - (unsigned)SPORT0;

	s->n++;
	if (!pthread_equal(pthread_self(), s->self))
		s->wrong_thread++;
	if (i < BIG && m->ct.orig.proto.dst_port == 53) {
		if (s->hit[i]++)
			s->dup++;
	} else {
		s->stray++;
	}
	if (ctnl_has(&m->ct, CTA_ID))
		s->idsum += m->ct.id;
	if (s->n == s->probe_at)
		s->readers = readers_now();
	if (s->swap_at && s->n == s->swap_at)
		CU_ASSERT(dup2(s->swap_from, s->swap_to) == s->swap_to);
	if (s->stop_at && s->n == s->stop_at)
		return 42;
	return 0;
}

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	s->self = pthread_self();
}

/* BIG UDP entries 10.20.0.1:SPORT0+i -> 10.21.0.1:53. */
static void fill(struct ctnl_handle *h)
{
	struct ctnl_ct_msg *m = calloc(BIG, sizeof(*m));
	struct ctnl_err e = { 0 };

	CU_ASSERT_FATAL(m != NULL);
	for (int i = 0; i < BIG; i++) {
		tr_entry4(&m[i], 17, "10.20.0.1", (uint16_t)(SPORT0 + i), "10.21.0.1", 53);
		m[i].ct.timeout = 600;
	}
	CU_ASSERT_EQUAL_FATAL(ctnl_ct_batch(h, CTNL_BATCH_CREATE, m, BIG, NULL, &e), BIG);
	free(m);
}

/* conntrack -L -o id: the count of lines and the sum of their ids. */
static int conntrack_ids(struct ctnl_ns *ns, uint64_t *sum)
{
	char *out = tr_conntrack(ns, "-L", "-o", "id", NULL);
	const char *p = out;
	int n = 0;

	*sum = 0;
	while ((p = strstr(p, "id=")) != NULL) {
		*sum += strtoull(p + 3, NULL, 10);
		n++;
		p += 3;
	}
	free(out);
	return n;
}

struct tap {
	pthread_t self;
	int in, wrong_thread;
	int corrupt_at;                    /* break CTA_STATUS of this datagram's first entry; 0: none */
	int corrupted;
};

/* Received datagrams: counted, checked to arrive on the caller's thread,
 * and one of them (past the second, so from the reader's ring) given an
 * entry with a bad attribute length, as a kernel bug would. */
static void tap(void *arg, const void *buf, size_t len, int to_kernel, const struct timespec *ts)
{
	struct tap *t = arg;
	uint8_t *b = (uint8_t *)buf;      /* the test's own licence: the buffer is not ours */
	struct nlmsghdr n;

	(void)ts;
	if (to_kernel)
		return;
	t->in++;
	if (!pthread_equal(pthread_self(), t->self))
		t->wrong_thread++;
	if (t->in != t->corrupt_at || len < sizeof(n) + 4)
		return;
	memcpy(&n, b, sizeof(n));
	for (size_t at = CTNL_NLMSG_HDRLEN + CTNL_NFGEN_HDRLEN; at + 4 <= n.nlmsg_len;) {
		uint16_t l, type;

		memcpy(&l, b + at, 2);
		memcpy(&type, b + at + 2, 2);
		if ((type & 0x3fff) == CTA_STATUS && l == 8) {
			l = 7;             /* a u32 of 3 bytes; the walk still aligns to 8 */
			memcpy(b + at, &l, 2);
			t->corrupted = 1;
			return;
		}
		if (l < 4)
			return;
		at += (l + 3u) & ~3u;
	}
}

struct errs {
	int n, badmsg;
};

static void on_error(const struct ctnl_err *e, const void *msg, size_t len, void *arg)
{
	struct errs *s = arg;

	(void)msg;
	(void)len;
	s->n++;
	s->badmsg += e->code == -EBADMSG;
}

static void test_every_entry_once(void)
{
	struct ctnl_ns *ns;
	struct ctnl_handle *h;
	struct ctnl_ct_msg k;
	struct ctnl_counters c0, c1;
	struct ctnl_err e = { 0 };
	struct tap t = { .self = pthread_self() };
	struct ctnl_open_opts o = { .size = sizeof(o), .tap = tap, .tap_arg = &t };
	struct seen *s = malloc(sizeof(*s));
	uint64_t ids;
	int rc;

	CU_ASSERT_FATAL(s != NULL);
	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, &o);

	/* a small dump and a get: no thread */
	tr_entry4(&k, 17, "10.20.0.1", SPORT0, "10.21.0.1", 53);
	k.ct.timeout = 600;
	TR_OK(ctnl_ct_create(h, &k, &e));
	seen_init(s);
	s->probe_at = 1;
	s->readers = -1;
	CU_ASSERT_EQUAL(ctnl_ct_dump(h, NULL, on_entry, s, &e), 1);
	CU_ASSERT_EQUAL(s->readers, 0);
	seen_init(s);
	s->probe_at = 1;
	s->readers = -1;
	TR_OK(ctnl_ct_get(h, &k, on_entry, s, &e));
	CU_ASSERT_EQUAL(s->n, 1);
	CU_ASSERT_EQUAL(s->readers, 0);
	TR_OK(ctnl_ct_delete(h, &k, &e));

	fill(h);
	ctnl_handle_counters(h, &c0);
	seen_init(s);
	s->probe_at = BIG / 2;
	t.in = 0;
	rc = ctnl_ct_dump(h, NULL, on_entry, s, &e);
	if (rc < 0)
		fprintf(stderr, "dump: %d %s\n", rc, e.what);
	ctnl_handle_counters(h, &c1);
	CU_ASSERT_EQUAL(rc, BIG);
	CU_ASSERT_EQUAL(s->n, BIG);
	CU_ASSERT_EQUAL(s->dup, 0);
	CU_ASSERT_EQUAL(s->stray, 0);
	CU_ASSERT_EQUAL(s->wrong_thread, 0);
	for (int i = 0; i < BIG; i++)
		CU_ASSERT_EQUAL_FATAL(s->hit[i], 1);
	/* the dump was big enough to start the reader, and it was joined */
	CU_ASSERT(t.in > 2);
	CU_ASSERT_EQUAL(t.wrong_thread, 0);
	CU_ASSERT_EQUAL(s->readers, 1);
	CU_ASSERT_EQUAL(readers_left(), 0);
	CU_ASSERT_EQUAL(c1.replies - c0.replies, BIG);
	CU_ASSERT_EQUAL(c1.foreign, c0.foreign);
	CU_ASSERT_EQUAL(c1.malformed, c0.malformed);
	CU_ASSERT_EQUAL(c1.requests - c0.requests, 1);
	/* the same set as conntrack(8) sees, ids included */
	CU_ASSERT_EQUAL(conntrack_ids(ns, &ids), BIG);
	CU_ASSERT_EQUAL(ids, s->idsum);

	/* the same handle again: the ring is reused */
	seen_init(s);
	CU_ASSERT_EQUAL(ctnl_ct_dump(h, NULL, on_entry, s, &e), BIG);
	CU_ASSERT_EQUAL(s->dup, 0);
	CU_ASSERT_EQUAL(readers_left(), 0);
	free(s);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

static int got_one(const struct ctnl_ct_msg *m, void *arg)
{
	*(int *)arg = m->ct.orig.proto.src_port;
	return 0;
}

static void test_stop_then_reuse(void)
{
	struct ctnl_ns *ns;
	struct ctnl_handle *h;
	struct ctnl_ct_msg k;
	struct ctnl_err e = { 0 };
	struct seen *s = malloc(sizeof(*s));
	uint32_t port;
	int sport = 0;

	CU_ASSERT_FATAL(s != NULL);
	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, NULL);
	fill(h);
	port = ctnl_portid(h);
	seen_init(s);
	s->stop_at = 5000;
	CU_ASSERT_EQUAL(ctnl_ct_dump(h, NULL, on_entry, s, &e), 42);
	CU_ASSERT_EQUAL(s->n, 5000);
	CU_ASSERT_EQUAL(s->dup, 0);
	CU_ASSERT_EQUAL(readers_left(), 0);
	/* the half-read dump's socket was replaced */
	CU_ASSERT_NOT_EQUAL(ctnl_portid(h), port);

	tr_entry4(&k, 17, "10.20.0.1", SPORT0 + 777, "10.21.0.1", 53);
	TR_OK(ctnl_ct_get(h, &k, got_one, &sport, &e));
	CU_ASSERT_EQUAL(sport, SPORT0 + 777);
	seen_init(s);
	CU_ASSERT_EQUAL(ctnl_ct_dump(h, NULL, on_entry, s, &e), BIG);
	CU_ASSERT_EQUAL(s->n, BIG);
	CU_ASSERT_EQUAL(s->dup, 0);
	free(s);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

static void test_malformed_in_ring(void)
{
	struct ctnl_ns *ns;
	struct ctnl_handle *h;
	struct ctnl_counters c0, c1;
	struct ctnl_err e = { 0 };
	struct errs es = { 0 };
	struct tap t = { .self = pthread_self(), .corrupt_at = 6 };
	struct ctnl_open_opts o = { .size = sizeof(o), .tap = tap, .tap_arg = &t, .on_error = on_error, .error_arg = &es };
	struct seen *s = malloc(sizeof(*s));

	CU_ASSERT_FATAL(s != NULL);
	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, &o);
	fill(h);
	ctnl_handle_counters(h, &c0);
	seen_init(s);
	t.in = 0;
	CU_ASSERT_EQUAL(ctnl_ct_dump(h, NULL, on_entry, s, &e), BIG - 1);
	ctnl_handle_counters(h, &c1);
	CU_ASSERT_EQUAL(t.corrupted, 1);
	CU_ASSERT_EQUAL(s->n, BIG - 1);
	CU_ASSERT_EQUAL(s->dup, 0);
	CU_ASSERT_EQUAL(c1.malformed - c0.malformed, 1);
	CU_ASSERT_EQUAL(es.badmsg, 1);
	CU_ASSERT_EQUAL(es.n, 1);
	free(s);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

/* The handle's request socket: the netlink socket bound to its port id. */
static int handle_fd(struct ctnl_handle *h)
{
	for (int fd = 3; fd < 1024; fd++) {
		struct sockaddr_nl sa;
		socklen_t sl = sizeof(sa);

		if (getsockname(fd, (struct sockaddr *)&sa, &sl) == 0 && sa.nl_family == AF_NETLINK &&
		    sa.nl_pid == ctnl_portid(h))
			return fd;
	}
	return -1;
}

static void test_timeout_mid_dump(void)
{
	struct ctnl_ns *ns;
	struct ctnl_handle *h;
	struct ctnl_err e = { 0 };
	struct ctnl_open_opts o = { .size = sizeof(o), .read_timeout_ms = 300 };
	struct timeval tv = { .tv_usec = 300 * 1000 };
	struct seen *s = malloc(sizeof(*s));
	int silent, rc;

	CU_ASSERT_FATAL(s != NULL);
	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, &o);
	fill(h);
	/* halfway, the handle's socket number comes to mean a socket nobody
	 * writes to: the next receive waits out the timeout, as on a stuck
	 * kernel; the datagrams already taken are still decoded first */
	silent = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	CU_ASSERT_FATAL(silent >= 0);
	CU_ASSERT_FATAL(setsockopt(silent, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
	seen_init(s);
	s->swap_at = 5000;
	s->swap_from = silent;
	s->swap_to = handle_fd(h);
	CU_ASSERT_FATAL(s->swap_to >= 0);
	rc = ctnl_ct_dump(h, NULL, on_entry, s, &e);
	CU_ASSERT_EQUAL(rc, -ETIMEDOUT);
	CU_ASSERT_EQUAL(e.code, -ETIMEDOUT);
	CU_ASSERT_STRING_EQUAL(e.what, "no reply within 300 ms");
	CU_ASSERT(s->n >= 5000 && s->n < BIG);
	CU_ASSERT_EQUAL(s->dup, 0);
	close(silent);
	/* the reset socket answers again */
	seen_init(s);
	CU_ASSERT_EQUAL(ctnl_ct_dump(h, NULL, on_entry, s, &e), BIG);
	CU_ASSERT_EQUAL(s->dup, 0);
	free(s);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

static CU_TestInfo tests[] = {
	{ "a big dump: every entry once, on the caller's thread", test_every_entry_once },
	{ "a callback stops a big dump; the handle works on", test_stop_then_reuse },
	{ "a malformed entry past the second datagram is skipped", test_malformed_in_ring },
	{ "a timeout in the middle of a big dump", test_timeout_mid_dump },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return tr_main("transport-pipe", tests);
}
