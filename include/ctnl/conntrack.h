/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_CONNTRACK_H
#define CTNL_CONNTRACK_H

/*
 * The live transport: a handle on ctnetlink in one network namespace.
 *
 *   struct ctnl_handle
 *   +--------------------------------------------------------------+
 *   | request socket  (NETLINK_NETFILTER, no groups)                |
 *   |   request --> kernel --> replies, each checked: seq, port id |
 *   |   NLMSG_ERROR --> -errno + ext-ack text + attribute path     |
 *   | event socket    (made by ctnl_event_register, groups joined) |
 *   |   multicast events --> callback; ENOBUFS counted, goes on    |
 *   +--------------------------------------------------------------+
 *
 * Requests and events use two sockets, so a dump never sees an event and
 * a subscription never sees a reply.  Every function returns 0 (or a
 * count, where said) or -errno, and fills the optional struct ctnl_err
 * with what went wrong and, for kernel errors with an extended ACK
 * offset, the path of the offending attribute ("orig.proto.dst-port").
 * The library never prints and never exits; it speaks only through the
 * log and error callbacks the caller sets.
 *
 * Decoded messages handed to callbacks point into the handle's receive
 * buffers: they are valid until the callback returns.  A handle is not
 * thread-safe; use one per thread.
 */

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <ctnl/attr.h>
#include <ctnl/bpf.h>
#include <ctnl/ct.h>
#include <ctnl/exp.h>
#include <ctnl/export.h>
#include <ctnl/filter.h>
#include <ctnl/msg.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ctnl_handle;

/* Tables, numbered as the nfnetlink subsystems (and as the seed's Table). */
enum ctnl_table {
	CTNL_TABLE_CONNTRACK = 1,          /* NFNL_SUBSYS_CTNETLINK */
	CTNL_TABLE_EXPECT = 2,             /* NFNL_SUBSYS_CTNETLINK_EXP */
};

/* Event groups as a bit set (the seed's NetlinkGroup values); the
 * library maps them to kernel group numbers 1..6 when joining. */
#define CTNL_EV_CT_NEW       0x01u
#define CTNL_EV_CT_UPDATE    0x02u
#define CTNL_EV_CT_DESTROY   0x04u
#define CTNL_EV_EXP_NEW      0x08u
#define CTNL_EV_EXP_UPDATE   0x10u
#define CTNL_EV_EXP_DESTROY  0x20u
#define CTNL_EV_CT_ALL       0x07u
#define CTNL_EV_EXP_ALL      0x38u

/* Log levels (syslog's numbers). */
#define CTNL_LOG_ERR   3
#define CTNL_LOG_WARN  4
#define CTNL_LOG_INFO  6
#define CTNL_LOG_DEBUG 7

/**
 * ctnl_log_fn - where the library's log lines go
 * @level: CTNL_LOG_*
 * @msg: one line, no newline
 * @arg: the caller's pointer from the options
 */
typedef void (*ctnl_log_fn)(int level, const char *msg, void *arg);

/**
 * ctnl_error_fn - a problem that does not end the call in progress
 * @err: what happened: a malformed message in a dump or an event stream
 *       (code -EBADMSG, message index, byte offset, attribute path), a
 *       reply with a foreign sequence number or port id (-EPROTO), lost
 *       events (-ENOBUFS, the total count in @err->msg_index), a failed
 *       resync
 * @msg: the message concerned, or NULL
 * @len: its length
 * @arg: the caller's pointer from the options
 *
 * The C form of the seed's error channel, without its blocking send.
 */
typedef void (*ctnl_error_fn)(const struct ctnl_err *err, const void *msg, size_t len, void *arg);

