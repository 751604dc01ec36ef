/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Text form of an event filter, shared by ctnl-filtertool and the live
 * test's checker: entries separated by blanks, each
 *
 *   [!]NAME=VALUE[/MASK]
 *
 * NAME is a ctnl_bpf_type_info() name (orig-l4proto, orig-v4-src,
 * mark, msg-type, ...).  Addresses take a prefix length after '/',
 * integers a mask; msg-type takes new|update|destroy, family inet|inet6.
 *
 *   "orig-l4proto=6 orig-l4proto=17 !orig-port-dst=22 mark=0x40/0xf0"
 *
 * NAME=A..B (integers) stands for one entry per value from A to B.
 */
#ifndef CTNL_TESTS_FILTERSPEC_H
#define CTNL_TESTS_FILTERSPEC_H

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctnl/bpf.h>

static int spec_uint(const char *s, unsigned long max, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static void spec_put_be(uint8_t *p, uint32_t v, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(v >> (8 * (size - 1 - i)));
}

/* One entry.  Return: 0 or -EINVAL (with a message in @why). */
static int spec_entry(const char *word, struct ctnl_bpf_match *e, char *why, size_t whylen)
{
	char name[32], val[64], *eq, *slash;
	const struct ctnl_bpf_type_info *ti;
	int type;
	uint32_t v;

	memset(e, 0, sizeof(*e));
	if (*word == '!') {
		e->negate = 1;
		word++;
	}
	eq = strchr(word, '=');
	if (!eq || (size_t)(eq - word) >= sizeof(name) || strlen(eq + 1) >= sizeof(val)) {
		snprintf(why, whylen, "'%s': expected NAME=VALUE", word);
		return -EINVAL;
	}
	memcpy(name, word, (size_t)(eq - word));
	name[eq - word] = '\0';
	strcpy(val, eq + 1);
	type = ctnl_bpf_type_by_name(name);
	if (type < 0) {
		snprintf(why, whylen, "'%s': unknown attribute", name);
		return -EINVAL;
	}
	ti = ctnl_bpf_type_info((unsigned)type);
	e->type = (uint16_t)type;
	e->len = ti->size;
	slash = strchr(val, '/');
	if (slash)
		*slash++ = '\0';
	if ((type >= CTNL_BPF_ORIG_V4_SRC && type <= CTNL_BPF_REPLY_V6_DST)) {
		int af = ti->size == 4 ? AF_INET : AF_INET6;

		if (inet_pton(af, val, e->value) != 1) {
			snprintf(why, whylen, "'%s': not an address", val);
			return -EINVAL;
		}
		if (slash) {
			if (spec_uint(slash, 8u * ti->size, &v) < 0) {
				snprintf(why, whylen, "'%s': bad prefix length", slash);
				return -EINVAL;
			}
			e->mask_len = ti->size;
			for (unsigned b = 0; b < v; b++)
				e->mask[b / 8] |= (uint8_t)(0x80u >> (b % 8));
		}
		return 0;
	}
	if (type == CTNL_BPF_MSG_TYPE && !strcmp(val, "new"))
		v = CTNL_BPF_MSG_NEW;
	else if (type == CTNL_BPF_MSG_TYPE && !strcmp(val, "update"))
		v = CTNL_BPF_MSG_UPDATE;
	else if (type == CTNL_BPF_MSG_TYPE && !strcmp(val, "destroy"))
		v = CTNL_BPF_MSG_DESTROY;
	else if (type == CTNL_BPF_FAMILY && !strcmp(val, "inet"))
		v = AF_INET;
	else if (type == CTNL_BPF_FAMILY && !strcmp(val, "inet6"))
		v = AF_INET6;
	else if (spec_uint(val, ti->size >= 4 ? 0xffffffffu : (1ul << (8 * ti->size)) - 1, &v) < 0) {
		snprintf(why, whylen, "'%s': bad value for %s", val, name);
		return -EINVAL;
	}
	spec_put_be(e->value, v, ti->size);
	if (slash) {
		if (spec_uint(slash, 0xffffffffu, &v) < 0) {
			snprintf(why, whylen, "'%s': bad mask", slash);
			return -EINVAL;
		}
		e->mask_len = ti->size;
		spec_put_be(e->mask, v, ti->size > 4 ? 4 : ti->size);
	}
	return 0;
}

/* A whole filter.  Return: the number of entries, or -EINVAL / -E2BIG. */
static int spec_parse(const char *spec, struct ctnl_bpf_match *out, size_t cap, char *why, size_t whylen)
{
	char word[128];
	size_t n = 0;
	const char *p = spec;

	for (;;) {
		size_t l;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		l = strcspn(p, " \t\n");
		if (l >= sizeof(word)) {
			snprintf(why, whylen, "entry too long");
			return -EINVAL;
		}
		if (n >= cap) {
			snprintf(why, whylen, "more than %zu entries", cap);
			return -E2BIG;
		}
		memcpy(word, p, l);
		word[l] = '\0';
		p += l;
		char *dots = strstr(word, "..");
		char *eq = strchr(word, '=');
		if (dots && eq && eq < dots) {
			/* NAME=A..B: one entry per integer in [A, B] */
			char one[160];
			uint32_t a, b;

			*dots = '\0';
			if (spec_uint(eq + 1, 0xffffffffu, &a) < 0 || spec_uint(dots + 2, 0xffffffffu, &b) < 0 || b < a) {
				snprintf(why, whylen, "'%s': bad range", word);
				return -EINVAL;
			}
			*eq = '\0';
			for (uint64_t v = a; v <= b; v++) {
				if (n >= cap) {
					snprintf(why, whylen, "more than %zu entries", cap);
					return -E2BIG;
				}
				snprintf(one, sizeof(one), "%s=%llu", word, (unsigned long long)v);
				if (spec_entry(one, &out[n], why, whylen) < 0)
					return -EINVAL;
				n++;
			}
			continue;
		}
		if (spec_entry(word, &out[n], why, whylen) < 0)
			return -EINVAL;
		n++;
	}
	return (int)n;
}

#endif
