/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The conntrack(8)-compatible parser, in-process: every bad or incomplete
 * command line gives status 2 (1 where conntrack 1.4.7 says 1) and the
 * message conntrack prints, checked from a table of {arguments, status,
 * message}.  The messages were taken from conntrack 1.4.7 itself (the
 * live compatibility test compares them again, tests/cli-compat/compat.sh).
 * Nothing here opens a socket: every case fails before the kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/Basic.h>

#include "cli.h"

struct pcase {
	const char *line;     /* split at blanks */
	int rc;
	const char *err;      /* the message after "ctnl v0.1.0: " */
	const char *out;      /* or something stdout must hold */
};

static const struct pcase cases[] = {
	/* no or two commands, options without a command */
	{ "-s 1.2.3.4", 2, "Illegal option `--src' with this command", NULL },
	{ "-p tcp", 2, "Illegal option `--protonum' with this command", NULL },
	{ "-z", 2, "Illegal option `--zero' with this command", NULL },
	{ "-L -L", 2, "Invalid commands combination", NULL },
	{ "-L -D", 2, "Invalid commands combination", NULL },
	/* unknown options, missing arguments, ambiguous abbreviations */
	{ "-L -x", 2, "unknown option `-x'", NULL },
	{ "-R", 2, "unknown option `-R'", NULL },
	{ "-L --sp 1", 2, "unknown option `--sp'", NULL },
	{ "-L -p tcp --s 1", 2, "unknown option `--s'", NULL },
	{ "-L --bogus", 2, "unknown option `--bogus'", NULL },
	{ "-L -s", 2, "option `-s' requires an argument", NULL },
	{ "-L --src", 2, "option `--src' requires an argument", NULL },
	{ "-L -p tcp --dport", 2, "option `--dport' requires an argument", NULL },
	{ "-L -i", 2, "option `-i' requires an argument", NULL },
	/* tables */
	{ "-L foo", 2, "unknown type `foo'", NULL },
	{ "-I dying", 2, "Can't do that command with tables `dying' and `unconfirmed'", NULL },
	{ "-U expect", 2, "Can't do --update on expectations", NULL },
	{ "-A expect", 2, "Can't do --add on expectations", NULL },
	/* missing protocol, timeout, addresses, ports, state */
	{ "-I", 2, "You need to supply the `--protonum' option for this command", NULL },
	{ "-G", 2, "You need to supply the `--protonum' option for this command", NULL },
	{ "-I -p tcp", 2, "You need to supply the `--timeout' option for this command", NULL },
	{ "-I -s 1.1.1.1 -p tcp -t 1", 2, "you have to specify `--src' and `--dst'", NULL },
	{ "-I -r 1.1.1.1 -p tcp -t 1", 2, "you have to specify `--reply-src' and `--reply-dst'", NULL },
	{ "-I -p tcp -t 1", 2, "you have to specify `--src' and `--dst'", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p tcp -t 1", 2, "You need to supply the `--state' option for this command", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p tcp -t 1 --sport 1 --state ESTABLISHED", 2,
	  "you have to specify `--sport' and `--dport'", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p tcp -t 1 --reply-port-src 1 --state ESTABLISHED", 2,
	  "you have to specify `--reply-src-port' and `--reply-dst-port'", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p udp -t 1 --sport 1", 2, "you have to specify `--sport' and `--dport'", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p udplite -t 1 --dport 1", 2, "you have to specify `--sport' and `--dport'", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p dccp -t 1 --state OPEN", 2,
	  "You need to supply the `--role' option for this command", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p dccp -t 1 --state OPEN --role client --reply-port-src 1", 2,
	  "you have to specify `--reply-port-src' and `--report-port-dst'", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p sctp -t 1 --state ESTABLISHED", 2,
	  "You need to supply the `--orig-vtag' option for this command", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p gre -t 1 --srckey 1", 2, "you have to specify `--srckey' and `--dstkey'", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p gre -t 1 --reply-key-src 1", 2,
	  "you have to specify `--reply-src-key' and `--reply-dst-key'", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p icmp -t 1 --icmp-type 8", 2,
	  "You need to supply the `--icmp-code' option for this command", NULL },
	{ "-I -s ::1 -d ::2 -p icmpv6 -t 1 --icmpv6-code 0", 2,
	  "You need to supply the `--icmpv6-type' option for this command", NULL },
	{ "-I expect", 2, "You need to supply the `--src' option for this command", NULL },
	{ "-I expect -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 -t 5", 2,
	  "You need to supply the `--tuple-src' option for this command", NULL },
	{ "-D expect -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2", 2,
	  "You need to supply the `--reply-port-src' option for this command", NULL },
	/* bad values */
	{ "-L -s 1.1.1.1/33", 2, "Invalid netmask", NULL },
	{ "-L -s 1.1.1.1/x", 2, "Invalid netmask", NULL },
	{ "-L -s ::1/129", 2, "Invalid netmask", NULL },
	{ "-L -s 300.1.1.1", 2, "Invalid IP address `300.1.1.1'", NULL },
	{ "-L -d foo", 2, "Invalid IP address `foo'", NULL },
	{ "-L -r 1.1.1.1/24", 2, "CIDR notation unavailable for `--reply-src'", NULL },
	{ "-L --mask-src 1.1.1.1/8", 2, "CIDR notation unavailable for `--mask-src'", NULL },
	{ "-L -n 1.1.1.1/8", 2, "CIDR notation unavailable for `--src-nat'", NULL },
	{ "-L -n 1.1.1.1:", 2, "No port specified after `:'", NULL },
	{ "-L -n 1.1.1.1:99999", 2, "Invalid port `99999'", NULL },
	{ "-L -n 1.1.1.1:8x", 2, "Invalid port `8x'", NULL },
	{ "-L -n [1.1.1.1", 2, "No closing ']' around IPv6 address", NULL },
	{ "-L -n []:1", 2, "No IPv6 address specified", NULL },
	{ "-L -f ipv5", 2, "`ipv5' unsupported protocol", NULL },
	{ "-L -p foo", 2, "`foo' unsupported protocol", NULL },
	{ "-L -p 300", 2, "`300' unsupported protocol", NULL },
	{ "-L -u FOO", 2, "Bad parameter `FOO'", NULL },
	{ "-L -u ASSURED,", 2, "Bad parameter `'", NULL },
	{ "-E -e NEW,FOO", 2, "Bad parameter `FOO'", NULL },
	{ "-L -o foo", 2, "Bad parameter `foo'", NULL },
	{ "-L -o ,", 2, "Bad parameter `,'", NULL },
	{ "-L -p tcp --state FOO", 2, "unknown TCP state `FOO'", NULL },
	{ "-L -p sctp --state FOO", 2, "unknown SCTP state `FOO'", NULL },
	{ "-L -p dccp --state FOO", 2, "Unknown DCCP state `FOO'", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p dccp -t 1 --state OPEN --role foo", 2, "Unknown DCCP role `foo'", NULL },
	/* conflicting options */
	{ "-L -s 1.1.1.1 -d ::1", 2, "mismatched address family", NULL },
	{ "-L -s 1.1.1.1 -f ipv6", 2, "mismatched address family", NULL },
	{ "-D -j 1.1.1.1 -n 2.2.2.2", 2, "cannot specify `--src-nat' or `--dst-nat' with `--any-nat'", NULL },
	{ "-L -o xml,save", 1, "cannot combine save output with any other output type, use -o save only", NULL },
	{ "-U --label-del --label-add red", 1, "cannot use --label-add and --label-del at the same time", NULL },
	{ "-L -s 1.2.3.4 -p tcp --sport 1 -z", 2, "Can't use -z with filtering parameters", NULL },
	{ "-L -m 1 -z", 2, "Can't use -z with filtering parameters", NULL },
	{ "-L --mask-src 255.0.0.0", 2, "Can't use --mask-src without --src", NULL },
	{ "-L -s 1.1.1.1 --mask-dst 255.0.0.0", 2, "Can't use --mask-dst without --dst", NULL },
	/* options illegal with a command */
	{ "-G -s 1.1.1.1 -d 2.2.2.2 -p tcp --sport 1 --dport 2 -w 7", 2, "Illegal option `--zone' with this command", NULL },
	{ "-U -w 7", 2, "Illegal option `--zone' with this command", NULL },
	{ "-C expect -p tcp", 2, "Illegal option `--protonum' with this command", NULL },
	{ "-S -f ipv4", 2, "Illegal option `--family' with this command", NULL },
	{ "-L expect -s 1.1.1.1", 2, "Illegal option `--src' with this command", NULL },
	{ "-F -s 1.1.1.1", 2, "Illegal option `--src' with this command", NULL },
	{ "-L -e NEW", 2, "Illegal option `--event-mask' with this command", NULL },
	{ "-E -z", 2, "Illegal option `--zero' with this command", NULL },
	{ "-L -t 5", 2, "Illegal option `--timeout' with this command", NULL },
	{ "-I -s 1.1.1.1 -d 2.2.2.2 -p tcp -t 1 --sport 1 --dport 2 --state ESTABLISHED --label-del", 2,
	  "Illegal option `--label-del' with this command", NULL },
	{ "-L -p tcp --tuple-port-src 1", 2, "Illegal option `--tuple-port-src' with this command", NULL },
	{ "-L -p tcp --mask-port-dst 1", 2, "Illegal option `--mask-port-dst' with this command", NULL },
	{ "-L -p icmp --icmp-type 8 --sport 1", 2, "unknown option `--sport'", NULL },
	{ "-L -p sctp --orig-vtag 1", 2, "Illegal option `--orig-vtag' with this command", NULL },
	{ "-D -p dccp --role client", 2, "Illegal option `--role' with this command", NULL },
	{ "-V -s 1.1.1.1", 2, "Illegal option `--src' with this command", NULL },
	/* ctnl extensions need their argument */
	{ "-L --netns", 2, "option `--netns' requires an argument", NULL },
	{ "-L --pcap", 2, "option `--pcap' requires an argument", NULL },
	/* no error: help and version (stdout) */
	{ "-V", 0, NULL, "ctnl v0.1.0" },
	{ "-h", 0, NULL, "decode FILE" },
	{ "-h -p tcp", 0, NULL, "Proto `tcp' help:" },
	{ "-h -p dccp", 0, NULL, "--role" },
	{ "-R /nonexistent/file", 2, "Failed to open file /nonexistent/file for reading", NULL },
};

static int run_case(const struct pcase *c)
{
	char *copy = strdup(c->line), *argv[64], *out = NULL, *err = NULL, *tok, *save = NULL;
	size_t olen, elen;
	struct ctnl_io io;
	int argc = 1, rc, ok;
	char want[512];

	argv[0] = (char *)"ctnl";
	for (tok = strtok_r(copy, " ", &save); tok && argc < 63; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	io.out = open_memstream(&out, &olen);
	io.err = open_memstream(&err, &elen);
	rc = ctnl_main(argc, argv, &io);
	fclose(io.out);
	fclose(io.err);
	ok = rc == c->rc;
	if (c->err) {
		snprintf(want, sizeof(want), "ctnl v0.1.0: %s\n", c->err);
		ok = ok && strstr(err, want);
		/* parameter problems carry the hint, as conntrack's do */
		if (c->rc == 2)
			ok = ok && strstr(err, "Try `ctnl -h' or 'ctnl --help' for more information.\n");
	}
	if (c->out)
		ok = ok && strstr(out, c->out);
	if (!ok)
		fprintf(stderr, "\ncase '%s': rc %d (want %d)\n  stdout: %s\n  stderr: %s\n", c->line, rc, c->rc, out, err);
	free(out);
	free(err);
	free(copy);
	return ok;
}

static void test_table(void)
{
	unsigned bad = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		bad += !run_case(&cases[i]);
	printf("\n%zu command lines, %u wrong\n", sizeof(cases) / sizeof(cases[0]), bad);
	CU_ASSERT_EQUAL(bad, 0);
}

int main(void)
{
	CU_pSuite s;
	unsigned fails;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite("conntrack parser", NULL, NULL);
	CU_add_test(s, "bad and incomplete command lines", test_table);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	fails = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return fails ? 1 : 0;
}
