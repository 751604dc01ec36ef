/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Live: what the seed gets wrong.  Replies checked for sequence number
 * and port id; NLMSG_ERROR as -errno with the extended ACK's text and
 * attribute path; a malformed message skipped, the dump going on; the
 * CAP_NET_ADMIN message; a handle usable after its subscription stops or
 * fails; requests and events apart.
 */
#include <linux/capability.h>
#include <linux/netlink.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trutil.h"

struct errs {
	int n, proto, badmsg, enobufs;
	struct ctnl_err last;
};

static void on_error(const struct ctnl_err *e, const void *msg, size_t len, void *arg)
{
	struct errs *s = arg;

	(void)msg;
	(void)len;
	s->n++;
	s->proto += e->code == -EPROTO;
	s->badmsg += e->code == -EBADMSG;
	s->enobufs += e->code == -ENOBUFS;
	s->last = *e;
}

static struct ctnl_handle *open_with_errors(struct ctnl_ns *ns, struct errs *s)
{
	struct ctnl_open_opts o = { .size = sizeof(o), .on_error = on_error, .error_arg = s };

	return tr_open(ns, &o);
}

/* The offset of the first top-level attribute of @type in a message. */
static size_t attr_at(const uint8_t *msg, size_t len, uint16_t type)
{
	for (size_t at = 20; at + 4 <= len;) {
		uint16_t l, t;

		memcpy(&l, msg + at, 2);
		memcpy(&t, msg + at + 2, 2);
		if ((t & 0x3fff) == type)
			return at;
		at += (l + 3u) & ~3u;
	}
	return 0;
}

