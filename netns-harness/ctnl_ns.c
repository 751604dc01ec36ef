/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Throwaway network namespaces and real traffic for live tests. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctnl_ns.h"

static const char track_ruleset[] =
	"table inet ctnl_track {\n"
	"	chain pre { type filter hook prerouting priority 0; ct state new counter; }\n"
	"	chain out { type filter hook output priority 0; ct state new counter; }\n"
	"}\n";

int ctnl_ns_why_not(char *why, size_t len, const char *const *tools)
{
	int saved, rc = -1;

	if (geteuid() != 0) {
		snprintf(why, len, "not root (network namespaces and ctnetlink need CAP_SYS_ADMIN and CAP_NET_ADMIN)");
		return -1;
	}
	for (const char *const *t = tools; t && *t; t++) {
		char cmd[256];

		snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", *t);
		if (system(cmd) != 0) {
			snprintf(why, len, "'%s' not found in PATH", *t);
			return -1;
		}
	}
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0) {
		snprintf(why, len, "no /proc/thread-self/ns/net: %s", strerror(errno));
		return -1;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		snprintf(why, len, "unshare(CLONE_NEWNET) failed: %s", strerror(errno));
	} else {
		int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 12 /* NETLINK_NETFILTER */);

		if (fd < 0)
			snprintf(why, len, "no NETLINK_NETFILTER socket in a namespace: %s (ctnetlink missing?)",
				 strerror(errno));
		else
			rc = 0;
		if (fd >= 0)
			close(fd);
		if (setns(saved, CLONE_NEWNET) < 0) {
			fprintf(stderr, "ctnl_ns: cannot return to the original namespace: %s\n", strerror(errno));
			abort();
		}
	}
	close(saved);
	return rc;
}

void ctnl_ns_require_or_skip(const char *const *tools)
{
	char why[256];

	if (ctnl_ns_why_not(why, sizeof(why), tools) < 0) {
		printf("SKIP: %s\n", why);
		fprintf(stderr, "SKIP: %s\n", why);
		exit(CTNL_NS_SKIP);
	}
}

int ctnl_ns_enter(const struct ctnl_ns *ns)
{
	int saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	if (saved < 0)
		return -errno;
	if (setns(ns->fd, CLONE_NEWNET) < 0) {
		int e = -errno;

		close(saved);
		return e;
	}
	return saved;
}

int ctnl_ns_leave(int saved)
{
	int rc = setns(saved, CLONE_NEWNET) < 0 ? -errno : 0;

	close(saved);
	if (rc < 0) {
		/* a test thread left in a test namespace would poison the rest */
		fprintf(stderr, "ctnl_ns: cannot return to the original namespace: %s\n", strerror(-rc));
		abort();
	}
	return 0;
}

int ctnl_ns_socket(const struct ctnl_ns *ns, int domain, int type, int protocol)
{
	int saved = ctnl_ns_enter(ns), fd, e;

	if (saved < 0)
		return saved;
	fd = socket(domain, type | SOCK_CLOEXEC, protocol);
	e = errno;
	ctnl_ns_leave(saved);
	return fd < 0 ? -e : fd;
}

static int lo_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		rc = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!rc && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int ctnl_ns_create(struct ctnl_ns **out)
{
	struct ctnl_ns *ns = calloc(1, sizeof(*ns));
	int saved, rc;

	*out = NULL;
	if (!ns)
		return -ENOMEM;
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0) {
		free(ns);
		return -errno;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		rc = -errno;
		close(saved);
		free(ns);
		return rc;
	}
	ns->fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	rc = ns->fd < 0 ? -errno : lo_up();
	ctnl_ns_leave(saved);
	if (rc < 0) {
		ctnl_ns_destroy(ns);
		return rc;
	}
	snprintf(ns->path, sizeof(ns->path), "/proc/%d/fd/%d", (int)getpid(), ns->fd);
	if (ctnl_ns_nft(ns, track_ruleset) < 0) {
		ctnl_ns_destroy(ns);
		return -EIO;
	}
	*out = ns;
	return 0;
}

void ctnl_ns_destroy(struct ctnl_ns *ns)
{
	if (!ns)
		return;
	for (unsigned i = 0; i < ns->npids; i++) {
		kill(ns->pids[i], SIGKILL);
		waitpid(ns->pids[i], NULL, 0);
	}
	for (unsigned i = 0; i < ns->nkeep; i++)
		close(ns->keep[i]);
	if (ns->fd >= 0)
		close(ns->fd);
	free(ns);
}

/* In the child: into the namespace, die with the parent. */
static void child_setup(const struct ctnl_ns *ns)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setns(ns->fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "ctnl_ns: setns: %s\n", strerror(errno));
		_exit(126);
	}
}

