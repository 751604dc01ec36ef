/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The event-filter compiler and its reference evaluator.  One table
 * (types[] below) says, for every match type, its size, whether it takes
 * a mask, what an absent attribute means and the path of CTA_* types to
 * it; the compiler turns that path into SKF_AD_NLATTR / SKF_AD_NLATTR_NEST
 * lookups, the evaluator walks the same path through the codec's own
 * description of a decoded message.
 *
 * Program shape (docs/filters.md has the long form):
 *
 *   prologue   ldb [subsys]; jeq #CTNETLINK jt 1; ret #ACCEPT
 *   per type   lookup  (ld #20; {ldx #t; ldb [nlattr|nlattr_nest]; jeq #0 -> absent}...;
 *                       tax; ldh [x+0]; jeq #nla_len -> found, else absent)
 *              absent  ret #0 (positive) | ja next (negated)   -- or "ld #0" for mark, zone
 *              entries one compare each, on a match to MATCH, else to the next entry
 *              tail    ret #0 (positive: nothing matched)      MATCH = next
 *                      ja 1; ret #0 (negated)                  MATCH = the ret
 *   epilogue   ret #ACCEPT
 *
 * Conditional jumps have 8-bit offsets.  Entries are laid out in chunks of
 * at most CHUNK instructions; a chunk that is not the last ends with a
 * trampoline ("ja next" or "ret #0") that its matches jump to, so every
 * conditional jump is short by construction and only "ja" (32-bit) goes
 * far.  Nothing is patched afterwards: each group is emitted twice, once
 * to measure it and once for real.
 */
#include <errno.h>
#include <string.h>

#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include <ctnl/bpf.h>

#include "bpf_codes.h"
#include "internal.h"

#define CHUNK 200u /* instructions of compares between trampolines (< 255 - the longest entry) */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define OFF_CMD 4u     /* low byte of nlmsg_type */
#define OFF_SUBSYS 5u  /* high byte of nlmsg_type */
#define OFF_FLAGS_HI 7u
#define NLA_LEN_BE(l) ((uint32_t)(((l) & 0xffu) << 8 | ((l) >> 8)))
#else
#define OFF_CMD 5u
#define OFF_SUBSYS 4u
#define OFF_FLAGS_HI 6u
#define NLA_LEN_BE(l) ((uint32_t)(l))
#endif
#define OFF_FAMILY 16u
#define OFF_ATTRS 20u
/* NLM_F_CREATE | NLM_F_EXCL, seen in the high byte of nlmsg_flags */
#define FLAGS_HI_NEW 0x06u

#define T(NAME, SIZE, MASK, AZ, DEPTH, ...) { NAME, SIZE, MASK, AZ, DEPTH, { __VA_ARGS__ } }

static const struct ctnl_bpf_type_info types[CTNL_BPF_TYPE_MAX] = {
	[CTNL_BPF_FAMILY] = T("family", 1, 0, 0, 0, 0),
	[CTNL_BPF_MSG_TYPE] = T("msg-type", 1, 0, 0, 0, 0),
	[CTNL_BPF_ORIG_L4PROTO] = T("orig-l4proto", 1, 0, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_PROTO, CTA_PROTO_NUM),
	[CTNL_BPF_REPLY_L4PROTO] = T("reply-l4proto", 1, 0, 0, 3, CTA_TUPLE_REPLY, CTA_TUPLE_PROTO, CTA_PROTO_NUM),
	[CTNL_BPF_ORIG_V4_SRC] = T("orig-v4-src", 4, 1, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_IP, CTA_IP_V4_SRC),
	[CTNL_BPF_ORIG_V4_DST] = T("orig-v4-dst", 4, 1, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_IP, CTA_IP_V4_DST),
	[CTNL_BPF_REPLY_V4_SRC] = T("reply-v4-src", 4, 1, 0, 3, CTA_TUPLE_REPLY, CTA_TUPLE_IP, CTA_IP_V4_SRC),
	[CTNL_BPF_REPLY_V4_DST] = T("reply-v4-dst", 4, 1, 0, 3, CTA_TUPLE_REPLY, CTA_TUPLE_IP, CTA_IP_V4_DST),
	[CTNL_BPF_ORIG_V6_SRC] = T("orig-v6-src", 16, 1, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_IP, CTA_IP_V6_SRC),
	[CTNL_BPF_ORIG_V6_DST] = T("orig-v6-dst", 16, 1, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_IP, CTA_IP_V6_DST),
	[CTNL_BPF_REPLY_V6_SRC] = T("reply-v6-src", 16, 1, 0, 3, CTA_TUPLE_REPLY, CTA_TUPLE_IP, CTA_IP_V6_SRC),
	[CTNL_BPF_REPLY_V6_DST] = T("reply-v6-dst", 16, 1, 0, 3, CTA_TUPLE_REPLY, CTA_TUPLE_IP, CTA_IP_V6_DST),
	[CTNL_BPF_ORIG_PORT_SRC] = T("orig-port-src", 2, 0, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_PROTO, CTA_PROTO_SRC_PORT),
	[CTNL_BPF_ORIG_PORT_DST] = T("orig-port-dst", 2, 0, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_PROTO, CTA_PROTO_DST_PORT),
	[CTNL_BPF_REPLY_PORT_SRC] = T("reply-port-src", 2, 0, 0, 3, CTA_TUPLE_REPLY, CTA_TUPLE_PROTO, CTA_PROTO_SRC_PORT),
	[CTNL_BPF_REPLY_PORT_DST] = T("reply-port-dst", 2, 0, 0, 3, CTA_TUPLE_REPLY, CTA_TUPLE_PROTO, CTA_PROTO_DST_PORT),
	[CTNL_BPF_ICMP_TYPE] = T("icmp-type", 1, 0, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_PROTO, CTA_PROTO_ICMP_TYPE),
	[CTNL_BPF_ICMP_CODE] = T("icmp-code", 1, 0, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_PROTO, CTA_PROTO_ICMP_CODE),
	[CTNL_BPF_ICMP_ID] = T("icmp-id", 2, 0, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_PROTO, CTA_PROTO_ICMP_ID),
	[CTNL_BPF_ICMPV6_TYPE] = T("icmpv6-type", 1, 0, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_PROTO, CTA_PROTO_ICMPV6_TYPE),
	[CTNL_BPF_ICMPV6_CODE] = T("icmpv6-code", 1, 0, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_PROTO, CTA_PROTO_ICMPV6_CODE),
	[CTNL_BPF_ICMPV6_ID] = T("icmpv6-id", 2, 0, 0, 3, CTA_TUPLE_ORIG, CTA_TUPLE_PROTO, CTA_PROTO_ICMPV6_ID),
	[CTNL_BPF_TCP_STATE] = T("tcp-state", 1, 0, 0, 3, CTA_PROTOINFO, CTA_PROTOINFO_TCP, CTA_PROTOINFO_TCP_STATE),
	[CTNL_BPF_MARK] = T("mark", 4, 1, 1, 1, CTA_MARK),
	[CTNL_BPF_STATUS] = T("status", 4, 1, 0, 1, CTA_STATUS),
	[CTNL_BPF_ZONE] = T("zone", 2, 0, 1, 1, CTA_ZONE),
};

const struct ctnl_bpf_type_info *ctnl_bpf_type_info(unsigned type)
{
	return type < CTNL_BPF_TYPE_MAX ? &types[type] : NULL;
}

int ctnl_bpf_type_by_name(const char *name)
{
	for (unsigned t = 0; t < CTNL_BPF_TYPE_MAX; t++)
		if (strcmp(types[t].name, name) == 0)
			return (int)t;
	return -ENOENT;
}

/* ---- validation, shared by the compiler and the evaluator ---- */

static int entry_fault(struct ctnl_err *err, int code, size_t i, uint16_t type, const char *what)
{
	if (!err)
		return code;
	ctnl_set_err(err, code, (uint32_t)i, "entry %zu (type %u): %s", i, type, what);
	err->attr_type = type;
	return code;
}

static int validate(const struct ctnl_bpf_match *m, size_t n, struct ctnl_err *err)
{
	for (size_t i = 0; i < n; i++) {
		const struct ctnl_bpf_type_info *ti = ctnl_bpf_type_info(m[i].type);

		if (!ti)
			return entry_fault(err, -EOPNOTSUPP, i, m[i].type, "filter attribute not implemented");
		if (m[i].len != ti->size)
			return entry_fault(err, -ERANGE, i, m[i].type, "incorrect length of filter attribute");
		if (m[i].mask_len && (!ti->maskable || m[i].mask_len != ti->size))
			return entry_fault(err, -EDOM, i, m[i].type, "incorrect length of filter attribute mask");
		for (size_t j = 0; j < i; j++) {
			if (m[j].type == m[i].type) {
				if (!m[j].negate != !m[i].negate)
					return entry_fault(err, -EINVAL, i, m[i].type,
							   "negated and positive entries mixed within one type");
				break;
			}
		}
	}
	return 0;
}

/* The value and mask of a 1, 2 or 4-byte entry, as the BPF loads see them. */
static uint32_t be_n(const uint8_t *p, unsigned size)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < size; i++)
		v = v << 8 | p[i];
	return v;
}

