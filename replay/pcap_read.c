/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading nlmon captures: record by record through libpcap, message by
 * message within a record.  Memory: libpcap's record buffer, one swap
 * buffer as large as the largest record, and the request table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <pcap/pcap.h>

#include <ctnl/pcap.h>
#include <ctnl/stats.h>

#include "replay.h"

#ifndef NETLINK_NETFILTER
#define NETLINK_NETFILTER 12
#endif
#define SLL_P_CAN 0x000c                  /* libpcap's LINUX_SLL_P_CAN */
#define SLL_P_CANFD 0x000d

struct ctnl_pcap_reader {
	pcap_t *pcap;
	int linktype;
	unsigned flags;
	int done;                          /* the file ended or broke */
	struct rp_table reqs;
	struct ctnl_pcap_stats st;

	/* the current record */
	int in_record;
	uint64_t recno;
	struct timespec ts;
	uint16_t family, pkttype;
	const uint8_t *pl;                 /* netlink payload (libpcap's buffer) */
	size_t pllen;                      /* captured payload bytes */
	size_t wirelen;                    /* payload bytes on the wire */
	int swapped;
	int rec_bad;                       /* this record was counted in records_bad */
	size_t pos;
	uint32_t index;

	uint8_t *swapbuf;
	size_t swapcap;
	uint8_t *recbuf;                   /* a record's payload, when libpcap's copy needs a repair */
	size_t reccap;
};

int rp_err(struct ctnl_pcap_err *err, int code, enum ctnl_pcap_fault fault, uint64_t record, uint32_t msg_index,
	   uint32_t offset, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->fault = fault;
	err->record = record;
	err->msg_index = msg_index;
	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->what, sizeof(err->what), fmt, ap);
	va_end(ap);
	return code;
}

int ctnl_pcap_err_format(const struct ctnl_pcap_err *err, char *buf, size_t len)
{
	if (err->record == 0)
		return snprintf(buf, len, "capture: %s", err->what);
	if (err->fault == CTNL_PCAP_F_NLMSG)
		return snprintf(buf, len, "record %llu: message %u (byte %u): %s", (unsigned long long)err->record,
				err->msg_index, err->offset, err->what);
	return snprintf(buf, len, "record %llu: %s", (unsigned long long)err->record, err->what);
}

/* A record counts once in records_bad, however many errors it gives. */
static void mark_bad(struct ctnl_pcap_reader *r)
{
	if (!r->rec_bad) {
		r->rec_bad = 1;
		r->st.records_bad++;
	}
}

static const char *linktype_name(int lt)
{
	const char *n = pcap_datalink_val_to_name(lt);

	return n ? n : "unknown";
}

static int reader_new(FILE *fp, const char *name, const struct ctnl_pcap_opts *opts, struct ctnl_pcap_reader **ret,
		      struct ctnl_pcap_err *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct ctnl_pcap_reader *r;
	uint32_t slots = CTNL_PCAP_REQ_SLOTS_DEFAULT;
	unsigned flags = 0;
	int rc;

	*ret = NULL;
	if (opts) {
		if (opts->size < offsetof(struct ctnl_pcap_opts, req_slots) + sizeof(opts->req_slots)) {
			fclose(fp);
			return rp_err(err, -EINVAL, CTNL_PCAP_F_FILE, 0, 0, 0, "options of size %zu", opts->size);
		}
		flags = opts->flags;
		if (opts->req_slots)
			slots = opts->req_slots;
		if (slots > CTNL_PCAP_REQ_SLOTS_MAX) {
			fclose(fp);
			return rp_err(err, -EINVAL, CTNL_PCAP_F_FILE, 0, 0, 0, "%u request slots, at most %u", slots,
				      CTNL_PCAP_REQ_SLOTS_MAX);
		}
	}
	r = calloc(1, sizeof(*r));
	if (!r || rp_table_init(&r->reqs, slots) < 0) {
		free(r);
		fclose(fp);
		return rp_err(err, -ENOMEM, CTNL_PCAP_F_FILE, 0, 0, 0, "out of memory");
	}
	r->flags = flags;
	r->pcap = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!r->pcap) {
		fclose(fp);
		rc = rp_err(err, -EINVAL, CTNL_PCAP_F_FILE, 0, 0, 0, "%s: %s", name, ebuf);
		rp_table_free(&r->reqs);
		free(r);
		return rc;
	}
	r->linktype = pcap_datalink(r->pcap);
	*ret = r;
	return 0;
}

