/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Running a parsed conntrack(8)-style command on a transport handle.
 *
 * Each command does what conntrack 1.4.7 does, through ctnl's transport,
 * and reports failures with its words ("Operation failed: such conntrack
 * doesn't exist", exit 1).  The summary line and the exit status of a
 * count of 0 are the caller's (conntrack_main.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>

#include <ctnl/conntrack.h>
#include <ctnl/stats.h>

#include "conntrack_build.h"
#include "conntrack_match.h"
#include "conntrack_out.h"
#include "conntrack_run.h"

#define ENOTSUPP_KERNEL 524

/* conntrack's err2str: its words for some errors of some commands. */
static const char *err_text(int err, int cmd)
{
	unsigned c = 1u << cmd;
	unsigned create = 1u << CTC_CT_CREATE, add = 1u << CTC_CT_ADD, get = 1u << CTC_CT_GET,
		 del = 1u << CTC_CT_DELETE;

	if (cmd == CTC_CT_LIST && err == ENOTSUPP_KERNEL)
		return "function not implemented";
	if ((c & 0xffffu) && err == EINVAL)
		return "invalid parameters";
	if (cmd == CTC_CT_CREATE && err == EEXIST)
		return "Such conntrack exists, try -U to update";
	if ((c & (create | get | del | add)) && err == ENOENT)
		return "such conntrack doesn't exist";
	if ((c & (create | get | add)) && err == ENOMEM)
		return "not enough memory";
	if (cmd == CTC_CT_GET && err == EAFNOSUPPORT)
		return "protocol not supported";
	if ((c & (create | add)) && err == ETIME)
		return "conntrack has expired";
	if (cmd == CTC_EXP_CREATE && err == ENOENT)
		return "master conntrack not found";
	if (cmd == CTC_EXP_CREATE && err == EINVAL)
		return "invalid parameters";
	if (err == EPERM)
		return "sorry, you must be root or get CAP_NET_ADMIN capability to do this";
	return strerror(err);
}

static int failed(struct ctc_run *rs, int rc)
{
	return ctc_error(rs->ctx, CTC_OTHER, "Operation failed: %s", err_text(-rc, rs->r->command));
}

/* ---- listings ---- */

static int list_cb(const struct ctnl_ct_msg *m, void *arg)
{
	struct ctc_run *rs = arg;

	if (!ctc_match(rs->r, m, rs->r->table == CTC_T_CONNTRACK))
		return 0;
	ctc_out_ct(&rs->out, m, CTC_PL_LIST);
	rs->counter++;
	return 0;
}

static int do_list(struct ctc_run *rs)
{
	const struct ctc_req *r = rs->r;
	struct ctnl_dump_opts o = { .size = sizeof(o) };
	struct ctnl_filter f;
	struct ctnl_err e = { 0 };
	int rc;

	if (r->table == CTC_T_DYING || r->table == CTC_T_UNCONFIRMED) {
		o.list = r->table == CTC_T_DYING ? CTNL_LIST_DYING : CTNL_LIST_UNCONFIRMED;
	} else {
		o.list = (r->options & CTC_BIT(CTC_F_ZERO)) ? CTNL_LIST_CTRZERO : CTNL_LIST_MAIN;
		o.family = (uint8_t)r->family;
		ctc_dump_filter(r, &f, 1, 1);
		o.query = &f;
	}
	rc = ctnl_ct_dump(rs->h, &o, list_cb, rs, &e);
	if (rc == -EINVAL && o.query) {
		/* a filter this kernel refuses: the user-space rules still apply */
		ctc_dump_filter(r, &f, 0, 0);
		rc = ctnl_ct_dump(rs->h, &o, list_cb, rs, &e);
	}
	ctc_out_end(&rs->out);
	return rc < 0 ? failed(rs, rc) : 0;
}

static int exp_list_cb(const struct ctnl_exp_msg *m, void *arg)
{
	struct ctc_run *rs = arg;

	ctc_out_exp(&rs->out, m, 0);
	rs->counter++;
	return 0;
}

static int count_exp_cb(const struct ctnl_exp_msg *m, void *arg)
{
	(void)m;
	((struct ctc_run *)arg)->counter++;
	return 0;
}

/* ---- one entry ---- */

static int get_cb(const struct ctnl_ct_msg *m, void *arg)
{
	struct ctc_run *rs = arg;

	if (!ctc_match(rs->r, m, 0))
		return 0;
	ctc_out_ct(&rs->out, m, rs->place);
	rs->counter++;
	return 0;
}

static int do_create(struct ctc_run *rs)
{
	struct ctc_msgbuf *b = calloc(1, sizeof(*b));
	int rc;

	if (!b)
		return ctc_error(rs->ctx, CTC_OTHER, "out of memory");
	ctc_build_create(rs->r, b);
	rc = ctnl_ct_create(rs->h, &b->m, NULL);
	free(b);
	if (rc == 0)
		rs->counter++;
	else if (rc == -EEXIST && rs->r->command == CTC_CT_ADD)
		rc = 0;
	return rc < 0 ? failed(rs, rc) : 0;
}

static int do_get(struct ctc_run *rs)
{
	struct ctc_msgbuf *b = calloc(1, sizeof(*b));
	int rc;

	if (!b)
		return ctc_error(rs->ctx, CTC_OTHER, "out of memory");
	ctc_build_get(rs->r, b);
	rs->place = CTC_PL_LIST;
	rc = ctnl_ct_get(rs->h, &b->m, get_cb, rs, NULL);
	free(b);
	ctc_out_end(&rs->out);
	return rc < 0 ? failed(rs, rc) : 0;
}

/* ---- many entries: dump, then act on each ---- */

static int collect(struct ctc_run *rs, int with_values, struct ctnl_ct_list *l)
{
	struct ctnl_dump_opts o = { .size = sizeof(o) };
	struct ctnl_filter f;
	int rc;

	ctc_dump_filter(rs->r, &f, with_values, 1);
	o.family = (uint8_t)rs->r->family;
	o.query = &f;
	rc = ctnl_ct_dump_all(rs->h, &o, l, NULL);
	if (rc == -EINVAL) {
		ctnl_ct_list_free(l);
		ctc_dump_filter(rs->r, &f, 0, 0);
		rc = ctnl_ct_dump_all(rs->h, &o, l, NULL);
	}
	return rc;
}

static int do_delete(struct ctc_run *rs)
{
	struct ctnl_ct_list l = { 0 };
	int rc = collect(rs, 1, &l), status = 0;

	if (rc < 0) {
		ctnl_ct_list_free(&l);
		return failed(rs, rc);
	}
	for (size_t i = 0; i < l.count; i++) {
		const struct ctnl_ct_msg *m = &l.entries[i];

		if (!ctc_match(rs->r, m, 0))
			continue;
		rc = ctnl_ct_delete(rs->h, m, NULL);
		if (rc < 0) {
			status = failed(rs, rc);
			break;
		}
		ctc_out_ct(&rs->out, m, CTC_PL_DELETE);
		rs->counter++;
	}
	ctc_out_end(&rs->out);
	ctnl_ct_list_free(&l);
	return status;
}

static int do_update(struct ctc_run *rs)
{
	struct ctnl_ct_list l = { 0 };
	struct ctc_msgbuf *b = calloc(1, sizeof(*b));
	int rc = b ? collect(rs, 0, &l) : -ENOMEM, status = 0;

	if (rc < 0) {
		free(b);
		ctnl_ct_list_free(&l);
		return failed(rs, rc);
	}
	rs->place = CTC_PL_UPDATE;
	for (size_t i = 0; i < l.count; i++) {
		const struct ctnl_ct_msg *m = &l.entries[i];

		if (!ctc_match_update(rs->r, m))
			continue;
		if (!ctc_build_update(rs->r, m, b))
			continue;
		rc = ctnl_ct_update(rs->h, &b->m, NULL);
		if (rc < 0)
			fprintf(rs->ctx->io->err, "Operation failed: %s\n", err_text(-rc, CTC_CT_UPDATE));
		rc = ctnl_ct_get(rs->h, &b->m, get_update_cb, rs, NULL);
		if (rc == -ENOENT)
			continue;   /* gone in the meantime */
		if (rc < 0) {
			status = failed(rs, rc);
			break;
		}
	}
	ctc_out_end(&rs->out);
	free(b);
	ctnl_ct_list_free(&l);
	return status;
}

int get_update_cb(const struct ctnl_ct_msg *m, void *arg)
{
	struct ctc_run *rs = arg;

	ctc_out_ct(&rs->out, m, CTC_PL_UPDATE);
	rs->counter++;
	return 0;
}

/* ---- expectations ---- */

static int do_exp(struct ctc_run *rs)
{
	struct ctnl_exp_msg *e = calloc(1, sizeof(*e));
	int rc;

	if (!e)
		return ctc_error(rs->ctx, CTC_OTHER, "out of memory");
	switch (rs->r->command) {
	case CTC_EXP_CREATE:
		ctc_build_exp_create(rs->r, e);
		rc = ctnl_exp_create(rs->h, e, NULL);
		break;
	case CTC_EXP_DELETE:
		ctc_build_exp_key(rs->r, e);
		rc = ctnl_exp_delete(rs->h, e, NULL);
		if (rc == 0)
			rs->counter++;
		break;
	default:
		ctc_build_exp_key(rs->r, e);
		rc = ctnl_exp_get(rs->h, e, exp_list_cb, rs, NULL);
		ctc_out_end(&rs->out);
		break;
	}
	free(e);
	return rc < 0 ? failed(rs, rc) : 0;
}

/* ---- statistics ---- */

struct stats_cb {
	struct ctc_run *rs;
	unsigned kind;
};

static int stats_line(const void *msg, size_t len, void *arg)
{
	struct stats_cb *s = arg;
	struct ctnl_stats_msg st;
	char line[512];

	if (ctnl_stats_decode(msg, len, s->kind, &st, NULL) < 0)
		return 0;
	ctnl_stats_snprintf(line, sizeof(line), &st);
	if (s->rs->r->json)
		ctnl_stats_json(line, sizeof(line), &st);
	fprintf(s->rs->ctx->io->out, "%s\n", line);
	return 0;
}

static int do_stats(struct ctc_run *rs)
{
	int exp = rs->r->command == CTC_EXP_STATS || rs->r->command == CTC_EXP_COUNT;
	uint8_t req[20] = { 0 };
	uint32_t len = sizeof(req);
	uint16_t type, flags = NLM_F_REQUEST;
	struct stats_cb s = { rs, CTNL_STATS_CPU };
	int rc;

	if (rs->r->command == CTC_CT_COUNT) {
		struct ctnl_global_stats g;

		rc = ctnl_global_stats(rs->h, &g, NULL);
		if (rc < 0)
			return failed(rs, rc);
		if (rs->r->json)
			fprintf(rs->ctx->io->out, "{\"type\":\"count\",\"entries\":%u}\n", g.entries);
		else if (g.present & (1u << CTA_STATS_GLOBAL_ENTRIES))
			fprintf(rs->ctx->io->out, "%d\n", (int)g.entries);
		return 0;
	}
	if (exp) {
		type = NFNL_SUBSYS_CTNETLINK_EXP << 8 | IPCTNL_MSG_EXP_GET_STATS_CPU;
		s.kind = CTNL_STATS_EXP_CPU;
	} else {
		type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET_STATS_CPU;
	}
	flags |= NLM_F_DUMP;
	memcpy(req, &len, 4);
	memcpy(req + 4, &type, 2);
	memcpy(req + 6, &flags, 2);
	req[16] = AF_UNSPEC;
	req[17] = NFNETLINK_V0;
	rc = ctnl_request(rs->h, req, sizeof(req), stats_line, &s, NULL);
	return rc < 0 ? ctc_error(rs->ctx, CTC_OTHER, "Can't open /proc interface") : 0;
}

/* ---- events ---- */

static struct ctnl_handle *volatile stop_handle;

static void on_signal(int sig)
{
	(void)sig;
	if (stop_handle)
		ctnl_event_stop(stop_handle);
}

static int event_cb(const struct ctnl_event *ev, void *arg)
{
	struct ctc_run *rs = arg;

	if (ev->exp) {
		ctc_out_exp(&rs->out, ev->exp, 1);
		rs->counter++;
		return 0;
	}
	if (!ev->ct)
		return 0;
	if (rs->r->family != AF_UNSPEC && rs->r->family != ev->ct->hdr.family)
		return 0;
	if (!ctc_match(rs->r, ev->ct, 0))
		return 0;
	ctc_out_ct(&rs->out, ev->ct, CTC_PL_EVENT);
	rs->counter++;
	return 0;
}

static int do_events(struct ctc_run *rs)
{
	const struct ctc_req *r = rs->r;
	int exp = r->command == CTC_EXP_EVENT;
	unsigned groups = 0, mask = (r->options & CTC_BIT(CTC_F_EVENT_MASK)) ? r->event_mask : CTC_EV_ALL;
	struct ctnl_bpf_match m[64];
	struct ctnl_event_opts eo = { .size = sizeof(eo) };
	struct sigaction sa, old_int, old_term;
	struct ctnl_err e = { 0 };
	int rc;

	if (mask & CTC_EV_NEW)
		groups |= exp ? CTNL_EV_EXP_NEW : CTNL_EV_CT_NEW;
	if (mask & CTC_EV_UPD)
		groups |= exp ? CTNL_EV_EXP_UPDATE : CTNL_EV_CT_UPDATE;
	if (mask & CTC_EV_DEL)
		groups |= exp ? CTNL_EV_EXP_DESTROY : CTNL_EV_CT_DESTROY;
	if (!exp) {
		eo.match = m;
		eo.nmatch = ctc_event_filter(r, m, sizeof(m) / sizeof(m[0]));
		eo.resync = 1;
	}
	rc = ctnl_event_register(rs->h, exp ? CTNL_TABLE_EXPECT : CTNL_TABLE_CONNTRACK, groups, event_cb, rs, &eo, &e);
	if (rc < 0 && eo.nmatch) {
		eo.match = NULL;
		eo.nmatch = 0;
		rc = ctnl_event_register(rs->h, exp ? CTNL_TABLE_EXPECT : CTNL_TABLE_CONNTRACK, groups, event_cb, rs,
					 &eo, &e);
	}
	if (rc < 0)
		return ctc_error(rs->ctx, CTC_OTHER, "Can't open netlink socket");
	if (r->options & CTC_BIT(CTC_F_BUFSIZE)) {
		int v = 0;
		socklen_t sl = sizeof(v);

		getsockopt(ctnl_event_fd(rs->h), SOL_SOCKET, SO_RCVBUF, &v, &sl);
		fprintf(rs->ctx->io->err, "NOTICE: Netlink socket buffer size has been set to %d bytes.\n", v);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	stop_handle = rs->h;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	rc = ctnl_event_run(rs->h, rs->event_timeout_ms ? rs->event_timeout_ms : -1, &e);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	stop_handle = NULL;
	ctc_out_end(&rs->out);
	if (rc < 0)
		return ctc_error(rs->ctx, CTC_OTHER, "failed to received netlink event: %s", strerror(-rc));
	return 0;
}

int ctc_run_command(struct ctc_run *rs)
{
	const struct ctc_req *r = rs->r;
	int rc;

	ctc_out_init(&rs->out, rs->ctx, r,
		     r->command == CTC_EXP_LIST || r->command == CTC_EXP_EVENT || r->command == CTC_EXP_GET ? "expect"
													    : "conntrack");
	switch (r->command) {
	case CTC_CT_LIST:
		return do_list(rs);
	case CTC_EXP_LIST:
		rc = ctnl_exp_dump(rs->h, (uint8_t)r->family, exp_list_cb, rs, NULL);
		ctc_out_end(&rs->out);
		return rc < 0 ? failed(rs, rc) : 0;
	case CTC_CT_CREATE:
	case CTC_CT_ADD:
		return do_create(rs);
	case CTC_CT_GET:
		return do_get(rs);
	case CTC_CT_DELETE:
		return do_delete(rs);
	case CTC_CT_UPDATE:
		return do_update(rs);
	case CTC_EXP_CREATE:
	case CTC_EXP_DELETE:
	case CTC_EXP_GET:
		return do_exp(rs);
	case CTC_CT_FLUSH:
		rc = ctnl_ct_flush(rs->h, (uint8_t)r->family, NULL, NULL);
		fprintf(rs->ctx->io->err, "%s: connection tracking table has been emptied.\n", ctc_version);
		return rc < 0 ? failed(rs, rc) : 0;
	case CTC_EXP_FLUSH:
		rc = ctnl_exp_flush(rs->h, 0, NULL);
		fprintf(rs->ctx->io->err, "%s: expectation table has been emptied.\n", ctc_version);
		return rc < 0 ? failed(rs, rc) : 0;
	case CTC_CT_EVENT:
	case CTC_EXP_EVENT:
		return do_events(rs);
	case CTC_CT_COUNT:
	case CTC_CT_STATS:
	case CTC_EXP_STATS:
		return do_stats(rs);
	case CTC_EXP_COUNT:
		rc = ctnl_exp_dump(rs->h, (uint8_t)r->family, count_exp_cb, rs, NULL);
		if (rc < 0)
			return failed(rs, rc);
		fprintf(rs->ctx->io->out, "%d\n", rs->counter);
		return 0;
	default:
		return 0;
	}
}