/**
 * ctnl_tap_fn - sees every buffer the handle sends or receives
 * @arg: the caller's pointer from the options (tap_arg)
 * @buf: the bytes exactly as they crossed the socket: one sendmsg() (a
 *       request, or a batch of many) or one received datagram (replies,
 *       ACKs, dump parts, events), one or more netlink messages
 * @len: their length
 * @to_kernel: 1 for a buffer sent, 0 for one received
 * @ts: when (CLOCK_REALTIME), taken just after the send or the receive
 *
 * Called on the request socket and on the event socket, for sends that
 * succeeded and every datagram read (also those then dropped as foreign).
 * The buffer is valid only during the call.  ctnl_pcap_tap() (ctnl/pcap.h)
 * has this signature: it writes each buffer as one nlmon record, so a
 * handle's whole conversation becomes a capture tshark dissects.
 */
typedef void (*ctnl_tap_fn)(void *arg, const void *buf, size_t len, int to_kernel, const struct timespec *ts);

/* Default SO_RCVBUF of the event socket (SO_RCVBUFFORCE when allowed).
 * Sized so that an event storm of 100,000 entries is read without loss
 * by a reader that keeps up on another CPU. */
#define CTNL_EVENT_RCVBUF_DEFAULT (64 * 1024 * 1024)

/* Options of ctnl_open.  Zero-initialise, set .size = sizeof(opts): fields
 * added later read as zero for older callers. */
struct ctnl_open_opts {
	size_t size;
	int netns_fd;                      /* > 0: open in this network namespace (fd of /proc/PID/ns/net or /run/netns/NAME) */
	const char *netns_path;            /* or this path; neither: the caller's namespace */
	unsigned read_timeout_ms;          /* per receive while waiting for a reply; 0: none */
	unsigned write_timeout_ms;         /* per send; 0: none */
	ctnl_log_fn log;                   /* NULL: silent */
	void *log_arg;
	int log_level;                     /* highest level passed on; 0: CTNL_LOG_WARN */
	ctnl_error_fn on_error;            /* NULL: such problems are only counted and logged */
	void *error_arg;
	int rcvbuf;                        /* request socket SO_RCVBUF bytes; 0: 1 MiB (capped by the kernel unless privileged) */
	int event_rcvbuf;                  /* event socket; 0: CTNL_EVENT_RCVBUF_DEFAULT, < 0: the kernel's default */
	int no_enobufs;                    /* NETLINK_NO_ENOBUFS on the event socket: the kernel drops events silently.
					    * Off by default: ctnl counts and reports every loss */
	int event_source;                  /* fill struct ctnl_event's table and group */
	ctnl_tap_fn tap;                   /* NULL: none.  Every buffer sent and received (ctnl_tap_fn) */
	void *tap_arg;
};

/**
 * ctnl_open - make a handle
 * @out: set to the new handle on success
 * @opts: NULL for defaults
 * @err: optional
 *
 * The socket is made in the target namespace by switching the calling
 * thread there (setns) and back; all later I/O stays in that namespace.
 * NETLINK_EXT_ACK and NETLINK_CAP_ACK are turned on.  Nothing is sent.
 *
 * Return: 0; -ENOMEM; -EINVAL (bad options); -errno of open(2), setns(2)
 * (-EPERM: entering a namespace needs CAP_SYS_ADMIN), socket(2), bind(2).
 */
CTNL_EXPORT int ctnl_open(struct ctnl_handle **out, const struct ctnl_open_opts *opts, struct ctnl_err *err);

/**
 * ctnl_close - close a handle and any subscription; never blocks
 * @h: the handle, or NULL
 */
CTNL_EXPORT void ctnl_close(struct ctnl_handle *h);

/* Counters kept by a handle (ctnl_handle_counters). */
struct ctnl_counters {
	uint64_t requests;                 /* requests sent */
	uint64_t replies;                  /* reply messages accepted */
	uint64_t foreign;                  /* replies dropped: wrong sequence number or port id */
	uint64_t malformed;                /* messages reported to on_error and skipped */
	uint64_t events;                   /* events delivered */
	uint64_t enobufs;                  /* ENOBUFS seen on the event socket (each: one or more lost events) */
	uint64_t resyncs;                  /* resync dumps done */
};

