/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_SELFTEST_H
#define CTNL_SELFTEST_H

/*
 * The kernel regression suite (ctnl selftest): a matrix of ctnetlink
 * behaviours, each scenario checked in throwaway namespaces of the
 * running kernel.  docs/selftest.md describes the matrix and the output.
 *
 * Library ctnl-selftest, used by tools/cmd_selftest.c.  Unlike the rest
 * of ctnl, this is test code: it forks, prints through the FILEs it is
 * given, and makes namespaces.
 */

#include <stdio.h>

/* Exit codes, as kselftest. */
#define CTNL_ST_PASS 0
#define CTNL_ST_FAIL 1
#define CTNL_ST_SKIP 4

struct ctnl_st_opts {
	const char *filter;                /* comma-separated patterns (fnmatch, or substrings); NULL: all */
	const char *record_dir;            /* keep every scenario's capture here (created) */
	const char *capture_dir;           /* where failures' captures go; NULL: $TMPDIR/ctnl-selftest-PID */
	const char *junit;                 /* JUnit XML file, or NULL */
	const char *fault;                 /* --inject-fault NAME, or NULL */
	unsigned timeout_s;                /* per scenario; 0: 30 */
	int verbose;                       /* namespaces and notes of passing scenarios too */
	FILE *out;                         /* TAP and the summary */
	FILE *err;
};

/* Run the matrix.  Return: CTNL_ST_PASS, _FAIL, _SKIP (all skipped), or 2
 * for a usage error (unknown fault, no scenario matched). */
int ctnl_st_run(const struct ctnl_st_opts *o);

/* Print the scenarios (and the faults) that @filter selects.  Return: 0, or 2 if none. */
int ctnl_st_list(FILE *out, const char *filter);

/* Print the injectable faults. */
void ctnl_st_list_faults(FILE *out);

/*
 * Replay a scenario's capture: print every message in it (direction,
 * record, decoded entry or error), with the failure notes saved beside it
 * (FILE.fail); with @live, also send the recorded requests again to this
 * kernel in a fresh namespace and print where its answers differ from the
 * recorded ones.  Return: 0 same (or nothing compared), 1 differences, 2 the
 * capture could not be read.
 */
int ctnl_st_replay(const char *pcap, int live, FILE *out, FILE *err);

#endif