static uint32_t full_mask(unsigned size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1u;
}

static uint32_t entry_mask_word(const struct ctnl_bpf_match *e, unsigned size, unsigned w)
{
	if (!e->mask_len)
		return size >= 4 ? 0xffffffffu : full_mask(size);
	return be_n(e->mask + 4 * w, size >= 4 ? 4 : size);
}

static uint32_t entry_value_word(const struct ctnl_bpf_match *e, unsigned size, unsigned w)
{
	return be_n(e->value + 4 * w, size >= 4 ? 4 : size);
}

/* ---- the emitter ---- */

struct em {
	struct ctnl_bpf_insn *out;         /* NULL: measure only */
	size_t pc;
	int bad;                           /* an internal jump did not fit (a compiler bug) */
};

static void emit(struct em *e, uint16_t code, unsigned jt, unsigned jf, uint32_t k)
{
	if (e->out) {
		if (jt > 255 || jf > 255)
			e->bad = 1;
		e->out[e->pc].code = code;
		e->out[e->pc].jt = (uint8_t)jt;
		e->out[e->pc].jf = (uint8_t)jf;
		e->out[e->pc].k = k;
	}
	e->pc++;
}

/* A forward distance for a jump at the current pc to @target. */
static unsigned dist(const struct em *e, size_t target)
{
	return (unsigned)(target - e->pc - 1);
}