/**
 * ctnl_handle_counters - read the handle's counters
 * Return: 0.
 */
CTNL_EXPORT int ctnl_handle_counters(const struct ctnl_handle *h, struct ctnl_counters *out);

/**
 * ctnl_portid - the port id of the request socket (the nlmsg_pid of
 * events this handle causes)
 */
CTNL_EXPORT uint32_t ctnl_portid(const struct ctnl_handle *h);

/* ---- raw requests ---- */

/**
 * ctnl_msg_fn - one reply message
 * @msg: the message, starting at its nlmsghdr
 * @len: its length
 * @arg: the caller's pointer
 *
 * Return: 0 to go on; > 0 to stop (the call returns it); < 0 to abort
 * with that error.  Stopping a dump early discards the rest of it.
 */
typedef int (*ctnl_msg_fn)(const void *msg, size_t len, void *arg);

/**
 * ctnl_request - send one netlink message and collect its replies
 * @h: handle
 * @req: a complete message; its seq and pid are replaced (the buffer is
 *       not modified: a copy is sent)
 * @len: its length
 * @fn: called for each reply other than NLMSG_DONE and the ACK; may be NULL
 * @arg: for @fn
 * @err: optional
 *
 * Waits for NLMSG_DONE (dumps) or the ACK (NLM_F_ACK); a request with
 * neither flag is answered by whatever the kernel sends first.
 *
 * Return: 0 or what @fn returned to stop; the kernel's -errno (@err names
 * the attribute when the kernel gave an offset); -ETIMEDOUT; -EMSGSIZE.
 */
CTNL_EXPORT int ctnl_request(struct ctnl_handle *h, const void *req, size_t len, ctnl_msg_fn fn, void *arg,
			     struct ctnl_err *err);

/* ---- conntrack entries ---- */

/**
 * ctnl_ct_fn - one conntrack entry of a dump, a get, or a resync
 * @m: the decoded message; views are valid until the callback returns
 * @arg: the caller's pointer
 *
 * Return: 0 to go on, > 0 to stop (returned by the call), < 0 to abort.
 */
typedef int (*ctnl_ct_fn)(const struct ctnl_ct_msg *m, void *arg);

/**
 * ctnl_ct_create - create an entry (IPCTNL_MSG_CT_NEW, CREATE|EXCL)
 * @h: handle
 * @m: both tuples and CTA_TIMEOUT are needed by the kernel; CTA_STATUS,
 *     if given, must include IPS_CONFIRMED.  hdr.family 0: taken from the
 *     tuple.  Zones (CTA_ZONE, CTA_TUPLE_ZONE) are sent when present
 * @err: optional
 *
 * Return: 0; -EEXIST; -EINVAL; -EBUSY (a status bit the kernel will not
 * change); -EPERM (needs CAP_NET_ADMIN; @err names the fix); -errno.
 */
CTNL_EXPORT int ctnl_ct_create(struct ctnl_handle *h, const struct ctnl_ct_msg *m, struct ctnl_err *err);

/**
 * ctnl_ct_update - change an entry (IPCTNL_MSG_CT_NEW without CREATE)
 * @m: a tuple (and CTA_ZONE for an entry in another zone) plus what to
 *     change: mark, timeout, status, labels (+mask), protoinfo, helper
 *
 * Return: 0; -ENOENT; -EOPNOTSUPP (NAT or master given); -errno.
 */
CTNL_EXPORT int ctnl_ct_update(struct ctnl_handle *h, const struct ctnl_ct_msg *m, struct ctnl_err *err);

/**
 * ctnl_ct_delete - delete one entry
 * @m: a tuple; its zone and, when present, its id (which must match) are
 *     sent; everything else in @m is ignored, so a dumped entry can be
 *     passed as it is
 *
 * Return: 0; -ENOENT; -EINVAL (no tuple: use ctnl_ct_flush); -errno.
 */
