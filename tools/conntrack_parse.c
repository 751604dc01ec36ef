/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The conntrack(8)-compatible parser: a command line into a struct
 * ctc_req, with conntrack 1.4.7's rules and messages, checked in its
 * order (the first problem found is the one reported):
 *
 *   1. each option as it comes (bad values, unknown options and labels,
 *      mixed families, a second command);
 *   2. the default family (AF_INET for commands that do not dump);
 *   3. --any-nat with --src-nat/--dst-nat;
 *   4. every option against the command's legality string, in flag order;
 *   5. the address pairs a command needs;
 *   6. the protocol's own options, then its port pairs;
 *   7. the checks conntrack makes when it runs the command (-z with a
 *      filter, a mask without its address).
 *
 * getopt_long does the scanning, as in conntrack, so abbreviations,
 * "--opt=value", clustering and argument permutation behave the same.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>

#include "conntrack_req.h"

const char ctc_version[] = "ctnl v0.1.0";

int ctc_error(struct ctc_ctx *ctx, int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(ctx->io->err, "%s: ", ctc_version);
	va_start(ap, fmt);
	vfprintf(ctx->io->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->io->err);
	if (status == CTC_PARAM)
		fprintf(ctx->io->err, "Try `%s -h' or '%s --help' for more information.\n", ctx->prog, ctx->prog);
	return status;
}

int ctc_labels_load(struct ctc_ctx *ctx, const struct ctc_req *req)
{
	const char *path = req->labelmap_path ? req->labelmap_path : "/etc/xtables/connlabel.conf";
	FILE *f;

	if (ctx->labels_loaded)
		return ctx->labels ? 0 : -1;
	ctx->labels_loaded = 1;
	f = fopen(path, "r");
	if (!f) {
		fprintf(ctx->io->err, "%s: %s: %s\n", ctx->prog, path, strerror(errno));
		return -1;
	}
	fclose(f);
	ctx->labels = calloc(1, sizeof(*ctx->labels));
	if (!ctx->labels)
		return -1;
	ctnl_labelmap_load(ctx->labels, path);
	return 0;
}

/* ---- values ---- */

/* conntrack's parse_addr: "IP[/bits]"; *mask -1 none, -2 invalid. */
static int parse_addr(const char *arg, uint8_t *addr, int *mask)
{
	char buf[INET6_ADDRSTRLEN];
	struct in_addr a4;
	char *slash;

	snprintf(buf, sizeof(buf), "%s", arg);
	if (mask) {
		*mask = -1;
		slash = strchr(buf, '/');
		if (slash) {
			char *end;
			long m = strtol(slash + 1, &end, 10);

			*mask = (m < 0 || *end || m > INT_MAX) ? -2 : (int)m;
			*slash = '\0';
		}
	}
	if (inet_aton(buf, &a4)) {
		memcpy(addr, &a4, 4);
		if (mask && *mask > 32)
			*mask = -2;
		return AF_INET;
	}
	if (inet_pton(AF_INET6, buf, addr) > 0) {
		if (mask && *mask > 128)
			*mask = -2;
		return AF_INET6;
	}
	return AF_UNSPEC;
}

static void netmask(uint8_t *out, int bits, int len)
{
	memset(out, 0, 16);
	for (int i = 0; i < len; i++, bits -= 8)
		out[i] = bits >= 8 ? 0xff : bits > 0 ? (uint8_t)(0xff << (8 - bits)) : 0;
}

/* A prefix of one of the words, ignoring case, as conntrack reads -u, -e, -o. */
static int word_value(const char *s, size_t n, const struct ctc_word *w, uint32_t *v, struct ctc_ctx *ctx)
{
	if (!strncasecmp(s, "SRC_NAT", n)) {
		fputs("WARNING: ignoring SRC_NAT, use --src-nat instead\n", ctx->io->err);
		return 1;
	}
	if (!strncasecmp(s, "DST_NAT", n)) {
		fputs("WARNING: ignoring DST_NAT, use --dst-nat instead\n", ctx->io->err);
		return 1;
	}
	for (; w->word; w++)
		if (!strncasecmp(s, w->word, n)) {
			*v |= w->value;
			return 1;
		}
	return 0;
}

static int parse_words(struct ctc_ctx *ctx, const char *arg, const struct ctc_word *w, uint32_t *v)
{
	const char *comma;

	while ((comma = strchr(arg, ','))) {
		if (comma == arg || !word_value(arg, (size_t)(comma - arg), w, v, ctx))
			return ctc_error(ctx, CTC_PARAM, "Bad parameter `%s'", arg);
		arg = comma + 1;
	}
	if (!*arg || !word_value(arg, strlen(arg), w, v, ctx))
		return ctc_error(ctx, CTC_PARAM, "Bad parameter `%s'", arg);
	return 0;
}

