/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The reader of a big dump.  The kernel builds each dump datagram inside
 * the recvmsg() that takes the previous one (netlink_dump), about ten
 * times the work of decoding it.  Read serially, the two never overlap;
 * here a second thread does nothing but those receives, into a ring of
 * a few buffers, while the caller's thread decodes and runs callbacks.
 *
 * The reader judges nothing: the tap, the sender and truncation checks,
 * seq and port id, counters, logs and the user's callbacks all stay on
 * the caller's thread, in the order a serial read gives them.  It stops
 *   - after a datagram that holds NLMSG_DONE or NLMSG_ERROR, or whose
 *     framing it cannot walk, or that was truncated;
 *   - after a failed receive (a timeout included);
 *   - when the caller asks (checked after each receive: the kernel keeps
 *     producing until DONE, so a receive never waits on a dump that will
 *     not go on, and the socket's timeout bounds it otherwise).
 * Those are all the datagrams after which the caller might finish, and
 * some more: when the reader ends early the caller reads the rest itself,
 * so the reader only has to never read past the caller's end.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>

#include "tr.h"

/* One being decoded, one being received, two in hand for a slow spell. */
#define RD_SLOTS 4
/* A caller with nothing to decode sleeps until this many are ready: each
 * wake-up costs both threads a few microseconds (a futex call, an IPI, in
 * a VM an exit); two at a time halves them, for a datagram of latency. */
#define RD_WAKE 2

struct ctnl_tr_reader {
	pthread_mutex_t lock;
	pthread_cond_t filled;             /* a datagram arrived, or the reader ended */
	pthread_cond_t freed;              /* a slot was released, or stop was set */
	pthread_t thread;
	int running;                       /* a thread to join (the caller's field) */
	int fd;
	int stamp;                         /* a tap wants receive times */
	/* under lock: slots head .. head + count - 1 hold datagrams, in order */
	unsigned head, count;
	int stop, ended;
	struct ctnl_tr_dgram slot[RD_SLOTS];
	uint8_t *mem;                      /* RD_SLOTS * CTNL_TR_RBUF */
};

/* Could the caller finish after this datagram?  Yes for every datagram
 * that ends a dump; for anything this walk cannot judge too. */
static int maybe_last(const struct ctnl_tr_dgram *d)
{
	size_t at = 0, n;

	if (d->n < 0 || (d->flags & MSG_TRUNC))
		return 1;
	n = (size_t)d->n;
	while (at < n) {
		struct nlmsghdr m;

		if (n - at < sizeof(m))
			return 1;
		memcpy(&m, d->buf + at, sizeof(m));
		if (m.nlmsg_len < sizeof(m) || m.nlmsg_len > n - at)
			return 1;
		if (m.nlmsg_type == NLMSG_DONE || m.nlmsg_type == NLMSG_ERROR)
			return 1;
		at += NLMSG_ALIGN(m.nlmsg_len);
	}
	return 0;
}

static void *reader_main(void *arg)
{
	struct ctnl_tr_reader *r = arg;
	int last = 0;

	(void)pthread_setname_np(pthread_self(), "ctnl-dump");
	pthread_mutex_lock(&r->lock);
	while (!last) {
		struct ctnl_tr_dgram *d;

		while (r->count == RD_SLOTS && !r->stop)
			pthread_cond_wait(&r->freed, &r->lock);
		if (r->stop)
			break;
		/* not yet counted, so the caller will not look at it */
		d = &r->slot[(r->head + r->count) % RD_SLOTS];
		pthread_mutex_unlock(&r->lock);
		ctnl_tr_recv(r->fd, d->buf, r->stamp, d);
		last = maybe_last(d);
		pthread_mutex_lock(&r->lock);
		r->count++;
		if (r->count >= RD_WAKE || last)
			pthread_cond_signal(&r->filled);
	}
	r->ended = 1;
	pthread_cond_signal(&r->filled);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

static struct ctnl_tr_reader *reader_new(void)
{
	struct ctnl_tr_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	/* untouched pages cost no memory: a dump datagram fills 32 KiB of each */
	r->mem = malloc((size_t)RD_SLOTS * CTNL_TR_RBUF);
	if (!r->mem) {
		free(r);
		return NULL;
	}
	for (unsigned i = 0; i < RD_SLOTS; i++)
		r->slot[i].buf = r->mem + (size_t)i * CTNL_TR_RBUF;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->freed, NULL);
	return r;
}

/**
 * ctnl_tr_reader_start - receive the rest of the current dump on a thread
 * @h: the handle, inside ctnl_tr_xfer, with datagrams still to come
 *
 * The thread blocks every signal: a handler the caller installed runs on
 * the caller's thread, as before.
 *
 * Return: 0; -ENOMEM or pthread_create's error (then read on as before).
 */
int ctnl_tr_reader_start(struct ctnl_handle *h)
{
	struct ctnl_tr_reader *r = h->rd;
	pthread_attr_t attr;
	sigset_t all, old;
	int rc;

	if (!r) {
		r = reader_new();
		if (!r)
			return -ENOMEM;
		h->rd = r;
	}
	r->fd = h->fd;
	r->stamp = h->o.tap != NULL;
	r->head = r->count = 0;
	r->stop = r->ended = 0;
	rc = pthread_attr_init(&attr);
	if (rc)
		return -rc;
	/* recvmsg and a little bookkeeping: the default 8 MiB is reserved for nothing */
	(void)pthread_attr_setstacksize(&attr, 256 * 1024);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&r->thread, &attr, reader_main, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc)
		return -rc;
	r->running = 1;
	return 0;
}

