/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target bpf_filter: bytes -> filter list -> BPF program, and the
 * program run in the interpreter against direct evaluation.
 *
 * Input: one byte n (mod 9: up to 8 entries), n entries of 36 bytes
 * (type, negate, len, mask_len, value[16], mask[16]: struct
 * ctnl_bpf_match), then one netlink message.
 *
 * Oracles:
 *  - ctnl_bpf_compile() and the reference ctnl_bpf_match_eval() judge
 *    the list alike: the same error for an invalid list; a list that
 *    compiles evaluates to 0 or 1;
 *  - a compiled program passes ctnl_bpf_check() (the kernel's checks),
 *    is at most CTNL_BPF_MAXINSNS long, reports its length exactly with
 *    -ENOSPC into a block one instruction short (no overrun), compiles
 *    the same twice, and disassembles (exact length, prefix truncation);
 *  - run on the message (alone, in a block of its exact size), the
 *    program accepts a message of another subsystem untouched, and on a
 *    conntrack entry that decodes without duplicates or padding it
 *    accepts exactly when the reference evaluator does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/nfnetlink.h>

#include "fuzz.h"

#define ENTRY_SIZE 36u

static void check_disasm(const struct ctnl_bpf_insn *prog, size_t n)
{
	int len = ctnl_bpf_disasm(prog, n, NULL, 0);
	char *full, *half;

	FUZZ_CHECK(len > 0);
	full = malloc((size_t)len + 1);
	FUZZ_CHECK(full != NULL);
	FUZZ_CHECK(ctnl_bpf_disasm(prog, n, full, (size_t)len + 1) == len);
	FUZZ_CHECK(strlen(full) == (size_t)len);
	half = malloc((size_t)len / 2 + 1);
	FUZZ_CHECK(half != NULL);
	FUZZ_CHECK(ctnl_bpf_disasm(prog, n, half, (size_t)len / 2 + 1) == len);
	FUZZ_CHECK(memcmp(half, full, (size_t)len / 2) == 0 && half[len / 2] == '\0');
	free(half);
	free(full);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctnl_bpf_match m[8];
	size_t n, plen = 0, plen2 = 0;
	struct ctnl_bpf_insn *prog = NULL, *prog2;
	struct ctnl_err err = { 0 }, err2 = { 0 };
	const uint8_t *msg;
	size_t mlen;
	int rc_c, rc_e;

	if (size < 1)
		return 0;
	n = data[0] % 9;
	if (size < 1 + n * ENTRY_SIZE)
		return 0;
	memset(m, 0, sizeof(m));
	for (size_t i = 0; i < n; i++) {
		const uint8_t *e = data + 1 + i * ENTRY_SIZE;

		m[i].type = e[0];
		m[i].negate = e[1];
		m[i].len = e[2];
		m[i].mask_len = e[3];
		memcpy(m[i].value, e + 4, 16);
		memcpy(m[i].mask, e + 20, 16);
	}
	/* the type table names each type, and the name leads back to it */
	for (size_t i = 0; i < n; i++) {
		const struct ctnl_bpf_type_info *ti = ctnl_bpf_type_info(m[i].type);

		if (ti)
			FUZZ_CHECK(ctnl_bpf_type_by_name(ti->name) == (int)m[i].type);
		else
			FUZZ_CHECK(m[i].type >= CTNL_BPF_TYPE_MAX);
	}
	if (n == 0)
		FUZZ_CHECK(ctnl_bpf_type_by_name("no-such-type") == -ENOENT);
	msg = data + 1 + n * ENTRY_SIZE;
	mlen = size - 1 - n * ENTRY_SIZE;

	/* the length alone, then the program */
	rc_c = ctnl_bpf_compile(m, n, NULL, 0, &plen, &err);
	FUZZ_CHECKF(rc_c == 0 || rc_c == -ENOSPC || rc_c == -EOPNOTSUPP || rc_c == -ERANGE || rc_c == -EDOM ||
			    rc_c == -EINVAL || rc_c == -E2BIG,
		    "compile rc %d", rc_c);
	if (rc_c == -ENOSPC) {
		FUZZ_CHECK(plen >= 1 && plen <= CTNL_BPF_MAXINSNS);
		prog = malloc(plen * sizeof(*prog));
		FUZZ_CHECK(prog != NULL);
		if (plen > 1) {
			prog2 = malloc((plen - 1) * sizeof(*prog2));
			FUZZ_CHECK(prog2 != NULL);
			FUZZ_CHECK(ctnl_bpf_compile(m, n, prog2, plen - 1, &plen2, NULL) == -ENOSPC && plen2 == plen);
			free(prog2);
		}
		memset(&err, 0, sizeof(err));
		rc_c = ctnl_bpf_compile(m, n, prog, plen, &plen2, &err);
		FUZZ_CHECKF(rc_c == 0 && plen2 == plen, "compile into %zu: rc %d, length %zu", plen, rc_c, plen2);
		prog2 = malloc(plen * sizeof(*prog2));
		FUZZ_CHECK(prog2 != NULL);
		FUZZ_CHECK(ctnl_bpf_compile(m, n, prog2, plen, &plen2, NULL) == 0);
		FUZZ_CHECK(memcmp(prog, prog2, plen * sizeof(*prog)) == 0);
		free(prog2);
		memset(&err2, 0, sizeof(err2));
		FUZZ_CHECKF(ctnl_bpf_check(prog, plen, &err2) == 0, "the kernel would refuse the program: %s", err2.what);
		check_disasm(prog, plen);
	} else if (rc_c == 0) {
		fuzz_fail("compile into no room returned 0 (length %zu)", plen);
	} else {
		FUZZ_CHECK(err.code == rc_c);
		fuzz_check_err_format(&err);
	}

	{
		struct ctnl_ct_msg ct;
		struct ctnl_msg h;
		uint8_t *copy;
		uint32_t verdict = 0;
		int drc, rrc;

		if (ctnl_msg_parse(msg, mlen, &h, NULL) < 0)
			goto out;
		copy = fuzz_dup(msg, h.len);
		memset(&err, 0, sizeof(err));
		drc = ctnl_ct_decode(copy, h.len, &ct, &err);
		if (drc == 0 || ctnl_msg_subsys(h.type) != NFNL_SUBSYS_CTNETLINK) {
			if (drc != 0)
				ct.hdr = h;
			memset(&err2, 0, sizeof(err2));
			rc_e = ctnl_bpf_match_eval(m, n, &ct, &err2);
			if (rc_c == 0 || rc_c == -E2BIG)
				FUZZ_CHECKF(rc_e == 0 || rc_e == 1, "compiles (%d), evaluates to %d", rc_c, rc_e);
			else
				FUZZ_CHECKF(rc_e == rc_c, "compile says %d, evaluate says %d", rc_c, rc_e);
		} else {
			rc_e = -1;
		}
		if (prog) {
			memset(&err2, 0, sizeof(err2));
			rrc = ctnl_bpf_run(prog, plen, copy, h.len, &verdict, &err2);
			FUZZ_CHECKF(rrc == 0, "a compiled program does not run: %d %s", rrc, err2.what);
			if (ctnl_msg_subsys(h.type) != NFNL_SUBSYS_CTNETLINK && h.len >= 20)
				FUZZ_CHECKF(verdict != 0, "message of subsystem %u dropped", ctnl_msg_subsys(h.type));
			if (drc == 0 && ct.unknown.dups == 0 && ct.unknown.pads == 0)
				FUZZ_CHECKF((verdict != 0) == (rc_e == 1), "interpreter %s, reference %s",
					    verdict ? "accepts" : "rejects", rc_e == 1 ? "accepts" : "rejects");
		}
		free(copy);
	}
out:
	free(prog);
	return 0;
}
