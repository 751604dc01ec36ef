/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every file of ../shared/captures (real nlmon captures made by others,
 * see its README.md) gives its documented result (docs/captures.md):
 *
 *   two_packets_le.pcap, two_packets_be.pcap   2 records, 4 rtnetlink messages,
 *       skipped and counted; with CTNL_PCAP_KEEP_OTHER the same 4 messages
 *       from both files (the big-endian file holds a little-endian payload)
 *   1pkt_not_netlink_{le,be}.pcap              one error: link type 1 is not netlink
 *   nl0.pcap                                   19 records, 34 messages, families 0 and 16
 *   ovs-netlink.pcapng                         399 records, 422 generic netlink messages
 *
 * A file not in this list must still read to its end without a crash.
 * argv[1]: the captures directory; exit 77 if it is not there.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>

#include <ctnl/pcap.h>

static int failures;

#define CHECK(cond)                                                                                           \
	do {                                                                                                  \
		if (!(cond)) {                                                                                \
			fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, name, #cond);  \
			failures++;                                                                           \
		}                                                                                             \
	} while (0)

struct result {
	int open_rc;
	unsigned msgs, errs, requests, fam[32];
	struct ctnl_pcap_err first_err;
	struct ctnl_pcap_stats st;
	uint8_t bytes[8192];                /* the messages, concatenated */
	size_t nbytes;
};

static void read_file(const char *path, unsigned flags, struct result *res)
{
	struct ctnl_pcap_opts o = { .size = sizeof(o), .flags = flags };
	struct ctnl_pcap_reader *r;
	struct ctnl_pcap_msg m;
	struct ctnl_pcap_err e;
	int rc;

	memset(res, 0, sizeof(*res));
	res->open_rc = ctnl_pcap_open(path, &o, &r, &e);
	if (res->open_rc < 0) {
		res->first_err = e;
		return;
	}
	while ((rc = ctnl_pcap_next(r, &m, &e)) != 0) {
		if (rc < 0) {
			if (!res->errs++)
				res->first_err = e;
			continue;
		}
		res->msgs++;
		res->fam[m.family & 31]++;
		res->requests += m.dir == CTNL_DIR_TO_KERNEL;
		if (res->nbytes + m.len <= sizeof(res->bytes)) {
			memcpy(res->bytes + res->nbytes, m.data, m.len);
			res->nbytes += m.len;
		}
	}
	ctnl_pcap_stats(r, &res->st);
	ctnl_pcap_close(r);
}

static void check_file(const char *dir, const char *name)
{
	char path[4096];
	static struct result a, b;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	read_file(path, 0, &a);
	read_file(path, CTNL_PCAP_KEEP_OTHER, &b);
	printf("%-28s open %d, %llu records, %llu messages, %llu skipped (family), %u errors\n", name, a.open_rc,
	       (unsigned long long)a.st.records, (unsigned long long)a.st.messages,
	       (unsigned long long)a.st.skipped_family, a.errs);

	if (!strcmp(name, "two_packets_le.pcap") || !strcmp(name, "two_packets_be.pcap")) {
		static struct result le;

		CHECK(a.open_rc == 0 && a.errs == 0);
		CHECK(a.st.records == 2 && a.st.messages == 4 && a.st.skipped_family == 4 && a.msgs == 0);
		CHECK(b.msgs == 4 && b.fam[0] == 4 && b.requests == 1 && b.errs == 0);
		CHECK(b.st.records_swapped == 0);  /* the payload is little-endian, as this host */
		if (!strcmp(name, "two_packets_le.pcap")) {
			le = b;
		} else {
			snprintf(path, sizeof(path), "%s/two_packets_le.pcap", dir);
			read_file(path, CTNL_PCAP_KEEP_OTHER, &le);
			CHECK(le.nbytes == b.nbytes && memcmp(le.bytes, b.bytes, b.nbytes) == 0);
		}
	} else if (!strncmp(name, "1pkt_not_netlink_", 17)) {
		char line[300];

		CHECK(a.open_rc == 0 && a.msgs == 0 && a.errs == 1);
		CHECK(a.first_err.code == -EPROTONOSUPPORT && a.first_err.fault == CTNL_PCAP_F_LINKTYPE);
		CHECK(a.first_err.record == 1);
		ctnl_pcap_err_format(&a.first_err, line, sizeof(line));
		CHECK(strstr(line, "record 1: link type 1 (EN10MB) is not netlink") == line);
		printf("%-28s \"%s\"\n", "", line);
	} else if (!strcmp(name, "nl0.pcap")) {
		CHECK(a.open_rc == 0 && a.errs == 0 && a.msgs == 0);
		CHECK(a.st.records == 19 && a.st.messages == 34 && a.st.skipped_family == 34);
		CHECK(b.msgs == 34 && b.fam[0] + b.fam[16] == 34 && b.fam[0] > 0 && b.fam[16] > 0);
	} else if (!strcmp(name, "ovs-netlink.pcapng")) {
		CHECK(a.open_rc == 0 && a.errs == 0 && a.msgs == 0);
		CHECK(a.st.records == 399 && a.st.messages == 422 && a.st.skipped_family == 422);
		CHECK(b.msgs == 422 && b.fam[16] == 422);
	} else {
		/* unknown to this test: it only has to be read to the end */
		printf("%-28s (no documented result; read to the end)\n", "");
	}
}

int main(int argc, char **argv)
{
	DIR *d;
	struct dirent *de;
	unsigned files = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: test_captures DIR\n");
		return 2;
	}
	d = opendir(argv[1]);
	if (!d) {
		printf("SKIP: no captures directory %s (%s)\n", argv[1], strerror(errno));
		return 77;
	}
	while ((de = readdir(d))) {
		const char *name = de->d_name;
		size_t n = strlen(name);

		if ((n > 5 && !strcmp(name + n - 5, ".pcap")) || (n > 7 && !strcmp(name + n - 7, ".pcapng"))) {
			check_file(argv[1], name);
			files++;
		}
	}
	closedir(d);
	if (files == 0) {
		printf("SKIP: no capture files in %s\n", argv[1]);
		return 77;
	}
	printf("%u files, %d failures\n", files, failures);
	return failures ? 1 : 0;
}
