/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_PCAP_H
#define CTNL_PCAP_H

/*
 * nlmon captures: reading them (pcap and pcapng, through libpcap) and
 * writing them (pcap), in library ctnl-replay.  See docs/captures.md.
 *
 *   one record of LINKTYPE_NETLINK (253), as the kernel's nlmon tap and
 *   libpcap make it (LINUX_SLL, 113, is the same 16 bytes; LINUX_SLL2, 276,
 *   puts the same fields in 20 bytes):
 *
 *   0        2        4        6                         14       16
 *   +--------+--------+--------+-------------------------+--------+----------------+
 *   |pkttype | hatype | halen  | address (8, unused)     |protocol| netlink bytes  |
 *   |   4    |  824   |   0    |                         | family | nlmsg nlmsg ...|
 *   +--------+--------+--------+-------------------------+--------+----------------+
 *    big-endian, whatever the file's byte order            payload: the capturing
 *                                                          host's byte order
 *
 * The reader walks a file record by record (memory does not grow with the
 * file), splits each record into its netlink messages, puts their headers
 * into this host's byte order, tells requests from replies by
 * NLM_F_REQUEST, and judges each reply by the request it answers.  It
 * returns conntrack and expectation messages and the control messages
 * (ACK, error, done) around them; other netlink families and other
 * nfnetlink subsystems are skipped and counted.
 *
 * Errors never stop the reader at a record: a bad record is reported, with
 * its number, by one call, and the next call goes on with the next record.
 * Only a damaged file (cut in the middle, unreadable) ends the reading.
 *
 * Nothing here prints, exits or keeps a pointer the caller gave it after
 * the call returns.  A reader or writer is not safe to use from two threads
 * at once.
 */

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <ctnl/attr.h>
#include <ctnl/export.h>
#include <ctnl/msg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Link types (LINKTYPE_* of tcpdump.org, equal to libpcap's DLT_* here). */
#define CTNL_LINKTYPE_NETLINK    253
#define CTNL_LINKTYPE_LINUX_SLL  113
#define CTNL_LINKTYPE_LINUX_SLL2 276

#define CTNL_ARPHRD_NETLINK 824          /* the hatype of every netlink record */
#define CTNL_PCAP_SNAPLEN 262144u        /* what the writer announces, as dumpcap */

/* ------------------------------------------------------------------ */
/* Errors                                                               */

/* What went wrong with a record (or the file). */
enum ctnl_pcap_fault {
	CTNL_PCAP_F_NONE = 0,
	CTNL_PCAP_F_FILE,          /* libpcap could not read on: cut file, I/O error.  Reading ends */
	CTNL_PCAP_F_LINKTYPE,      /* the file's link type is not netlink (253, 113, 276) */
	CTNL_PCAP_F_COOKED,        /* the cooked header is short or not netlink (hatype != 824 on 253) */
	CTNL_PCAP_F_TRUNCATED,     /* caplen < len: the messages that fit were returned first */
	CTNL_PCAP_F_NLMSG,         /* a netlink header is bad (nlmsg_len < 16 or past the record) */
};

/* An error: the code, the record (and message) it is about, and a text. */
struct ctnl_pcap_err {
	int code;                  /* -EBADMSG, -ENODATA, -EPROTONOSUPPORT, -EIO, ... */
	enum ctnl_pcap_fault fault;
	uint64_t record;           /* 1-based, as tshark's frame.number; 0: the file itself */
	uint32_t msg_index;        /* message within the record (CTNL_PCAP_F_NLMSG) */
	uint32_t offset;           /* byte offset in the record's netlink payload */
	char what[160];            /* "nlmsg_len 12 is below the 16-byte header" */
};

/**
 * ctnl_pcap_err_format - one line of text for a reader error
 * @err: a filled error
 * @buf: output, always NUL-terminated when @len > 0
 * @len: size of @buf
 *
 * Example: "record 7: message 2 (byte 480): nlmsg_len 12 is below the 16-byte header"
 *
 * Return: the length the full text needs, as snprintf.
 */