/* "ja target", which may be far. */
static void emit_ja(struct em *e, size_t target)
{
	emit(e, B_JMP | B_JA, 0, 0, e->out ? (uint32_t)(target - e->pc - 1) : 0);
}

static const uint16_t ld_ind[] = { [1] = B_LD | B_B | B_IND, [2] = B_LD | B_H | B_IND, [4] = B_LD | B_W | B_IND };

/* Entry i of the group is "masked" when its mask changes the value. */
static int entry_masked(const struct ctnl_bpf_match *e, unsigned size)
{
	return size <= 4 && entry_mask_word(e, size, 0) != full_mask(size);
}

static size_t entry_size(const struct ctnl_bpf_match *e, unsigned size, int prev_masked)
{
	if (size == 16) {
		size_t s = 0;

		for (unsigned w = 0; w < 4; w++)
			s += 2 + (entry_mask_word(e, 16, w) != 0xffffffffu);
		return s;
	}
	return (size_t)(prev_masked ? 1 : 0) + (entry_masked(e, size) ? 2 : 1);
}

/* What the group does with an outcome: "reject" or "go to next". */
static void emit_outcome(struct em *e, int reject, size_t next)
{
	if (reject)
		emit(e, B_RET | B_K, 0, 0, CTNL_BPF_REJECT);
	else
		emit_ja(e, next);
}

/* The lookup of the group's attribute; leaves the value in A (scalars)
 * or the leaf's offset in X (16 bytes). */
