/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctnl-nlraw: talk ctnetlink in the current network namespace and write
 * the bytes the kernel sends back exactly as received: every datagram,
 * in arrival order, concatenated, including NLMSG_DONE and NLMSG_ERROR.
 *
 * It is the recorder for the golden fixtures and the live tests, so it
 * deliberately knows nothing about conntrack attributes: it only walks
 * nlmsghdr boundaries to find the end of a dump and to count events.
 *
 *   ctnl-nlraw dump [-f inet|inet6|unspec] [--zero] [--dying|--unconfirmed]
 *                   [--expect] [--stats-cpu|--stats|--exp-stats-cpu]
 *                   [-b RCVLEN] [-o FILE]
 *   ctnl-nlraw send [-o FILE] REQUESTS   (raw request messages, e.g. built by
 *                   the codec; each needs NLM_F_ACK or NLM_F_DUMP)
 *   ctnl-nlraw listen -g 1,2,3 [-n COUNT] [-t SECONDS] [-r READYFILE] [-o FILE]
 *
 * Exit: 0 ok, 1 runtime error (netlink/IO), 2 usage, 3 the kernel answered
 * the dump with NLMSG_ERROR (the bytes are still written).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>

#define RCVBUF_DEFAULT (64u * 1024u)
#define RCVBUF_MAX (1024u * 1024u)

static const char *prog = "ctnl-nlraw";
static volatile sig_atomic_t stop_requested;

static void die(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: %s dump [-f inet|inet6|unspec] [--zero] [--dying|--unconfirmed]\n"
		"                 [--expect] [--stats-cpu|--stats|--exp-stats-cpu] [-b RCVLEN] [-o FILE]\n"
		"       %s send [-o FILE] REQUESTS\n"
		"       %s listen -g GROUPS [-n COUNT] [-t SECONDS] [-r READYFILE] [-o FILE]\n"
		"GROUPS is a comma list of NFNLGRP numbers (1=ct new, 2=ct update,\n"
		"3=ct destroy, 4..6=expect). COUNT 0 = until timeout or SIGTERM/SIGINT.\n",
		prog, prog, prog);
	exit(2);
}

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die(1, "write: %s", strerror(errno));
		}
		p += (size_t)w;
		len -= (size_t)w;
	}
}

static int open_output(const char *path)
{
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return STDOUT_FILENO;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(1, "cannot open %s: %s", path, strerror(errno));
	return fd;
}

static unsigned long parse_ulong(const char *s, const char *what,
				 unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v > max || s[0] == '-')
		die(2, "bad %s: '%s'", what, s);
	return v;
}

static struct mnl_socket *open_socket(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);

	if (nl == NULL)
		die(1, "socket(NETLINK_NETFILTER): %s", strerror(errno));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die(1, "bind: %s", strerror(errno));
	return nl;
}

/*
 * Receive one datagram. Returns its length (> 0). The receive buffer is
 * larger than anything the kernel sends us; MSG_TRUNC is still checked
 * so a cut datagram is an error, never a silently short fixture.
 */