CTNL_EXPORT int ctnl_pcap_err_format(const struct ctnl_pcap_err *err, char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Reader                                                               */

struct ctnl_pcap_reader;           /* opaque */

/* Reader flags. */
#define CTNL_PCAP_KEEP_OTHER 0x01u   /* return other families and subsystems too (kind CTNL_PK_OTHER) */
#define CTNL_PCAP_NO_SWAP    0x02u   /* leave opposite-endian messages as captured (msg.swapped still says so) */

#define CTNL_PCAP_REQ_SLOTS_DEFAULT 64
#define CTNL_PCAP_REQ_SLOTS_MAX 4096

/* Size-tagged: fields may be added at the end. */
struct ctnl_pcap_opts {
	size_t size;                   /* sizeof(struct ctnl_pcap_opts) */
	unsigned flags;                /* CTNL_PCAP_* */
	uint32_t req_slots;            /* requests remembered for matching (0: the default, 64; at most
					* CTNL_PCAP_REQ_SLOTS_MAX).  A request is forgotten when its ACK,
					* error or NLMSG_DONE arrives; when all slots hold unanswered
					* requests, the oldest is evicted (stats.requests_evicted) */
};

/* What a message is, judged with the request it answers. */
enum ctnl_pcap_kind {
	CTNL_PK_CT = 1,                /* a conntrack entry: request, reply entry or event (ctnl_ct_decode) */
	CTNL_PK_CT_STATS_CPU,          /* IPCTNL_MSG_CT_GET_STATS_CPU request or reply (res_id = cpu) */
	CTNL_PK_CT_STATS,              /* IPCTNL_MSG_CT_GET_STATS */
	CTNL_PK_EXP,                   /* an expectation: NEW, GET, DELETE */
	CTNL_PK_EXP_STATS_CPU,         /* expectation per-CPU stats: the request (0x0203), and its reply,
					* which the kernel sends as conntrack type 3 (0x0103) */
	CTNL_PK_CT_UNKNOWN,            /* a ctnetlink or ctnetlink_exp type this version does not know */
	CTNL_PK_ACK,                   /* NLMSG_ERROR with error 0 */
	CTNL_PK_ERROR,                 /* NLMSG_ERROR with an errno (ctnl_nlerr_parse) */
	CTNL_PK_DONE,                  /* NLMSG_DONE, the end of a dump */
	CTNL_PK_CONTROL,               /* NLMSG_NOOP, NLMSG_OVERRUN, other types below 16 */
	CTNL_PK_OTHER,                 /* another family or subsystem (only with CTNL_PCAP_KEEP_OTHER) */
};

/* Direction, from NLM_F_REQUEST (the recorded packet type is always 4). */
enum ctnl_pcap_dir {
	CTNL_DIR_TO_KERNEL = 1,        /* NLM_F_REQUEST set: user space -> kernel */
	CTNL_DIR_TO_USER,              /* the kernel's replies, ACKs, errors, dump parts and events */
};

/* How a kernel->user message relates to the requests seen before it. */
enum ctnl_pcap_role {
	CTNL_ROLE_REQUEST = 1,         /* a user->kernel message */
	CTNL_ROLE_REPLY,               /* NLM_F_MULTI, NLMSG_ERROR or NLMSG_DONE: it answers a request */
	CTNL_ROLE_EVENT,               /* none of those: a multicast event (or an NLM_F_ECHO copy) */
};

/* The request a reply answers, as remembered. */
struct ctnl_pcap_req {
	uint64_t record;               /* where it was */
	uint32_t seq, pid;             /* its nlmsg_seq and nlmsg_pid */
	uint16_t type, flags;          /* its nlmsg_type and nlmsg_flags */
	enum ctnl_pcap_kind kind;
};

/*
 * One netlink message of a capture.  Pointers stay valid until the next
 * ctnl_pcap_next() or ctnl_pcap_close() on the same reader.
 */
struct ctnl_pcap_msg {
	uint64_t record;               /* 1-based record number (tshark's frame.number) */
	uint32_t index;                /* 0-based message index in the record */
	struct timespec ts;            /* the record's time stamp, nanoseconds */
	uint16_t linktype;             /* 253, 113 or 276 */
	uint16_t family;               /* netlink protocol of the record (12: NETLINK_NETFILTER) */
	uint16_t pkttype;              /* as recorded; says nothing (see docs/captures.md) */
	uint8_t swapped;               /* the capturing host's byte order was not ours */
	uint8_t guessed;               /* a 0x0103 reply without its request: kind judged by
					* ctnl_msg_classify(data, len, NULL) (not done on a
					* swapped record read with CTNL_PCAP_NO_SWAP: CTNL_PK_CT) */
	const uint8_t *data;           /* the message, headers in this host's byte order
					* (unless CTNL_PCAP_NO_SWAP) */
	size_t len;                    /* its nlmsg_len */
	const uint8_t *raw;            /* the message as captured */
	struct ctnl_msg hdr;           /* its headers, parsed from data */
	enum ctnl_pcap_dir dir;
	enum ctnl_pcap_role role;
	enum ctnl_pcap_kind kind;
	int has_req;                   /* req is filled */
	struct ctnl_pcap_req req;      /* for a reply: the request it answers */
	uint32_t swap_unknown;         /* attributes the swap left alone (undescribed); 0 if not swapped */
};

/* Counters over everything read so far. */
struct ctnl_pcap_stats {
	uint64_t records;              /* records read */
	uint64_t records_bad;          /* records that gave an error (counted once each) */
	uint64_t records_swapped;      /* records in the opposite byte order */
	uint64_t records_not_netlink;  /* SLL/SLL2 records of other link-layer types (not errors) */
	uint64_t messages;             /* netlink messages found */
	uint64_t returned;             /* messages returned */
	uint64_t skipped_family;       /* messages of other netlink families */
	uint64_t skipped_subsys;       /* NETLINK_NETFILTER messages of other subsystems */
	uint64_t requests;             /* user->kernel messages */
	uint64_t replies_matched;      /* replies whose request was remembered */
	uint64_t replies_unmatched;    /* replies with none (request before the capture, or evicted) */
	uint64_t events;
	uint64_t requests_evicted;     /* requests forgotten unanswered because the table was full */
	uint64_t swap_unknown;         /* attributes left alone by the byte swap */
};

/**
 * ctnl_pcap_open - open a capture file for reading
 * @path: a pcap or pcapng file; "-" reads standard input
 * @opts: NULL for defaults
 * @ret: set to the new reader
 * @err: optional; filled on failure (record 0)
 *
 * A file whose link type is not netlink opens; each of its records is
 * then an error (CTNL_PCAP_F_LINKTYPE), see ctnl_pcap_linktype().
 *
 * Return: 0; -ENOENT, -EACCES or -EINVAL (not a capture: libpcap's text in
 * @err); -ENOMEM; -EINVAL for bad @opts.
 */
CTNL_EXPORT int ctnl_pcap_open(const char *path, const struct ctnl_pcap_opts *opts,
			       struct ctnl_pcap_reader **ret, struct ctnl_pcap_err *err);

/**
 * ctnl_pcap_fdopen - read a capture from an open file descriptor
 * @fd: readable (a pipe is fine); owned by the reader from now on, closed by
 *      ctnl_pcap_close() (also on failure)
 * @opts, @ret, @err: as ctnl_pcap_open()
 *
 * Return: as ctnl_pcap_open().
 */
CTNL_EXPORT int ctnl_pcap_fdopen(int fd, const struct ctnl_pcap_opts *opts, struct ctnl_pcap_reader **ret,
				 struct ctnl_pcap_err *err);

/**
 * ctnl_pcap_next - the next message of the capture
 * @r: the reader
 * @out: filled when 1 is returned
 * @err: optional; filled when a negative value is returned
 *
 * Call until it returns 0.  A negative return reports one bad record (or
 * the rest of one); the next call goes on after it.
 *
 * Return: 1 with a message; 0 at the end of the file; -ENODATA for a
 * truncated record; -EBADMSG for a bad cooked or netlink header;
 * -EPROTONOSUPPORT for a record of a link type that is not netlink; -EIO
 * when the file itself is damaged (then every later call returns 0).
 */
CTNL_EXPORT int ctnl_pcap_next(struct ctnl_pcap_reader *r, struct ctnl_pcap_msg *out, struct ctnl_pcap_err *err);

/**
 * ctnl_pcap_stats - the counters so far
 * @r: the reader
 * @out: filled
 */
CTNL_EXPORT void ctnl_pcap_stats(const struct ctnl_pcap_reader *r, struct ctnl_pcap_stats *out);

/**
 * ctnl_pcap_linktype - the file's link type
 * @r: the reader
 *
 * Return: the LINKTYPE_ value of the file (of its first interface for pcapng).
 */
CTNL_EXPORT int ctnl_pcap_linktype(const struct ctnl_pcap_reader *r);

/**
 * ctnl_pcap_close - close the file and free the reader
 * @r: the reader, or NULL
 */
CTNL_EXPORT void ctnl_pcap_close(struct ctnl_pcap_reader *r);

/**
 * ctnl_pcap_kind_name - "ct", "exp-stats-cpu", "ack", ...
 * Return: a static string; "?" for a value out of range.
 */
CTNL_EXPORT const char *ctnl_pcap_kind_name(enum ctnl_pcap_kind kind);

/* ------------------------------------------------------------------ */
/* Byte order                                                           */

/* What a swap did. */
struct ctnl_swap_info {
	uint32_t attrs;                /* attribute headers swapped */
	uint32_t unknown;              /* attributes whose value was left alone because no description knew them */
};

/**
 * ctnl_nl_endian - which byte order a record's payload was written in
 * @buf: the netlink payload of a record (after the cooked header)
 * @len: its length
 *
 * As Wireshark does: the first nlmsg_len is read both ways; the reading
 * that fits the record (16 <= nlmsg_len <= @len) wins, this host's order
 * when both or neither fit.
 *
 * Return: 0 when the payload is in this host's byte order, 1 when it is
 * in the opposite one.
 */
CTNL_EXPORT int ctnl_nl_endian(const void *buf, size_t len);

/**
 * ctnl_nl_swap - byte-swap one message's headers into this host's order
 * @in: one message written by a host of the opposite byte order
 * @len: its length (the nlmsg_len, read swapped)
 * @out: destination, @len bytes (may not overlap @in, except @out == @in)
 * @desc: the description of its top-level attributes, or NULL to know
 *        nests only by NLA_F_NESTED.  ctnl_nl_swap_desc() picks one
 * @info: optional; counters
 * @err: optional; offsets relative to @in
 *
 * Swapped: the nlmsghdr; for netfilter types every attribute header, in
 * nests too, and the values the description calls host order
 * (CTNL_K_U32: CTA_FILTER's flags); for NLMSG_ERROR the error code, the
 * echoed header and the extended-ACK TLVs; for NLMSG_DONE its int.  Left
 * as they are: the nfgenmsg (its res_id is big-endian), all big-endian
 * values, and the values of attributes no description knows (counted in
 * @info->unknown).  CTA_LABELS is a host-order bitmap of the writer's
 * word size and is left as captured.  On failure @out holds a partial
 * result.
 *
 * Return: 0; -EBADMSG if a length runs past the message or the nesting is
 * deeper than CTNL_MAX_DEPTH.
 */
CTNL_EXPORT int ctnl_nl_swap(const void *in, size_t len, void *out, const struct ctnl_nest_desc *desc,
			     struct ctnl_swap_info *info, struct ctnl_err *err);

/**
 * ctnl_nl_swap_to_foreign - the reverse of ctnl_nl_swap()
 * @in: one message in this host's byte order
 * @len, @out, @desc, @info, @err: as ctnl_nl_swap()
 *
 * Writes the message as a host of the opposite byte order would have
 * sent it (to make test captures of such hosts, or to answer them).
 * ctnl_nl_swap() of the result gives @in back.
 *
 * Return: as ctnl_nl_swap().
 */
CTNL_EXPORT int ctnl_nl_swap_to_foreign(const void *in, size_t len, void *out, const struct ctnl_nest_desc *desc,
					struct ctnl_swap_info *info, struct ctnl_err *err);

/**
 * ctnl_nl_swap_desc - the description to swap a message of this kind with
 * @kind: the kind (judged with the request, see struct ctnl_pcap_msg)
 *
 * Return: ctnl_ct_desc() for CTNL_PK_CT, ctnl_exp_desc() for CTNL_PK_EXP,
 * ctnl_stats_desc() of the matching kind for the three stats kinds; NULL
 * otherwise (nests known by NLA_F_NESTED).
 */
CTNL_EXPORT const struct ctnl_nest_desc *ctnl_nl_swap_desc(enum ctnl_pcap_kind kind);

/* ------------------------------------------------------------------ */
/* Writer                                                               */

struct ctnl_pcap_writer;           /* opaque */

/**
 * ctnl_pcap_writer_open - create a capture file in the nlmon format
 * @path: the file (created or truncated); "-" writes standard output
 * @ret: set to the new writer
 * @err: optional
 *
 * The file is a pcap of LINKTYPE_NETLINK (253) with nanosecond time
 * stamps, snaplen CTNL_PCAP_SNAPLEN, in this host's byte order: what
 * "tcpdump -i nlmon0 -w" writes, and what Wireshark and tshark dissect as
 * netlink netfilter.
 *
 * Return: 0; -errno of fopen (-ENOENT, -EACCES, ...); -ENOMEM.
 */
CTNL_EXPORT int ctnl_pcap_writer_open(const char *path, struct ctnl_pcap_writer **ret, struct ctnl_pcap_err *err);

/**
 * ctnl_pcap_writer_fdopen - as ctnl_pcap_writer_open() on an open descriptor
 * @fd: writable; owned by the writer from now on (closed by ctnl_pcap_writer_close(), also on failure)
 * @ret, @err: as ctnl_pcap_writer_open()
 *
 * Return: as ctnl_pcap_writer_open().
 */
CTNL_EXPORT int ctnl_pcap_writer_fdopen(int fd, struct ctnl_pcap_writer **ret, struct ctnl_pcap_err *err);

/**
 * ctnl_pcap_write - append one record: one buffer sent or received
 * @w: the writer
 * @buf: the netlink bytes exactly as sent to or received from the socket
 *       (one or more messages, in this host's byte order)
 * @len: their length
 * @family: the netlink protocol (NETLINK_NETFILTER, 12)
 * @ts: the time stamp, or NULL for now (CLOCK_REALTIME)
 *
 * The record gets the cooked header the nlmon tap gives it (packet type 4,
 * hatype 824, protocol @family).  A buffer longer than CTNL_PCAP_SNAPLEN is
 * cut to it and recorded with its full length, as libpcap would.
 *
 * Return: 0; -EIO if the file could not be written (the writer stays
 * usable; the record may be lost); -EINVAL for a NULL @buf with @len > 0.
 */
CTNL_EXPORT int ctnl_pcap_write(struct ctnl_pcap_writer *w, const void *buf, size_t len, int family,
				const struct timespec *ts);

/**
 * ctnl_pcap_writer_flush - push buffered records to the file
 * @w: the writer
 *
 * Return: 0 or -EIO.
 */
CTNL_EXPORT int ctnl_pcap_writer_flush(struct ctnl_pcap_writer *w);

/**
 * ctnl_pcap_writer_close - flush, close the file and free the writer
 * @w: the writer, or NULL
 *
 * Return: 0, or -EIO if buffered records could not be written.
 */
CTNL_EXPORT int ctnl_pcap_writer_close(struct ctnl_pcap_writer *w);

/**
 * ctnl_pcap_tap - record a transport handle's traffic (a ctnl_tap_fn)
 * @writer: a struct ctnl_pcap_writer *, given as the handle's tap_arg
 * @buf: one buffer sent or received, as the transport passes it
 * @len: its length
 * @to_kernel: the transport's direction (not written: the record's
 *             NLM_F_REQUEST bits say it, as in an nlmon capture)
 * @ts: the time stamp of the record
 *
 *   struct ctnl_open_opts o = { .size = sizeof(o), .tap = ctnl_pcap_tap, .tap_arg = w };
 *
 * Each buffer becomes one NETLINK_NETFILTER record: the records an nlmon
 * device in the handle's namespace would have captured for its sockets.
 * A write error is not reported (ctnl_pcap_writer_close() returns it).
 */
CTNL_EXPORT void ctnl_pcap_tap(void *writer, const void *buf, size_t len, int to_kernel, const struct timespec *ts);

#ifdef __cplusplus
}
#endif

#endif
