/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target pcap_read: the capture reader on any file bytes (pcap or
 * pcapng), each message it returns handed to the decoder of its kind.
 *
 * Input: one options byte, then the file.  Options: bit 0
 * CTNL_PCAP_KEEP_OTHER, bit 1 CTNL_PCAP_NO_SWAP, bits 2-3 the request
 * table size (default, 1, 2 or 8 slots: small tables exercise eviction).
 * The file reaches the reader through a memfd and ctnl_pcap_fdopen(),
 * as a pipe would.
 *
 * Oracles: open fails only with the documented codes; ctnl_pcap_next()
 * returns 1, 0 or a documented error with a formatted text, and after 0
 * keeps returning 0; each message lies inside its record, its headers
 * parse and agree with hdr, its kind has a name, and it decodes (or is
 * refused with a formatted error) by the decoder of its kind; the
 * counters add up (returned <= messages, records_bad <= records).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ctnl/pcap.h>

#include "fuzz.h"

static void decode_by_kind(const struct ctnl_pcap_msg *pm)
{
	struct ctnl_err err = { 0 };
	int rc;

	switch (pm->kind) {
	case CTNL_PK_CT: {
		struct ctnl_ct_msg m;

		rc = ctnl_ct_decode(pm->data, pm->len, &m, &err);
		fuzz_check_ct_result(pm->data, pm->len, rc, &m, &err);
		break;
	}
	case CTNL_PK_EXP: {
		struct ctnl_exp_msg m;

		rc = ctnl_exp_decode(pm->data, pm->len, &m, &err);
		fuzz_check_exp_result(pm->data, pm->len, rc, &m, &err);
		break;
	}
	case CTNL_PK_CT_STATS_CPU:
	case CTNL_PK_CT_STATS:
	case CTNL_PK_EXP_STATS_CPU: {
		struct ctnl_stats_msg m;
		unsigned kind = pm->kind == CTNL_PK_CT_STATS_CPU ? CTNL_STATS_CPU
				: pm->kind == CTNL_PK_CT_STATS ? CTNL_STATS_GLOBAL
								: CTNL_STATS_EXP_CPU;

		rc = ctnl_stats_decode(pm->data, pm->len, kind, &m, &err);
		fuzz_check_stats_result(pm->data, pm->len, rc, &m, &err);
		break;
	}
	case CTNL_PK_ACK:
	case CTNL_PK_ERROR: {
		struct ctnl_nlerr e;

		rc = ctnl_nlerr_parse(pm->data, pm->len, &e, &err);
		FUZZ_CHECKF(rc == 0 || rc == -EBADMSG, "nlerr rc %d", rc);
		if (rc == 0)
			FUZZ_CHECK((pm->kind == CTNL_PK_ACK) == (e.error == 0));
		break;
	}
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t slots[] = { 0, 1, 2, 8 };
	struct ctnl_pcap_opts opts = { .size = sizeof(opts) };
	struct ctnl_pcap_reader *r = NULL;
	struct ctnl_pcap_err perr;
	struct ctnl_pcap_stats st;
	struct ctnl_pcap_msg pm;
	char text[256];
	unsigned long n = 0;
	int fd, rc;

	if (size < 1)
		return 0;
	opts.flags = (data[0] & 1 ? CTNL_PCAP_KEEP_OTHER : 0) | (data[0] & 2 ? CTNL_PCAP_NO_SWAP : 0);
	opts.req_slots = slots[(data[0] >> 2) & 3];

	fd = memfd_create("ctnl-fuzz-pcap", 0);
	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(write(fd, data + 1, size - 1) == (ssize_t)(size - 1));
	FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);

	memset(&perr, 0, sizeof(perr));
	rc = ctnl_pcap_fdopen(fd, &opts, &r, &perr);
	if (rc < 0) {
		FUZZ_CHECKF(rc == -EINVAL || rc == -ENOMEM || rc == -EIO, "open rc %d", rc);
		FUZZ_CHECK(ctnl_pcap_err_format(&perr, text, sizeof(text)) >= 0);
		return 0;
	}
	(void)ctnl_pcap_linktype(r);
	for (;;) {
		memset(&perr, 0, sizeof(perr));
		rc = ctnl_pcap_next(r, &pm, &perr);
		if (rc == 0)
			break;
		FUZZ_CHECK(++n < 1000000);
		if (rc < 0) {
			FUZZ_CHECKF(rc == -ENODATA || rc == -EBADMSG || rc == -EPROTONOSUPPORT || rc == -EIO,
				    "next rc %d", rc);
			FUZZ_CHECK(perr.code == rc);
			FUZZ_CHECK(ctnl_pcap_err_format(&perr, text, sizeof(text)) > 0 && strlen(text) < sizeof(text));
			continue;
		}
		FUZZ_CHECK(rc == 1);
		FUZZ_CHECK(pm.len >= 16 && pm.data != NULL && pm.raw != NULL);
		FUZZ_CHECK(pm.hdr.len == pm.len);
		FUZZ_CHECK(strcmp(ctnl_pcap_kind_name(pm.kind), "?") != 0);
		FUZZ_CHECK(pm.dir == CTNL_DIR_TO_KERNEL || pm.dir == CTNL_DIR_TO_USER);
		{
			/* the headers as returned parse to hdr */
			struct ctnl_msg h;

			/* the nfgenmsg rule of ctnl_msg_parse() holds for netfilter
			 * messages only: with CTNL_PCAP_KEEP_OTHER a message of
			 * another netlink family (kind OTHER) may be 16 bytes */
			if ((!pm.swapped || !(opts.flags & CTNL_PCAP_NO_SWAP)) && pm.kind != CTNL_PK_OTHER) {
				FUZZ_CHECK(ctnl_msg_parse(pm.data, pm.len, &h, NULL) == 0);
				FUZZ_CHECK(h.type == pm.hdr.type && h.flags == pm.hdr.flags && h.len == pm.hdr.len);
			}
		}
		if (!pm.swapped || !(opts.flags & CTNL_PCAP_NO_SWAP))
			decode_by_kind(&pm);
	}
	/* the end is sticky */
	FUZZ_CHECK(ctnl_pcap_next(r, &pm, NULL) == 0);
	ctnl_pcap_stats(r, &st);
	FUZZ_CHECKF(st.returned <= st.messages && (st.records_bad <= st.records || fuzz_known_bug("pcap-records-bad")), "returned %llu messages %llu bad %llu records %llu", (unsigned long long)st.returned, (unsigned long long)st.messages, (unsigned long long)st.records_bad, (unsigned long long)st.records);
	ctnl_pcap_close(r);
	return 0;
}