CTNL_EXPORT int ctnl_ct_delete(struct ctnl_handle *h, const struct ctnl_ct_msg *m, struct ctnl_err *err);

/**
 * ctnl_ct_get - read one entry
 * @m: a tuple, and its zone; everything else is ignored
 * @fn: called once with the entry
 *
 * Return: 0 or what @fn returned; -ENOENT; -errno.
 */
CTNL_EXPORT int ctnl_ct_get(struct ctnl_handle *h, const struct ctnl_ct_msg *m, ctnl_ct_fn fn, void *arg,
			    struct ctnl_err *err);

/* Which list a dump reads. */
enum ctnl_ct_list_kind {
	CTNL_LIST_MAIN = 0,                /* the table (IPCTNL_MSG_CT_GET) */
	CTNL_LIST_CTRZERO,                 /* the table, zeroing each entry's counters (GET_CTRZERO) */
	CTNL_LIST_DYING,                   /* entries being destroyed (GET_DYING) */
	CTNL_LIST_UNCONFIRMED,             /* entries not yet confirmed (GET_UNCONFIRMED) */
};

/* Options of a dump.  Zero-initialise and set .size. */
struct ctnl_dump_opts {
	size_t size;
	uint8_t family;                    /* AF_INET, AF_INET6; 0: all */
	enum ctnl_ct_list_kind list;
	/* Kernel-side filter ("query"): mark/mask, status/mask, zone and
	 * tuple fields (ctnl/filter.h).  Its family, when set, wins. */
	const struct ctnl_filter *query;
};

/**
 * ctnl_ct_dump - stream a conntrack list, one callback per entry
 * @h: handle
 * @o: NULL for the whole table, all families
 * @fn: called for each entry; views valid until it returns
 * @arg: for @fn
 * @err: optional
 *
 * Memory stays constant however large the table: each datagram is
 * decoded in place in the handle's receive buffer.  A malformed message
 * is reported to the on_error callback (with its index, offset and
 * attribute path), counted, and skipped; the dump goes on.
 *
 * A dump still running after two datagrams is received from then on by
 * a helper thread of the library ("ctnl-dump", signals blocked) into a
 * ring of eight buffers kept until ctnl_close(), so that the kernel builds
 * the next datagram while this thread decodes.  @fn, the tap, on_error
 * and the log still run on the calling thread, in the same order; the
 * helper is joined before this returns.  @fn must not fork() and go on
 * with the dump in the child.
 *
 * Return: the number of entries delivered (>= 0); what @fn returned to
 * stop; the kernel's -errno; -ETIMEDOUT.
 */
CTNL_EXPORT int ctnl_ct_dump(struct ctnl_handle *h, const struct ctnl_dump_opts *o, ctnl_ct_fn fn, void *arg,
			     struct ctnl_err *err);

/**
 * ctnl_ct_replay - run recorded reply bytes through a dump's message path
 * @h: the handle whose on_error and counters are used (no I/O is done)
 * @buf: reply datagrams back to back, as the kernel sent them (for
 *       example ctnl-nlraw's output)
 * @len: their length
 * @fn: called for each entry
 *
 * Exactly what a live dump does with each message: entries to @fn,
 * malformed messages reported to on_error and skipped, NLMSG_DONE ends,
 * NLMSG_ERROR ends with its -errno.  There is no request, so sequence
 * numbers and port ids are not checked.
 *
 * Return: the number of entries delivered; what @fn returned to stop;
 * the recorded -errno; -EBADMSG when the framing itself is broken.
 */
CTNL_EXPORT int ctnl_ct_replay(struct ctnl_handle *h, const void *buf, size_t len, ctnl_ct_fn fn, void *arg,
			       struct ctnl_err *err);