int ctnl_pcap_open(const char *path, const struct ctnl_pcap_opts *opts, struct ctnl_pcap_reader **ret,
		   struct ctnl_pcap_err *err)
{
	FILE *fp;

	*ret = NULL;
	if (path[0] == '-' && path[1] == '\0') {
		int fd = dup(STDIN_FILENO);

		if (fd < 0)
			return rp_err(err, -errno, CTNL_PCAP_F_FILE, 0, 0, 0, "standard input: %s", strerror(errno));
		return ctnl_pcap_fdopen(fd, opts, ret, err);
	}
	fp = fopen(path, "rb");
	if (!fp)
		return rp_err(err, -errno, CTNL_PCAP_F_FILE, 0, 0, 0, "%s: %s", path, strerror(errno));
	return reader_new(fp, path, opts, ret, err);
}

int ctnl_pcap_fdopen(int fd, const struct ctnl_pcap_opts *opts, struct ctnl_pcap_reader **ret,
		     struct ctnl_pcap_err *err)
{
	FILE *fp = fdopen(fd, "rb");

	*ret = NULL;
	if (!fp) {
		int e = errno;

		close(fd);
		return rp_err(err, -e, CTNL_PCAP_F_FILE, 0, 0, 0, "descriptor %d: %s", fd, strerror(e));
	}
	return reader_new(fp, "capture", opts, ret, err);
}

void ctnl_pcap_close(struct ctnl_pcap_reader *r)
{
	if (!r)
		return;
	pcap_close(r->pcap);
	rp_table_free(&r->reqs);
	free(r->swapbuf);
	free(r->recbuf);
	free(r);
}

void ctnl_pcap_stats(const struct ctnl_pcap_reader *r, struct ctnl_pcap_stats *out)
{
	*out = r->st;
}

int ctnl_pcap_linktype(const struct ctnl_pcap_reader *r)
{
	return r->linktype;
}

/* Read the next record and its cooked header.  Returns 1 when a record
 * with netlink payload is ready, 0 for a record to skip silently, 2 at the
 * end, or an error. */
