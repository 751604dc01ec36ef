/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcap-dump FILE: every message the reader returns, one JSON object per
 * line, and every error on stderr; the counters as a last line.  The tests
 * (and the tshark comparison) read its output:
 *
 *   {"record":3,"index":0,"dir":"to-user","role":"reply","kind":"ct","swapped":0,
 *    "type":256,"flags":34,"seq":7,"pid":99,"req":{"record":2,"type":257},"ct":{...ctnl_ct_json...}}
 *
 * Exit status: 0, or 1 when there was any error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctnl/ctnl.h>
#include <ctnl/pcap.h>

static const char *dir_name(enum ctnl_pcap_dir d)
{
	return d == CTNL_DIR_TO_KERNEL ? "to-kernel" : "to-user";
}

static const char *role_name(enum ctnl_pcap_role r)
{
	return r == CTNL_ROLE_REQUEST ? "request" : r == CTNL_ROLE_REPLY ? "reply" : "event";
}

int main(int argc, char **argv)
{
	static char json[65536];
	struct ctnl_pcap_opts o = { .size = sizeof(o) };
	struct ctnl_pcap_reader *r;
	struct ctnl_pcap_err e;
	struct ctnl_pcap_msg m;
	struct ctnl_pcap_stats st;
	struct ctnl_ct_msg ct;
	char line[512];
	int rc, bad = 0, i = 1;

	if (argc > 1 && strcmp(argv[1], "--keep-other") == 0) {
		o.flags |= CTNL_PCAP_KEEP_OTHER;
		i++;
	}
	if (argc != i + 1) {
		fprintf(stderr, "usage: pcap-dump [--keep-other] FILE\n");
		return 2;
	}
	if (ctnl_pcap_open(argv[i], &o, &r, &e) < 0) {
		ctnl_pcap_err_format(&e, line, sizeof(line));
		fprintf(stderr, "%s\n", line);
		return 1;
	}
	while ((rc = ctnl_pcap_next(r, &m, &e)) != 0) {
		if (rc < 0) {
			ctnl_pcap_err_format(&e, line, sizeof(line));
			fprintf(stderr, "%s\n", line);
			bad = 1;
			continue;
		}
		printf("{\"record\":%llu,\"index\":%u,\"dir\":\"%s\",\"role\":\"%s\",\"kind\":\"%s\",\"guessed\":%u,"
		       "\"swapped\":%u,\"family\":%u,\"type\":%u,\"flags\":%u,\"seq\":%u,\"pid\":%u",
		       (unsigned long long)m.record, m.index, dir_name(m.dir), role_name(m.role),
		       ctnl_pcap_kind_name(m.kind), m.guessed, m.swapped, m.family, m.hdr.type, m.hdr.flags, m.hdr.seq,
		       m.hdr.pid);
		if (m.has_req)
			printf(",\"req\":{\"record\":%llu,\"type\":%u,\"seq\":%u}", (unsigned long long)m.req.record,
			       m.req.type, m.req.seq);
		if (m.kind == CTNL_PK_CT) {
			struct ctnl_err ce = { 0 };

			if (ctnl_ct_decode(m.data, m.len, &ct, &ce) < 0) {
				ctnl_err_format(&ce, line, sizeof(line));
				fprintf(stderr, "record %llu: message %u: %s\n", (unsigned long long)m.record, m.index,
					line);
				bad = 1;
			} else {
				ctnl_ct_json(json, sizeof(json), &ct, NULL);
				printf(",\"ct\":%s", json);
			}
		}
		printf("}\n");
	}
	ctnl_pcap_stats(r, &st);
	printf("{\"stats\":{\"records\":%llu,\"records_bad\":%llu,\"records_swapped\":%llu,\"messages\":%llu,"
	       "\"returned\":%llu,\"skipped_family\":%llu,\"skipped_subsys\":%llu,\"requests\":%llu,"
	       "\"replies_matched\":%llu,\"replies_unmatched\":%llu,\"events\":%llu}}\n",
	       (unsigned long long)st.records, (unsigned long long)st.records_bad,
	       (unsigned long long)st.records_swapped, (unsigned long long)st.messages,
	       (unsigned long long)st.returned, (unsigned long long)st.skipped_family,
	       (unsigned long long)st.skipped_subsys, (unsigned long long)st.requests,
	       (unsigned long long)st.replies_matched, (unsigned long long)st.replies_unmatched,
	       (unsigned long long)st.events);
	ctnl_pcap_close(r);
	return bad;
}