static size_t recv_datagram(struct mnl_socket *nl, unsigned char *buf,
			    size_t buflen, int allow_eintr)
{
	struct iovec iov = { .iov_base = buf, .iov_len = buflen };
	struct sockaddr_nl addr;
	struct msghdr msg = {
		.msg_name = &addr, .msg_namelen = sizeof(addr),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	for (;;) {
		n = recvmsg(mnl_socket_get_fd(nl), &msg, 0);
		if (n < 0 && errno == EINTR) {
			if (allow_eintr && stop_requested)
				return 0;
			continue;
		}
		break;
	}
	if (n < 0) {
		if (errno == ENOBUFS)
			die(1, "recv: ENOBUFS: the kernel dropped messages (socket buffer overrun)");
		die(1, "recv: %s", strerror(errno));
	}
	if (n == 0)
		die(1, "recv: unexpected end of stream");
	if (msg.msg_flags & MSG_TRUNC)
		die(1, "recv: datagram truncated (larger than %zu bytes)", buflen);
	if (msg.msg_namelen != sizeof(addr) || addr.nl_family != AF_NETLINK)
		die(1, "recv: bad sender address");
	if (addr.nl_pid != 0)
		die(1, "recv: datagram not from the kernel (portid %u)", addr.nl_pid);
	if ((size_t)n < sizeof(struct nlmsghdr))
		die(1, "recv: short datagram (%zd bytes)", n);
	return (size_t)n;
}

/*
 * Walk the netlink messages of one datagram, checking every length.
 * Reports whether NLMSG_DONE or NLMSG_ERROR was seen, and how many
 * messages there were.
 */
struct walk {
	unsigned msgs;
	int done;
	int error_seen;
	int error_code;
};

static void walk_datagram(const unsigned char *buf, size_t len, struct walk *w)
{
	size_t off = 0;

	while (off < len) {
		const struct nlmsghdr *nlh;
		size_t left = len - off;

		if (left < sizeof(*nlh))
			die(1, "datagram: %zu trailing bytes, shorter than a header", left);
		nlh = (const struct nlmsghdr *)(buf + off);
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > left)
			die(1, "datagram: bad nlmsg_len %u at offset %zu (%zu left)",
			    nlh->nlmsg_len, off, left);
		w->msgs++;
		if (nlh->nlmsg_type == NLMSG_DONE) {
			w->done = 1;
		} else if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(nlh);

			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
				die(1, "datagram: NLMSG_ERROR too short (%u)", nlh->nlmsg_len);
			w->error_seen = 1;
			w->error_code = e->error;
		}
		if (NLMSG_ALIGN(nlh->nlmsg_len) >= left)
			break;
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
}

static int parse_family(const char *s)
{
	if (strcmp(s, "inet") == 0 || strcmp(s, "ipv4") == 0)
		return AF_INET;
	if (strcmp(s, "inet6") == 0 || strcmp(s, "ipv6") == 0)
		return AF_INET6;
	if (strcmp(s, "unspec") == 0)
		return AF_UNSPEC;
	die(2, "unknown family '%s' (inet, inet6, unspec)", s);
	return -1;
}