/* The result of the collector: entries whose views point into raw. */
struct ctnl_ct_list {
	struct ctnl_ct_msg *entries;
	size_t count;
	uint8_t *raw;                      /* every entry's message, back to back (owned) */
	size_t raw_len;
	size_t raw_cap;
	size_t *offsets;                   /* start of each entry in raw */
	size_t offsets_cap;
};

/**
 * ctnl_ct_dump_all - a dump into memory (convenience over ctnl_ct_dump)
 * @out: filled; release it with ctnl_ct_list_free even on failure
 *
 * Return: the number of entries; -ENOMEM; as ctnl_ct_dump.
 */
CTNL_EXPORT int ctnl_ct_dump_all(struct ctnl_handle *h, const struct ctnl_dump_opts *o, struct ctnl_ct_list *out,
				 struct ctnl_err *err);

/**
 * ctnl_ct_list_free - release a collected list (the struct itself is the
 * caller's) and zero it
 */
CTNL_EXPORT void ctnl_ct_list_free(struct ctnl_ct_list *l);

/**
 * ctnl_ct_flush - delete many entries, scoped as asked
 * @family: AF_INET or AF_INET6 deletes that family only; 0 all
 * @f: optional kernel-side filter (mark, status, zone, tuple fields; its
 *     family must be 0 or @family)
 *
 * The kernel honours the family of a flush only when CTA_FILTER is
 * present (seed bug B18): every per-family flush carries one.
 *
 * Return: 0; -EINVAL (a filter the kernel would refuse or ignore); -errno.
 */
CTNL_EXPORT int ctnl_ct_flush(struct ctnl_handle *h, uint8_t family, const struct ctnl_filter *f,
			      struct ctnl_err *err);

/* ---- batches ---- */

/* What a batch does with each message. */
enum ctnl_batch_op {
	CTNL_BATCH_CREATE = 1,
	CTNL_BATCH_UPDATE,
	CTNL_BATCH_DELETE,
};

/**
 * ctnl_ct_batch - many creates, updates or deletes, many per sendmsg
 * @op: what to do with every message
 * @msgs: @n entries
 * @results: optional, @n slots: 0 or the kernel's -errno for each
 * @err: optional; describes the first failure
 *
 * Messages go out many to a datagram, each with NLM_F_ACK and its own
 * sequence number; the ACKs are matched back by sequence number, and
 * no more are in flight than the receive buffer holds.
 *
 * Return: the number of messages the kernel accepted (>= 0); -errno
 * when the exchange itself failed.
 */
CTNL_EXPORT int ctnl_ct_batch(struct ctnl_handle *h, enum ctnl_batch_op op, const struct ctnl_ct_msg *msgs, size_t n,
			      int *results, struct ctnl_err *err);

/* ---- statistics ---- */

/* One CPU's counters: v[CTA_STATS_*] (or v[CTA_STATS_EXP_*] for the
 * expectation table) when bit N of present is set. */
struct ctnl_cpu_stats {
	uint16_t cpu;                      /* from res_id */
	uint32_t present;
	uint32_t v[32];
};

/**
 * ctnl_cpu_stats - per-CPU statistics of a table (conntrack -S)
 * @table: CTNL_TABLE_CONNTRACK or CTNL_TABLE_EXPECT
 * @out: room for @cap CPUs
 * @cap: its size
 *
 * Return: the number of CPUs the kernel reported (may exceed @cap; only
 * @cap are stored); -EINVAL for another table; -errno.
 */
CTNL_EXPORT int ctnl_cpu_stats(struct ctnl_handle *h, enum ctnl_table table, struct ctnl_cpu_stats *out, size_t cap,
			       struct ctnl_err *err);

/* Global counters (IPCTNL_MSG_CT_GET_STATS). */
struct ctnl_global_stats {
	uint32_t present;                  /* bit CTA_STATS_GLOBAL_* */
	uint32_t entries;                  /* CTA_STATS_GLOBAL_ENTRIES: conntrack -C */
	uint32_t max_entries;              /* CTA_STATS_GLOBAL_MAX_ENTRIES */
};