/* -u: STATUS, !STATUS (a bit that must be clear), UNREPLIED. */
static int parse_status(struct ctc_ctx *ctx, const char *arg, uint32_t *status, uint32_t *mask)
{
	for (;;) {
		const char *comma = strchr(arg, ',');
		size_t n = comma ? (size_t)(comma - arg) : strlen(arg);
		int neg = 0;

		if (comma && comma == arg)
			return ctc_error(ctx, CTC_PARAM, "Bad parameter `%s'", arg);
		if (*arg == '!') {
			neg = 1;
			arg++;
			n--;
			if (comma && comma == arg)
				return ctc_error(ctx, CTC_PARAM, "Bad parameter `%s'", arg);
		}
		if (!neg && !strncmp(arg, "UNREPLIED", 9)) {
			*mask |= IPS_SEEN_REPLY;
		} else if (!n || !word_value(arg, n, ctc_status_words, neg ? mask : status, ctx)) {
			return ctc_error(ctx, CTC_PARAM, "Bad parameter `%s'", arg);
		}
		if (!comma)
			return 0;
		arg = comma + 1;
	}
}

static int label_bit(struct ctc_ctx *ctx, const char *name)
{
	for (unsigned i = 0; ctx->labels && i < CTNL_LABELS_MAX; i++)
		if (ctx->labels->names[i] && !strcmp(ctx->labels->names[i], name))
			return (int)i;
	return -1;
}

/* "a,b,c" into a bit set; conntrack checks every name before setting any. */
static int parse_labels(struct ctc_ctx *ctx, const char *arg, struct ctc_labels *l)
{
	char *copy = strdup(arg), *p = copy, *comma;
	int rc = 0;

	if (!copy)
		return ctc_error(ctx, CTC_OTHER, "out of memory");
	for (;;) {
		int bit;

		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		bit = label_bit(ctx, p);
		if (bit < 0) {
			rc = ctc_error(ctx, CTC_PARAM, "unknown label '%s'", p);
			break;
		}
		if (!l->set || (unsigned)bit > l->maxbit)
			l->maxbit = (unsigned)bit > l->maxbit || !l->set ? (unsigned)bit : l->maxbit;
		l->set = 1;
		l->bits[bit / 8] |= (uint8_t)(1u << (bit % 8));
		if (!comma)
			break;
		p = comma + 1;
	}
	free(copy);
	return rc;
}

/* conntrack's split_address_and_port for -n/-g/-j "IP:PORT", "[IP6]:PORT". */
static int split_nat(struct ctc_ctx *ctx, const char *arg, char *addr, size_t alen, long *port)
{
	const char *colon = NULL, *open = strchr(arg, '[');

	*port = -1;
	if (open) {
		const char *start = open + 1, *close = strchr(start, ']');

		if (close == start)
			return ctc_error(ctx, CTC_PARAM, "No IPv6 address specified");
		if (!close)
			return ctc_error(ctx, CTC_PARAM, "No closing ']' around IPv6 address");
		colon = strchr(close, ':');
		if (colon)
			snprintf(addr, alen, "%.*s", (int)(close - start), start);
	} else {
		colon = strchr(arg, ':');
		if (colon && !strchr(colon + 1, ':'))
			snprintf(addr, alen, "%.*s", (int)(colon - arg), arg);
		else
			colon = NULL;
	}
	if (!colon) {
		snprintf(addr, alen, "%s", arg);
		return 0;
	}
	colon++;
	if (!*colon)
		return ctc_error(ctx, CTC_PARAM, "No port specified after `:'");
	for (const char *c = colon; *c; c++)
		if (!isdigit((unsigned char)*c))
			return ctc_error(ctx, CTC_PARAM, "Invalid port `%s'", colon);
	errno = 0;
	*port = strtol(colon, NULL, 10);
	if (errno || *port > USHRT_MAX)
		return ctc_error(ctx, CTC_PARAM, "Invalid port `%s'", colon);
	return 0;
}

/* ---- the parser state ---- */

struct pstate {
	struct ctc_ctx *ctx;
	struct ctc_req *r;
	int argc;
	char **argv;
	struct option longopts[96];
};

static void build_longopts(struct pstate *ps)
{
	size_t n = 0;

	for (size_t i = 0; i < ctc_nopts && n < 64; i++) {
		ps->longopts[n].name = ctc_opts[i].lng;
		ps->longopts[n].has_arg = ctc_opts[i].has_arg;
		ps->longopts[n].flag = NULL;
		ps->longopts[n].val = ctc_opts[i].val;
		n++;
	}
	if (ps->r->proto)
		for (const struct ctc_popt *o = ps->r->proto->opts; o->lng && n < 95; o++) {
			ps->longopts[n].name = o->lng;
			ps->longopts[n].has_arg = 1;
			ps->longopts[n].flag = NULL;
			ps->longopts[n].val = CTC_V_PROTO + o->code;
			n++;
		}
	memset(&ps->longopts[n], 0, sizeof(ps->longopts[n]));
}

