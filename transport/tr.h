/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TRANSPORT_TR_H
#define CTNL_TRANSPORT_TR_H

/* Shared between the transport's files; not installed. */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include <ctnl/conntrack.h>

/* Large enough for any datagram the kernel sends (dump skbs are at most
 * 32 KiB; a bigger buffer lets it fill them whole). */
#define CTNL_TR_RBUF (128u * 1024u)
#define CTNL_TR_SBUF (64u * 1024u)

struct ctnl_resync;
struct ctnl_tr_reader;

struct ctnl_handle {
	int fd;                            /* request socket */
	uint32_t portid;
	uint32_t seq;
	int nsfd;                          /* the target namespace, kept to make more sockets; -1: none */
	struct ctnl_open_opts o;
	uint8_t *rbuf;                     /* receive buffer, CTNL_TR_RBUF */
	uint8_t *sbuf;                     /* request buffer, CTNL_TR_SBUF */
	struct ctnl_counters cnt;
	int busy;                          /* inside a request: callbacks must not start another */
	struct ctnl_tr_reader *rd;         /* big dumps' reader thread and ring; NULL until the first */

	/* the subscription */
	int efd;                           /* event socket; -1: none */
	int stopfd;                        /* eventfd for ctnl_event_stop; -1: none */
	uint32_t eportid;
	enum ctnl_table etable;
	unsigned egroups;
	ctnl_event_fn efn;
	void *earg;
	void *ebuf;                        /* struct ev_state (events.c) */
	struct ctnl_resync *rs;            /* NULL unless resync was asked for */
};

/* socket.c */
void ctnl_tr_log(struct ctnl_handle *h, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int ctnl_tr_socket(struct ctnl_handle *h, uint32_t *portid, int rcvbuf, struct ctnl_err *err);
int ctnl_tr_fail(struct ctnl_err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ctnl_tr_report(struct ctnl_handle *h, const struct ctnl_err *e, const void *msg, size_t len);
/* Hand a buffer sent (to_kernel 1) or received (0) to the tap, if any,
 * stamped now or (_at) when it was received. */
void ctnl_tr_tap(struct ctnl_handle *h, const void *buf, size_t len, int to_kernel);
void ctnl_tr_tap_at(struct ctnl_handle *h, const void *buf, size_t len, int to_kernel, const struct timespec *ts);

/* request.c: send a request built in any buffer and run its replies */
struct ctnl_tr_req {
	const uint8_t *msg;                /* the request (seq and pid already set) */
	size_t len;
	const struct ctnl_nest_desc *desc; /* to name attributes in errors; NULL: none */
	ctnl_msg_fn fn;                    /* each reply other than DONE/ACK */
	void *arg;
};
int ctnl_tr_xfer(struct ctnl_handle *h, struct ctnl_tr_req *r, struct ctnl_err *err);
/* Header of a request in h->sbuf: returns the length so far (20). */
size_t ctnl_tr_hdr(struct ctnl_handle *h, uint8_t *buf, uint16_t type, uint16_t flags, uint8_t family);
int ctnl_tr_sock_reset(struct ctnl_handle *h, struct ctnl_err *err);
int ctnl_tr_map_nlerr(struct ctnl_handle *h, const uint8_t *msg, size_t len, const uint8_t *req, size_t req_len,
		      const struct ctnl_nest_desc *desc, struct ctnl_err *err);

/* One recvmsg() on the request socket, as it came: judged later, on the
 * caller's thread, whichever thread received it. */
struct ctnl_tr_dgram {
	uint8_t *buf;                      /* CTNL_TR_RBUF bytes */
	ssize_t n;                         /* recvmsg's result */
	int err;                           /* its errno when n < 0 */
	int flags;                         /* msg_flags */
	uint32_t from;                     /* the sender's port id */
	struct timespec ts;                /* just after the receive, when @stamp was set */
};
void ctnl_tr_recv(int fd, uint8_t *buf, int stamp, struct ctnl_tr_dgram *d);

/* reader.c: the rest of a big dump received on a thread of its own, into
 * a small ring, while the caller's thread decodes (see the file). */
int ctnl_tr_reader_start(struct ctnl_handle *h);
int ctnl_tr_reader_next(struct ctnl_handle *h, struct ctnl_tr_dgram *d);
void ctnl_tr_reader_release(struct ctnl_handle *h);
void ctnl_tr_reader_stop(struct ctnl_handle *h);
void ctnl_tr_reader_free(struct ctnl_handle *h);

/* ct.c */
int ctnl_tr_ct_encode(struct ctnl_handle *h, const struct ctnl_ct_msg *m, uint16_t cmd, uint16_t flags, uint8_t *buf,
		      size_t cap, size_t *len, struct ctnl_err *err);
uint8_t ctnl_tr_family_of(const struct ctnl_ct_msg *m);

/* events.c */
void ctnl_tr_event_close(struct ctnl_handle *h);

#endif
