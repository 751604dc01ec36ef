/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctnl-filtertool: the live tests' window on ctnl's filters.
 *
 *   ctnl-filtertool flush [-f inet|inet6|unspec] [--raw] [FILTER OPTIONS]
 *   ctnl-filtertool dump  [-f inet|inet6|unspec] [FILTER OPTIONS] [-o FILE]
 *   ctnl-filtertool listen -g 1,2,3 -d DIR [-r READYFILE] [--filter SPEC]...
 *   ctnl-filtertool compile SPEC
 *
 * FILTER OPTIONS (dump and flush requests, built by ctnl_filter_encode()):
 *   --mark V/M  --status V/M  --zone Z  --proto N  --orig-src ADDR
 *   --orig-dst ADDR  --sport P  --dport P
 * --raw sends what conntrack(8) and go-conntrack send: a bare DELETE
 * with the family and nothing else (the kernel then ignores the family).
 *
 * listen: one unfiltered socket (DIR/all.bin) and one socket per
 * --filter with the compiled program attached (DIR/fN.bin, the program in
 * DIR/fN.prog), all joined to the same groups; raw datagrams are
 * appended as received.  Runs until SIGTERM/SIGINT, then drains.
 * SPEC syntax: tests/tools/filterspec.h.
 *
 * Exit: 0 ok, 1 runtime or kernel error, 2 usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/filter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>

#include <ctnl/bpf.h>
#include <ctnl/filter.h>

#include "filterspec.h"

_Static_assert(sizeof(struct ctnl_bpf_insn) == sizeof(struct sock_filter), "insn layout");

#define MAXF 32
#define MAXE 4096

static volatile sig_atomic_t stop;

static void on_signal(int s)
{
	(void)s;
	stop = 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: ctnl-filtertool flush|dump [-f inet|inet6|unspec] [--raw] [--mark V/M] [--status V/M]\n"
			"         [--zone Z] [--proto N] [--orig-src A] [--orig-dst A] [--sport P] [--dport P] [-o FILE]\n"
			"       ctnl-filtertool listen -g GROUPS -d DIR [-r READY] [--filter SPEC]...\n"
			"       ctnl-filtertool compile SPEC\n");
	return 2;
}

static int parse_family(const char *s, uint8_t *out)
{
	if (!strcmp(s, "inet") || !strcmp(s, "ipv4"))
		*out = AF_INET;
	else if (!strcmp(s, "inet6") || !strcmp(s, "ipv6"))
		*out = AF_INET6;
	else if (!strcmp(s, "unspec"))
		*out = AF_UNSPEC;
	else
		return -1;
	return 0;
}

