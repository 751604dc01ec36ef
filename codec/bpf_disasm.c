/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Classic BPF as text, one instruction per line, stable (golden files
 * depend on it):
 *
 *   0000: ldb   [5]
 *   0001: jeq   #0x1                 jt 0003 jf 0002
 *   0005: ldb   [nlattr]
 *   0010: ldh   [x+0]
 *   0020: ja    0031
 *
 * Jump targets are absolute instruction numbers.  Constants of
 * comparisons and masks are hexadecimal, others decimal.
 */
#include <stdio.h>
#include <string.h>

#include <ctnl/bpf.h>

#include "bpf_codes.h"

static const char *anc_name(uint32_t k)
{
	static const char *const names[] = {
		"protocol", "pkttype", "ifindex", "nlattr", "nlattr_nest", "mark", "queue", "hatype",
		"rxhash", "cpu", "alu_xor_x", "vlan_tag", "vlan_tag_present", "pay_offset", "random", "vlan_tpid",
	};
	uint32_t i = (k - B_AD_OFF) / 4;

	if (k < B_AD_OFF || (k - B_AD_OFF) % 4 || i >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[i];
}

static const char *size_suffix(uint16_t code)
{
	return B_SIZE(code) == B_B ? "b" : B_SIZE(code) == B_H ? "h" : "";
}

int ctnl_bpf_disasm_insn(const struct ctnl_bpf_insn *f, size_t pc, char *buf, size_t len)
{
	static const char *const alu[] = { "add", "sub", "mul", "div", "or", "and", "lsh", "rsh",
					   "neg", "mod", "xor" };
	static const char *const jmp[] = { "ja", "jeq", "jgt", "jge", "jset" };
	char op[8], arg[48];
	uint16_t c = f->code;
	const char *x = B_SRC(c) == B_X ? "x" : NULL;

	arg[0] = '\0';
	switch (B_CLASS(c)) {
	case B_LD:
	case B_LDX: {
		const char *reg = B_CLASS(c) == B_LD ? "ld" : "ldx";

		switch (B_MODE(c)) {
		case B_IMM: snprintf(op, sizeof(op), "%s", reg); snprintf(arg, sizeof(arg), "#%u", f->k); break;
		case B_LEN: snprintf(op, sizeof(op), "%s", reg); snprintf(arg, sizeof(arg), "#len"); break;
		case B_MEM: snprintf(op, sizeof(op), "%s", reg); snprintf(arg, sizeof(arg), "M[%u]", f->k); break;
		case B_ABS: {
			const char *a = anc_name(f->k);

			snprintf(op, sizeof(op), "%s%s", reg, size_suffix(c));
			if (a)
				snprintf(arg, sizeof(arg), "[%s]", a);
			else
				snprintf(arg, sizeof(arg), "[%u]", f->k);
			break;
		}
		case B_IND:
			snprintf(op, sizeof(op), "%s%s", reg, size_suffix(c));
			snprintf(arg, sizeof(arg), "[x+%u]", f->k);
			break;
		case B_MSH:
			snprintf(op, sizeof(op), "%s%s", reg, size_suffix(c));
			snprintf(arg, sizeof(arg), "4*([%u]&0xf)", f->k);
			break;
		default:
			snprintf(op, sizeof(op), "?");
			snprintf(arg, sizeof(arg), "code 0x%04x", c);
			break;
		}
		break;
	}
	case B_ST: snprintf(op, sizeof(op), "st"); snprintf(arg, sizeof(arg), "M[%u]", f->k); break;
	case B_STX: snprintf(op, sizeof(op), "stx"); snprintf(arg, sizeof(arg), "M[%u]", f->k); break;
	case B_ALU: {
		unsigned o = B_OP(c) >> 4;

		snprintf(op, sizeof(op), "%s", o < sizeof(alu) / sizeof(alu[0]) ? alu[o] : "alu?");
		if (B_OP(c) == B_NEG)
			break;
		if (x)
			snprintf(arg, sizeof(arg), "x");
		else if (B_OP(c) == B_AND || B_OP(c) == B_OR || B_OP(c) == B_XOR)
			snprintf(arg, sizeof(arg), "#0x%x", f->k);
		else
			snprintf(arg, sizeof(arg), "#%u", f->k);
		break;
	}
	case B_JMP: {
		unsigned o = B_OP(c) >> 4;

		snprintf(op, sizeof(op), "%s", o < sizeof(jmp) / sizeof(jmp[0]) ? jmp[o] : "jmp?");
		if (B_OP(c) == B_JA)
			return snprintf(buf, len, "%04zu: %-5s %04zu", pc, op, pc + 1 + (size_t)f->k);
		if (x)
			snprintf(arg, sizeof(arg), "x");
		else
			snprintf(arg, sizeof(arg), "#0x%x", f->k);
		return snprintf(buf, len, "%04zu: %-5s %-20s jt %04zu jf %04zu", pc, op, arg, pc + 1 + (size_t)f->jt,
				pc + 1 + (size_t)f->jf);
	}
	case B_RET:
		snprintf(op, sizeof(op), "ret");
		if (B_RVAL(c) == B_A)
			snprintf(arg, sizeof(arg), "a");
		else
			snprintf(arg, sizeof(arg), "#0x%x", f->k);
		break;
	default: /* B_MISC */
		snprintf(op, sizeof(op), "%s", B_MISCOP(c) == B_TAX ? "tax" : B_MISCOP(c) == B_TXA ? "txa" : "misc?");
		break;
	}
	if (arg[0])
		return snprintf(buf, len, "%04zu: %-5s %s", pc, op, arg);
	return snprintf(buf, len, "%04zu: %s", pc, op);
}

int ctnl_bpf_disasm(const struct ctnl_bpf_insn *prog, size_t n, char *buf, size_t len)
{
	size_t pos = 0;
	char line[96];

	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int l = ctnl_bpf_disasm_insn(&prog[i], i, line, sizeof(line));

		if (l < 0)
			return l;
		if ((size_t)l >= sizeof(line))
			l = (int)sizeof(line) - 1;
		if (pos + (size_t)l + 1 < len) {
			memcpy(buf + pos, line, (size_t)l);
			buf[pos + (size_t)l] = '\n';
			buf[pos + (size_t)l + 1] = '\0';
		} else if (len) {
			/* keep what fits, always terminated */
			size_t room = pos < len ? len - pos - 1 : 0;

			if (room) {
				memcpy(buf + pos, line, room < (size_t)l ? room : (size_t)l);
				buf[pos + (room < (size_t)l ? room : (size_t)l)] = '\0';
			}
			if (pos < len)
				buf[len - 1] = '\0';
		}
		pos += (size_t)l + 1;
	}
	return (int)pos;
}