/* iptables' trick, as conntrack uses it: an optional argument may be
 * the next word when that word does not look like an option. */
static const char *optional_arg(struct pstate *ps)
{
	if (optarg)
		return NULL;   /* conntrack ignores "-Lexpect" and "--dump=expect" */
	if (optind < ps->argc && ps->argv[optind][0] != '-' && ps->argv[optind][0] != '!')
		return ps->argv[optind++];
	return NULL;
}

static int check_table(struct pstate *ps, int *table)
{
	const char *t = optional_arg(ps);
	size_t n;

	*table = CTC_T_CONNTRACK;
	if (!t)
		return 0;
	n = strlen(t);
	if (!strncmp("expect", t, n))
		*table = CTC_T_EXPECT;
	else if (!strncmp("conntrack", t, n))
		*table = CTC_T_CONNTRACK;
	else if (!strncmp("dying", t, n))
		*table = CTC_T_DYING;
	else if (!strncmp("unconfirmed", t, n))
		*table = CTC_T_UNCONFIRMED;
	else
		return ctc_error(ps->ctx, CTC_PARAM, "unknown type `%s'", t);
	return 0;
}

static int set_family(struct pstate *ps, int f)
{
	if (ps->r->family == AF_UNSPEC)
		ps->r->family = f;
	else if (ps->r->family != f)
		return ctc_error(ps->ctx, CTC_PARAM, "mismatched address family");
	return 0;
}

static int add_command(struct pstate *ps, int cmd)
{
	if (ps->r->command != CTC_NCMD)
		return ctc_error(ps->ctx, CTC_PARAM, "Invalid commands combination");
	ps->r->command = cmd;
	return 0;
}

static const struct ctc_proto *find_proto(const char *name, int *num)
{
	struct protoent *pe;
	unsigned long v;
	char *end;

	for (size_t i = 0; i < ctc_nprotos; i++)
		if (!strcasecmp(ctc_protos[i].name, name)) {
			*num = ctc_protos[i].num;
			return &ctc_protos[i];
		}
	pe = getprotobyname(name);
	if (pe) {
		*num = pe->p_proto;
		return &ctc_proto_unknown;
	}
	v = strtoul(name, &end, 0);
	if (end == name || *end || v > 255)
		return NULL;
	*num = (int)v;
	for (size_t i = 0; i < ctc_nprotos; i++)
		if (ctc_protos[i].num == v)
			return &ctc_protos[i];
	return &ctc_proto_unknown;
}

/* Which address an option sets: s d r q in the entry, [ ] in the
 * expected tuple, { } in the mask; the CIDR suffix goes to the mask. */
static int address_opt(struct pstate *ps, int c, const char *arg)
{
	struct ctc_req *r = ps->r;
	struct ctc_obj *o;
	uint8_t addr[16] = { 0 }, *dst;
	int mask, f, rc, maskbit = -1, isdst = 0, repl = 0, flag;

	switch (c) {
	case 's': o = &r->ct; flag = CTC_F_SRC; maskbit = CTC_F_MASK_SRC; break;
	case 'd': o = &r->ct; flag = CTC_F_DST; maskbit = CTC_F_MASK_DST; isdst = 1; break;
	case 'r': o = &r->ct; flag = CTC_F_REPL_SRC; repl = 1; break;
	case 'q': o = &r->ct; flag = CTC_F_REPL_DST; repl = 1; isdst = 1; break;
	case '[': o = &r->exptuple; flag = CTC_F_EXP_SRC; maskbit = CTC_F_MASK_SRC; break;
	case ']': o = &r->exptuple; flag = CTC_F_EXP_DST; maskbit = CTC_F_MASK_DST; isdst = 1; break;
	case '{': o = &r->mask; flag = CTC_F_MASK_SRC; break;
	default: o = &r->mask; flag = CTC_F_MASK_DST; isdst = 1; break;
	}
	f = parse_addr(arg, addr, &mask);
	if (f == AF_UNSPEC)
		return ctc_error(ps->ctx, CTC_PARAM, "Invalid IP address `%s'", arg);
	if ((rc = set_family(ps, f)))
		return rc;
	if (mask != -1 && maskbit < 0)
		return ctc_error(ps->ctx, CTC_PARAM, "CIDR notation unavailable for `--%s'", ctc_long_name(c, NULL));
	if (mask == -2)
		return ctc_error(ps->ctx, CTC_PARAM, "Invalid netmask");
	r->options |= CTC_BIT(flag);
	dst = repl ? (isdst ? o->rdst : o->rsrc) : (isdst ? o->dst : o->src);
	memcpy(dst, addr, 16);
	if (repl) {
		CTC_SET(o, isdst ? CTC_A_REPL_DST : CTC_A_REPL_SRC);
		CTC_SET(o, CTC_A_REPL_L3);
		o->rl3 = (uint8_t)f;
	} else {
		CTC_SET(o, isdst ? CTC_A_ORIG_DST : CTC_A_ORIG_SRC);
		CTC_SET(o, CTC_A_ORIG_L3);
		o->l3 = (uint8_t)f;
	}
	if (mask == -1 || (f == AF_INET && mask == 32) || (f == AF_INET6 && mask == 128))
		return 0;
	/* the prefix becomes the mask's address of the same direction */
	netmask(isdst ? r->mask.dst : r->mask.src, mask, f == AF_INET ? 4 : 16);
	CTC_SET(&r->mask, isdst ? CTC_A_ORIG_DST : CTC_A_ORIG_SRC);
	CTC_SET(&r->mask, CTC_A_ORIG_L3);
	r->mask.l3 = (uint8_t)f;
	r->options |= CTC_BIT(maskbit);
	return 0;
}