static int run_argv(struct ctnl_ns *ns, char **out, const char *input, char *const *argv)
{
	int op[2] = { -1, -1 }, ip[2] = { -1, -1 }, status;
	size_t len = 0, cap = 0;
	char *buf = NULL;
	pid_t pid;

	if (out)
		*out = NULL;
	if ((out && pipe2(op, O_CLOEXEC) < 0) || (input && pipe2(ip, O_CLOEXEC) < 0))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		child_setup(ns);
		if (out) {
			dup2(op[1], 1);
			dup2(op[1], 2);
		}
		if (input)
			dup2(ip[0], 0);
		else {
			int nul = open("/dev/null", O_RDONLY);

			if (nul >= 0)
				dup2(nul, 0);
		}
		execvp(argv[0], argv);
		fprintf(stderr, "ctnl_ns: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (input) {
		size_t n = strlen(input);

		close(ip[0]);
		while (n > 0) {
			ssize_t w = write(ip[1], input, n);

			if (w <= 0)
				break;
			input += w;
			n -= (size_t)w;
		}
		close(ip[1]);
	}
	if (out) {
		close(op[1]);
		for (;;) {
			ssize_t r;

			if (cap - len < 4096) {
				char *nb = realloc(buf, cap ? cap * 2 : 8192);

				if (!nb)
					break;
				buf = nb;
				cap = cap ? cap * 2 : 8192;
			}
			r = read(op[0], buf + len, cap - len - 1);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			len += (size_t)r;
		}
		close(op[0]);
		if (buf)
			buf[len] = '\0';
		*out = buf ? buf : strdup("");
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int ctnl_ns_run(struct ctnl_ns *ns, char **out, const char *input, const char *argv0, ...)
{
	const char *argv[64];
	unsigned n = 0;
	va_list ap;

	argv[n++] = argv0;
	va_start(ap, argv0);
	while (n < 63 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	return run_argv(ns, out, input, (char *const *)argv);
}

int ctnl_ns_nft(struct ctnl_ns *ns, const char *ruleset)
{
	char *out = NULL;
	int rc = ctnl_ns_run(ns, &out, ruleset, "nft", "-f", "-", NULL);

	if (rc != 0)
		fprintf(stderr, "ctnl_ns: nft failed (%d): %s\n", rc, out ? out : "");
	free(out);
	return rc == 0 ? 0 : -1;
}

int ctnl_ns_sysctl(struct ctnl_ns *ns, const char *key, const char *value)
{
	char path[256];
	int saved = ctnl_ns_enter(ns), fd, rc = 0;

	if (saved < 0)
		return saved;
	/* /proc/sys/net follows the opener's namespace */
	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		rc = -errno;
	if (fd >= 0)
		close(fd);
	ctnl_ns_leave(saved);
	return rc;
}

pid_t ctnl_ns_spawn(struct ctnl_ns *ns, const char *const *argv)
{
	pid_t pid;

	if (ns->npids >= CTNL_NS_MAX_PIDS)
		return -ENOSPC;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		child_setup(ns);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	ns->pids[ns->npids++] = pid;
	return pid;
}

/* ---- traffic ---- */

static int sockaddr_of(const char *addr, uint16_t port, struct sockaddr_storage *ss, socklen_t *sl)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*sl = sizeof(*s4);
		return AF_INET;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*sl = sizeof(*s6);
		return AF_INET6;
	}
	return -EINVAL;
}

static int bound(struct ctnl_ns *ns, int type, int proto, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int one = 1, af = sockaddr_of(addr, port, &ss, &sl), fd;

	if (af < 0)
		return af;
	fd = ctnl_ns_socket(ns, af, type, proto);
	if (fd < 0)
		return fd;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

static int wait_readable(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, ms) == 1 ? 0 : -ETIMEDOUT;
}

static int stream_pair(struct ctnl_ns *ns, int proto, const char *src, uint16_t sport, const char *dst, uint16_t dport,
		       int close_it)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int ls, c, a, af;
	char buf[16];

	ls = bound(ns, SOCK_STREAM, proto, dst, dport);
	if (ls < 0)
		return ls;
	if (listen(ls, 4) < 0)
		goto fail_ls;
	af = sockaddr_of(dst, dport, &ss, &sl);
	c = src ? bound(ns, SOCK_STREAM, proto, src, sport) : ctnl_ns_socket(ns, af, SOCK_STREAM, proto);
	if (c < 0) {
		close(ls);
		return c;
	}
	if (connect(c, (struct sockaddr *)&ss, sl) < 0 || wait_readable(ls, 2000) < 0)
		goto fail_c;
	a = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
	close(ls);
	if (a < 0) {
		int e = -errno;

		close(c);
		return e;
	}
	if (write(c, "ping", 4) != 4 || wait_readable(a, 2000) < 0 || read(a, buf, sizeof(buf)) <= 0 ||
	    write(a, "pong", 4) != 4 || wait_readable(c, 2000) < 0 || read(c, buf, sizeof(buf)) <= 0) {
		close(a);
		close(c);
		return -EIO;
	}
	if (close_it) {
		close(c);
		close(a);
		return 0;
	}
	/* the server end lives as long as the namespace */
	if (ns->nkeep < CTNL_NS_MAX_PIDS)
		ns->keep[ns->nkeep++] = a;
	else
		close(a);
	return c;
fail_c:
	{
		int e = errno ? -errno : -ETIMEDOUT;

		close(c);
		close(ls);
		return e;
	}
fail_ls:
	{
		int e = -errno;

		close(ls);
		return e;
	}
}