static int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "family", required_argument, NULL, 'f' },
		{ "zero", no_argument, NULL, 'z' },
		{ "dying", no_argument, NULL, 'D' },
		{ "unconfirmed", no_argument, NULL, 'U' },
		{ "expect", no_argument, NULL, 'x' },
		{ "stats-cpu", no_argument, NULL, 'S' },
		{ "stats", no_argument, NULL, 'G' },
		{ "exp-stats-cpu", no_argument, NULL, 'E' },
		{ "rcvlen", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int family = AF_UNSPEC, zero = 0, dying = 0, unconf = 0, expect = 0, stats = 0;
	size_t rcvlen = RCVBUF_DEFAULT;
	const char *out = NULL;
	unsigned char *buf;
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfg;
	struct mnl_socket *nl;
	struct walk w = { 0 };
	unsigned int seq, portid;
	uint16_t type;
	int c, fd;

	while ((c = getopt_long(argc, argv, "f:b:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'f': family = parse_family(optarg); break;
		case 'z': zero = 1; break;
		case 'D': dying = 1; break;
		case 'U': unconf = 1; break;
		case 'x': expect = 1; break;
		case 'S': stats = 1; break;
		case 'G': stats = 2; break;
		case 'E': stats = 3; break;
		case 'b':
			rcvlen = parse_ulong(optarg, "receive length", RCVBUF_MAX);
			if (rcvlen < 4096)
				die(2, "receive length must be >= 4096");
			break;
		case 'o': out = optarg; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	if (zero + dying + unconf > 1)
		die(2, "--zero, --dying and --unconfirmed exclude each other");
	if (expect && (zero || dying || unconf))
		die(2, "--expect takes no --zero/--dying/--unconfirmed");

	if (stats && (expect || zero || dying || unconf))
		die(2, "the stats requests take no other request option");

	if (stats == 1)
		type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET_STATS_CPU;
	else if (stats == 2)
		type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET_STATS;
	else if (stats == 3)
		type = (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_GET_STATS_CPU;
	else if (expect)
		type = (NFNL_SUBSYS_CTNETLINK_EXP << 8) | IPCTNL_MSG_EXP_GET;
	else if (zero)
		type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET_CTRZERO;
	else if (dying)
		type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET_DYING;
	else if (unconf)
		type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET_UNCONFIRMED;
	else
		type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;

	buf = malloc(rcvlen);
	if (buf == NULL)
		die(1, "out of memory");
	fd = open_output(out);
	nl = open_socket();
	portid = mnl_socket_get_portid(nl);
	seq = (unsigned int)time(NULL);

	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = type;
	/* GET_STATS is not a dump: one answer, no NLMSG_DONE (as conntrack -C
	 * sends it); everything else is */
	nlh->nlmsg_flags = stats == 2 ? NLM_F_REQUEST : NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = (uint8_t)family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die(1, "send: %s", strerror(errno));

	while (!w.done && !w.error_seen) {
		size_t n = recv_datagram(nl, buf, rcvlen, 0);
		const struct nlmsghdr *first = (const struct nlmsghdr *)buf;

		if (first->nlmsg_seq != seq || first->nlmsg_pid != portid)
			die(1, "recv: reply for another request (seq %u pid %u)",
			    first->nlmsg_seq, first->nlmsg_pid);
		write_all(fd, buf, n);
		walk_datagram(buf, n, &w);
		if (stats == 2)
			break;
	}
	if (fd != STDOUT_FILENO && close(fd) < 0)
		die(1, "close %s: %s", out, strerror(errno));
	mnl_socket_close(nl);
	free(buf);
	if (w.error_seen && w.error_code != 0) {
		fprintf(stderr, "%s: kernel answered NLMSG_ERROR %d (%s)\n", prog,
			w.error_code, strerror(-w.error_code));
		return 3;
	}
	return 0;
}

/*
 * send: the request messages of a file, as they are (the seq and pid the
 * builder wrote; pid 0 is fine, the kernel answers the socket), then every
 * answer until each request got its terminator: an NLMSG_ERROR (the ACK,
 * or an error) or, for dumps, NLMSG_DONE.  Exit 3 if any answer was an
 * error; the bytes are written all the same.
 */
static int cmd_send(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	unsigned char *req, *buf;
	size_t reqlen = 0, off;
	unsigned nreq = 0, ends = 0;
	int c, fd, in, err = 0;
	struct mnl_socket *nl;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		default: usage();
		}
	}
	if (optind != argc - 1)
		usage();
	req = malloc(RCVBUF_MAX);
	buf = malloc(RCVBUF_DEFAULT);
	if (req == NULL || buf == NULL)
		die(1, "out of memory");
	in = open(argv[optind], O_RDONLY | O_CLOEXEC);
	if (in < 0)
		die(1, "cannot open %s: %s", argv[optind], strerror(errno));
	for (;;) {
		ssize_t r = read(in, req + reqlen, RCVBUF_MAX - reqlen);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die(1, "read %s: %s", argv[optind], strerror(errno));
		if (r == 0)
			break;
		reqlen += (size_t)r;
		if (reqlen == RCVBUF_MAX)
			die(1, "%s: more than %u bytes of requests", argv[optind], RCVBUF_MAX);
	}
	close(in);

	fd = open_output(out);
	nl = open_socket();
	for (off = 0; off < reqlen;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(req + off);

		if (reqlen - off < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > reqlen - off)
			die(1, "%s: bad request message at byte %zu", argv[optind], off);
		if (!(nlh->nlmsg_flags & (NLM_F_ACK | NLM_F_DUMP)))
			die(1, "%s: request %u asks for no ACK and no dump: nothing would end its answer", argv[optind], nreq);
		if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
			die(1, "send: %s", strerror(errno));
		nreq++;
		off += NLMSG_ALIGN(nlh->nlmsg_len);
		/* one request at a time, so the answers stay in order */
		while (ends < nreq) {
			size_t n = recv_datagram(nl, buf, RCVBUF_DEFAULT, 0), o2 = 0;

			write_all(fd, buf, n);
			while (o2 + sizeof(struct nlmsghdr) <= n) {
				const struct nlmsghdr *h = (const struct nlmsghdr *)(buf + o2);

				if (h->nlmsg_len < sizeof(*h) || h->nlmsg_len > n - o2)
					die(1, "recv: bad nlmsg_len %u", h->nlmsg_len);
				if (h->nlmsg_type == NLMSG_DONE) {
					ends++;
				} else if (h->nlmsg_type == NLMSG_ERROR) {
					const struct nlmsgerr *e = NLMSG_DATA(h);

					ends++;
					if (e->error) {
						fprintf(stderr, "%s: request %u: kernel answered %d (%s)\n", prog, ends,
							e->error, strerror(-e->error));
						err = 1;
					}
				}
				o2 += NLMSG_ALIGN(h->nlmsg_len);
			}
		}
	}
	if (fd != STDOUT_FILENO && close(fd) < 0)
		die(1, "close %s: %s", out, strerror(errno));
	mnl_socket_close(nl);
	free(req);
	free(buf);
	return err ? 3 : 0;
}

static unsigned parse_groups(struct mnl_socket *nl, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	unsigned joined = 0;

	if (copy == NULL)
		die(1, "out of memory");
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		int g = (int)parse_ulong(tok, "group", 31);

		if (g == 0)
			die(2, "group 0 is not a multicast group");
		if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
			die(1, "join group %d: %s", g, strerror(errno));
		joined++;
	}
	free(copy);
	if (joined == 0)
		die(2, "no groups given");
	return joined;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int cmd_listen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "groups", required_argument, NULL, 'g' },
		{ "count", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, 't' },
		{ "ready", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *groups = NULL, *out = NULL, *ready = NULL;
	unsigned long count = 0, timeout_s = 10;
	unsigned long got = 0;
	struct mnl_socket *nl;
	struct sigaction sa;
	unsigned char *buf;
	long long deadline;
	int c, fd, rcvbuf = 4 * 1024 * 1024;

	while ((c = getopt_long(argc, argv, "g:n:t:r:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'g': groups = optarg; break;
		case 'n': count = parse_ulong(optarg, "count", UINT_MAX); break;
		case 't': timeout_s = parse_ulong(optarg, "timeout", 86400); break;
		case 'r': ready = optarg; break;
		case 'o': out = optarg; break;
		default: usage();
		}
	}
	if (optind != argc || groups == NULL)
		usage();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	buf = malloc(RCVBUF_DEFAULT);
	if (buf == NULL)
		die(1, "out of memory");
	fd = open_output(out);
	nl = open_socket();
	/* A big socket buffer so a burst of events is not lost; best effort. */
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)) < 0)
		(void)setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF,
				 &rcvbuf, sizeof(rcvbuf));
	parse_groups(nl, groups);

	if (ready != NULL) {
		int rfd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (rfd < 0)
			die(1, "cannot create ready file %s: %s", ready, strerror(errno));
		close(rfd);
	}

	deadline = now_ms() + (long long)timeout_s * 1000;
	while (!stop_requested && (count == 0 || got < count)) {
		struct pollfd pfd = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
		long long left = deadline - now_ms();
		struct walk w = { 0 };
		size_t n;
		int pr;

		if (left <= 0)
			break;
		pr = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (pr < 0) {
			if (errno == EINTR)
				continue;
			die(1, "poll: %s", strerror(errno));
		}
		if (pr == 0)
			break;
		n = recv_datagram(nl, buf, RCVBUF_DEFAULT, 1);
		if (n == 0)
			break;
		write_all(fd, buf, n);
		walk_datagram(buf, n, &w);
		got += w.msgs;
	}
	if (fd != STDOUT_FILENO && close(fd) < 0)
		die(1, "close %s: %s", out, strerror(errno));
	mnl_socket_close(nl);
	free(buf);
	fprintf(stderr, "%s: %lu event message(s) written%s\n", prog, got,
		(count != 0 && got < count) ? " (stopped before COUNT)" : "");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "dump") == 0)
		return cmd_dump(argc - 1, argv + 1);
	if (strcmp(argv[1], "listen") == 0)
		return cmd_listen(argc - 1, argv + 1);
	if (strcmp(argv[1], "send") == 0)
		return cmd_send(argc - 1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		usage();
	die(2, "unknown mode '%s' (dump, send, listen)", argv[1]);
	return 2;
}
