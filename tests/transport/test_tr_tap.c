/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Live: the tap sees a handle's whole conversation.  Every buffer sent
 * (single requests and batches) and received (replies, ACKs, dump parts,
 * NLMSG_DONE, events on the event socket) reaches ctnl_open_opts.tap with
 * its direction; ctnl_pcap_tap() writes them as nlmon records that read
 * back byte for byte, with every reply matched to its request, and that
 * tshark dissects as netlink netfilter without complaint.
 */
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netlink.h>

#include <ctnl/pcap.h>

#include "trutil.h"

#define MAX_BUFS 512

struct rec {
	uint8_t *buf;
	size_t len;
	int to_kernel;
};

struct tapped {
	struct rec r[MAX_BUFS];
	unsigned n;
	struct ctnl_pcap_writer *w;
};

static void tap(void *arg, const void *buf, size_t len, int to_kernel, const struct timespec *ts)
{
	struct tapped *t = arg;

	CU_ASSERT_PTR_NOT_NULL(ts);
	if (t->n < MAX_BUFS) {
		t->r[t->n].buf = malloc(len);
		memcpy(t->r[t->n].buf, buf, len);
		t->r[t->n].len = len;
		t->r[t->n].to_kernel = to_kernel;
		t->n++;
	}
	ctnl_pcap_tap(t->w, buf, len, to_kernel, ts);
}

static int count_event(const struct ctnl_event *ev, void *arg)
{
	(void)ev;
	(*(int *)arg)++;
	return 0;
}

/* Messages in a buffer, and whether each has NLM_F_REQUEST as it should. */
static unsigned count_msgs(const struct rec *r, unsigned *wrong_dir)
{
	struct ctnl_stream s;
	const uint8_t *m;
	size_t ml;
	unsigned n = 0;

	ctnl_stream_init(&s, r->buf, r->len);
	while (ctnl_stream_next(&s, &m, &ml, NULL) == 1) {
		struct nlmsghdr h;

		memcpy(&h, m, sizeof(h));
		if (!!(h.nlmsg_flags & NLM_F_REQUEST) != r->to_kernel)
			(*wrong_dir)++;
		n++;
	}
	return n;
}

static char *run_tshark(const char *path, const char *a1, const char *a2)
{
	char cmd[512];
	FILE *p;
	char *out = NULL;
	size_t cap = 0, len = 0;
	char chunk[4096];
	size_t k;

	snprintf(cmd, sizeof(cmd), "tshark -n -r '%s' %s %s 2>/dev/null", path, a1, a2);
	p = popen(cmd, "r");
	if (!p)
		return strdup("");
	while ((k = fread(chunk, 1, sizeof(chunk), p)) > 0) {
		if (len + k + 1 > cap) {
			cap = (len + k + 1) * 2;
			out = realloc(out, cap);
		}
		memcpy(out + len, chunk, k);
		len += k;
	}
	pclose(p);
	if (!out)
		return strdup("");
	out[len] = '\0';
	return out;
}

