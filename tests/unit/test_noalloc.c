/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Decoding and encoding allocate nothing, on success and on every error
 * path: this binary interposes the allocator and counts calls made while
 * the codec runs (libc's own internals included).  Built only without
 * sanitizers, whose runtimes own malloc themselves.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include <ctnl/ct.h>
#include <ctnl/msg.h>

#include "testutil.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static int armed;
static unsigned calls;

void *malloc(size_t n) { calls += armed; return __libc_malloc(n); }
void *calloc(size_t a, size_t b) { calls += armed; return __libc_calloc(a, b); }
void *realloc(void *p, size_t n) { calls += armed; return __libc_realloc(p, n); }
void free(void *p) { calls += armed && p; __libc_free(p); }

static const char entry_hex[] =
	"f0000000 00012200 00000000 00000000 02000000"
	"34000180 14000180 08000100 0a000001 08000200 0a000002 1c000280 05000100 06000000 06000200 03e80000 06000300 00500000"
	"34000280 14000180 08000100 0a000002 08000200 0a000001 1c000280 05000100 06000000 06000200 00500000 06000300 03e80000"
	"08000300 00000008 08000800 00000007 08000c00 7cb6dd16 08000b00 00000001 08000700 00000064"
	"30000480 2c000180 05000100 03000000 05000200 00000000 05000300 00000000 06000400 00000000 06000500 00000000"
	"1c001880 08000100 00000000 08000200 00000000 08000300 00000000";

static void test_no_allocation(void)
{
	static uint8_t buf[4096], out[4096];
	static struct ctnl_ct_msg m;
	size_t len = hex2bin(entry_hex, buf, sizeof(buf)), n;
	struct ctnl_err err;
	struct ctnl_stream s;
	const uint8_t *msg;
	size_t mlen;
	char line[256];

	memcpy(buf + len, buf, len);   /* two messages */
	armed = 1;
	calls = 0;
	ctnl_stream_init(&s, buf, 2 * len);
	while (ctnl_stream_next(&s, &msg, &mlen, &err) == 1) {
		CU_ASSERT_EQUAL(ctnl_ct_decode(msg, mlen, &m, &err), 0);
		CU_ASSERT_EQUAL(ctnl_ct_encode(&m, out, sizeof(out), &n, &err), 0);
	}
	/* error paths format their messages: still nothing allocated */
	for (size_t cut = 20; cut < len; cut += 3) {
		memset(&err, 0, sizeof(err));
		set_u32(buf, (uint32_t)cut);
		(void)ctnl_ct_decode(buf, cut, &m, &err);
		ctnl_err_format(&err, line, sizeof(line));
	}
	CU_ASSERT_EQUAL(ctnl_ct_encode(&m, out, 10, &n, &err), -ENOSPC);
	armed = 0;
	CU_ASSERT_EQUAL(calls, 0);
}

int main(void)
{
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("no-allocation", NULL, NULL);
	CU_add_test(s, "decode, encode and errors allocate nothing", test_no_allocation);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	unsigned fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
