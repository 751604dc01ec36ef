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
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "tr.h"

/* Eight datagrams (256 KiB touched) are four milliseconds of the
 * kernel's output: the caller can be away that long before the reader
 * waits for a slot. */
#define RD_SLOTS 8
/* A sleeping caller is woken when this many are ready, or by the last.
 * Each wake-up costs the reader a futex call and an IPI (in a VM an
 * exit), about 30 us measured with perf: a wake per datagram and a
 * mutex between the threads were 4% of the reader's time, more than
 * the whole of the caller's decoding. */
#define RD_WAKE 4

/*
 * A ring with one writer (the reader thread: tail) and one reader (the
 * caller: head), so no lock: each side publishes its index with a
 * release store and reads the other's with an acquire load.  A side
 * with nothing to do sleeps on the other's index (a futex word), after
 * saying so in its own flag; each checks the other's flag after its
 * store, all sequentially consistent, so either the sleeper sees the
 * new index or the waker sees the flag (no lost wake-up).
 */
struct ctnl_tr_reader {
	_Atomic uint32_t tail;             /* datagrams received; the caller sleeps on it */
	_Atomic uint32_t head;             /* datagrams released; the reader sleeps on it */
	_Atomic int caller_waits, reader_waits;
	_Atomic int stop, ended;
	pthread_t thread;
	int running;                       /* a thread to join (the caller's field) */
	int fd;
	int stamp;                         /* a tap wants receive times */
	struct ctnl_tr_dgram slot[RD_SLOTS];
	uint8_t *mem;                      /* RD_SLOTS * CTNL_TR_RBUF */
};

static void futex_wait(_Atomic uint32_t *word, uint32_t seen)
{
	/* returns at once when *word is no longer seen; EINTR is a wake-up too */
	(void)syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *word)
{
	(void)syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

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
	uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	int last = 0;

	(void)pthread_setname_np(pthread_self(), "ctnl-dump");
	while (!last && !atomic_load(&r->stop)) {
		struct ctnl_tr_dgram *d;
		uint32_t h = atomic_load_explicit(&r->head, memory_order_acquire);

		if (t - h == RD_SLOTS) {
			/* full: the caller is away; sleep until it releases one */
			atomic_store(&r->reader_waits, 1);
			h = atomic_load(&r->head);
			if (t - h == RD_SLOTS && !atomic_load(&r->stop))
				futex_wait(&r->head, h);
			atomic_store(&r->reader_waits, 0);
			continue;
		}
		/* not yet published, so the caller will not look at it */
		d = &r->slot[t % RD_SLOTS];
		ctnl_tr_recv(r->fd, d->buf, r->stamp, d);
		last = maybe_last(d);
		atomic_store(&r->tail, ++t);
		if (atomic_load(&r->caller_waits) && (last || t - atomic_load(&r->head) >= RD_WAKE))
			futex_wake(&r->tail);
	}
	atomic_store(&r->ended, 1);
	/* the caller may be asleep on tail with nothing new in it */
	futex_wake(&r->tail);
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
	atomic_store(&r->tail, 0);
	atomic_store(&r->head, 0);
	atomic_store(&r->caller_waits, 0);
	atomic_store(&r->reader_waits, 0);
	atomic_store(&r->stop, 0);
	atomic_store(&r->ended, 0);
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
	uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	for (;;) {
		uint32_t t = atomic_load_explicit(&r->tail, memory_order_acquire);

		if (t != head) {
			*d = r->slot[head % RD_SLOTS];
			return 1;
		}
		if (atomic_load(&r->ended)) {
			/* ended after a last publish we may not have seen yet */
			if (atomic_load(&r->tail) != head)
				continue;
			return 0;
		}
		atomic_store(&r->caller_waits, 1);
		t = atomic_load(&r->tail);
		if (t == head && !atomic_load(&r->ended))
			futex_wait(&r->tail, t);
		atomic_store(&r->caller_waits, 0);
	}
}

/* Give the datagram of ctnl_tr_reader_next back to the reader. */
void ctnl_tr_reader_release(struct ctnl_handle *h)
{
	struct ctnl_tr_reader *r = h->rd;

	atomic_fetch_add(&r->head, 1);
	if (atomic_load(&r->reader_waits))
		futex_wake(&r->head);
}

/* Make the reader end after its current receive, and join it.  Whatever
 * it leaves in the ring is dropped; the socket may still hold more (the
 * caller resets it if the exchange did not finish). */
void ctnl_tr_reader_stop(struct ctnl_handle *h)
{
	struct ctnl_tr_reader *r = h->rd;

	if (!r || !r->running)
		return;
	atomic_store(&r->stop, 1);
	/* a reader asleep on a full ring wakes to see it; one in recvmsg
	 * sees it after that receive */
	futex_wake(&r->head);
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
	free(r->mem);
	free(r);
	h->rd = NULL;
}
