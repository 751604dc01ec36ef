/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The handle: sockets made in the right network namespace, options,
 * logging, and the life cycle.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "tr.h"

#define REQ_RCVBUF_DEFAULT (1024 * 1024)

void ctnl_tr_log(struct ctnl_handle *h, int level, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int max = h->o.log_level ? h->o.log_level : CTNL_LOG_WARN;

	if (!h->o.log || level > max)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	h->o.log(level, line, h->o.log_arg);
}

int ctnl_tr_fail(struct ctnl_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	memset(err, 0, sizeof(*err));
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->what, sizeof(err->what), fmt, ap);
	va_end(ap);
	return code;
}

void ctnl_tr_report(struct ctnl_handle *h, const struct ctnl_err *e, const void *msg, size_t len)
{
	char line[256];

	ctnl_err_format(e, line, sizeof(line));
	ctnl_tr_log(h, CTNL_LOG_WARN, "%s", line);
	if (h->o.on_error)
		h->o.on_error(e, msg, len, h->o.error_arg);
}

void ctnl_tr_tap_at(struct ctnl_handle *h, const void *buf, size_t len, int to_kernel, const struct timespec *ts)
{
	if (h->o.tap)
		h->o.tap(h->o.tap_arg, buf, len, to_kernel, ts);
}

void ctnl_tr_tap(struct ctnl_handle *h, const void *buf, size_t len, int to_kernel)
{
	struct timespec ts;

	if (!h->o.tap)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	h->o.tap(h->o.tap_arg, buf, len, to_kernel, &ts);
}

static void set_bufsize(int fd, int bytes)
{
	/* FORCE passes net.core.rmem_max when privileged; else the plain one */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

static void set_timeout(int fd, int opt, unsigned ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	if (ms)
		(void)setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv));
}

/* Make one netfilter netlink socket in the handle's namespace. */
int ctnl_tr_socket(struct ctnl_handle *h, uint32_t *portid, int rcvbuf, struct ctnl_err *err)
{
	int saved = -1, fd, one = 1, e;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t sl = sizeof(sa);

	if (h->nsfd >= 0) {
		saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (saved < 0)
			return ctnl_tr_fail(err, -errno, "cannot open this thread's network namespace: %s",
					    strerror(errno));
		if (setns(h->nsfd, CLONE_NEWNET) < 0) {
			e = -errno;
			close(saved);
			return ctnl_tr_fail(err, e, "setns into the target namespace failed: %s%s", strerror(-e),
					    e == -EPERM ? " (entering a namespace needs CAP_SYS_ADMIN)" : "");
		}
	}
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	e = fd < 0 ? -errno : 0;
	if (saved >= 0) {
		if (setns(saved, CLONE_NEWNET) < 0) {
			/* the thread would stay in the wrong namespace: refuse */
			int re = -errno;

			close(saved);
			if (fd >= 0)
				close(fd);
			return ctnl_tr_fail(err, re, "could not return to the original network namespace: %s",
					    strerror(-re));
		}
		close(saved);
	}
	if (fd < 0)
		return ctnl_tr_fail(err, e, "socket(AF_NETLINK, NETLINK_NETFILTER): %s", strerror(-e));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || getsockname(fd, (struct sockaddr *)&sa, &sl) < 0) {
		e = -errno;
		close(fd);
		return ctnl_tr_fail(err, e, "bind: %s", strerror(-e));
	}
	/* errors name their attribute; the request is not echoed back */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (rcvbuf > 0)
		set_bufsize(fd, rcvbuf);
	set_timeout(fd, SO_RCVTIMEO, h->o.read_timeout_ms);
	set_timeout(fd, SO_SNDTIMEO, h->o.write_timeout_ms);
	*portid = sa.nl_pid;
	return fd;
}

int ctnl_open(struct ctnl_handle **out, const struct ctnl_open_opts *opts, struct ctnl_err *err)
{
	struct ctnl_handle *h;
	int fd;

	*out = NULL;
	if (opts && opts->size < sizeof(size_t))
		return ctnl_tr_fail(err, -EINVAL, "ctnl_open_opts.size is not set");
	h = calloc(1, sizeof(*h));
	if (!h)
		return ctnl_tr_fail(err, -ENOMEM, "out of memory");
	if (opts) {
		/* fields past the caller's size read as zero */
		memcpy(&h->o, opts, opts->size < sizeof(h->o) ? opts->size : sizeof(h->o));
	}
	h->o.size = sizeof(h->o);
	h->fd = h->efd = h->stopfd = h->nsfd = -1;
	if (h->o.netns_fd > 0) {
		h->nsfd = fcntl(h->o.netns_fd, F_DUPFD_CLOEXEC, 3);
		if (h->nsfd < 0) {
			int e = -errno;

			ctnl_close(h);
			return ctnl_tr_fail(err, e, "netns fd %d: %s", opts->netns_fd, strerror(-e));
		}
	} else if (h->o.netns_path) {
		h->nsfd = open(h->o.netns_path, O_RDONLY | O_CLOEXEC);
		if (h->nsfd < 0) {
			int e = -errno;

			ctnl_close(h);
			return ctnl_tr_fail(err, e, "netns %s: %s", opts->netns_path, strerror(-e));
		}
	}
	h->o.netns_path = NULL;            /* not ours to keep */
	h->rbuf = malloc(CTNL_TR_RBUF);
	h->sbuf = malloc(CTNL_TR_SBUF);
	if (!h->rbuf || !h->sbuf) {
		ctnl_close(h);
		return ctnl_tr_fail(err, -ENOMEM, "out of memory");
	}
	fd = ctnl_tr_socket(h, &h->portid, h->o.rcvbuf ? h->o.rcvbuf : REQ_RCVBUF_DEFAULT, err);
	if (fd < 0) {
		ctnl_close(h);
		return fd;
	}
	h->fd = fd;
	/* a random start, as the kernel's own users do: stale replies of an
	 * earlier process with the same port id cannot match */
	h->seq = (uint32_t)getpid() * 2654435761u ^ (uint32_t)(uintptr_t)h;
	*out = h;
	return 0;
}

/* Replace the request socket: after a timeout or an abandoned dump its
 * queue holds replies that belong to no one. */
int ctnl_tr_sock_reset(struct ctnl_handle *h, struct ctnl_err *err)
{
	uint32_t pid;
	int fd = ctnl_tr_socket(h, &pid, h->o.rcvbuf ? h->o.rcvbuf : REQ_RCVBUF_DEFAULT, err);

	if (fd < 0)
		return fd;
	close(h->fd);
	h->fd = fd;
	h->portid = pid;
	return 0;
}

void ctnl_close(struct ctnl_handle *h)
{
	if (!h)
		return;
	ctnl_tr_event_close(h);
	ctnl_tr_reader_free(h);
	if (h->fd >= 0)
		close(h->fd);
	if (h->nsfd >= 0)
		close(h->nsfd);
	free(h->rbuf);
	free(h->sbuf);
	free(h);
}

int ctnl_handle_counters(const struct ctnl_handle *h, struct ctnl_counters *out)
{
	*out = h->cnt;
	return 0;
}

uint32_t ctnl_portid(const struct ctnl_handle *h)
{
	return h->portid;
}
