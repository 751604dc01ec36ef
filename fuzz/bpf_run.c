/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Target bpf_run: the classic BPF checker, interpreter and disassembler
 * on any program.
 *
 * Input: one byte n (mod 64, plus 1: the instruction count), n
 * instructions of 8 bytes (struct sock_filter, host order), then the
 * packet the program runs on (a netlink message or anything).
 *
 * Oracles: ctnl_bpf_check() is deterministic and returns 0 or -EINVAL
 * with a formatted error; ctnl_bpf_run() returns what the check said
 * (-EINVAL for a refused program), else 0 or -EOPNOTSUPP, and never
 * reads outside the packet (an exact-size block) or the program; the
 * disassembler writes exact lengths and truncates to prefixes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctnl_bpf_insn *prog;
	struct ctnl_err err = { 0 };
	size_t n, plen;
	uint8_t *pkt;
	uint32_t verdict = 0x5a5a5a5a;
	int rc_check, rc_run, len;
	char line[128];

	if (size < 1)
		return 0;
	n = (size_t)(data[0] % 64) + 1;
	if (size < 1 + n * 8)
		return 0;
	prog = malloc(n * sizeof(*prog));
	FUZZ_CHECK(prog != NULL);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = data + 1 + i * 8;

		memcpy(&prog[i].code, p, 2);
		prog[i].jt = p[2];
		prog[i].jf = p[3];
		memcpy(&prog[i].k, p + 4, 4);
	}
	plen = size - 1 - n * 8;
	pkt = fuzz_dup(data + 1 + n * 8, plen);

	rc_check = ctnl_bpf_check(prog, n, &err);
	FUZZ_CHECKF(rc_check == 0 || rc_check == -EINVAL, "check rc %d", rc_check);
	if (rc_check < 0) {
		FUZZ_CHECK(err.code == rc_check);
		fuzz_check_err_format(&err);
	}
	FUZZ_CHECK(ctnl_bpf_check(prog, n, NULL) == rc_check);

	memset(&err, 0, sizeof(err));
	rc_run = ctnl_bpf_run(prog, n, pkt, plen, &verdict, &err);
	if (rc_check < 0)
		FUZZ_CHECKF(rc_run == rc_check, "check %d, run %d", rc_check, rc_run);
	else
		FUZZ_CHECKF(rc_run == 0 || rc_run == -EOPNOTSUPP, "run rc %d", rc_run);
	if (rc_run < 0)
		fuzz_check_err_format(&err);

	for (size_t i = 0; i < n; i++) {
		len = ctnl_bpf_disasm_insn(&prog[i], i, line, sizeof(line));
		FUZZ_CHECK(len > 0 && strlen(line) == ((size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1));
	}
	len = ctnl_bpf_disasm(prog, n, NULL, 0);
	FUZZ_CHECK(len > 0);
	{
		char *full = malloc((size_t)len + 1);

		FUZZ_CHECK(full != NULL);
		FUZZ_CHECK(ctnl_bpf_disasm(prog, n, full, (size_t)len + 1) == len && strlen(full) == (size_t)len);
		free(full);
	}
	free(pkt);
	free(prog);
	return 0;
}
