/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writing nlmon captures: a pcap of LINKTYPE_NETLINK, each record the
 * 16-byte cooked header the kernel's nlmon tap and libpcap give it, then
 * the netlink bytes as they crossed the socket.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include <ctnl/pcap.h>

#include "replay.h"

#define COOKED_LEN 16u
#define PACKET_OUTGOING_TYPE 4         /* what every real nlmon record carries */

struct ctnl_pcap_writer {
	pcap_t *dead;
	pcap_dumper_t *dump;
	uint8_t *buf;                      /* cooked header + payload of one record */
	size_t cap;
};

static int writer_new(FILE *fp, const char *name, struct ctnl_pcap_writer **ret, struct ctnl_pcap_err *err)
{
	struct ctnl_pcap_writer *w = calloc(1, sizeof(*w));

	*ret = NULL;
	if (!w) {
		fclose(fp);
		return rp_err(err, -ENOMEM, CTNL_PCAP_F_FILE, 0, 0, 0, "out of memory");
	}
	w->dead = pcap_open_dead_with_tstamp_precision(DLT_NETLINK, (int)CTNL_PCAP_SNAPLEN,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!w->dead) {
		fclose(fp);
		free(w);
		return rp_err(err, -ENOMEM, CTNL_PCAP_F_FILE, 0, 0, 0, "out of memory");
	}
	w->dump = pcap_dump_fopen(w->dead, fp);
	if (!w->dump) {
		int rc = rp_err(err, -EIO, CTNL_PCAP_F_FILE, 0, 0, 0, "%s: %s", name, pcap_geterr(w->dead));

		fclose(fp);
		pcap_close(w->dead);
		free(w);
		return rc;
	}
	*ret = w;
	return 0;
}

int ctnl_pcap_writer_open(const char *path, struct ctnl_pcap_writer **ret, struct ctnl_pcap_err *err)
{
	FILE *fp;

	*ret = NULL;
	if (path[0] == '-' && path[1] == '\0') {
		int fd = dup(STDOUT_FILENO);

		if (fd < 0)
			return rp_err(err, -errno, CTNL_PCAP_F_FILE, 0, 0, 0, "standard output: %s", strerror(errno));
		return ctnl_pcap_writer_fdopen(fd, ret, err);
	}
	fp = fopen(path, "wb");
	if (!fp)
		return rp_err(err, -errno, CTNL_PCAP_F_FILE, 0, 0, 0, "%s: %s", path, strerror(errno));
	return writer_new(fp, path, ret, err);
}

int ctnl_pcap_writer_fdopen(int fd, struct ctnl_pcap_writer **ret, struct ctnl_pcap_err *err)
{
	FILE *fp = fdopen(fd, "wb");

	*ret = NULL;
	if (!fp) {
		int e = errno;

		close(fd);
		return rp_err(err, -e, CTNL_PCAP_F_FILE, 0, 0, 0, "descriptor %d: %s", fd, strerror(e));
	}
	return writer_new(fp, "capture", ret, err);
}

int ctnl_pcap_write(struct ctnl_pcap_writer *w, const void *buf, size_t len, int family, const struct timespec *ts)
{
	struct pcap_pkthdr h;
	struct timespec now;
	size_t cut = len;

	if (!buf && len)
		return -EINVAL;
	if (cut > CTNL_PCAP_SNAPLEN - COOKED_LEN)
		cut = CTNL_PCAP_SNAPLEN - COOKED_LEN;
	if (w->cap < COOKED_LEN + cut) {
		size_t cap = w->cap ? w->cap : 4096;
		uint8_t *nb;

		while (cap < COOKED_LEN + cut)
			cap *= 2;
		nb = realloc(w->buf, cap);
		if (!nb)
			return -ENOMEM;
		w->buf = nb;
		w->cap = cap;
	}
	if (!ts) {
		clock_gettime(CLOCK_REALTIME, &now);
		ts = &now;
	}
	memset(w->buf, 0, COOKED_LEN);
	rp_put_be16(w->buf, PACKET_OUTGOING_TYPE);
	rp_put_be16(w->buf + 2, CTNL_ARPHRD_NETLINK);
	rp_put_be16(w->buf + 14, (uint16_t)family);
	if (cut)
		memcpy(w->buf + COOKED_LEN, buf, cut);

	h.ts.tv_sec = ts->tv_sec;
	h.ts.tv_usec = ts->tv_nsec;                /* nanoseconds: the file says so in its magic */
	h.caplen = (bpf_u_int32)(COOKED_LEN + cut);
	h.len = (bpf_u_int32)(COOKED_LEN + len);
	pcap_dump((u_char *)w->dump, &h, w->buf);
	if (ferror(pcap_dump_file(w->dump))) {
		clearerr(pcap_dump_file(w->dump));
		return -EIO;
	}
	return 0;
}

int ctnl_pcap_writer_flush(struct ctnl_pcap_writer *w)
{
	return pcap_dump_flush(w->dump) == 0 ? 0 : -EIO;
}

int ctnl_pcap_writer_close(struct ctnl_pcap_writer *w)
{
	int rc;

	if (!w)
		return 0;
	rc = ctnl_pcap_writer_flush(w);
	pcap_dump_close(w->dump);                  /* closes the FILE */
	pcap_close(w->dead);
	free(w->buf);
	free(w);
	return rc;
}
