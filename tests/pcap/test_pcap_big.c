/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A capture of 1,000,000 netlink messages is read in bounded memory.
 *
 * A child process writes it with the library's writer into a pipe:
 * 20,000 dumps, each a request, one record of 48 real kernel entries
 * (tests/fixtures/tcp-established, seq rewritten) and an NLMSG_DONE; the
 * parent reads it with ctnl_pcap_fdopen() and decodes every entry.  About
 * 200 MB pass through; the reader's resident memory after the first
 * 100,000 messages and at the end must be the same (within 1 MiB), and
 * every reply must have found its request.
 *
 * argv[1]: tests/fixtures.  argv[2] (optional): the message count.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/ct.h>
#include <ctnl/pcap.h>

#define PER_DUMP 48u

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, res = 0;

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static void put_hdr(uint8_t *p, uint32_t len, uint16_t type, uint16_t flags, uint32_t seq, uint32_t pid)
{
	memcpy(p, &len, 4);
	memcpy(p + 4, &type, 2);
	memcpy(p + 6, &flags, 2);
	memcpy(p + 8, &seq, 4);
	memcpy(p + 12, &pid, 4);
}

static int writer(int fd, const uint8_t *entry, uint32_t elen, unsigned dumps)
{
	struct ctnl_pcap_writer *w;
	static uint8_t rec[PER_DUMP * 512];
	uint8_t req[20], done[20];
	uint32_t al = (elen + 3) & ~3u;

	if (ctnl_pcap_writer_fdopen(fd, &w, NULL) < 0)
		return 1;
	for (unsigned k = 0; k < dumps; k++) {
		uint32_t seq = 1000 + k;
		struct timespec ts = { 1795925776 + k, 0 };

		put_hdr(req, 20, NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET, NLM_F_REQUEST | NLM_F_DUMP, seq, 0);
		memset(req + 16, 0, 4);
		for (unsigned i = 0; i < PER_DUMP; i++) {
			memcpy(rec + i * al, entry, elen);
			memcpy(rec + i * al + 8, &seq, 4);
		}
		put_hdr(done, 20, NLMSG_DONE, NLM_F_MULTI, seq, 777);
		memset(done + 16, 0, 4);
		if (ctnl_pcap_write(w, req, 20, 12, &ts) < 0 || ctnl_pcap_write(w, rec, PER_DUMP * al, 12, &ts) < 0 ||
		    ctnl_pcap_write(w, done, 20, 12, &ts) < 0)
			return 1;
	}
	return ctnl_pcap_writer_close(w) < 0;
}

int main(int argc, char **argv)
{
	char path[4096];
	FILE *f;
	uint8_t entry[512];
	uint32_t elen;
	unsigned long want = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000ul, dumps = want / (PER_DUMP + 2);
	unsigned long n = 0, entries = 0;
	struct ctnl_pcap_reader *r;
	struct ctnl_pcap_msg m;
	struct ctnl_pcap_err e;
	struct ctnl_pcap_stats st;
	struct ctnl_ct_msg ct;
	long rss_early = 0, rss_end;
	int fds[2], status, rc, fails = 0;
	pid_t child;

	if (argc < 2)
		return 2;
	/* one real entry: the first message of a recorded dump, with the
	 * seq and pid the reply carries */
	snprintf(path, sizeof(path), "%s/tcp-established/dump.bin", argv[1]);
	f = fopen(path, "rb");
	if (!f || fread(entry, 1, 16, f) != 16) {
		fprintf(stderr, "cannot read %s\n", path);
		return 1;
	}
	memcpy(&elen, entry, 4);
	if (elen > sizeof(entry) || fread(entry + 16, 1, elen - 16, f) != elen - 16)
		return 1;
	fclose(f);
	memcpy(entry + 12, &(uint32_t){ 777 }, 4);

	if (pipe(fds) < 0)
		return 1;
	child = fork();
	if (child == 0) {
		close(fds[0]);
		_exit(writer(fds[1], entry, elen, (unsigned)dumps));
	}
	close(fds[1]);
	if (ctnl_pcap_fdopen(fds[0], NULL, &r, &e) < 0) {
		fprintf(stderr, "open: %s\n", e.what);
		return 1;
	}
	while ((rc = ctnl_pcap_next(r, &m, &e)) != 0) {
		if (rc < 0) {
			char line[300];

			ctnl_pcap_err_format(&e, line, sizeof(line));
			fprintf(stderr, "%s\n", line);
			fails++;
			continue;
		}
		n++;
		if (m.kind == CTNL_PK_CT && m.role == CTNL_ROLE_REPLY) {
			if (ctnl_ct_decode(m.data, m.len, &ct, NULL) < 0 || !m.has_req || m.req.seq != m.hdr.seq)
				fails++;
			entries++;
		}
		if (n == 100000)
			rss_early = rss_kib();
	}
	rss_end = rss_kib();
	ctnl_pcap_stats(r, &st);
	ctnl_pcap_close(r);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "writer failed\n");
		fails++;
	}
	printf("%lu messages (%lu entries decoded) in %llu records; resident %ld KiB after 100,000 messages, "
	       "%ld KiB at the end; %llu replies matched, %llu unmatched, %llu requests evicted\n",
	       n, entries, (unsigned long long)st.records, rss_early, rss_end,
	       (unsigned long long)st.replies_matched, (unsigned long long)st.replies_unmatched,
	       (unsigned long long)st.requests_evicted);
	if (n != dumps * (PER_DUMP + 2) || entries != dumps * PER_DUMP) {
		fprintf(stderr, "expected %lu messages\n", dumps * (PER_DUMP + 2));
		fails++;
	}
	if (st.replies_unmatched || st.requests_evicted || st.replies_matched != dumps * (PER_DUMP + 1))
		fails++;
	if (n >= 100000 && rss_end - rss_early > 1024) {
		fprintf(stderr, "memory grew by %ld KiB while reading\n", rss_end - rss_early);
		fails++;
	}
	return fails ? 1 : 0;
}
