/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The transport's benchmarks, in the current network namespace (run it
 * inside a throwaway one: bench/transport.sh does).
 *
 *   dump_bench fill N        create N UDP entries with batched requests
 *   dump_bench dump R        time streaming dumps of the whole table in R
 *                            interleaved rounds, each run in a child process
 *                            whose peak RSS is reported:
 *                              ctnl_ct_dump with a counting callback,
 *                              libnetfilter_conntrack nfct_query dump,
 *                              a receive-only floor (same request, bytes
 *                              read and thrown away)
 *   dump_bench floor 0       one receive-only dump, nothing printed: the floor
 *                            as a whole process, to time like a command
 *   dump_bench rss N         peak RSS of a ctnl streaming dump of the table
 *   dump_bench batch N       entries per second: create N with batches,
 *                            delete N with batches, create N one request
 *                            at a time (each waits for its ACK)
 *   dump_bench storm N       N batched creates while subscribed with
 *                            default settings: events received, created,
 *                            ENOBUFS, resync
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include <ctnl/conntrack.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct ctnl_handle *open_h(void)
{
	struct ctnl_open_opts o = { .size = sizeof(o) };
	struct ctnl_handle *h;
	struct ctnl_err e = { 0 };

	if (ctnl_open(&h, &o, &e) < 0) {
		fprintf(stderr, "ctnl_open: %s\n", e.what);
		exit(1);
	}
	return h;
}

static void entry(struct ctnl_ct_msg *m, long i)
{
	struct ctnl_ct_tuple *t[2] = { &m->ct.orig, &m->ct.reply };
	uint32_t src = htonl(0x0a000000u + (uint32_t)(i / 50000) * 256 + 1), dst = htonl(0x0b000001u);
	uint16_t sport = (uint16_t)(1024 + i % 50000);

	ctnl_ct_init(m);
	m->hdr.family = AF_INET;
	for (int k = 0; k < 2; k++) {
		t[k]->present = 1u << CTA_TUPLE_IP | 1u << CTA_TUPLE_PROTO;
		t[k]->ip.present = 1u << CTA_IP_V4_SRC | 1u << CTA_IP_V4_DST;
		memcpy(t[k]->ip.v4_src, k ? &dst : &src, 4);
		memcpy(t[k]->ip.v4_dst, k ? &src : &dst, 4);
		t[k]->proto.present = 1u << CTA_PROTO_NUM | 1u << CTA_PROTO_SRC_PORT | 1u << CTA_PROTO_DST_PORT;
		t[k]->proto.num = 17;
		t[k]->proto.src_port = k ? 53 : sport;
		t[k]->proto.dst_port = k ? sport : 53;
	}
	m->ct.present = 1u << CTA_TUPLE_ORIG | 1u << CTA_TUPLE_REPLY | 1u << CTA_TIMEOUT | 1u << CTA_STATUS;
	m->ct.timeout = 3600;
	m->ct.status = IPS_CONFIRMED;
}

static struct ctnl_ct_msg *entries(long n, long base)
{
	struct ctnl_ct_msg *m = malloc((size_t)n * sizeof(*m));

	if (!m) {
		perror("malloc");
		exit(1);
	}
	for (long i = 0; i < n; i++)
		entry(&m[i], base + i);
	return m;
}

static int fill(long n)
{
	struct ctnl_handle *h = open_h();
	struct ctnl_ct_msg *m = entries(n, 0);
	struct ctnl_err e = { 0 };
	int ok = ctnl_ct_batch(h, CTNL_BATCH_CREATE, m, (size_t)n, NULL, &e);

	if (ok != n)
		fprintf(stderr, "fill: %d of %ld created (%s)\n", ok, n, e.what);
	free(m);
	ctnl_close(h);
	return ok == n ? 0 : 1;
}

/* ---- the dumps ---- */

static int count_ct(const struct ctnl_ct_msg *m, void *arg)
{
	(void)m;
	(*(long *)arg)++;
	return 0;
}

static long dump_ctnl(void)
{
	struct ctnl_handle *h = open_h();
	struct ctnl_err e = { 0 };
	long n = 0;

	if (ctnl_ct_dump(h, NULL, count_ct, &n, &e) < 0)
		fprintf(stderr, "dump: %s\n", e.what);
	ctnl_close(h);
	return n;
}

/* Peak RSS at a count: the callback stops the dump there. */
static int stop_at(const struct ctnl_ct_msg *m, void *arg)
{
	(void)m;
	return --*(long *)arg <= 0;
}

static long dump_ctnl_until(long k)
{
	struct ctnl_handle *h = open_h();
	struct ctnl_err e = { 0 };
	long left = k;

	ctnl_ct_dump(h, NULL, stop_at, &left, &e);
	ctnl_close(h);
	return k - left;
}