static void test_tap_records_everything(void)
{
	static struct tapped t;
	char path[] = "/tmp/ctnl-tap-XXXXXX";
	struct ctnl_open_opts o = { .size = sizeof(o), .tap = tap, .tap_arg = &t };
	struct ctnl_ns *ns;
	struct ctnl_handle *h;
	struct ctnl_ct_msg m, b[3];
	struct ctnl_err e = { 0 };
	struct ctnl_counters c;
	struct ctnl_pcap_reader *r;
	struct ctnl_pcap_msg pm;
	struct ctnl_pcap_stats st;
	uint64_t last_rec = 0;
	unsigned sent_msgs = 0, wrong_dir = 0, sends = 0, recvs = 0, i, same = 0;
	int fd, events = 0, n = 0, rc;

	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	TR_OK(ctnl_pcap_writer_fdopen(fd, &t.w, NULL));
	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, &o);

	/* an event subscription (before the entries, which then carry the
	 * event extension), single requests, a get, a batch, a dump */
	TR_OK(ctnl_event_register(h, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_ALL, count_event, &events, NULL, &e));
	tr_entry4(&m, 6, "10.0.0.1", 1000, "10.0.0.2", 80);
	tr_set_mark(&m, 7);
	TR_OK(ctnl_ct_create(h, &m, &e));
	TR_OK(ctnl_ct_get(h, &m, tr_count_cb, &n, &e));
	CU_ASSERT_EQUAL(n, 1);
	for (i = 0; i < 3; i++)
		tr_entry4(&b[i], 17, "10.0.1.1", (uint16_t)(2000 + i), "10.0.1.2", 53);
	CU_ASSERT_EQUAL(ctnl_ct_batch(h, CTNL_BATCH_CREATE, b, 3, NULL, &e), 3);
	n = 0;
	CU_ASSERT_EQUAL(ctnl_ct_dump(h, NULL, tr_count_cb, &n, &e), 4);
	TR_OK(ctnl_ct_delete(h, &m, &e));
	CU_ASSERT_EQUAL(ctnl_event_run(h, 300, &e), 0);
	CU_ASSERT_EQUAL(events, 5);           /* 4 NEW, 1 DESTROY */
	ctnl_handle_counters(h, &c);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
	TR_OK(ctnl_pcap_writer_close(t.w));

	for (i = 0; i < t.n; i++) {
		unsigned k = count_msgs(&t.r[i], &wrong_dir);

		if (t.r[i].to_kernel) {
			sends++;
			sent_msgs += k;
		} else {
			recvs++;
		}
	}
	CU_ASSERT_EQUAL(wrong_dir, 0);
	/* create, get, one batch datagram, dump, delete */
	CU_ASSERT_EQUAL(sends, 5);
	CU_ASSERT_EQUAL(sent_msgs, c.requests);
	CU_ASSERT(recvs >= 1 + 2 + 1 + 2 + 1 + 1);

	/* the capture holds the same buffers, record by record */
	TR_OK(ctnl_pcap_open(path, NULL, &r, NULL));
	while ((rc = ctnl_pcap_next(r, &pm, NULL)) != 0) {
		CU_ASSERT_EQUAL(rc, 1);
		if (rc < 0)
			break;
		if (pm.record != last_rec) {
			const struct rec *x = pm.record <= t.n ? &t.r[pm.record - 1] : NULL;

			last_rec = pm.record;
			if (x && pm.index == 0 && x->len >= pm.len && memcmp(x->buf, pm.raw, pm.len) == 0)
				same++;
		}
		if (pm.role == CTNL_ROLE_EVENT)
			CU_ASSERT(pm.hdr.type == (IPCTNL_MSG_CT_NEW | NFNL_SUBSYS_CTNETLINK << 8) ||
				  pm.hdr.type == (IPCTNL_MSG_CT_DELETE | NFNL_SUBSYS_CTNETLINK << 8));
	}
	ctnl_pcap_stats(r, &st);
	ctnl_pcap_close(r);
	CU_ASSERT_EQUAL(st.records, t.n);
	CU_ASSERT_EQUAL(same, t.n);
	CU_ASSERT_EQUAL(st.records_bad, 0);
	CU_ASSERT_EQUAL(st.requests, c.requests);
	CU_ASSERT_EQUAL(st.replies_unmatched, 0);
	CU_ASSERT_EQUAL(st.events, (uint64_t)events);

	/* tshark: netlink netfilter, nothing malformed */
	if (system("command -v tshark >/dev/null 2>&1") == 0) {
		char *proto = run_tshark(path, "-T fields", "-e frame.protocols");
		char *bad = run_tshark(path, "-Y", "'_ws.malformed || _ws.expert.severity >= warning'");

		CU_ASSERT_PTR_NOT_NULL(strstr(proto, "netlink:netlink-netfilter"));
		CU_ASSERT_EQUAL(bad[0], '\0');
		if (bad[0])
			fprintf(stderr, "tshark complains:\n%s\n", bad);
		free(proto);
		free(bad);
	}
	for (i = 0; i < t.n; i++)
		free(t.r[i].buf);
	unlink(path);
}

int main(void)
{
	CU_TestInfo tests[] = {
		{ "the tap records every buffer sent and received", test_tap_records_everything },
		CU_TEST_INFO_NULL,
	};

	return tr_main("transport tap", tests);
}