/**
 * ctnl_global_stats - entry count and table size
 * Return: 0; -errno.
 */
CTNL_EXPORT int ctnl_global_stats(struct ctnl_handle *h, struct ctnl_global_stats *out, struct ctnl_err *err);

/**
 * ctnl_count - the number of entries in a table (conntrack -C, -C expect)
 * For expectations, which have no global counter, it counts a dump.
 * Return: the count (>= 0); -errno.
 */
CTNL_EXPORT long ctnl_count(struct ctnl_handle *h, enum ctnl_table table, struct ctnl_err *err);

/* ---- expectations ---- */

/**
 * ctnl_exp_fn - one expectation of a dump or a get
 * @m: decoded (ctnl/exp.h); views valid until the callback returns
 * Return: as ctnl_ct_fn.
 */
typedef int (*ctnl_exp_fn)(const struct ctnl_exp_msg *m, void *arg);

/**
 * ctnl_exp_dump - stream the expectation table
 * @family: 0 for all
 *
 * Malformed messages are reported to on_error and skipped.
 *
 * Return: the number of expectations delivered (>= 0); what @fn returned
 * to stop; -errno.
 */
CTNL_EXPORT int ctnl_exp_dump(struct ctnl_handle *h, uint8_t family, ctnl_exp_fn fn, void *arg, struct ctnl_err *err);

/**
 * ctnl_exp_create - create an expectation
 * @m: needs MASTER (the original tuple of an existing entry with a
 *     helper), TUPLE and MASK; TIMEOUT, HELP_NAME, ZONE, FLAGS, CLASS and
 *     NAT as wanted.  hdr.family 0: taken from the tuple
 *
 * Return: 0; -EEXIST; -ENOENT (no such master); -EOPNOTSUPP (the master
 * has no helper); -errno.
 */
CTNL_EXPORT int ctnl_exp_create(struct ctnl_handle *h, const struct ctnl_exp_msg *m, struct ctnl_err *err);

/**
 * ctnl_exp_get - read one expectation, by its tuple (and zone)
 * Return: 0 or what @fn returned; -ENOENT; -errno.
 */
CTNL_EXPORT int ctnl_exp_get(struct ctnl_handle *h, const struct ctnl_exp_msg *m, ctnl_exp_fn fn, void *arg,
			     struct ctnl_err *err);

/**
 * ctnl_exp_delete - delete one expectation, by its tuple (and zone; its id
 * must match when present).  A dumped expectation can be passed as it is.
 * Return: 0; -ENOENT; -EINVAL (no tuple: use ctnl_exp_flush); -errno.
 */
CTNL_EXPORT int ctnl_exp_delete(struct ctnl_handle *h, const struct ctnl_exp_msg *m, struct ctnl_err *err);

/**
 * ctnl_exp_flush - delete expectations of one family (0: all)
 *
 * The kernel's expectation flush ignores the family, so a per-family
 * flush dumps that family and deletes each expectation by its tuple.
 *
 * Return: 0; -errno.
 */
CTNL_EXPORT int ctnl_exp_flush(struct ctnl_handle *h, uint8_t family, struct ctnl_err *err);

/* ---- events ---- */

/* One event, as delivered to a subscription's callback. */
struct ctnl_event {
	enum ctnl_table table;             /* when event_source is on, else 0 */
	unsigned group;                    /* CTNL_EV_* bit, when event_source is on, else 0 */
	int resync;                        /* 1: made up by a resync after lost events, not sent by the kernel */
	const struct ctnl_ct_msg *ct;      /* decoded conntrack event (conntrack table) */
	const struct ctnl_exp_msg *exp;    /* decoded expectation event (expectation table) */
	const void *raw;                   /* the message (NULL for resync events) */
	size_t len;
};