static int nfct_count(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *arg)
{
	(void)type;
	(void)ct;
	(*(long *)arg)++;
	return NFCT_CB_CONTINUE;
}

static long dump_nfct(void)
{
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	uint32_t family = AF_UNSPEC;
	long n = 0;

	if (!h) {
		perror("nfct_open");
		return -1;
	}
	nfct_callback_register(h, NFCT_T_ALL, nfct_count, &n);
	if (nfct_query(h, NFCT_Q_DUMP, &family) < 0)
		perror("nfct_query");
	nfct_close(h);
	return n;
}

/* The floor: the same request, every datagram read and thrown away
 * (only the end is looked for). */
static long dump_floor(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	uint8_t req[20] = { 0 };
	struct nlmsghdr *n = (struct nlmsghdr *)req;
	static uint8_t buf[128 * 1024];
	long bytes = 0;

	n->nlmsg_len = 20;
	n->nlmsg_type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET;
	n->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	n->nlmsg_seq = 1;
	if (fd < 0 || sendto(fd, req, sizeof(req), 0, (struct sockaddr *)&k, sizeof(k)) < 0) {
		perror("floor");
		return -1;
	}
	for (;;) {
		ssize_t r = recv(fd, buf, sizeof(buf), 0);
		size_t at = 0;
		int done = 0;

		if (r <= 0)
			break;
		bytes += r;
		/* find NLMSG_DONE: only headers are read */
		while (at + 16 <= (size_t)r) {
			struct nlmsghdr h;

			memcpy(&h, buf + at, sizeof(h));
			if (h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR)
				done = 1;
			if (h.nlmsg_len < 16)
				break;
			at += (h.nlmsg_len + 3u) & ~3u;
		}
		if (done)
			break;
	}
	close(fd);
	return bytes;
}

/* One run of f (or of dump_ctnl_until(arg)) in a child: its time in
 * seconds (-1 if it failed), result and peak RSS (KiB). */
static double run_child(long (*f)(void), long arg, long *result, long *rss)
{
	int p[2];
	pid_t pid;
	struct rusage ru;
	int st;
	double t[2] = { 0, 0 };

	if (pipe(p) < 0)
		exit(1);
	pid = fork();
	if (pid == 0) {
		double t0 = now();
		long res = f ? f() : dump_ctnl_until(arg);

		t[0] = now() - t0;
		t[1] = (double)res;
		if (write(p[1], t, sizeof(t)) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], t, sizeof(t)) != sizeof(t))
		t[0] = -1;
	close(p[0]);
	wait4(pid, &st, 0, &ru);
	*result = (long)t[1];
	*rss = ru.ru_maxrss;
	return t[0];
}

static void report(const char *name, double best, long result, long rss)
{
	printf("%-34s %9.1f ms  result %-9ld peak RSS %6.2f MiB\n", name, best * 1e3, result, (double)rss / 1024);
	fflush(stdout);
}

/* Peak RSS and time of one ctnl dump that stops after k entries. */
static void measure_rss(long k)
{
	long result, rss;
	double t = run_child(NULL, k, &result, &rss);

	report("ctnl streaming dump, first N", t, result, rss);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The dump contenders in interleaved rounds (floor, ctnl, nfct, floor,
 * ...), each run in its own process: a slow spell of the machine then
 * hits every contender alike instead of one contender's whole series.
 * Printed: each one's best time, and each ratio to the floor both as
 * best over best and as the median of the rounds' own ratios.
 */
#define ROUNDS_MAX 31

static void measure_dump(int rounds)
{
	static const struct {
		const char *name;
		long (*f)(void);
	} who[] = {
		{ "receive-only floor (bytes)", dump_floor },
		{ "ctnl_ct_dump, counting callback", dump_ctnl },
		{ "nfct_query dump, counting callback", dump_nfct },
	};
	enum { N = sizeof(who) / sizeof(who[0]) };
	double t[N][ROUNDS_MAX], best[N];
	long result[N] = { 0 }, rss[N] = { 0 };

	if (rounds > ROUNDS_MAX)
		rounds = ROUNDS_MAX;
	for (int i = 0; i < N; i++)
		best[i] = 1e9;
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < N; i++) {
			long res, m;

			t[i][r] = run_child(who[i].f, 0, &res, &m);
			if (t[i][r] >= 0 && t[i][r] < best[i]) {
				best[i] = t[i][r];
				result[i] = res;
			}
			if (m > rss[i])
				rss[i] = m;
		}
	}
	for (int i = 0; i < N; i++)
		report(who[i].name, best[i], result[i], rss[i]);
	for (int i = 1; i < N; i++) {
		double q[ROUNDS_MAX];

		for (int r = 0; r < rounds; r++)
			q[r] = t[i][r] / t[0][r];
		qsort(q, (size_t)rounds, sizeof(q[0]), cmp_double);
		printf("%-34s %9.2fx the floor (best over best), %.2fx (median of %d rounds)\n", who[i].name,
		       best[i] / best[0], q[rounds / 2], rounds);
	}
	fflush(stdout);
}