static int next_record(struct ctnl_pcap_reader *r, struct ctnl_pcap_err *err)
{
	struct pcap_pkthdr *h;
	const u_char *d;
	size_t hl, hatype_off;
	uint16_t hatype;
	int rc;

	rc = pcap_next_ex(r->pcap, &h, &d);
	if (rc == PCAP_ERROR_BREAK)
		return 2;
	if (rc != 1) {
		r->done = 1;
		return rp_err(err, -EIO, CTNL_PCAP_F_FILE, r->recno + 1, 0, 0, "the file is damaged here: %s",
			      pcap_geterr(r->pcap));
	}
	r->recno++;
	r->st.records++;
	r->rec_bad = 0;
	r->ts.tv_sec = h->ts.tv_sec;
	r->ts.tv_nsec = h->ts.tv_usec;             /* nanoseconds: opened with nanosecond precision */

	switch (r->linktype) {
	case CTNL_LINKTYPE_NETLINK:
	case CTNL_LINKTYPE_LINUX_SLL:
		hl = 16;
		hatype_off = 2;
		break;
	case CTNL_LINKTYPE_LINUX_SLL2:
		hl = 20;
		hatype_off = 8;
		break;
	default:
		mark_bad(r);
		return rp_err(err, -EPROTONOSUPPORT, CTNL_PCAP_F_LINKTYPE, r->recno, 0, 0,
			      "link type %d (%s) is not netlink (NETLINK 253, LINUX_SLL 113 or LINUX_SLL2 276)",
			      r->linktype, linktype_name(r->linktype));
	}
	if (h->caplen < hl) {
		mark_bad(r);
		return rp_err(err, -EBADMSG, CTNL_PCAP_F_COOKED, r->recno, 0, 0,
			      "%u captured bytes, shorter than the %zu-byte %s header", h->caplen, hl,
			      linktype_name(r->linktype));
	}
	hatype = rp_be16(d + hatype_off);
	if (hatype != CTNL_ARPHRD_NETLINK) {
		if (r->linktype != CTNL_LINKTYPE_NETLINK) {
			r->st.records_not_netlink++;        /* the "any" device: other interfaces' traffic */
			return 0;
		}
		mark_bad(r);
		return rp_err(err, -EBADMSG, CTNL_PCAP_F_COOKED, r->recno, 0, 0,
			      "cooked header hatype %u, netlink records have 824", hatype);
	}
	if (r->linktype == CTNL_LINKTYPE_LINUX_SLL2) {
		r->family = rp_be16(d);
		r->pkttype = d[10];
	} else {
		r->pkttype = rp_be16(d);
		r->family = rp_be16(d + 14);
	}
	r->pl = d + hl;
	r->pllen = h->caplen - hl;
	if (r->linktype != CTNL_LINKTYPE_NETLINK && pcap_is_swapped(r->pcap) &&
	    (r->family == SLL_P_CAN || r->family == SLL_P_CANFD) && h->caplen >= hl + 4 && h->len >= hl + 4) {
		/* libpcap takes SLL/SLL2 protocol 12 and 13 for SocketCAN and,
		 * in a file of the other byte order, swaps the 4 bytes after the
		 * header as a CAN id (swap_linux_sll_header(), no hatype check).
		 * For NETLINK_NETFILTER that is the first nlmsg_len: undo it. */
		if (r->reccap < r->pllen) {
			uint8_t *nb = realloc(r->recbuf, r->pllen);

			if (!nb) {
				mark_bad(r);
				return rp_err(err, -ENOMEM, CTNL_PCAP_F_FILE, r->recno, 0, 0, "out of memory");
			}
			r->recbuf = nb;
			r->reccap = r->pllen;
		}
		memcpy(r->recbuf, r->pl, r->pllen);
		rp_swap32(r->recbuf);
		r->pl = r->recbuf;
	}
	r->wirelen = h->len > hl ? h->len - hl : 0;
	if (r->wirelen < r->pllen)
		r->wirelen = r->pllen;
	r->swapped = ctnl_nl_endian(r->pl, r->pllen);
	if (r->swapped)
		r->st.records_swapped++;
	r->pos = 0;
	r->index = 0;
	r->in_record = 1;
	return 1;
}

/* The end of the captured part of a truncated record. */
static int truncated(struct ctnl_pcap_reader *r, struct ctnl_pcap_err *err)
{
	r->in_record = 0;
	mark_bad(r);
	return rp_err(err, -ENODATA, CTNL_PCAP_F_TRUNCATED, r->recno, r->index, (uint32_t)r->pos,
		      "truncated: %zu of %zu netlink bytes captured, messages from byte %zu on are lost", r->pllen,
		      r->wirelen, r->pos);
}

/* A netlink header that cannot be trusted ends the record: without its
 * length there is no next message to resynchronise on. */