static void emit_lookup(struct em *e, const struct ctnl_bpf_type_info *ti, unsigned type, int negate,
			int any_masked, size_t next)
{
	if (type == CTNL_BPF_FAMILY) {
		emit(e, B_LD | B_B | B_ABS, 0, 0, OFF_FAMILY);
		return;
	}
	if (type == CTNL_BPF_MSG_TYPE) {
		emit(e, B_LD | B_B | B_ABS, 0, 0, OFF_CMD);                  /* 0 */
		emit(e, B_JMP | B_JEQ | B_K, 7, 0, IPCTNL_MSG_CT_DELETE);     /* 1 -> 9 */
		emit(e, B_JMP | B_JEQ | B_K, 0, 8, IPCTNL_MSG_CT_NEW);        /* 2 -> 3 / 11 */
		emit(e, B_LD | B_B | B_ABS, 0, 0, OFF_FLAGS_HI);             /* 3 */
		emit(e, B_JMP | B_JSET | B_K, 2, 0, FLAGS_HI_NEW);           /* 4 -> 7 / 5 */
		emit(e, B_LD | B_IMM, 0, 0, CTNL_BPF_MSG_UPDATE);            /* 5 */
		emit(e, B_JMP | B_JA, 0, 0, 5);                              /* 6 -> 12 */
		emit(e, B_LD | B_IMM, 0, 0, CTNL_BPF_MSG_NEW);               /* 7 */
		emit(e, B_JMP | B_JA, 0, 0, 3);                              /* 8 -> 12 */
		emit(e, B_LD | B_IMM, 0, 0, CTNL_BPF_MSG_DESTROY);           /* 9 */
		emit(e, B_JMP | B_JA, 0, 0, 1);                              /* 10 -> 12 */
		emit(e, B_LD | B_IMM, 0, 0, 0);                              /* 11: not an entry message */
		return;                                                      /* 12 */
	}

	/* ld #20, then 3 per level, then tax; ldh [x+0]; jeq #len */
	size_t start = e->pc;
	size_t absent = start + 1 + 3u * ti->depth + 3; /* the instruction after "jeq #len" */

	if (ti->absent_zero)
		absent += 2; /* after the value load and its "ja 1": "ld #0" */
	emit(e, B_LD | B_IMM, 0, 0, OFF_ATTRS);
	for (unsigned i = 0; i < ti->depth; i++) {
		emit(e, B_LDX | B_IMM, 0, 0, ti->path[i]);
		emit(e, B_LD | B_B | B_ABS, 0, 0, B_AD_OFF + (i == 0 ? B_AD_NLATTR : B_AD_NLATTR_NEST));
		emit(e, B_JMP | B_JEQ | B_K, dist(e, absent), 0, 0);
	}
	emit(e, B_MISC | B_TAX, 0, 0, 0);
	emit(e, B_LD | B_H | B_IND, 0, 0, 0);
	if (ti->absent_zero) {
		emit(e, B_JMP | B_JEQ | B_K, 0, dist(e, absent), NLA_LEN_BE(4u + ti->size));
		emit(e, ld_ind[ti->size], 0, 0, 4);
		emit(e, B_JMP | B_JA, 0, 0, 1);
		emit(e, B_LD | B_IMM, 0, 0, 0);                              /* absent: 0 */
	} else {
		emit(e, B_JMP | B_JEQ | B_K, 1, 0, NLA_LEN_BE(4u + ti->size));
		/* absent: the group's "nothing matched" */
		emit_outcome(e, !negate, next);
		if (ti->size <= 4)
			emit(e, ld_ind[ti->size], 0, 0, 4);
	}
	if (ti->size <= 4 && any_masked)
		emit(e, B_MISC | B_TAX, 0, 0, 0);
}

/* One compare.  @match: where a match goes; @miss: where a mismatch
 * goes (the next entry, possibly past a trampoline). */
static void emit_entry(struct em *e, const struct ctnl_bpf_match *en, unsigned size, int prev_masked, size_t match,
		       size_t miss)
{
	if (size == 16) {
		for (unsigned w = 0; w < 4; w++) {
			uint32_t mw = entry_mask_word(en, 16, w);

			emit(e, B_LD | B_W | B_IND, 0, 0, 4 + 4 * w);
			if (mw != 0xffffffffu)
				emit(e, B_ALU | B_AND | B_K, 0, 0, mw);
			if (w < 3)
				emit(e, B_JMP | B_JEQ | B_K, 0, dist(e, miss), entry_value_word(en, 16, w) & mw);
			else
				emit(e, B_JMP | B_JEQ | B_K, dist(e, match), dist(e, miss), entry_value_word(en, 16, w) & mw);
		}
		return;
	}
	uint32_t mk = entry_mask_word(en, size, 0);

	if (prev_masked)
		emit(e, B_MISC | B_TXA, 0, 0, 0);
	if (entry_masked(en, size))
		emit(e, B_ALU | B_AND | B_K, 0, 0, mk);
	emit(e, B_JMP | B_JEQ | B_K, dist(e, match), dist(e, miss), entry_value_word(en, size, 0) & mk);
}