static int nat_opt(struct pstate *ps, int c)
{
	struct ctc_req *r = ps->r;
	const char *arg;
	char addr[128];
	uint8_t a[16] = { 0 };
	long port;
	int f, mask, rc;

	r->options |= CTC_BIT(c == 'n' ? CTC_F_SRC_NAT : c == 'g' ? CTC_F_DST_NAT : CTC_F_ANY_NAT);
	arg = optarg ? optarg : optional_arg(ps);
	if (!arg)
		return 0;
	if ((rc = split_nat(ps->ctx, arg, addr, sizeof(addr), &port)))
		return rc;
	f = parse_addr(addr, a, &mask);
	if (f == AF_UNSPEC)
		return ctc_error(ps->ctx, CTC_PARAM, "Invalid IP address `%s'", addr);
	if ((rc = set_family(ps, f)))
		return rc;
	if (mask != -1)
		return ctc_error(ps->ctx, CTC_PARAM, "CIDR notation unavailable for `--%s'", ctc_long_name(c, NULL));
	if (c != 'j') {
		CTC_SET(&r->ct, CTC_A_ORIG_L3);
		r->ct.l3 = (uint8_t)f;
	}
	if (c == 'g' || c == 'j') {
		memcpy(r->ct.dnat, a, 16);
		CTC_SET(&r->ct, CTC_A_DNAT);
		if (port >= 0 && c == 'g') {
			r->ct.dnat_port = (uint16_t)port;
			CTC_SET(&r->ct, CTC_A_DNAT_PORT);
		}
	}
	if (c == 'n' || c == 'j') {
		memcpy(r->ct.snat, a, 16);
		CTC_SET(&r->ct, CTC_A_SNAT);
		if (port >= 0) {
			r->ct.snat_port = (uint16_t)port;
			CTC_SET(&r->ct, CTC_A_SNAT_PORT);
		}
	}
	return 0;
}

static int label_opt(struct pstate *ps, int c)
{
	struct ctc_req *r = ps->r;
	const char *arg = optarg;

	r->options |= CTC_BIT(c == 'l' ? CTC_F_LABEL : c == '<' ? CTC_F_ADD_LABEL : CTC_F_DEL_LABEL);
	ctc_labels_load(ps->ctx, r);
	if ((r->options & CTC_BIT(CTC_F_ADD_LABEL)) && (r->options & CTC_BIT(CTC_F_DEL_LABEL)))
		return ctc_error(ps->ctx, CTC_OTHER, "cannot use --label-add and --label-del at the same time");
	if (c == '>' && !arg) {
		arg = optional_arg(ps);
		if (!arg)
			return 0;   /* every label */
	}
	return parse_labels(ps->ctx, arg, c == 'l' ? &r->label : &r->label_modify);
}