static void test_stale_reply_seq(void)
{
	struct ctnl_ns *ns;
	struct errs s = { 0 };
	struct ctnl_handle *h;
	struct ctnl_ct_msg m;
	struct ctnl_counters c;
	struct ctnl_err e = { 0 };
	uint8_t buf[2048];
	size_t l1, l2;

	TR_OK(ctnl_ns_create(&ns));
	h = open_with_errors(ns, &s);
	/* two requests in one datagram: a get (its seq set by ctnl_request)
	 * and a delete of a missing entry with seq 4242; the delete's
	 * -ENOENT stays in the socket after ctnl_request returns */
	tr_entry4(&m, 6, "10.5.0.1", 1, "10.5.0.2", 2);
	TR_OK(ctnl_ct_create(h, &m, &e));
	m.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET;
	m.hdr.flags = NLM_F_REQUEST | NLM_F_ACK;
	TR_OK(ctnl_ct_encode(&m, buf, sizeof(buf), &l1, &e));
	tr_entry4(&m, 6, "10.5.9.9", 1, "10.5.9.8", 2);
	m.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE;
	m.hdr.flags = NLM_F_REQUEST | NLM_F_ACK;
	m.hdr.seq = 4242;
	m.hdr.pid = ctnl_portid(h);
	TR_OK(ctnl_ct_encode(&m, buf + l1, sizeof(buf) - l1, &l2, &e));
	TR_OK(ctnl_request(h, buf, l1 + l2, NULL, NULL, &e));
	/* if replies were not matched by seq, this create would "fail" with
	 * the stale ENOENT */
	tr_entry4(&m, 17, "10.5.0.3", 3, "10.5.0.4", 4);
	TR_OK(ctnl_ct_create(h, &m, &e));
	ctnl_handle_counters(h, &c);
	CU_ASSERT_EQUAL(c.foreign, 1);
	CU_ASSERT_EQUAL(s.proto, 1);
	CU_ASSERT(strstr(s.last.what, "seq 4242") != NULL);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

static int learn_seq(const struct ctnl_ct_msg *m, void *arg)
{
	*(uint32_t *)arg = m->hdr.seq;
	return 0;
}

static void test_forged_reply_port(void)
{
	struct ctnl_ns *ns;
	struct errs s = { 0 };
	struct ctnl_handle *h;
	struct ctnl_ct_msg m;
	struct ctnl_counters c;
	struct ctnl_err e = { 0 };
	uint32_t seq = 0;
	struct {
		struct nlmsghdr n;
		int32_t error;
		struct nlmsghdr req;
	} fake;
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	int fd;

	TR_OK(ctnl_ns_create(&ns));
	h = open_with_errors(ns, &s);
	tr_entry4(&m, 6, "10.6.0.1", 1, "10.6.0.2", 2);
	TR_OK(ctnl_ct_create(h, &m, &e));
	TR_OK(ctnl_ct_get(h, &m, learn_seq, &seq, &e));
	CU_ASSERT(seq != 0);
	/* another process's socket forges "EEXIST" for the next request,
	 * with the right seq and port id: only the sender port betrays it */
	fd = ctnl_ns_socket(ns, AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	CU_ASSERT_FATAL(fd >= 0);
	memset(&fake, 0, sizeof(fake));
	fake.n.nlmsg_len = sizeof(fake);
	fake.n.nlmsg_type = NLMSG_ERROR;
	fake.n.nlmsg_seq = seq + 1;
	fake.n.nlmsg_pid = ctnl_portid(h);
	fake.error = -EEXIST;
	to.nl_pid = ctnl_portid(h);
	CU_ASSERT_EQUAL(sendto(fd, &fake, sizeof(fake), 0, (struct sockaddr *)&to, sizeof(to)), (ssize_t)sizeof(fake));
	close(fd);
	tr_entry4(&m, 17, "10.6.0.3", 3, "10.6.0.4", 4);
	TR_OK(ctnl_ct_create(h, &m, &e));
	ctnl_handle_counters(h, &c);
	CU_ASSERT_EQUAL(c.foreign, 1);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

static void test_ext_ack_path(void)
{
	struct ctnl_ns *ns;
	struct ctnl_handle *h;
	struct ctnl_ct_msg m;
	struct ctnl_err e = { 0 };
	uint8_t buf[1024];
	size_t len, at;
	uint16_t t = CTA_TIMEOUT;
	char path[64];

	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, NULL);
	/* a create whose 2-byte CTA_ZONE is retyped CTA_TIMEOUT (a u32):
	 * the kernel's policy check answers -ERANGE with an offset */
	tr_entry4(&m, 6, "10.7.0.1", 1, "10.7.0.2", 2);
	m.ct.present &= ~(1u << CTA_TIMEOUT);
	tr_set_zone(&m, 3);
	m.hdr.type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW;
	m.hdr.flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	TR_OK(ctnl_ct_encode(&m, buf, sizeof(buf), &len, &e));
	at = attr_at(buf, len, CTA_ZONE);
	CU_ASSERT_FATAL(at != 0);
	memcpy(buf + at + 2, &t, 2);
	CU_ASSERT_EQUAL(ctnl_request(h, buf, len, NULL, NULL, &e), -ERANGE);
	CU_ASSERT_EQUAL(e.code, -ERANGE);
	CU_ASSERT_EQUAL(e.offset, at);
	CU_ASSERT_STRING_EQUAL(e.path, "timeout");
	CU_ASSERT_EQUAL(e.attr_type, CTA_TIMEOUT);
	CU_ASSERT(strstr(e.what, "policy") != NULL);
	fprintf(stderr, "ext-ack: code %d offset %u path %s: %s\n", e.code, e.offset, e.path, e.what);

	/* the path walker alone, inside a nest */
	TR_OK(ctnl_ct_encode(&m, buf, sizeof(buf), &len, &e));
	at = attr_at(buf, len, CTA_TUPLE_ORIG);
	/* orig{ ip{v4-src, v4-dst}, proto{num, src-port, dst-port} }:
	 * 4 (orig) + 4 (ip) + 8 + 8 + 4 (proto) + 8 (num) = src-port */
	CU_ASSERT_EQUAL(ctnl_path_at_offset(ctnl_ct_desc(), buf, len, (uint32_t)(at + 36), path, sizeof(path), &t), 3);
	CU_ASSERT_STRING_EQUAL(path, "orig.proto.src-port");
	CU_ASSERT_EQUAL(ctnl_path_at_offset(ctnl_ct_desc(), buf, len, 4, path, sizeof(path), NULL), -ENOENT);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

static int raw_keep(const void *msg, size_t len, void *arg)
{
	struct { uint8_t b[8192]; size_t len; } *r = arg;

	if (r->len + len <= sizeof(r->b)) {
		memcpy(r->b + r->len, msg, len);
		r->len += (len + 3) & ~(size_t)3;
	}
	return 0;
}

static void test_malformed_skipped(void)
{
	struct ctnl_ns *ns;
	struct errs s = { 0 };
	struct ctnl_handle *h;
	struct ctnl_ct_msg m;
	struct ctnl_err e = { 0 };
	struct { uint8_t b[8192]; size_t len; } raw = { .len = 0 };
	uint8_t req[20] = { 20, 0, 0, 0, 1, 1, 0x01, 0x03 };
	int n = 0;
	size_t second, at;

	TR_OK(ctnl_ns_create(&ns));
	h = open_with_errors(ns, &s);
	for (int i = 0; i < 3; i++) {
		char src[16];

		snprintf(src, sizeof(src), "10.8.0.%d", i + 1);
		tr_entry4(&m, 17, src, 1000, "10.8.1.1", 53);
		TR_OK(ctnl_ct_create(h, &m, &e));
	}
	/* the kernel's own dump bytes, through the raw request path */
	TR_OK(ctnl_request(h, req, sizeof(req), raw_keep, &raw, &e));
	/* break the second entry: its orig src-port attribute says 3 bytes */
	{
		uint32_t l0;

		memcpy(&l0, raw.b, 4);
		second = (l0 + 3u) & ~3u;
	}
	at = attr_at(raw.b + second, raw.len - second, CTA_TUPLE_ORIG);
	CU_ASSERT_FATAL(at != 0);
	raw.b[second + at + 36] = 7;       /* nla_len of orig.proto.src-port: 6 -> 7 */
	/* the same path a live dump takes: reported, skipped, the dump goes on */
	CU_ASSERT_EQUAL(ctnl_ct_replay(h, raw.b, raw.len, tr_count_cb, &n, &e), 2);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(s.badmsg, 1);
	CU_ASSERT_STRING_EQUAL(s.last.path, "orig.proto.src-port");
	CU_ASSERT_EQUAL(s.last.msg_index, 1);
	/* and live: a dump after that still works */
	n = 0;
	CU_ASSERT_EQUAL(ctnl_ct_dump(h, NULL, tr_count_cb, &n, &e), 3);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

static int ev_noop(const struct ctnl_event *ev, void *arg)
{
	(void)ev;
	(void)arg;
	return 0;
}

static void test_cap_net_admin(void)
{
	struct ctnl_ns *ns;
	pid_t pid;
	int st;

	TR_OK(ctnl_ns_create(&ns));
	fflush(NULL);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		struct __user_cap_header_struct hd = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];
		struct ctnl_open_opts o = { .size = sizeof(o), .netns_fd = ns->fd };
		struct ctnl_handle *h;
		struct ctnl_err e = { 0 };
		int rc;

		/* drop CAP_NET_ADMIN, keep CAP_SYS_ADMIN (for setns) */
		if (syscall(SYS_capget, &hd, d) < 0)
			_exit(10);
		d[0].effective &= ~(1u << CAP_NET_ADMIN);
		d[0].permitted &= ~(1u << CAP_NET_ADMIN);
		if (syscall(SYS_capset, &hd, d) < 0)
			_exit(11);
		if (ctnl_open(&h, &o, &e) < 0)
			_exit(12);
		rc = ctnl_ct_dump(h, NULL, NULL, NULL, &e);
		fprintf(stderr, "without CAP_NET_ADMIN: %d %s\n", rc, e.what);
		if (rc != -EPERM || !strstr(e.what, "setcap cap_net_admin=+ep"))
			_exit(13);
		rc = ctnl_event_register(h, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_NEW, ev_noop, NULL,
					 NULL, &e);
		fprintf(stderr, "register without CAP_NET_ADMIN: %d %s\n", rc, e.what);
		if (rc != -EPERM || !strstr(e.what, "setcap cap_net_admin=+ep"))
			_exit(14);
		ctnl_close(h);
		_exit(0);
	}
	CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fprintf(stderr, "child status %d\n", WEXITSTATUS(st));
	ctnl_ns_destroy(ns);
}

static int stop_after(const struct ctnl_event *ev, void *arg)
{
	(void)ev;
	return --*(int *)arg == 0 ? 5 : 0;
}

static void test_handle_survives_subscription(void)
{
	struct ctnl_ns *ns;
	struct ctnl_handle *h;
	struct ctnl_ct_msg m;
	struct ctnl_err e = { 0 };
	struct ctnl_bpf_insn bad[1] = { { 0xffff, 0, 0, 0 } };
	struct ctnl_event_opts eo = { .size = sizeof(eo), .bpf = bad, .bpf_len = 1 };
	int left = 2, n = 0;

	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, NULL);
	alarm(20);                         /* close must never hang (seed B1) */
	/* a subscription that fails leaves nothing behind */
	CU_ASSERT(ctnl_event_register(h, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_ALL, stop_after, &left, &eo, &e) < 0);
	CU_ASSERT_EQUAL(ctnl_event_fd(h), -ENOENT);
	tr_entry4(&m, 6, "10.9.0.1", 1, "10.9.0.2", 2);
	TR_OK(ctnl_ct_create(h, &m, &e));
	CU_ASSERT_EQUAL(ctnl_ct_dump(h, NULL, tr_count_cb, &n, &e), 1);
	/* a working one, stopped by its callback after two events */
	TR_OK(ctnl_event_register(h, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_ALL, stop_after, &left, NULL, &e));
	tr_entry4(&m, 6, "10.9.0.3", 3, "10.9.0.4", 4);
	TR_OK(ctnl_ct_create(h, &m, &e));
	tr_set_mark(&m, 1);
	TR_OK(ctnl_ct_update(h, &m, &e));
	CU_ASSERT_EQUAL(ctnl_event_run(h, 2000, &e), 5);
	/* requests still work (seed B2 left a read deadline in the past) */
	n = 0;
	CU_ASSERT_EQUAL(ctnl_ct_dump(h, NULL, tr_count_cb, &n, &e), 2);
	TR_OK(ctnl_event_unregister(h));
	CU_ASSERT_EQUAL(ctnl_event_unregister(h), -ENOENT);
	left = 1;
	TR_OK(ctnl_event_register(h, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_DESTROY, stop_after, &left, NULL, &e));
	TR_OK(ctnl_ct_delete(h, &m, &e));
	CU_ASSERT_EQUAL(ctnl_event_run(h, 2000, &e), 5);
	ctnl_close(h);                     /* subscribed: returns at once */
	alarm(0);
	ctnl_ns_destroy(ns);
}

struct mix {
	int events, entries;
};

static int count_events(const struct ctnl_event *ev, void *arg)
{
	((struct mix *)arg)->events += ev->ct != NULL;
	return 0;
}

static void test_requests_and_events_apart(void)
{
	struct ctnl_ns *ns;
	struct ctnl_handle *h;
	struct ctnl_ct_msg m;
	struct ctnl_err e = { 0 };
	struct mix x = { 0, 0 };
	struct ctnl_counters c;

	TR_OK(ctnl_ns_create(&ns));
	h = tr_open(ns, NULL);
	TR_OK(ctnl_event_register(h, CTNL_TABLE_CONNTRACK, CTNL_EV_CT_ALL, count_events, &x, NULL, &e));
	for (int i = 0; i < 3; i++) {
		char src[16];

		snprintf(src, sizeof(src), "10.10.0.%d", i + 1);
		tr_entry4(&m, 17, src, 1, "10.10.1.1", 2);
		TR_OK(ctnl_ct_create(h, &m, &e));
	}
	/* the events of those creates wait on the event socket; the dump
	 * sees exactly the three entries */
	CU_ASSERT_EQUAL(ctnl_ct_dump(h, NULL, tr_count_cb, &x.entries, &e), 3);
	CU_ASSERT_EQUAL(x.entries, 3);
	CU_ASSERT_EQUAL(ctnl_event_process(h, NULL, &e), 3);
	CU_ASSERT_EQUAL(x.events, 3);
	ctnl_handle_counters(h, &c);
	CU_ASSERT_EQUAL(c.foreign, 0);
	CU_ASSERT_EQUAL(c.malformed, 0);
	ctnl_close(h);
	ctnl_ns_destroy(ns);
}

static CU_TestInfo tests[] = {
	{ "a stale reply (foreign seq) is dropped and reported", test_stale_reply_seq },
	{ "a forged reply (not from the kernel) is dropped", test_forged_reply_port },
	{ "NLMSG_ERROR: -errno, ext-ack text, offset -> path", test_ext_ack_path },
	{ "a malformed message is reported and skipped", test_malformed_skipped },
	{ "without CAP_NET_ADMIN the error names the fix", test_cap_net_admin },
	{ "a handle survives a failed or stopped subscription", test_handle_survives_subscription },
	{ "requests and events never mix", test_requests_and_events_apart },
	CU_TEST_INFO_NULL,
};

int main(void)
{
	return tr_main("transport-errors", tests);
}