static int parse_vm(const char *s, uint32_t *v, uint32_t *m)
{
	char buf[64], *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	if (spec_uint(buf, 0xffffffffu, v) < 0)
		return -1;
	*m = 0xffffffffu;
	if (slash && spec_uint(slash, 0xffffffffu, m) < 0)
		return -1;
	return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* ---- dump and flush ---- */

static int cmd_request(int argc, char **argv, enum ctnl_filter_op op)
{
	static const struct option opts[] = {
		{ "family", required_argument, NULL, 'f' }, { "raw", no_argument, NULL, 'R' },
		{ "mark", required_argument, NULL, 'm' },   { "status", required_argument, NULL, 's' },
		{ "zone", required_argument, NULL, 'z' },   { "proto", required_argument, NULL, 'p' },
		{ "orig-src", required_argument, NULL, 'S' }, { "orig-dst", required_argument, NULL, 'D' },
		{ "sport", required_argument, NULL, 'P' },  { "dport", required_argument, NULL, 'Q' },
		{ "output", required_argument, NULL, 'o' }, { NULL, 0, NULL, 0 },
	};
	struct ctnl_filter f;
	struct ctnl_err err = { 0 };
	uint8_t buf[MNL_SOCKET_BUFFER_SIZE * 4];
	const char *out = NULL, *src = NULL, *dst = NULL;
	int raw = 0, c, rc = 0, entries = 0, ofd = -1;
	uint32_t v;
	size_t len;

	memset(&f, 0, sizeof(f));
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'f': if (parse_family(optarg, &f.family)) return usage(); break;
		case 'R': raw = 1; break;
		case 'm':
			if (parse_vm(optarg, &f.mark, &f.mark_mask)) return usage();
			f.has |= CTNL_FILTER_HAS_MARK;
			break;
		case 's':
			if (parse_vm(optarg, &f.status, &f.status_mask)) return usage();
			f.has |= CTNL_FILTER_HAS_STATUS;
			break;
		case 'z':
			if (spec_uint(optarg, 0xffff, &v)) return usage();
			f.zone = (uint16_t)v;
			f.has |= CTNL_FILTER_HAS_ZONE;
			break;
		case 'p':
			if (spec_uint(optarg, 0xff, &v)) return usage();
			f.orig.proto.num = (uint8_t)v;
			f.orig_flags |= CTNL_FILTER_F_PROTO_NUM;
			break;
		case 'S': src = optarg; f.orig_flags |= CTNL_FILTER_F_IP_SRC; break;
		case 'D': dst = optarg; f.orig_flags |= CTNL_FILTER_F_IP_DST; break;
		case 'P':
			if (spec_uint(optarg, 0xffff, &v)) return usage();
			f.orig.proto.src_port = (uint16_t)v;
			f.orig_flags |= CTNL_FILTER_F_SRC_PORT;
			break;
		case 'Q':
			if (spec_uint(optarg, 0xffff, &v)) return usage();
			f.orig.proto.dst_port = (uint16_t)v;
			f.orig_flags |= CTNL_FILTER_F_DST_PORT;
			break;
		case 'o': out = optarg; break;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (src && inet_pton(f.family == AF_INET6 ? AF_INET6 : AF_INET, src,
			     f.family == AF_INET6 ? (void *)f.orig.ip.v6_src : (void *)f.orig.ip.v4_src) != 1)
		return usage();
	if (dst && inet_pton(f.family == AF_INET6 ? AF_INET6 : AF_INET, dst,
			     f.family == AF_INET6 ? (void *)f.orig.ip.v6_dst : (void *)f.orig.ip.v4_dst) != 1)
		return usage();

	if (raw) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
		struct nfgenmsg *nfg;

		nlh->nlmsg_type = NFNL_SUBSYS_CTNETLINK << 8 | (op == CTNL_FILTER_DUMP ? IPCTNL_MSG_CT_GET : IPCTNL_MSG_CT_DELETE);
		nlh->nlmsg_flags = NLM_F_REQUEST | (op == CTNL_FILTER_DUMP ? NLM_F_DUMP : NLM_F_ACK);
		nlh->nlmsg_seq = (uint32_t)time(NULL);
		nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
		nfg->nfgen_family = f.family;
		nfg->version = NFNETLINK_V0;
		nfg->res_id = 0;
		len = nlh->nlmsg_len;
	} else {
		rc = ctnl_filter_encode(&f, op, (uint32_t)time(NULL), buf, sizeof(buf), &len, &err);
		if (rc < 0) {
			fprintf(stderr, "ctnl-filtertool: %s\n", err.what);
			return 2;
		}
	}

	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("ctnl-filtertool: netlink socket");
		return 1;
	}
	if (out) {
		ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (ofd < 0) {
			perror(out);
			return 1;
		}
	}
	if (mnl_socket_sendto(nl, buf, len) < 0) {
		perror("ctnl-filtertool: send");
		return 1;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		const struct nlmsghdr *h;
		int done = 0;
		int rest;

		if (n < 0) {
			perror("ctnl-filtertool: recv");
			return 1;
		}
		if (ofd >= 0 && write_all(ofd, buf, (size_t)n) < 0)
			return 1;
		rest = (int)n;
		for (h = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(h, rest); h = mnl_nlmsg_next(h, &rest)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

				if (e->error) {
					fprintf(stderr, "ctnl-filtertool: kernel: %s\n", strerror(-e->error));
					rc = 1;
				}
				done = 1;
			} else if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
			} else {
				entries++;
			}
		}
		if (done)
			break;
	}
	if (op == CTNL_FILTER_DUMP)
		printf("%d\n", entries);
	mnl_socket_close(nl);
	if (ofd >= 0)
		close(ofd);
	return rc;
}

/* ---- listen ---- */

struct lsock {
	struct mnl_socket *nl;
	int fd;                            /* the output file */
	unsigned count;
};

static int open_listener(struct lsock *l, const char *path, const unsigned *groups, unsigned ngroups,
			 const struct ctnl_bpf_insn *prog, size_t plen)
{
	int sz = 8 << 20, one = 1;

	l->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_NONBLOCK);
	if (!l->nl || mnl_socket_bind(l->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -1;
	setsockopt(mnl_socket_get_fd(l->nl), SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	(void)one;
	if (prog) {
		struct sock_fprog fp = { (unsigned short)plen, (struct sock_filter *)(void *)prog };

		if (setsockopt(mnl_socket_get_fd(l->nl), SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) < 0)
			return -1;
	}
	/* the filter is in place before the first event can arrive */
	for (unsigned i = 0; i < ngroups; i++)
		if (mnl_socket_setsockopt(l->nl, NETLINK_ADD_MEMBERSHIP, (void *)&groups[i], sizeof(groups[i])) < 0)
			return -1;
	l->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	return l->fd < 0 ? -1 : 0;
}

/* Read what is queued.  Return: 0, or -1 on a fatal error (ENOBUFS: events lost). */
static int drain(struct lsock *l)
{
	static uint8_t buf[1 << 16];

	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(l->nl), buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return 0;
			fprintf(stderr, "ctnl-filtertool: recv: %s\n", strerror(errno));
			return -1;
		}
		if (n == 0)
			return 0;
		if (write_all(l->fd, buf, (size_t)n) < 0)
			return -1;
		l->count++;
	}
}