static int proto_opt(struct pstate *ps, int code)
{
	struct ctc_req *r = ps->r;
	const struct ctc_proto *p = r->proto;
	const struct ctc_popt *o;
	unsigned long v;
	struct ctc_obj *obj;

	for (o = p->opts; o->lng; o++)
		if (o->code == code)
			break;
	if (!o->lng)
		return 0;
	r->l4flags |= 1u << o->bit;
	v = p->number_base0 ? strtoul(optarg, NULL, 0) : (unsigned long)atoi(optarg);
	switch (o->kind) {
	case CTC_P_ORIG_SPORT:
	case CTC_P_ORIG_DPORT:
	case CTC_P_MASK_SPORT:
	case CTC_P_MASK_DPORT:
	case CTC_P_EXP_SPORT:
	case CTC_P_EXP_DPORT:
		obj = o->kind <= CTC_P_ORIG_DPORT ? &r->ct : o->kind <= CTC_P_MASK_DPORT ? &r->mask : &r->exptuple;
		if (o->kind == CTC_P_ORIG_SPORT || o->kind == CTC_P_MASK_SPORT || o->kind == CTC_P_EXP_SPORT) {
			obj->sport = (uint16_t)v;
			CTC_SET(obj, CTC_A_ORIG_SPORT);
		} else {
			obj->dport = (uint16_t)v;
			CTC_SET(obj, CTC_A_ORIG_DPORT);
		}
		/* conntrack writes the port into the expected tuple's protocol
		 * for TCP, SCTP and DCCP; ctnl writes the protocol */
		obj->l4 = p->num;
		CTC_SET(obj, CTC_A_ORIG_L4);
		break;
	case CTC_P_REPL_SPORT:
		r->ct.rsport = (uint16_t)v;
		CTC_SET(&r->ct, CTC_A_REPL_SPORT);
		r->ct.rl4 = p->num;
		CTC_SET(&r->ct, CTC_A_REPL_L4);
		break;
	case CTC_P_REPL_DPORT:
		r->ct.rdport = (uint16_t)v;
		CTC_SET(&r->ct, CTC_A_REPL_DPORT);
		r->ct.rl4 = p->num;
		CTC_SET(&r->ct, CTC_A_REPL_L4);
		break;
	case CTC_P_STATE: {
		unsigned i;

		for (i = 0; i < p->nstates; i++)
			if (p->states[i] && !strcmp(optarg, p->states[i]))
				break;
		if (p->num == 6 && !strcmp(optarg, "LISTEN"))
			i = 9;
		else if (i == p->nstates)
			return ctc_error(ps->ctx, CTC_PARAM, "%s %s state `%s'", p->num == 33 ? "Unknown" : "unknown",
					 p->state_word, optarg);
		r->ct.state = (uint8_t)i;
		CTC_SET(&r->ct, p->num == 6 ? CTC_A_TCP_STATE : p->num == 132 ? CTC_A_SCTP_STATE : CTC_A_DCCP_STATE);
		break;
	}
	case CTC_P_ICMP_TYPE:
	case CTC_P_ICMP_CODE:
	case CTC_P_ICMP_ID:
		if (o->kind == CTC_P_ICMP_TYPE) {
			r->ct.icmp_type = (uint8_t)v;
			CTC_SET(&r->ct, CTC_A_ICMP_TYPE);
		} else if (o->kind == CTC_P_ICMP_CODE) {
			r->ct.icmp_code = (uint8_t)v;
			CTC_SET(&r->ct, CTC_A_ICMP_CODE);
		} else {
			r->ct.icmp_id = (uint16_t)v;
			CTC_SET(&r->ct, CTC_A_ICMP_ID);
		}
		r->ct.l4 = p->num;
		CTC_SET(&r->ct, CTC_A_ORIG_L4);
		if (CTC_HAS(&r->ct, CTC_A_REPL_L3)) {
			r->ct.rl4 = p->num;
			CTC_SET(&r->ct, CTC_A_REPL_L4);
		}
		break;
	case CTC_P_VTAG_ORIG:
	case CTC_P_VTAG_REPL:
		if (o->kind == CTC_P_VTAG_ORIG) {
			r->ct.vtag_orig = (uint32_t)atoi(optarg);
			CTC_SET(&r->ct, CTC_A_VTAG_ORIG);
		} else {
			r->ct.vtag_repl = (uint32_t)atoi(optarg);
			CTC_SET(&r->ct, CTC_A_VTAG_REPL);
		}
		break;
	case CTC_P_ROLE: {
		size_t n = strlen(optarg);

		if (!strncasecmp(optarg, "client", n))
			r->ct.role = 0;
		else if (!strncasecmp(optarg, "server", n))
			r->ct.role = 1;
		else
			return ctc_error(ps->ctx, CTC_PARAM, "Unknown DCCP role `%s'", optarg);
		CTC_SET(&r->ct, CTC_A_DCCP_ROLE);
		break;
	}
	default:
		break;
	}
	return 0;
}

/* conntrack's generic_opt_check: every option against one legality
 * string; then, where the string says "3", one complete pair. */
static int legality(struct ctc_ctx *ctx, unsigned given, unsigned nbits, int cmd,
		    const char *(*name)(unsigned bit, const void *arg), const char *(*legal)(unsigned bit, const void *arg),
		    const void *arg, const unsigned pairs[2], int *partial)
{
	int special = 0;

	for (unsigned i = 0; i < nbits; i++) {
		char l = cmd < CTC_NCMD ? legal(i, arg)[cmd] : CTC_ILLEGAL;

		if (!(given & (1u << i))) {
			if (l == CTC_NEEDED)
				return ctc_error(ctx, CTC_PARAM, "You need to supply the `--%s' option for this command",
						 name(i, arg));
		} else if (l == CTC_ILLEGAL) {
			return ctc_error(ctx, CTC_PARAM, "Illegal option `--%s' with this command", name(i, arg));
		}
		if (l == CTC_COUPLED)
			special = 1;
	}
	*partial = -2;   /* no pair needed */
	if (!special || !pairs)
		return 0;
	*partial = -1;
	for (int i = 0; i < 2; i++) {
		if ((given & pairs[i]) == pairs[i]) {
			*partial = -2;
			return 0;
		}
		if ((given & pairs[i]) && *partial < 0)
			*partial = i;
	}
	return 0;
}