/* ---- batches ---- */

static int batch(long n)
{
	struct ctnl_handle *h = open_h();
	struct ctnl_ct_msg *m = entries(n, 1000000);
	struct ctnl_err e = { 0 };
	double t0;
	int ok;

	t0 = now();
	ok = ctnl_ct_batch(h, CTNL_BATCH_CREATE, m, (size_t)n, NULL, &e);
	printf("%-34s %9.0f entries/s (%d of %ld)\n", "ctnl batched create", (double)n / (now() - t0), ok, n);
	t0 = now();
	ok = ctnl_ct_batch(h, CTNL_BATCH_DELETE, m, (size_t)n, NULL, &e);
	printf("%-34s %9.0f entries/s (%d of %ld)\n", "ctnl batched delete", (double)n / (now() - t0), ok, n);
	t0 = now();
	ok = 0;
	for (long i = 0; i < n; i++)
		ok += ctnl_ct_create(h, &m[i], &e) == 0;
	printf("%-34s %9.0f entries/s (%d of %ld)\n", "ctnl one request per entry", (double)n / (now() - t0), ok, n);
	t0 = now();
	ok = 0;
	for (long i = 0; i < n; i++)
		ok += ctnl_ct_delete(h, &m[i], &e) == 0;
	printf("%-34s %9.0f entries/s (%d of %ld)\n", "ctnl one delete per entry", (double)n / (now() - t0), ok, n);
	free(m);
	ctnl_close(h);
	return 0;
}

/* ---- storm ---- */

struct storm {
	long n, events, enobufs, resync;
	int accepted;
	struct ctnl_ct_msg *m;
};

static int on_event(const struct ctnl_event *ev, void *arg)
{
	struct storm *s = arg;

	if (ev->resync)
		s->resync++;
	else
		s->events++;
	return s->events >= s->n;
}

static void on_error(const struct ctnl_err *e, const void *msg, size_t len, void *arg)
{
	(void)msg;
	(void)len;
	if (e->code == -ENOBUFS)
		((struct storm *)arg)->enobufs++;
}

static void *creator(void *arg)
{
	struct storm *s = arg;
	struct ctnl_handle *h = open_h();
	struct ctnl_err e = { 0 };

	s->accepted = ctnl_ct_batch(h, CTNL_BATCH_CREATE, s->m, (size_t)s->n, NULL, &e);
	ctnl_close(h);
	return NULL;
}

static int storm(long n)
{
	struct storm s = { .n = n };
	struct ctnl_open_opts o = { .size = sizeof(o), .on_error = on_error, .error_arg = &s };
	struct ctnl_event_opts eo = { .size = sizeof(eo), .resync = 1 };
	struct ctnl_handle *l;
	struct ctnl_err e = { 0 };
	pthread_t t;
	double t0;

	s.m = entries(n, 2000000);
	if (ctnl_open(&l, &o, &e) < 0 ||
	    ctnl_event_register(l, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_NEW, on_event, &s, &eo, &e) < 0) {
		fprintf(stderr, "storm: %s\n", e.what);
		return 1;
	}
	t0 = now();
	pthread_create(&t, NULL, creator, &s);
	while (s.events < n && ctnl_event_run(l, 3000, &e) > 0)
		;
	pthread_join(t, NULL);
	printf("storm: %d created, %ld events received, %ld ENOBUFS reported, %ld resync events, %.0f ms%s\n",
	       s.accepted, s.events, s.enobufs, s.resync, (now() - t0) * 1e3,
	       s.events + s.resync >= s.accepted ? "" : "  (LOST)");
	ctnl_close(l);
	free(s.m);
	return s.events + s.resync >= s.accepted ? 0 : 1;
}

int main(int argc, char **argv)
{
	long n;

	if (argc != 3) {
		fprintf(stderr, "usage: dump_bench fill|dump|floor|rss|batch|storm N\n");
		return 2;
	}
	n = atol(argv[2]);
	if (!strcmp(argv[1], "fill"))
		return fill(n);
	if (!strcmp(argv[1], "dump")) {
		measure_dump(n > 0 ? (int)n : 7);
		return 0;
	}
	if (!strcmp(argv[1], "floor"))
		return dump_floor() > 0 ? 0 : 1;
	if (!strcmp(argv[1], "rss")) {
		measure_rss(n);
		return 0;
	}
	if (!strcmp(argv[1], "batch"))
		return batch(n);
	if (!strcmp(argv[1], "storm"))
		return storm(n);
	fprintf(stderr, "dump_bench: unknown mode %s\n", argv[1]);
	return 2;
}