/* The entries of one type, from index @from on. */
static size_t next_of_type(const struct ctnl_bpf_match *m, size_t n, size_t from, unsigned type)
{
	while (from < n && m[from].type != type)
		from++;
	return from;
}

static void emit_group(struct em *e, const struct ctnl_bpf_match *m, size_t n, unsigned type, size_t next)
{
	const struct ctnl_bpf_type_info *ti = &types[type];
	size_t first = next_of_type(m, n, 0, type);
	int negate = m[first].negate != 0;
	int any_masked = 0;

	for (size_t i = first; i < n; i = next_of_type(m, n, i + 1, type))
		any_masked |= entry_masked(&m[i], ti->size);

	emit_lookup(e, ti, type, negate, any_masked, next);

	size_t i = first;
	int prev_masked = 0;

	while (i < n) {
		/* measure the chunk that starts at entry i */
		size_t csize = 0, j = i;
		int pm = prev_masked;

		while (j < n) {
			size_t s = entry_size(&m[j], ti->size, pm);

			if (csize && csize + s > CHUNK)
				break;
			csize += s;
			pm = entry_masked(&m[j], ti->size);
			j = next_of_type(m, n, j + 1, type);
		}
		int last_chunk = j >= n;
		size_t chunk_end = e->pc + csize;
		/* a later chunk's matches go to its trampoline; the last one's
		 * to chunk_end + 1: "next" (positive) or the "ret #0" (negated) */
		size_t match = last_chunk ? chunk_end + 1 : chunk_end;

		while (i < j) {
			size_t s = entry_size(&m[i], ti->size, prev_masked);
			size_t entry_end = e->pc + s;
			size_t k = next_of_type(m, n, i + 1, type);
			size_t miss = (!last_chunk && k >= j) ? entry_end + 1 : entry_end;

			emit_entry(e, &m[i], ti->size, prev_masked, match, miss);
			prev_masked = entry_masked(&m[i], ti->size);
			i = k;
		}
		if (!last_chunk)
			emit_outcome(e, negate, next); /* the trampoline: what a match means */
	}
	/* tail: nothing matched */
	if (negate) {
		emit(e, B_JMP | B_JA, 0, 0, 1);
		emit(e, B_RET | B_K, 0, 0, CTNL_BPF_REJECT);
	} else {
		emit(e, B_RET | B_K, 0, 0, CTNL_BPF_REJECT);
	}
}

static void emit_program(struct em *e, const struct ctnl_bpf_match *m, size_t n)
{
	emit(e, B_LD | B_B | B_ABS, 0, 0, OFF_SUBSYS);
	emit(e, B_JMP | B_JEQ | B_K, 1, 0, NFNL_SUBSYS_CTNETLINK);
	emit(e, B_RET | B_K, 0, 0, CTNL_BPF_ACCEPT);
	for (unsigned t = 0; t < CTNL_BPF_TYPE_MAX; t++) {
		struct em dry = { NULL, e->pc, 0 };

		if (next_of_type(m, n, 0, t) >= n)
			continue;
		emit_group(&dry, m, n, t, 0);
		emit_group(e, m, n, t, dry.pc);
		if (e->out && e->pc != dry.pc)
			e->bad = 1;
	}
	emit(e, B_RET | B_K, 0, 0, CTNL_BPF_ACCEPT);
}

int ctnl_bpf_compile(const struct ctnl_bpf_match *m, size_t n, struct ctnl_bpf_insn *out, size_t cap,
		     size_t *out_len, struct ctnl_err *err)
{
	struct em e = { NULL, 0, 0 };
	int rc;

	if (n && !m)
		return ctnl_set_err(err, -EINVAL, 0, "no entries");
	rc = validate(m, n, err);
	if (rc < 0)
		return rc;
	emit_program(&e, m, n);
	if (out_len)
		*out_len = e.pc;
	if (e.pc > CTNL_BPF_MAXINSNS)
		return ctnl_set_err(err, -E2BIG, 0, "number of filtering instructions is too high (%zu, at most %u)",
				    e.pc, CTNL_BPF_MAXINSNS);
	if (!out || cap < e.pc)
		return ctnl_set_err(err, -ENOSPC, 0, "the program needs %zu instructions, room for %zu", e.pc,
				    out ? cap : 0);
	e.out = out;
	e.pc = 0;
	emit_program(&e, m, n);
	if (e.bad)
		return ctnl_set_err(err, -EFAULT, 0, "internal error: a jump did not fit");
	return 0;
}