/**
 * ctnl_event_fn - one event
 *
 * The callback may make requests on the same handle (they use the other
 * socket), except during a resync, where they fail with -EBUSY.
 *
 * Return: 0 to go on; non-zero to stop ctnl_event_run (which returns it)
 * or ctnl_event_process (which stores it in *stop_value).  The
 * subscription stays, and can be read again, until ctnl_event_unregister.
 */
typedef int (*ctnl_event_fn)(const struct ctnl_event *ev, void *arg);

/* Options of a subscription.  Zero-initialise and set .size. */
struct ctnl_event_opts {
	size_t size;
	int resync;                        /* after lost events, dump the table and report what changed as
					    * resync events (conntrack table only; keeps one small record per entry) */
	const struct ctnl_bpf_match *match;/* a filter compiled with ctnl_bpf_compile and attached in the kernel: */
	size_t nmatch;                     /* only matching events reach the socket (conntrack table) */
	const struct ctnl_bpf_insn *bpf;   /* or a classic BPF program of bpf_len instructions, attached as is */
	unsigned bpf_len;
};

/**
 * ctnl_event_register - subscribe to a table's events
 * @table: CTNL_TABLE_CONNTRACK or CTNL_TABLE_EXPECT
 * @groups: CTNL_EV_* bits of that table (other bits: -EINVAL)
 * @fn: the callback
 * @o: optional
 *
 * Makes the handle's event socket, attaches the filter (o->match or
 * o->bpf), then joins the groups, so no event passes unfiltered.  On failure nothing stays subscribed and the handle is as
 * before.  One subscription per handle; requests keep working.
 *
 * Return: 0; -EBUSY (already subscribed); -EINVAL; the errors of
 * ctnl_bpf_compile for a bad filter; -EPERM (needs CAP_NET_ADMIN); -errno.
 */
CTNL_EXPORT int ctnl_event_register(struct ctnl_handle *h, enum ctnl_table table, unsigned groups, ctnl_event_fn fn,
				    void *arg, const struct ctnl_event_opts *o, struct ctnl_err *err);

/**
 * ctnl_event_unregister - leave the groups and close the event socket
 * Return: 0; -ENOENT if not subscribed.
 */
CTNL_EXPORT int ctnl_event_unregister(struct ctnl_handle *h);

/**
 * ctnl_event_fd - the pollable descriptor of the subscription (POLLIN)
 * Return: the fd; -ENOENT if not subscribed.
 */
CTNL_EXPORT int ctnl_event_fd(const struct ctnl_handle *h);

/**
 * ctnl_event_process - handle whatever events are ready, without blocking
 * @stop_value: optional; set to the callback's non-zero return value when
 *              it asked to stop (the call then returns at once), else 0
 *
 * Reads until the socket is empty (at most 4096 datagrams per call, so
 * a storm cannot starve the caller's other descriptors; the fd stays
 * readable).  Lost events (ENOBUFS) are reported to on_error, counted,
 * optionally resynced, and do not end the subscription.
 *
 * Return: the number of events delivered (>= 0); -ENOENT (not
 * subscribed); -errno of the socket.
 */
CTNL_EXPORT int ctnl_event_process(struct ctnl_handle *h, int *stop_value, struct ctnl_err *err);

/**
 * ctnl_event_run - block and deliver events until stopped
 * @timeout_ms: give up after this long without an event; < 0: never
 *
 * Return: the callback's non-zero value; 0 after ctnl_event_stop or the
 * timeout; -errno.
 */
CTNL_EXPORT int ctnl_event_run(struct ctnl_handle *h, int timeout_ms, struct ctnl_err *err);

/**
 * ctnl_event_stop - make ctnl_event_run return 0 (from the callback, a
 * signal handler or another thread; async-signal-safe)
 */
CTNL_EXPORT void ctnl_event_stop(struct ctnl_handle *h);


#ifdef __cplusplus
}
#endif

#endif