static int bad_nlmsg(struct ctnl_pcap_reader *r, struct ctnl_pcap_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad_nlmsg(struct ctnl_pcap_reader *r, struct ctnl_pcap_err *err, const char *fmt, ...)
{
	char text[sizeof(err->what)];
	va_list ap;

	r->in_record = 0;
	mark_bad(r);
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return rp_err(err, -EBADMSG, CTNL_PCAP_F_NLMSG, r->recno, r->index, (uint32_t)r->pos, "%s", text);
}

static void classify(struct ctnl_pcap_reader *r, struct ctnl_pcap_msg *m, const uint8_t *raw)
{
	int sw = m->swapped;
	uint16_t type = rp_get16(raw + 4, sw), flags = rp_get16(raw + 6, sw);
	uint32_t seq = rp_get32(raw + 8, sw), pid = rp_get32(raw + 12, sw);
	int code = (type == NLMSG_ERROR && m->len >= 20) ? (int)rp_get32(raw + 16, sw) : 0;
	int ours = r->family == NETLINK_NETFILTER;  /* others: direction and role, no matching or stats */
	struct rp_slot *s;

	m->kind = ours ? rp_kind_of_type(type, code) : CTNL_PK_OTHER;
	if ((flags & NLM_F_REQUEST) && type != NLMSG_ERROR && type != NLMSG_DONE) {
		struct ctnl_pcap_req q = { r->recno, seq, pid, type, flags, m->kind };

		m->dir = CTNL_DIR_TO_KERNEL;
		m->role = CTNL_ROLE_REQUEST;
		if (!ours)
			return;
		r->st.requests++;
		if (m->kind != CTNL_PK_OTHER && type >= NLMSG_MIN_TYPE)
			r->st.requests_evicted += (uint64_t)rp_table_add(&r->reqs, &q);
		return;
	}
	m->dir = CTNL_DIR_TO_USER;
	if (type != NLMSG_ERROR && type != NLMSG_DONE && !(flags & NLM_F_MULTI)) {
		m->role = CTNL_ROLE_EVENT;
		if (ours)
			r->st.events++;
		return;
	}
	m->role = CTNL_ROLE_REPLY;
	if (!ours)
		return;
	s = rp_table_find(&r->reqs, seq, pid);
	if (s) {
		m->has_req = 1;
		m->req = s->req;
		r->st.replies_matched++;
		if (type == NLMSG_ERROR || type == NLMSG_DONE)
			rp_table_drop(s);             /* answered in full */
	} else {
		r->st.replies_unmatched++;
	}
	/* Expectation per-CPU stats come back as conntrack type 3
	 * (IPCTNL_MSG_CT_GET_CTRZERO): the request tells.  Without it,
	 * take_message() asks ctnl_msg_classify() once the headers are in
	 * this host's order (guessed). */
	if (type == (NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET_CTRZERO)) {
		if (s && s->req.kind == CTNL_PK_EXP_STATS_CPU)
			m->kind = CTNL_PK_EXP_STATS_CPU;
		else if (!s)
			m->guessed = 1;
	}
}

static int take_message(struct ctnl_pcap_reader *r, struct ctnl_pcap_msg *out, struct ctnl_pcap_err *err)
{
	size_t left = r->pllen - r->pos;
	const uint8_t *raw = r->pl + r->pos;
	uint32_t l;
	uint16_t type;
	int sw;

	if (left < NLMSG_HDRLEN) {
		if (r->pllen < r->wirelen)
			return truncated(r, err);
		return bad_nlmsg(r, err, "%zu trailing bytes, too few for a netlink header", left);
	}
	l = rp_get32(raw, r->swapped);
	if (l < NLMSG_HDRLEN) {
		return bad_nlmsg(r, err, "nlmsg_len %u is below the 16-byte header; the rest of the record "
				 "(%zu bytes) is skipped", l, left);
	}
	if (l > left) {
		if (r->pllen < r->wirelen)
			return truncated(r, err);
		return bad_nlmsg(r, err, "nlmsg_len %u runs past the record (%zu bytes left)", l, left);
	}

	memset(out, 0, sizeof(*out));
	out->record = r->recno;
	out->index = r->index;
	out->ts = r->ts;
	out->linktype = (uint16_t)r->linktype;
	out->family = r->family;
	out->pkttype = r->pkttype;
	out->swapped = (uint8_t)r->swapped;
	out->raw = raw;
	out->data = raw;
	out->len = l;
	r->pos += RP_ALIGN4(l) <= left ? RP_ALIGN4(l) : left;
	r->index++;
	r->st.messages++;
	if (r->pos >= r->pllen && r->pllen == r->wirelen)
		r->in_record = 0;

	type = rp_get16(raw + 4, r->swapped);
	if (r->family != NETLINK_NETFILTER) {
		r->st.skipped_family++;
		if (!(r->flags & CTNL_PCAP_KEEP_OTHER))
			return 0;
	} else if (type >= NLMSG_MIN_TYPE && rp_kind_of_type(type, 0) == CTNL_PK_OTHER) {
		r->st.skipped_subsys++;
		if (!(r->flags & CTNL_PCAP_KEEP_OTHER))
			return 0;
	}
	classify(r, out, raw);

	if (r->swapped && !(r->flags & CTNL_PCAP_NO_SWAP)) {
		struct ctnl_swap_info si = { 0 };
		struct ctnl_err e = { 0 };

		if (r->swapcap < l) {
			size_t cap = r->swapcap ? r->swapcap : 4096;
			uint8_t *nb;

			while (cap < l)
				cap *= 2;
			nb = realloc(r->swapbuf, cap);
			if (!nb)
				return rp_err(err, -ENOMEM, CTNL_PCAP_F_NLMSG, r->recno, out->index, 0, "out of memory");
			r->swapbuf = nb;
			r->swapcap = cap;
		}
		if (out->kind == CTNL_PK_OTHER) {
			memcpy(r->swapbuf, raw, l);
			rp_swap_nlmsghdr(r->swapbuf);
		} else if (ctnl_nl_swap(raw, l, r->swapbuf, out->guessed ? NULL : ctnl_nl_swap_desc(out->kind), &si,
					&e) < 0) {
			mark_bad(r);
			return rp_err(err, -EBADMSG, CTNL_PCAP_F_NLMSG, r->recno, out->index,
				      (uint32_t)(raw - r->pl) + e.offset, "byte swap: %s", e.what);
		}
		out->data = r->swapbuf;
		out->swap_unknown = si.unknown;
		r->st.swap_unknown += si.unknown;
	}
	/* the headers, from data (swapped) or, with CTNL_PCAP_NO_SWAP, from raw */
	sw = out->data == raw ? r->swapped : 0;
	out->hdr.len = l;
	out->hdr.type = type;
	out->hdr.flags = rp_get16(raw + 6, r->swapped);
	out->hdr.seq = rp_get32(raw + 8, r->swapped);
	out->hdr.pid = rp_get32(raw + 12, r->swapped);
	if (r->family == NETLINK_NETFILTER && type >= NLMSG_MIN_TYPE) {
		if (l < NLMSG_HDRLEN + 4) {
			mark_bad(r);
			return rp_err(err, -EBADMSG, CTNL_PCAP_F_NLMSG, r->recno, out->index, (uint32_t)(raw - r->pl),
				      "nlmsg_len %u leaves no room for the 4-byte nfgenmsg", l);
		}
		out->hdr.family = raw[16];
		out->hdr.version = raw[17];
		out->hdr.res_id = rp_be16(raw + 18);
	}
	if (out->guessed && !sw && ctnl_msg_classify(out->data, l, NULL) == CTNL_MC_STATS_EXP_CPU)
		out->kind = CTNL_PK_EXP_STATS_CPU;
	r->st.returned++;
	return 1;
}

int ctnl_pcap_next(struct ctnl_pcap_reader *r, struct ctnl_pcap_msg *out, struct ctnl_pcap_err *err)
{
	for (;;) {
		int rc;

		if (r->done)
			return 0;
		if (!r->in_record) {
			rc = next_record(r, err);
			if (rc == 2) {
				r->done = 1;
				return 0;
			}
			if (rc <= 0) {
				if (rc < 0)
					return rc;
				continue;
			}
			if (r->wirelen == 0)
				return bad_nlmsg(r, err, "the record holds no netlink message");
		}
		if (r->pos >= r->pllen) {
			/* only a truncated record still open here */
			if (r->pllen < r->wirelen)
				return truncated(r, err);
			r->in_record = 0;
			continue;
		}
		rc = take_message(r, out, err);
		if (rc != 0)
			return rc;
	}
}