static int cmd_listen(int argc, char **argv)
{
	static struct ctnl_bpf_match m[MAXE];
	static struct ctnl_bpf_insn prog[CTNL_BPF_MAXINSNS];
	struct lsock socks[MAXF + 1];
	const char *dir = NULL, *ready = NULL, *specs[MAXF];
	unsigned groups[8], ngroups = 0, nspecs = 0;
	char path[4096], why[160];
	int c, rc = 0;

	optind = 1;
	static const struct option opts[] = {
		{ "filter", required_argument, NULL, 'F' }, { NULL, 0, NULL, 0 },
	};
	while ((c = getopt_long(argc, argv, "g:d:r:", opts, NULL)) != -1) {
		switch (c) {
		case 'g': {
			char *s = optarg, *tok;

			while ((tok = strsep(&s, ",")) && ngroups < 8) {
				uint32_t g;

				if (spec_uint(tok, 31, &g) || g == 0)
					return usage();
				groups[ngroups++] = g;
			}
			break;
		}
		case 'd': dir = optarg; break;
		case 'r': ready = optarg; break;
		case 'F':
			if (nspecs >= MAXF)
				return usage();
			specs[nspecs++] = optarg;
			break;
		default: return usage();
		}
	}
	if (!dir || !ngroups || optind != argc)
		return usage();

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	snprintf(path, sizeof(path), "%s/all.bin", dir);
	if (open_listener(&socks[0], path, groups, ngroups, NULL, 0) < 0) {
		perror("ctnl-filtertool: unfiltered socket");
		return 1;
	}
	for (unsigned i = 0; i < nspecs; i++) {
		struct ctnl_err err = { 0 };
		size_t plen;
		int n = spec_parse(specs[i], m, MAXE, why, sizeof(why));
		FILE *pf;

		if (n < 0) {
			fprintf(stderr, "ctnl-filtertool: filter %u: %s\n", i, why);
			return 2;
		}
		if (ctnl_bpf_compile(m, (size_t)n, prog, CTNL_BPF_MAXINSNS, &plen, &err) < 0) {
			fprintf(stderr, "ctnl-filtertool: filter %u: %s\n", i, err.what);
			return 2;
		}
		snprintf(path, sizeof(path), "%s/f%u.prog", dir, i);
		pf = fopen(path, "wb");
		if (!pf || fwrite(prog, sizeof(prog[0]), plen, pf) != plen || fclose(pf)) {
			perror(path);
			return 1;
		}
		snprintf(path, sizeof(path), "%s/f%u.bin", dir, i);
		if (open_listener(&socks[i + 1], path, groups, ngroups, prog, plen) < 0) {
			perror("ctnl-filtertool: filtered socket");
			return 1;
		}
	}
	if (ready) {
		int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0)
			close(fd);
	}
	while (!stop) {
		struct pollfd p[MAXF + 1];

		for (unsigned i = 0; i <= nspecs; i++) {
			p[i].fd = mnl_socket_get_fd(socks[i].nl);
			p[i].events = POLLIN;
		}
		if (poll(p, nspecs + 1, 200) < 0 && errno != EINTR)
			break;
		for (unsigned i = 0; i <= nspecs; i++)
			if (drain(&socks[i]) < 0)
				rc = 1;
		if (rc)
			break;
	}
	for (unsigned i = 0; i <= nspecs; i++) {
		if (drain(&socks[i]) < 0)
			rc = 1;
		close(socks[i].fd);
		mnl_socket_close(socks[i].nl);
	}
	fprintf(stderr, "ctnl-filtertool: %u datagrams unfiltered\n", socks[0].count);
	return rc;
}

static int cmd_compile(int argc, char **argv)
{
	static struct ctnl_bpf_match m[MAXE];
	static struct ctnl_bpf_insn prog[CTNL_BPF_MAXINSNS];
	static char text[CTNL_BPF_MAXINSNS * 64];
	struct ctnl_err err = { 0 };
	char why[160];
	size_t plen;
	int n;

	if (argc != 2)
		return usage();
	n = spec_parse(argv[1], m, MAXE, why, sizeof(why));
	if (n < 0) {
		fprintf(stderr, "ctnl-filtertool: %s\n", why);
		return 2;
	}
	if (ctnl_bpf_compile(m, (size_t)n, prog, CTNL_BPF_MAXINSNS, &plen, &err) < 0) {
		fprintf(stderr, "ctnl-filtertool: %s\n", err.what);
		return 1;
	}
	ctnl_bpf_disasm(prog, plen, text, sizeof(text));
	fputs(text, stdout);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "flush"))
		return cmd_request(argc - 1, argv + 1, CTNL_FILTER_FLUSH);
	if (!strcmp(argv[1], "dump"))
		return cmd_request(argc - 1, argv + 1, CTNL_FILTER_DUMP);
	if (!strcmp(argv[1], "listen"))
		return cmd_listen(argc - 1, argv + 1);
	if (!strcmp(argv[1], "compile"))
		return cmd_compile(argc - 1, argv + 1);
	return usage();
}