/**
 * ctnl_tr_reader_next - the oldest datagram not yet released
 * @h: the handle, its reader started
 * @d: filled; its buffer is the reader's until ctnl_tr_reader_release
 *
 * Return: 1 with a datagram; 0 when the reader ended and left none (the
 * caller then stops it and reads on by itself).
 */
int ctnl_tr_reader_next(struct ctnl_handle *h, struct ctnl_tr_dgram *d)
{
	struct ctnl_tr_reader *r = h->rd;
	int got;

	pthread_mutex_lock(&r->lock);
	if (!r->count)
		while (r->count < RD_WAKE && !r->ended)
			pthread_cond_wait(&r->filled, &r->lock);
	got = r->count > 0;
	if (got)
		*d = r->slot[r->head];
	pthread_mutex_unlock(&r->lock);
	return got;
}

/* Give the datagram of ctnl_tr_reader_next back to the reader. */
void ctnl_tr_reader_release(struct ctnl_handle *h)
{
	struct ctnl_tr_reader *r = h->rd;

	pthread_mutex_lock(&r->lock);
	r->head = (r->head + 1) % RD_SLOTS;
	r->count--;
	pthread_cond_signal(&r->freed);
	pthread_mutex_unlock(&r->lock);
}

/* Make the reader end after its current receive, and join it.  Whatever
 * it leaves in the ring is dropped; the socket may still hold more (the
 * caller resets it if the exchange did not finish). */
void ctnl_tr_reader_stop(struct ctnl_handle *h)
{
	struct ctnl_tr_reader *r = h->rd;

	if (!r || !r->running)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	pthread_cond_signal(&r->freed);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	r->running = 0;
}

/* ctnl_close: never inside a request, so no thread is left to join. */
void ctnl_tr_reader_free(struct ctnl_handle *h)
{
	struct ctnl_tr_reader *r = h->rd;

	if (!r)
		return;
	ctnl_tr_reader_stop(h);
	pthread_cond_destroy(&r->freed);
	pthread_cond_destroy(&r->filled);
	pthread_mutex_destroy(&r->lock);
	free(r->mem);
	free(r);
	h->rd = NULL;
}
