/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Command dispatch and the small utilities the commands share. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ctnl/render.h>

#include "cli.h"
#include "conntrack_run.h"

static void usage(FILE *f)
{
	fputs("Usage: ctnl COMMAND [options]\n"
	      "       ctnl [--netns NAME|PATH] [--pcap FILE] [--json] -L|-G|-D|-I|-U|-E|-F|-C|-S|-R|-A [table] [options]\n"
	      "Commands:\n"
	      "  decode FILE    print raw ctnetlink messages as text, conntrack(8) lines or JSON\n"
	      "  replay FILE    run a capture's requests again\n"
	      "  selftest       check the kernel's conntrack netlink interface\n"
	      "  -L, -G, ...    the conntrack(8) 1.4.7 command line ('ctnl -h -L' lists its options)\n"
	      "Run 'ctnl COMMAND --help' for the options of a command.\n",
	      f);
}

int ctnl_main(int argc, char **argv, struct ctnl_io *io)
{
	if (argc < 2) {
		usage(io->err);
		return 2;
	}
	if (!strcmp(argv[1], "decode"))
		return ctnl_cmd_decode(io, argc - 1, argv + 1);
	if (!strcmp(argv[1], "replay"))
		return ctnl_cmd_replay(io, argc - 1, argv + 1);
	if (!strcmp(argv[1], "selftest"))
		return ctnl_cmd_selftest(io, argc - 1, argv + 1);
	if ((argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) || !strcmp(argv[1], "help")) {
		usage(io->out);
		return 0;
	}
	/* the conntrack(8)-compatible command line */
	if (argv[1][0] == '-')
		return ctnl_conntrack_main(io, argc, argv);
	fprintf(io->err, "ctnl: unknown command '%s'\n", argv[1]);
	usage(io->err);
	return 2;
}

int ctnl_read_file(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 65536, n = 0;
	uint8_t *buf;

	if (!f)
		return -1;
	buf = malloc(cap);
	if (!buf)
		goto fail;
	for (;;) {
		size_t r = fread(buf + n, 1, cap - n, f);

		n += r;
		if (n < cap) {
			if (ferror(f))
				goto fail;
			break;
		}
		uint8_t *nb = realloc(buf, cap * 2);
		if (!nb)
			goto fail;
		buf = nb;
		cap *= 2;
	}
	if (f != stdin)
		fclose(f);
	*data = buf;
	*len = n;
	return 0;
fail:
	{
		int e = errno ? errno : EIO;
		free(buf);
		if (f != stdin)
			fclose(f);
		errno = e;
	}
	return -1;
}

int ctnl_parse_output_flags(const char *list, unsigned *flags)
{
	static const struct { const char *word; unsigned flag; } words[] = {
		{ "extended", CTNL_OUT_EXTENDED }, { "id", CTNL_OUT_ID },
		{ "ktimestamp", CTNL_OUT_KTIMESTAMP }, { "labels", CTNL_OUT_LABELS },
	};
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		size_t i;

		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strlen(words[i].word) == n && !strncmp(p, words[i].word, n))
				break;
		if (i == sizeof(words) / sizeof(words[0]))
			return -1;
		*flags |= words[i].flag;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

void ctnl_labelmap_load(struct ctnl_labelmap *lm, const char *path)
{
	char line[256];
	FILE *f;

	memset(lm, 0, sizeof(*lm));
	f = fopen(path ? path : "/etc/xtables/connlabel.conf", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end, *name;
		unsigned long bit;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '#' || !isdigit((unsigned char)*p))
			continue;
		bit = strtoul(p, &end, 0);
		if (bit >= CTNL_LABELS_MAX || !isspace((unsigned char)*end))
			continue;
		while (isspace((unsigned char)*end))
			end++;
		name = end;
		end[strcspn(end, " \t\r\n")] = '\0';
		if (*name && !lm->names[bit])
			lm->names[bit] = strdup(name);
	}
	fclose(f);
}

void ctnl_labelmap_free(struct ctnl_labelmap *lm)
{
	for (unsigned i = 0; i < CTNL_LABELS_MAX; i++)
		free(lm->names[i]);
}

int ctnl_tz_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm))
		return 0;
	return (int)tm.tm_gmtoff;
}