static const char *main_name(unsigned bit, const void *arg)
{
	(void)arg;
	return ctc_flags[bit].name;
}
static const char *main_legal(unsigned bit, const void *arg)
{
	(void)arg;
	return ctc_flags[bit].legal;
}
static const char *proto_name(unsigned bit, const void *arg)
{
	return ((const struct ctc_proto *)arg)->flag_names[bit];
}
static const char *proto_legal(unsigned bit, const void *arg)
{
	return ((const struct ctc_proto *)arg)->legal[bit];
}

static int final_checks(struct pstate *ps)
{
	struct ctc_req *r = ps->r;
	static const unsigned addr_pairs[2] = {
		CTC_BIT(CTC_F_SRC) | CTC_BIT(CTC_F_DST), CTC_BIT(CTC_F_REPL_SRC) | CTC_BIT(CTC_F_REPL_DST),
	};
	int partial, rc;

	if (r->family == AF_UNSPEC) {
		switch (r->command) {
		case CTC_CT_LIST: case CTC_CT_UPDATE: case CTC_CT_DELETE:
		case CTC_CT_GET: case CTC_CT_FLUSH: case CTC_CT_EVENT:
			break;
		default:
			r->family = AF_INET;
			break;
		}
	}
	if ((r->options & CTC_BIT(CTC_F_ANY_NAT)) &&
	    (r->options & (CTC_BIT(CTC_F_SRC_NAT) | CTC_BIT(CTC_F_DST_NAT))))
		return ctc_error(ps->ctx, CTC_PARAM, "cannot specify `--src-nat' or `--dst-nat' with `--any-nat'");
	rc = legality(ps->ctx, r->options, CTC_NFLAGS, r->command, main_name, main_legal, NULL, addr_pairs, &partial);
	if (rc)
		return rc;
	if (partial == 1)
		return ctc_error(ps->ctx, CTC_PARAM, "you have to specify `--reply-src' and `--reply-dst'");
	if (partial != -2)
		return ctc_error(ps->ctx, CTC_PARAM, "you have to specify `--src' and `--dst'");

	if (r->command != CTC_HELP && r->proto && r->proto != &ctc_proto_unknown) {
		const struct ctc_proto *p = r->proto;
		unsigned pairs[2] = { 3u, 12u };   /* bits 0+1: the original pair, 2+3: the reply pair */

		rc = legality(ps->ctx, r->l4flags, p->nbits, r->command, proto_name, proto_legal, p,
			      p->need_orig ? pairs : NULL, &partial);
		if (rc)
			return rc;
		if (partial == 1)
			return ctc_error(ps->ctx, CTC_PARAM, "%s", p->need_reply);
		if (partial != -2)
			return ctc_error(ps->ctx, CTC_PARAM, "%s", p->need_orig);
		if (p->tcp_flags) {
			/* window tracking off for entries made by hand; reopen from TIME_WAIT */
			r->ct.tcp_flags = IP_CT_TCP_FLAG_BE_LIBERAL | IP_CT_TCP_FLAG_SACK_PERM;
			if (CTC_HAS(&r->ct, CTC_A_TCP_STATE) && r->ct.state >= TCP_CONNTRACK_TIME_WAIT)
				r->ct.tcp_flags |= IP_CT_TCP_FLAG_CLOSE_INIT;
			CTC_SET(&r->ct, CTC_A_TCP_FLAGS);
		}
	} else if (r->command != CTC_HELP && r->proto == &ctc_proto_unknown) {
		if (CTC_HAS(&r->ct, CTC_A_REPL_L3) && CTC_HAS(&r->ct, CTC_A_ORIG_L4) && !CTC_HAS(&r->ct, CTC_A_REPL_L4)) {
			r->ct.rl4 = r->ct.l4;
			CTC_SET(&r->ct, CTC_A_REPL_L4);
		}
	}

	/* the checks conntrack makes when it runs the command */
	if (r->command == CTC_CT_LIST && r->table == CTC_T_CONNTRACK && (r->options & CTC_BIT(CTC_F_ZERO))) {
		unsigned filters = CTC_BIT(CTC_F_PROTO) | CTC_BIT(CTC_F_SRC) | CTC_BIT(CTC_F_DST) |
				   CTC_BIT(CTC_F_REPL_SRC) | CTC_BIT(CTC_F_REPL_DST) | CTC_BIT(CTC_F_MARK) |
				   CTC_BIT(CTC_F_SECMARK) | CTC_BIT(CTC_F_STATUS) | CTC_BIT(CTC_F_ID) |
				   CTC_BIT(CTC_F_ZONE) | CTC_BIT(CTC_F_LABEL) | CTC_BIT(CTC_F_ORIG_ZONE) |
				   CTC_BIT(CTC_F_REPL_ZONE);

		if (r->options & filters)
			return ctc_error(ps->ctx, CTC_PARAM, "Can't use -z with filtering parameters");
	}
	if ((r->command == CTC_CT_LIST && r->table == CTC_T_CONNTRACK) || r->command == CTC_CT_UPDATE ||
	    r->command == CTC_CT_DELETE || r->command == CTC_CT_EVENT) {
		if ((r->options & CTC_BIT(CTC_F_MASK_SRC)) && !(r->options & CTC_BIT(CTC_F_SRC)))
			return ctc_error(ps->ctx, CTC_PARAM, "Can't use --mask-src without --src");
		if ((r->options & CTC_BIT(CTC_F_MASK_DST)) && !(r->options & CTC_BIT(CTC_F_DST)))
			return ctc_error(ps->ctx, CTC_PARAM, "Can't use --mask-dst without --dst");
		/* address/prefix filters: match the network, not the address */
		int alen = r->family == AF_INET6 ? 16 : 4;

		if (r->options & CTC_BIT(CTC_F_MASK_SRC)) {
			for (int i = 0; i < alen; i++)
				r->net_src[i] = r->ct.src[i] & r->mask.src[i];
			memcpy(r->net_src_mask, r->mask.src, 16);
			CTC_CLR(&r->ct, CTC_A_ORIG_SRC);
		}
		if (r->options & CTC_BIT(CTC_F_MASK_DST)) {
			for (int i = 0; i < alen; i++)
				r->net_dst[i] = r->ct.dst[i] & r->mask.dst[i];
			memcpy(r->net_dst_mask, r->mask.dst, 16);
			CTC_CLR(&r->ct, CTC_A_ORIG_DST);
		}
	}
	return 0;
}

