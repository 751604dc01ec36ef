/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A classic BPF interpreter for tests and fuzzing: it runs a program on
 * one netlink message the way the kernel runs a socket filter on it
 * (net/core/filter.c, Linux 6.18):
 *
 *   - ctnl_bpf_check() refuses what bpf_check_classic() refuses: an empty
 *     or over-long program, an opcode outside the kernel's list, division
 *     or modulo by a constant 0, a constant shift of 32 or more, a
 *     scratch-memory index of 16 or more, a jump past the end, an unknown
 *     ancillary offset, a last instruction that is not a return, and a
 *     read of scratch memory no path has written (check_load_and_stores);
 *   - loads are big-endian; one that leaves the message ends the program
 *     with 0 (the converted program's exit on a failed load helper);
 *   - division or modulo by X == 0 ends the program with 0;
 *   - shifts by X use its low 5 bits (the 32-bit ALU of the eBPF it
 *     becomes);
 *   - SKF_AD_NLATTR: A = offset of the first attribute of type X in the
 *     attributes from offset A to the end of the message, 0 if none;
 *     SKF_AD_NLATTR_NEST: the same inside the nest whose header is at A.
 *     Both return 0 unless the message holds 4 bytes and A <= len - 4;
 *     the nest must pass nla_ok(); the walk is nla_find()'s: it stops at
 *     the first attribute that fails nla_ok() (length below 4 or beyond
 *     what remains) and compares nla_type & 0x3fff with X as an int.
 *
 * Negative offsets other than the ancillary range (SKF_NET_OFF,
 * SKF_LL_OFF) would read headers a netlink socket buffer does not have:
 * the load fails here, and ctnl's compiler never emits them.
 */
#include <errno.h>
#include <string.h>

#include <ctnl/bpf.h>

#include "bpf_codes.h"
#include "internal.h"

static int code_allowed(uint16_t code)
{
	switch (code) {
	case B_ALU | B_ADD | B_K: case B_ALU | B_ADD | B_X:
	case B_ALU | B_SUB | B_K: case B_ALU | B_SUB | B_X:
	case B_ALU | B_MUL | B_K: case B_ALU | B_MUL | B_X:
	case B_ALU | B_DIV | B_K: case B_ALU | B_DIV | B_X:
	case B_ALU | B_MOD | B_K: case B_ALU | B_MOD | B_X:
	case B_ALU | B_AND | B_K: case B_ALU | B_AND | B_X:
	case B_ALU | B_OR | B_K: case B_ALU | B_OR | B_X:
	case B_ALU | B_XOR | B_K: case B_ALU | B_XOR | B_X:
	case B_ALU | B_LSH | B_K: case B_ALU | B_LSH | B_X:
	case B_ALU | B_RSH | B_K: case B_ALU | B_RSH | B_X:
	case B_ALU | B_NEG:
	case B_LD | B_W | B_ABS: case B_LD | B_H | B_ABS: case B_LD | B_B | B_ABS:
	case B_LD | B_W | B_LEN:
	case B_LD | B_W | B_IND: case B_LD | B_H | B_IND: case B_LD | B_B | B_IND:
	case B_LD | B_IMM:
	case B_LD | B_MEM:
	case B_LDX | B_W | B_LEN:
	case B_LDX | B_B | B_MSH:
	case B_LDX | B_IMM:
	case B_LDX | B_MEM:
	case B_ST:
	case B_STX:
	case B_MISC | B_TAX: case B_MISC | B_TXA:
	case B_RET | B_K: case B_RET | B_A:
	case B_JMP | B_JA:
	case B_JMP | B_JEQ | B_K: case B_JMP | B_JEQ | B_X:
	case B_JMP | B_JGE | B_K: case B_JMP | B_JGE | B_X:
	case B_JMP | B_JGT | B_K: case B_JMP | B_JGT | B_X:
	case B_JMP | B_JSET | B_K: case B_JMP | B_JSET | B_X:
		return 1;
	default:
		return 0;
	}
}

static int is_cond_jump(uint16_t code)
{
	return B_CLASS(code) == B_JMP && B_OP(code) != B_JA;
}

/* bpf_anc_helper(): the ancillary offsets the kernel knows. */
static int anc_known(uint32_t k)
{
	if (k < B_AD_OFF)
		return 0;
	k -= B_AD_OFF;
	return k < B_AD_MAX && k % 4 == 0;
}

static int bad_insn(struct ctnl_err *err, size_t pc, const char *what)
{
	ctnl_set_err(err, -EINVAL, (uint32_t)pc, "instruction %zu: %s", pc, what);
	return -EINVAL;
}

/* check_load_and_stores(): every read of M[k] must follow a write on
 * every path, as the kernel tracks it (one forward pass, masks merged at
 * jump targets). */
static int check_mem(const struct ctnl_bpf_insn *p, size_t n, struct ctnl_err *err)
{
	uint16_t masks[CTNL_BPF_MAXINSNS];
	uint16_t valid = 0;

	memset(masks, 0xff, n * sizeof(masks[0]));
	for (size_t pc = 0; pc < n; pc++) {
		valid &= masks[pc];
		switch (p[pc].code) {
		case B_ST:
		case B_STX:
			valid |= (uint16_t)(1u << p[pc].k);
			break;
		case B_LD | B_MEM:
		case B_LDX | B_MEM:
			if (!(valid & (1u << p[pc].k)))
				return bad_insn(err, pc, "reads scratch memory no path has written");
			break;
		case B_JMP | B_JA:
			masks[pc + 1 + p[pc].k] &= valid;
			valid = 0xffff;
			break;
		default:
			if (is_cond_jump(p[pc].code)) {
				masks[pc + 1 + p[pc].jt] &= valid;
				masks[pc + 1 + p[pc].jf] &= valid;
				valid = 0xffff;
			}
			break;
		}
	}
	return 0;
}

int ctnl_bpf_check(const struct ctnl_bpf_insn *p, size_t n, struct ctnl_err *err)
{
	if (!p || n == 0 || n > CTNL_BPF_MAXINSNS)
		return ctnl_set_err(err, -EINVAL, 0, "a program has 1 to %u instructions, not %zu", CTNL_BPF_MAXINSNS, n);
	for (size_t pc = 0; pc < n; pc++) {
		const struct ctnl_bpf_insn *f = &p[pc];

		if (!code_allowed(f->code))
			return bad_insn(err, pc, "opcode not allowed");
		switch (f->code) {
		case B_ALU | B_DIV | B_K:
		case B_ALU | B_MOD | B_K:
			if (f->k == 0)
				return bad_insn(err, pc, "division by constant 0");
			break;
		case B_ALU | B_LSH | B_K:
		case B_ALU | B_RSH | B_K:
			if (f->k >= 32)
				return bad_insn(err, pc, "shift by 32 or more");
			break;
		case B_LD | B_MEM:
		case B_LDX | B_MEM:
		case B_ST:
		case B_STX:
			if (f->k >= B_MEMWORDS)
				return bad_insn(err, pc, "scratch memory index out of range");
			break;
		case B_JMP | B_JA:
			if (f->k >= (uint32_t)(n - pc - 1))
				return bad_insn(err, pc, "jump past the end");
			break;
		case B_LD | B_W | B_ABS:
		case B_LD | B_H | B_ABS:
		case B_LD | B_B | B_ABS:
			if (f->k >= B_AD_OFF && !anc_known(f->k))
				return bad_insn(err, pc, "unknown ancillary load");
			break;
		default:
			if (is_cond_jump(f->code) && (pc + f->jt + 1 >= n || pc + f->jf + 1 >= n))
				return bad_insn(err, pc, "conditional jump past the end");
			break;
		}
	}
	if (p[n - 1].code != (B_RET | B_K) && p[n - 1].code != (B_RET | B_A))
		return bad_insn(err, n - 1, "the last instruction is not a return");
	return check_mem(p, n, err);
}

/* nla_ok() with the kernel's int "remaining". */
static int nla_ok_at(const uint8_t *pkt, uint32_t off, int rem)
{
	uint16_t l;

	if (rem < 4)
		return 0;
	l = ctnl_get_u16(pkt + off);
	return l >= 4 && (int)l <= rem;
}

/* nla_find(): the first attribute of type x in pkt[off .. off+len). */
static uint32_t nla_find_at(const uint8_t *pkt, uint32_t off, int len, uint32_t x)
{
	int rem = len;

	while (nla_ok_at(pkt, off, rem)) {
		uint16_t l = ctnl_get_u16(pkt + off);
		int type = ctnl_get_u16(pkt + off + 2) & CTNL_NLA_TYPE_MASK;
		uint32_t total = (l + 3u) & ~3u;

		if (type == (int)x)
			return off;
		rem -= (int)total;
		off += total;
	}
	return 0;
}

static uint32_t skb_get_nlattr(const uint8_t *pkt, uint32_t len, uint32_t a, uint32_t x)
{
	if (len < 4 || a > len - 4)
		return 0;
	return nla_find_at(pkt, a, (int)(len - a), x);
}

static uint32_t skb_get_nlattr_nest(const uint8_t *pkt, uint32_t len, uint32_t a, uint32_t x)
{
	if (len < 4 || a > len - 4)
		return 0;
	if (!nla_ok_at(pkt, a, (int)(len - a)))
		return 0;
	return nla_find_at(pkt, a + 4, ctnl_get_u16(pkt + a) - 4, x);
}

/* A packet load: 1 on success.  @off is the kernel's int offset. */
static int load(const uint8_t *pkt, uint32_t len, int32_t off, unsigned size, uint32_t *v)
{
	if (off < 0 || (uint32_t)off > len || len - (uint32_t)off < size)
		return 0;
	*v = size == 4 ? ctnl_get_be32(pkt + off) : size == 2 ? ctnl_get_be16(pkt + off) : pkt[off];
	return 1;
}

static unsigned size_bytes(uint16_t code)
{
	return B_SIZE(code) == B_W ? 4 : B_SIZE(code) == B_H ? 2 : 1;
}

int ctnl_bpf_run(const struct ctnl_bpf_insn *p, size_t n, const void *data, size_t dlen, uint32_t *verdict,
		 struct ctnl_err *err)
{
	const uint8_t *pkt = data;
	uint32_t len = dlen > 0xffffffffu ? 0xffffffffu : (uint32_t)dlen;
	uint32_t A = 0, X = 0, M[B_MEMWORDS] = { 0 };
	int rc = ctnl_bpf_check(p, n, err);

	if (rc < 0)
		return rc;
	for (size_t pc = 0;; pc++) {
		const struct ctnl_bpf_insn *f = &p[pc];
		uint32_t src = B_SRC(f->code) == B_X ? X : f->k;
		uint32_t v;

		switch (B_CLASS(f->code)) {
		case B_LD:
			switch (B_MODE(f->code)) {
			case B_IMM: A = f->k; break;
			case B_LEN: A = len; break;
			case B_MEM: A = M[f->k]; break;
			case B_ABS:
				if (f->k >= B_AD_OFF) {
					switch (f->k - B_AD_OFF) {
					case B_AD_NLATTR: A = skb_get_nlattr(pkt, len, A, X); break;
					case B_AD_NLATTR_NEST: A = skb_get_nlattr_nest(pkt, len, A, X); break;
					case B_AD_ALU_XOR_X: A ^= X; break;
					default:
						return ctnl_set_err(err, -EOPNOTSUPP, (uint32_t)pc,
								    "instruction %zu: ancillary load %u has no socket buffer here",
								    pc, f->k - B_AD_OFF);
					}
					break;
				}
				if (!load(pkt, len, (int32_t)f->k, size_bytes(f->code), &A))
					goto drop;
				break;
			case B_IND:
				if (!load(pkt, len, (int32_t)(X + f->k), size_bytes(f->code), &A))
					goto drop;
				break;
			}
			break;
		case B_LDX:
			switch (B_MODE(f->code)) {
			case B_IMM: X = f->k; break;
			case B_LEN: X = len; break;
			case B_MEM: X = M[f->k]; break;
			case B_MSH:
				if (!load(pkt, len, (int32_t)f->k, 1, &v))
					goto drop;
				X = (v & 0xfu) << 2;
				break;
			}
			break;
		case B_ST: M[f->k] = A; break;
		case B_STX: M[f->k] = X; break;
		case B_ALU:
			switch (B_OP(f->code)) {
			case B_ADD: A += src; break;
			case B_SUB: A -= src; break;
			case B_MUL: A *= src; break;
			case B_DIV: if (!src) goto drop; A /= src; break;
			case B_MOD: if (!src) goto drop; A %= src; break;
			case B_AND: A &= src; break;
			case B_OR: A |= src; break;
			case B_XOR: A ^= src; break;
			case B_LSH: A <<= (src & 31u); break;
			case B_RSH: A >>= (src & 31u); break;
			case B_NEG: A = 0u - A; break;
			}
			break;
		case B_JMP: {
			int t;

			switch (B_OP(f->code)) {
			case B_JA: pc += f->k; continue;
			case B_JEQ: t = A == src; break;
			case B_JGT: t = A > src; break;
			case B_JGE: t = A >= src; break;
			default: t = (A & src) != 0; break; /* JSET */
			}
			pc += t ? f->jt : f->jf;
			break;
		}
		case B_RET:
			*verdict = B_RVAL(f->code) == B_A ? A : f->k;
			return 0;
		case B_MISC:
			if (B_MISCOP(f->code) == B_TAX)
				X = A;
			else
				A = X;
			break;
		}
	}
drop:
	*verdict = 0;
	return 0;
}
