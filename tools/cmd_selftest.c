/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctnl selftest: the kernel regression suite (issue 8, docs/selftest.md).
 * The matrix lives in selftest/; this file is its command line.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "selftest.h"

static void usage(FILE *f)
{
	fputs("Usage: ctnl selftest [options]\n"
	      "Check the running kernel's ctnetlink behaviour, each scenario in throwaway\n"
	      "network namespaces (needs root).  Prints TAP (kselftest); exit 0 pass, 1 fail,\n"
	      "4 everything skipped, 2 usage.\n"
	      "  --list                 the scenarios (with --filter: those selected), then exit\n"
	      "  --list-faults          the faults --inject-fault knows, then exit\n"
	      "  --filter PATTERN[,..]  only these scenarios (glob, or a substring: 'nat', 'proto.tcp.*')\n"
	      "  --record DIR           keep every scenario's capture in DIR (DIR/NAME.pcap)\n"
	      "  --captures DIR         where failures' captures go (default $TMPDIR/ctnl-selftest-PID)\n"
	      "  --junit FILE           also write JUnit XML\n"
	      "  --inject-fault NAME    break one scenario on purpose (see --list-faults)\n"
	      "  --timeout SECONDS      per scenario (default 30)\n"
	      "  -v, --verbose          notes and namespaces of every scenario\n"
	      "  --replay FILE          print a scenario's capture with its failure notes\n"
	      "  --live                 with --replay: send its requests again to this kernel\n"
	      "                         in a fresh namespace and show what differs\n",
	      f);
}

int ctnl_cmd_selftest(struct ctnl_io *io, int argc, char **argv)
{
	enum { O_LIST = 256, O_FAULTS, O_FILTER, O_RECORD, O_CAPTURES, O_JUNIT, O_FAULT, O_TIMEOUT, O_REPLAY, O_LIVE };
	static const struct option longopts[] = {
		{ "list", no_argument, NULL, O_LIST },
		{ "list-faults", no_argument, NULL, O_FAULTS },
		{ "filter", required_argument, NULL, O_FILTER },
		{ "record", required_argument, NULL, O_RECORD },
		{ "captures", required_argument, NULL, O_CAPTURES },
		{ "junit", required_argument, NULL, O_JUNIT },
		{ "inject-fault", required_argument, NULL, O_FAULT },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "replay", required_argument, NULL, O_REPLAY },
		{ "live", no_argument, NULL, O_LIVE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctnl_st_opts o = { .out = io->out, .err = io->err };
	const char *replay = NULL;
	int list = 0, faults = 0, live = 0, opt;
	char *end;

	optind = 0;                        /* in-process callers run us more than once */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (opt) {
		case O_LIST: list = 1; break;
		case O_FAULTS: faults = 1; break;
		case O_FILTER: o.filter = optarg; break;
		case O_RECORD: o.record_dir = optarg; break;
		case O_CAPTURES: o.capture_dir = optarg; break;
		case O_JUNIT: o.junit = optarg; break;
		case O_FAULT: o.fault = optarg; break;
		case O_REPLAY: replay = optarg; break;
		case O_LIVE: live = 1; break;
		case O_TIMEOUT:
			o.timeout_s = (unsigned)strtoul(optarg, &end, 10);
			if (*end || !o.timeout_s || o.timeout_s > 3600) {
				fprintf(io->err, "ctnl selftest: --timeout wants 1..3600 seconds, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'v': o.verbose = 1; break;
		case 'h': usage(io->out); return 0;
		default:
			fprintf(io->err, "ctnl selftest: bad option '%s'\n", argv[optind - 1]);
			usage(io->err);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(io->err, "ctnl selftest: unexpected argument '%s'\n", argv[optind]);
		usage(io->err);
		return 2;
	}
	if (faults) {
		ctnl_st_list_faults(io->out);
		return 0;
	}
	if (list) {
		int rc = ctnl_st_list(io->out, o.filter);

		if (rc)
			fprintf(io->err, "ctnl selftest: no scenario matches '%s'\n", o.filter);
		return rc;
	}
	if (replay)
		return ctnl_st_replay(replay, live, io->out, io->err);
	if (live) {
		fputs("ctnl selftest: --live goes with --replay FILE\n", io->err);
		return 2;
	}
	return ctnl_st_run(&o);
}