/* ---- the reference evaluator ---- */

/* Find the leaf of @ti in a decoded message through the codec's
 * description tables.  Return: a pointer to the stored value and its
 * kind, or NULL when an attribute on the way is absent. */
static const uint8_t *leaf(const struct ctnl_ct_msg *msg, const struct ctnl_bpf_type_info *ti, unsigned *kind)
{
	const struct ctnl_nest_desc *d = ctnl_ct_desc();
	const uint8_t *obj = (const uint8_t *)&msg->ct;

	for (unsigned i = 0; i < ti->depth; i++) {
		const struct ctnl_attr_desc *a;
		uint32_t present;
		unsigned t = ti->path[i];

		memcpy(&present, obj, sizeof(present));
		if (!d || t > d->maxtype || !((present >> t) & 1u))
			return NULL;
		a = &d->attrs[t];
		obj += a->offset;
		*kind = a->kind;
		d = a->nest;
	}
	return obj;
}

static uint32_t msg_type_value(const struct ctnl_msg *h)
{
	switch (ctnl_msg_cmd(h->type)) {
	case IPCTNL_MSG_CT_DELETE:
		return CTNL_BPF_MSG_DESTROY;
	case IPCTNL_MSG_CT_NEW:
		return ((h->flags >> 8) & FLAGS_HI_NEW) ? CTNL_BPF_MSG_NEW : CTNL_BPF_MSG_UPDATE;
	default:
		return 0;
	}
}

/* Does the group of @type match (any entry)?  Absent -> no. */
static int group_matches(const struct ctnl_bpf_match *m, size_t n, unsigned type, const struct ctnl_ct_msg *msg)
{
	const struct ctnl_bpf_type_info *ti = &types[type];
	uint8_t bytes[16] = { 0 };
	uint32_t v = 0;
	unsigned kind = CTNL_K_NONE;

	if (type == CTNL_BPF_FAMILY) {
		v = msg->hdr.family;
	} else if (type == CTNL_BPF_MSG_TYPE) {
		v = msg_type_value(&msg->hdr);
	} else {
		const uint8_t *p = leaf(msg, ti, &kind);

		if (!p) {
			if (!ti->absent_zero)
				return 0;
			v = 0;
		} else {
			switch (kind) {
			case CTNL_K_U8: v = *p; break;
			case CTNL_K_BE16: { uint16_t x; memcpy(&x, p, 2); v = x; break; }
			case CTNL_K_BE32: { uint32_t x; memcpy(&x, p, 4); v = x; break; }
			case CTNL_K_FIXED:
				memcpy(bytes, p, ti->size);
				v = ti->size == 4 ? be_n(bytes, 4) : 0;
				break;
			default: return 0;
			}
		}
	}
	for (size_t i = next_of_type(m, n, 0, type); i < n; i = next_of_type(m, n, i + 1, type)) {
		if (ti->size == 16) {
			int ok = 1;

			for (unsigned b = 0; b < 16 && ok; b++) {
				uint8_t mk = m[i].mask_len ? m[i].mask[b] : 0xff;

				ok = (bytes[b] & mk) == (m[i].value[b] & mk);
			}
			if (ok)
				return 1;
		} else {
			uint32_t mk = entry_mask_word(&m[i], ti->size, 0);

			if ((v & mk) == (entry_value_word(&m[i], ti->size, 0) & mk))
				return 1;
		}
	}
	return 0;
}

int ctnl_bpf_match_eval(const struct ctnl_bpf_match *m, size_t n, const struct ctnl_ct_msg *msg, struct ctnl_err *err)
{
	int rc;

	if (n && !m)
		return ctnl_set_err(err, -EINVAL, 0, "no entries");
	rc = validate(m, n, err);
	if (rc < 0)
		return rc;
	if (ctnl_msg_subsys(msg->hdr.type) != NFNL_SUBSYS_CTNETLINK)
		return 1;
	for (unsigned t = 0; t < CTNL_BPF_TYPE_MAX; t++) {
		size_t first = next_of_type(m, n, 0, t);

		if (first >= n)
			continue;
		if (group_matches(m, n, t, msg) == (m[first].negate != 0))
			return 0;
	}
	return 1;
}
