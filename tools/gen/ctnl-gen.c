/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctnl-gen: the man page ctnl(8) and the bash completion, written from
 * the option table the parser uses (tools/conntrack_opts.c), so that
 * neither can name an option the command does not have.
 *
 *   ctnl-gen man OUT.8
 *   ctnl-gen bash OUT.bash
 */
#include <stdio.h>
#include <string.h>

#include "conntrack_opts.h"

/* roff: a leading dot or quote, and backslashes, must be escaped */
static void roff(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

static int shown_short(int v)
{
	return v > ' ' && v < 128 && !strchr("[]{}<>()", v);
}

static const char *const cmd_names[CTC_NCMD] = {
	"-L", "-I", "-U", "-D", "-G", "-F", "-E", "-V", "-h", "-L expect", "-I expect", "-D expect",
	"-G expect", "-F expect", "-E expect", "-C", "-C expect", "-S", "-S expect", "-A",
};

/* The commands an option is legal with, from its legality string. */
static void legal_with(FILE *f, const char *legal)
{
	int first = 1;

	for (int c = 0; c < CTC_NCMD; c++) {
		if (legal[c] == CTC_ILLEGAL || c == CTC_HELP)
			continue;
		fprintf(f, "%s", first ? "" : ", ");
		roff(f, cmd_names[c]);
		if (legal[c] == CTC_NEEDED)
			fputs(" (required)", f);
		first = 0;
	}
}

static int man(FILE *f)
{
	fputs(".TH CTNL 8 \"\" \"ctnl 0.1.0\" \"System Administration\"\n"
	      ".SH NAME\nctnl \\- conntrack(8)-compatible connection tracking tool over ctnetlink\n"
	      ".SH SYNOPSIS\n.B ctnl\n[\\fB\\-\\-netns\\fR \\fINAME\\fR] [\\fB\\-\\-pcap\\fR \\fIFILE\\fR] [\\fB\\-\\-json\\fR]"
	      " \\fICOMMAND\\fR [\\fITABLE\\fR] [\\fIOPTIONS\\fR]\n.br\n.B ctnl\n\\fB\\-R\\fR \\fIFILE\\fR\n.br\n.B ctnl\n"
	      "\\fBdecode\\fR|\\fBreplay\\fR|\\fBselftest\\fR ...\n"
	      ".SH DESCRIPTION\nThe command lines of conntrack(8) 1.4.7, with the same options, legality rules, "
	      "messages and exit statuses, and the same output for the same table. Filters the kernel can apply "
	      "are sent to it. The differences from conntrack(8), each with its reason, are listed in docs/cli.md.\n"
	      ".SH COMMANDS\n", f);
	for (size_t i = 0; i < ctc_ncommands; i++) {
		fputs(".TP\n.B ", f);
		roff(f, ctc_commands[i].usage);
		if (ctc_commands[i].lng) {
			/* the long spelling too: conntrack(8) accepts both */
			fputs(", \\-\\-", f);
			roff(f, ctc_commands[i].lng);
		}
		fputs("\n", f);
		roff(f, ctc_commands[i].help);
		fputs("\n", f);
	}
	fputs(".TP\n.B \\-R \\fIFILE\\fR|\\-\nRun the \\-I, \\-A, \\-U, \\-D and \\-F lines of a file.\n"
	      ".PP\nTables: conntrack (default), expect, dying, unconfirmed.\n.SH OPTIONS\n", f);
	for (size_t i = 0; i < ctc_nopts; i++) {
		const struct ctc_opt *o = &ctc_opts[i];

		if (o->kind == CTC_K_COMMAND)
			continue;
		fputs(".TP\n.B ", f);
		if (shown_short(o->val))
			fprintf(f, "\\-%c, ", o->val);
		fputs("\\-\\-", f);
		roff(f, o->lng);
		if (o->arg) {
			fputs(" \\fI", f);
			roff(f, o->arg);
			fputs("\\fR", f);
		}
		fputs("\n", f);
		roff(f, o->help);
		if (o->flag >= 0) {
			fputs(". With: ", f);
			legal_with(f, ctc_flags[o->flag].legal);
		}
		fputs(".\n", f);
	}
	fputs(".SH PROTOCOL OPTIONS\nAfter \\fB\\-p\\fR \\fIPROTO\\fR.\n", f);
	for (size_t p = 0; p < ctc_nprotos; p++) {
		const struct ctc_proto *pr = &ctc_protos[p];

		fprintf(f, ".SS %s\n", pr->name);
		for (const struct ctc_popt *o = pr->opts; o->lng; o++) {
			fputs(".TP\n.B \\-\\-", f);
			roff(f, o->lng);
			fputs("\n", f);
			roff(f, o->help);
			fputs(". With: ", f);
			legal_with(f, pr->legal[o->bit]);
			fputs(".\n", f);
		}
		if (pr->states) {
			fputs(".PP\nStates:", f);
			for (unsigned s = 0; s < pr->nstates; s++)
				fprintf(f, " %s", pr->states[s]);
			fputs(".\n", f);
		}
	}
	fputs(".SH EXIT STATUS\n0 on success; 1 when the operation failed or touched nothing; "
	      "2 for a bad command line.\n.SH SEE ALSO\nconntrack(8)\n", f);
	return 0;
}

static int bash(FILE *f)
{
	fputs("# bash completion for ctnl, generated from its option table\n_ctnl()\n{\n"
	      "\tlocal cur prev words cword proto= i\n\t_init_completion || return\n"
	      "\tfor ((i = 1; i < cword; i++)); do\n"
	      "\t\tif [[ ${words[i]} == -p || ${words[i]} == --protonum ]]; then proto=${words[i+1]}; fi\n\tdone\n"
	      "\tcase $prev in\n"
	      "\t-p|--protonum) COMPREPLY=($(compgen -W '", f);
	for (size_t p = 0; p < ctc_nprotos; p++)
		fprintf(f, "%s%s", p ? " " : "", ctc_protos[p].name);
	fputs("' -- \"$cur\")); return ;;\n\t-f|--family) COMPREPLY=($(compgen -W 'ipv4 ipv6' -- \"$cur\")); return ;;\n"
	      "\t-u|--status) COMPREPLY=($(compgen -W '", f);
	for (const struct ctc_word *w = ctc_status_words; w->word; w++)
		fprintf(f, "%s ", w->word);
	fputs("UNREPLIED' -- \"$cur\")); return ;;\n\t-e|--event-mask) COMPREPLY=($(compgen -W '", f);
	for (const struct ctc_word *w = ctc_event_words; w->word; w++)
		fprintf(f, "%s ", w->word);
	fputs("' -- \"$cur\")); return ;;\n\t-o|--output) COMPREPLY=($(compgen -W '", f);
	for (const struct ctc_word *w = ctc_output_words; w->word; w++)
		fprintf(f, "%s ", w->word);
	fputs("' -- \"$cur\")); return ;;\n"
	      "\t-L|--dump|-G|--get|-D|--delete|-I|--create|-E|--event|-F|--flush|-C|--counter)\n"
	      "\t\tCOMPREPLY=($(compgen -W 'conntrack expect dying unconfirmed' -- \"$cur\")); return ;;\n"
	      "\t-R|--load-file|--pcap) _filedir; return ;;\n"
	      "\tesac\n\tlocal opts='", f);
	for (size_t i = 0; i < ctc_nopts; i++) {
		if (shown_short(ctc_opts[i].val) && (i == 0 || ctc_opts[i - 1].val != ctc_opts[i].val))
			fprintf(f, "-%c ", ctc_opts[i].val);
		fprintf(f, "--%s ", ctc_opts[i].lng);
	}
	fputs("-R --load-file decode replay selftest'\n\tcase $proto in\n", f);
	for (size_t p = 0; p < ctc_nprotos; p++) {
		fprintf(f, "\t%s) opts+='", ctc_protos[p].name);
		for (const struct ctc_popt *o = ctc_protos[p].opts; o->lng; o++)
			fprintf(f, " --%s", o->lng);
		fputs("' ;;\n", f);
	}
	fputs("\tesac\n\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n}\ncomplete -F _ctnl ctnl\n", f);
	return 0;
}

int main(int argc, char **argv)
{
	FILE *f;
	int rc;

	if (argc != 3 || (strcmp(argv[1], "man") && strcmp(argv[1], "bash"))) {
		fputs("usage: ctnl-gen man|bash OUTPUT\n", stderr);
		return 2;
	}
	f = fopen(argv[2], "w");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	rc = !strcmp(argv[1], "man") ? man(f) : bash(f);
	return fclose(f) || rc ? 1 : 0;
}