int ctnl_ns_tcp(struct ctnl_ns *ns, const char *src, uint16_t sport, const char *dst, uint16_t dport, int close_it)
{
	return stream_pair(ns, IPPROTO_TCP, src, sport, dst, dport, close_it);
}

int ctnl_ns_sctp(struct ctnl_ns *ns, const char *dst, uint16_t dport)
{
	int rc = stream_pair(ns, IPPROTO_SCTP, NULL, 0, dst, dport, 0);

	if (rc == -EPROTONOSUPPORT || rc == -ESOCKTNOSUPPORT)
		return -EPROTONOSUPPORT;
	return rc < 0 ? rc : 0;
}

int ctnl_ns_udp(struct ctnl_ns *ns, const char *src, uint16_t sport, const char *dst, uint16_t dport, int n,
		int reply)
{
	struct sockaddr_storage to, from;
	socklen_t tl, fl;
	int c, s = -1, rc = 0;
	char buf[32];

	if (sockaddr_of(dst, dport, &to, &tl) < 0)
		return -EINVAL;
	if (reply) {
		s = bound(ns, SOCK_DGRAM, 0, dst, dport);
		if (s < 0)
			return s;
	}
	c = bound(ns, SOCK_DGRAM, 0, src, sport);
	if (c < 0) {
		if (s >= 0)
			close(s);
		return c;
	}
	for (int i = 0; i < n && rc == 0; i++) {
		if (sendto(c, "hello", 5, 0, (struct sockaddr *)&to, tl) != 5) {
			rc = -errno;
			break;
		}
		if (!reply)
			continue;
		fl = sizeof(from);
		if (wait_readable(s, 2000) < 0 || recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl) <= 0 ||
		    sendto(s, "world", 5, 0, (struct sockaddr *)&from, fl) != 5 || wait_readable(c, 2000) < 0 ||
		    recv(c, buf, sizeof(buf), 0) <= 0)
			rc = -EIO;
	}
	close(c);
	if (s >= 0)
		close(s);
	return rc;
}

static uint16_t csum(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)~s);
}

int ctnl_ns_ping(struct ctnl_ns *ns, const char *dst, uint16_t id, int n)
{
	struct sockaddr_storage to;
	socklen_t tl;
	int af = sockaddr_of(dst, 0, &to, &tl), fd, rc = 0;

	if (af < 0)
		return af;
	fd = ctnl_ns_socket(ns, af, SOCK_RAW, af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (fd < 0)
		return fd;
	for (int i = 0; i < n && rc == 0; i++) {
		uint8_t pkt[16] = { 0 }, buf[256];

		pkt[0] = af == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
		pkt[4] = (uint8_t)(id >> 8);
		pkt[5] = (uint8_t)id;
		pkt[7] = (uint8_t)(i + 1);
		memcpy(pkt + 8, "ctnlping", 8);
		if (af == AF_INET) {
			uint16_t c = csum(pkt, sizeof(pkt));

			memcpy(pkt + 2, &c, 2);
		} /* the kernel computes ICMPv6 checksums on raw sockets */
		if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, tl) < 0) {
			rc = -errno;
			break;
		}
		/* wait for the echo reply (raw sockets see our request too) */
		for (int tries = 0; tries < 8; tries++) {
			ssize_t r;
			const uint8_t *icmp = buf;

			if (wait_readable(fd, 1000) < 0) {
				rc = -ETIMEDOUT;
				break;
			}
			r = recv(fd, buf, sizeof(buf), 0);
			if (r <= 0)
				continue;
			if (af == AF_INET) {
				size_t ihl = (size_t)(buf[0] & 0xf) * 4;

				if ((size_t)r < ihl + 8)
					continue;
				icmp = buf + ihl;
				if (icmp[0] == ICMP_ECHOREPLY)
					break;
			} else if (icmp[0] == ICMP6_ECHO_REPLY) {
				break;
			}
		}
	}
	close(fd);
	return rc;
}