static int one_option(struct pstate *ps, int c)
{
	struct ctc_req *r = ps->r;
	int rc, table;

	switch (c) {
	case 'L':
		if ((rc = check_table(ps, &table)))
			return rc;
		r->table = table;
		return add_command(ps, table == CTC_T_EXPECT ? CTC_EXP_LIST : CTC_CT_LIST);
	case 'I': case 'D': case 'G': case 'F': case 'E': case 'V':
	case 'h': case 'C': case 'S': case 'U': case 'A': {
		const struct ctc_command *cmd = NULL;

		if ((rc = check_table(ps, &table)))
			return rc;
		if (table == CTC_T_DYING || table == CTC_T_UNCONFIRMED)
			return ctc_error(ps->ctx, CTC_PARAM, "Can't do that command with tables `dying' and `unconfirmed'");
		for (size_t i = 0; i < ctc_ncommands; i++)
			if (ctc_commands[i].letter == c)
				cmd = &ctc_commands[i];
		if ((table == CTC_T_EXPECT ? cmd->exp : cmd->ct) < 0)
			return ctc_error(ps->ctx, CTC_PARAM, "Can't do --%s on %s", ctc_long_name(c, NULL),
					 table == CTC_T_CONNTRACK ? "conntrack" : "expectations");
		r->table = table;
		return add_command(ps, table == CTC_T_EXPECT ? cmd->exp : cmd->ct);
	}
	case 's': case 'd': case 'r': case 'q':
	case '[': case ']': case '{': case '}':
		return address_opt(ps, c, optarg);
	case 'p':
		r->options |= CTC_BIT(CTC_F_PROTO);
		r->proto = find_proto(optarg, &r->protonum);
		if (!r->proto)
			return ctc_error(ps->ctx, CTC_PARAM, "`%s' unsupported protocol", optarg);
		r->ct.l4 = (uint8_t)r->protonum;
		CTC_SET(&r->ct, CTC_A_ORIG_L4);
		build_longopts(ps);
		return 0;
	case 't':
		r->options |= CTC_BIT(CTC_F_TIMEOUT);
		r->ct.timeout = (uint32_t)atol(optarg);
		CTC_SET(&r->ct, CTC_A_TIMEOUT);
		return 0;
	case 'u': {
		uint32_t mask = r->status_filter ? r->status_mask : 0;

		r->options |= CTC_BIT(CTC_F_STATUS);
		if ((rc = parse_status(ps->ctx, optarg, &r->ct.status, &mask)))
			return rc;
		CTC_SET(&r->ct, CTC_A_STATUS);
		r->status_mask = mask ? mask : r->ct.status;
		r->status_value = r->ct.status;
		r->status_filter = 1;
		return 0;
	}
	case 'e':
		r->options |= CTC_BIT(CTC_F_EVENT_MASK);
		return parse_words(ps->ctx, optarg, ctc_event_words, &r->event_mask);
	case 'o':
		r->options |= CTC_BIT(CTC_F_OUTPUT);
		if ((rc = parse_words(ps->ctx, optarg, ctc_output_words, &r->output)))
			return rc;
		if (r->output & CTC_O_CL)
			ctc_labels_load(ps->ctx, r);
		if ((r->output & CTC_O_SAVE) && (r->output & ~CTC_O_SAVE))
			return ctc_error(ps->ctx, CTC_OTHER,
					 "cannot combine save output with any other output type, use -o save only");
		return 0;
	case 'z':
		r->options |= CTC_BIT(CTC_F_ZERO);
		return 0;
	case 'n': case 'g': case 'j':
		return nat_opt(ps, c);
	case 'w':
	case '(':
	case ')': {
		uint16_t z = (uint16_t)strtoul(optarg, NULL, 0);

		if (c == 'w') {
			r->options |= CTC_BIT(CTC_F_ZONE);
			r->ct.zone = z;
			CTC_SET(&r->ct, CTC_A_ZONE);
		} else if (c == '(') {
			r->options |= CTC_BIT(CTC_F_ORIG_ZONE);
			r->ct.orig_zone = z;
			CTC_SET(&r->ct, CTC_A_ORIG_ZONE);
		} else {
			r->options |= CTC_BIT(CTC_F_REPL_ZONE);
			r->ct.repl_zone = z;
			CTC_SET(&r->ct, CTC_A_REPL_ZONE);
		}
		return 0;
	}
	case 'i':
		if (!optarg)   /* conntrack 1.4.7 crashes here; later versions require it */
			return ctc_error(ps->ctx, CTC_PARAM, "option `%s' requires an argument", ps->argv[optind - 1]);
		r->options |= CTC_BIT(CTC_F_ID);
		r->ct.id = (uint32_t)strtoul(optarg, NULL, 0);
		CTC_SET(&r->ct, CTC_A_ID);
		return 0;
	case 'c':
		r->options |= CTC_BIT(CTC_F_SECMARK);
		r->ct.secmark = (uint32_t)strtoul(optarg, NULL, 0);
		CTC_SET(&r->ct, CTC_A_SECMARK);
		return 0;
	case 'm': {
		char *end;

		r->options |= CTC_BIT(CTC_F_MARK);
		r->mark_value = (uint32_t)strtoul(optarg, &end, 0);
		r->mark_mask = *end == '/' ? (uint32_t)strtoul(end + 1, NULL, 0) : ~0u;
		return 0;
	}
	case 'l': case '<': case '>':
		return label_opt(ps, c);
	case 'a':
		fputs("WARNING: ignoring -a, deprecated option.\n", ps->ctx->io->err);
		return 0;
	case 'f':
		r->options |= CTC_BIT(CTC_F_FAMILY);
		if (!strncmp(optarg, "ipv4", 4))
			return set_family(ps, AF_INET);
		if (!strncmp(optarg, "ipv6", 4))
			return set_family(ps, AF_INET6);
		return ctc_error(ps->ctx, CTC_PARAM, "`%s' unsupported protocol", optarg);
	case 'b':
		r->options |= CTC_BIT(CTC_F_BUFSIZE);
		r->bufsize = atol(optarg);
		return 0;
	case CTC_V_JSON:
		r->json = 1;
		return 0;
	case CTC_V_NETNS:
		r->netns = optarg;
		return 0;
	case CTC_V_PCAP:
		r->pcap = optarg;
		return 0;
	case ':':
		return ctc_error(ps->ctx, CTC_PARAM, "option `%s' requires an argument", ps->argv[optind - 1]);
	case '?':
		return ctc_error(ps->ctx, CTC_PARAM, "unknown option `%s'", ps->argv[optind - 1]);
	default:
		if (c > CTC_V_PROTO && r->proto)
			return proto_opt(ps, c - CTC_V_PROTO);
		return ctc_error(ps->ctx, CTC_PARAM, "parse error");
	}
}

int ctc_parse(struct ctc_ctx *ctx, struct ctc_req *req, int argc, char **argv)
{
	struct pstate ps = { .ctx = ctx, .r = req, .argc = argc, .argv = argv };
	int c, rc;

	memset(req, 0, sizeof(*req));
	req->command = CTC_NCMD;
	req->family = AF_UNSPEC;
	build_longopts(&ps);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ctc_shortopts, ps.longopts, NULL)) != -1) {
		rc = one_option(&ps, c);
		if (rc)
			return rc;
	}
	return final_checks(&ps);
}
