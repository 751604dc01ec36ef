/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_BPF_H
#define CTNL_BPF_H

/*
 * Event filters: a list of matches compiled to a classic BPF program for
 * SO_ATTACH_FILTER on a conntrack event socket; a reference evaluator of
 * the same list on a decoded message; an interpreter of classic BPF that
 * runs programs the way the kernel runs a socket filter on a netlink
 * message; a disassembler.
 *
 *   what the program sees (skb->data starts at the nlmsghdr):
 *
 *   0        4    6     8           16   17   18     20
 *   +--------+----+-----+-----------+----+----+------+---------------------+
 *   | len    |type|flags| seq  pid  |fam |ver |res_id| CTA_* attributes    |
 *   +--------+----+-----+-----------+----+----+------+---------------------+
 *   host order            host order                  nla_len/nla_type host
 *   order, values big-endian (as the BPF loads read them)
 *
 * Semantics (docs/filters.md):
 *   - entries of one type are ORed, types are ANDed;
 *   - a type is either all negated or all positive (else an error);
 *   - an entry matches when the attribute is present, has its exact
 *     length, and (value & mask) == (entry value & mask);
 *   - a negated type passes exactly when its positive form fails, so an
 *     event without the attribute fails a positive type and passes a
 *     negated one.  Mark and zone are the exceptions: the kernel omits
 *     them when they are 0, so an absent one reads as 0;
 *   - messages of another netfilter subsystem (or NLMSG_DONE, ERROR)
 *     are accepted untouched.
 *
 * Nothing here allocates; programs go into caller buffers.
 */

#include <stddef.h>
#include <stdint.h>

#include <ctnl/attr.h>
#include <ctnl/ct.h>
#include <ctnl/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One classic BPF instruction, laid out exactly as struct sock_filter. */
struct ctnl_bpf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

/* The kernel's BPF_MAXINSNS: a program may have this many instructions. */
#define CTNL_BPF_MAXINSNS 4096u

#define CTNL_BPF_ACCEPT 0xffffffffu
#define CTNL_BPF_REJECT 0u

/* What a match looks at.  Values are given as on the wire (network byte
 * order, addresses as their 4 or 16 bytes). */
enum ctnl_bpf_type {
	CTNL_BPF_FAMILY = 0,      /* 1 byte: nfgen_family (AF_INET 2, AF_INET6 10) */
	CTNL_BPF_MSG_TYPE,        /* 1 byte: CTNL_BPF_MSG_NEW, _UPDATE, _DESTROY */
	CTNL_BPF_ORIG_L4PROTO,    /* 1 byte: orig.proto.num */
	CTNL_BPF_REPLY_L4PROTO,   /* 1 byte: reply.proto.num */
	CTNL_BPF_ORIG_V4_SRC,     /* 4 bytes, maskable */
	CTNL_BPF_ORIG_V4_DST,
	CTNL_BPF_REPLY_V4_SRC,
	CTNL_BPF_REPLY_V4_DST,
	CTNL_BPF_ORIG_V6_SRC,     /* 16 bytes, maskable */
	CTNL_BPF_ORIG_V6_DST,
	CTNL_BPF_REPLY_V6_SRC,
	CTNL_BPF_REPLY_V6_DST,
	CTNL_BPF_ORIG_PORT_SRC,   /* 2 bytes */
	CTNL_BPF_ORIG_PORT_DST,
	CTNL_BPF_REPLY_PORT_SRC,
	CTNL_BPF_REPLY_PORT_DST,
	CTNL_BPF_ICMP_TYPE,       /* 1 byte, orig tuple */
	CTNL_BPF_ICMP_CODE,       /* 1 byte */
	CTNL_BPF_ICMP_ID,         /* 2 bytes */
	CTNL_BPF_ICMPV6_TYPE,     /* 1 byte, orig tuple */
	CTNL_BPF_ICMPV6_CODE,     /* 1 byte */
	CTNL_BPF_ICMPV6_ID,       /* 2 bytes */
	CTNL_BPF_TCP_STATE,       /* 1 byte: protoinfo.tcp.state */
	CTNL_BPF_MARK,            /* 4 bytes, maskable; absent reads as 0 */
	CTNL_BPF_STATUS,          /* 4 bytes, maskable: (status & mask) == value & mask */
	CTNL_BPF_ZONE,            /* 2 bytes: CTA_ZONE; absent reads as 0 */
	CTNL_BPF_TYPE_MAX
};

/* Values of CTNL_BPF_MSG_TYPE. */
#define CTNL_BPF_MSG_NEW     1u   /* IPCTNL_MSG_CT_NEW with NLM_F_CREATE or NLM_F_EXCL */
#define CTNL_BPF_MSG_UPDATE  2u   /* IPCTNL_MSG_CT_NEW without them */
#define CTNL_BPF_MSG_DESTROY 3u   /* IPCTNL_MSG_CT_DELETE */

/* One entry of a filter: go-conntrack's ConnAttr. */
struct ctnl_bpf_match {
	uint16_t type;            /* enum ctnl_bpf_type */
	uint8_t negate;           /* 1: the type's group passes when no entry matches */
	uint8_t len;              /* bytes in value: must be the type's size */
	uint8_t mask_len;         /* 0 (all ones) or the type's size, maskable types only */
	uint8_t value[16];
	uint8_t mask[16];
};

/* What a type is, from the table that drives the compiler and the evaluator. */
struct ctnl_bpf_type_info {
	const char *name;         /* "orig-v4-src", as the tools spell it */
	uint8_t size;             /* value bytes: 1, 2, 4 or 16 */
	uint8_t maskable;
	uint8_t absent_zero;      /* an absent attribute reads as 0 (mark, zone) */
	uint8_t depth;            /* attribute types in path[] (0: a header field) */
	uint8_t path[4];          /* CTA_* types from the top level to the leaf */
};

/**
 * ctnl_bpf_type_info - describe a match type
 * @type: enum ctnl_bpf_type
 *
 * Return: the description, or NULL for an unknown type.
 */
CTNL_EXPORT const struct ctnl_bpf_type_info *ctnl_bpf_type_info(unsigned type);

/**
 * ctnl_bpf_type_by_name - the type a tool spells @name
 * Return: the enum ctnl_bpf_type value, or -ENOENT.
 */
CTNL_EXPORT int ctnl_bpf_type_by_name(const char *name);

/**
 * ctnl_bpf_compile - compile a filter to a classic BPF program
 * @m: the entries (any order; grouped by type internally)
 * @n: how many
 * @out: where the instructions go (may be NULL when @cap is 0)
 * @cap: room in @out, in instructions
 * @out_len: the program's length, also set when @cap is too small
 * @err: optional
 *
 * Jumps longer than 255 instructions go through "ja" trampolines, so
 * programs of any length up to CTNL_BPF_MAXINSNS are correct.
 *
 * Return: 0;
 *   -EOPNOTSUPP an entry's type is not implemented ("attribute not implemented");
 *   -ERANGE     an entry's value length is not the type's size ("attribute length");
 *   -EDOM       a mask on an unmaskable type, or of the wrong length ("mask length");
 *   -EINVAL     negated and positive entries of one type ("mixed negation");
 *   -E2BIG      more than CTNL_BPF_MAXINSNS instructions ("filter too long");
 *   -ENOSPC     @cap is below *@out_len.
 * @err->offset is the index of the offending entry, @err->attr_type its type.
 */
CTNL_EXPORT int ctnl_bpf_compile(const struct ctnl_bpf_match *m, size_t n, struct ctnl_bpf_insn *out,
				 size_t cap, size_t *out_len, struct ctnl_err *err);

/**
 * ctnl_bpf_match_eval - the reference: evaluate a filter on a decoded message
 * @m: the entries
 * @n: how many
 * @msg: a decoded conntrack message (header and attributes)
 * @err: optional; filled for an invalid filter
 *
 * Says what the compiled program says, for messages that decoded without
 * duplicated attributes or padding (the program sees the first of
 * duplicates, the decoder keeps the last).
 *
 * Return: 1 accept, 0 reject; the errors of ctnl_bpf_compile() except
 * -E2BIG and -ENOSPC.
 */
CTNL_EXPORT int ctnl_bpf_match_eval(const struct ctnl_bpf_match *m, size_t n, const struct ctnl_ct_msg *msg,
				    struct ctnl_err *err);

/**
 * ctnl_bpf_check - the kernel's checks on a classic program (bpf_check_classic)
 * @prog: instructions
 * @n: how many (1 to CTNL_BPF_MAXINSNS)
 * @err: optional; names the first bad instruction
 *
 * Return: 0, or -EINVAL for a program the kernel would refuse.
 */
CTNL_EXPORT int ctnl_bpf_check(const struct ctnl_bpf_insn *prog, size_t n, struct ctnl_err *err);

/**
 * ctnl_bpf_run - run a program on one netlink message as a socket filter
 * @prog: instructions; checked first with ctnl_bpf_check()
 * @n: how many
 * @pkt: the skb data: a message starting at its nlmsghdr
 * @len: skb->len
 * @verdict: the program's return value (0: the kernel drops the message)
 * @err: optional
 *
 * A load outside the message ends the program with 0, as in the kernel.
 * SKF_AD_NLATTR and SKF_AD_NLATTR_NEST follow net/core/filter.c; other
 * ancillary loads have no socket buffer to read here.
 *
 * Return: 0; -EINVAL for a program the kernel would refuse; -EOPNOTSUPP
 * when the program executes an ancillary load other than NLATTR,
 * NLATTR_NEST and ALU_XOR_X.
 */
CTNL_EXPORT int ctnl_bpf_run(const struct ctnl_bpf_insn *prog, size_t n, const void *pkt, size_t len,
			     uint32_t *verdict, struct ctnl_err *err);

/**
 * ctnl_bpf_disasm_insn - one instruction as text, without a newline
 * @insn: the instruction
 * @pc: its index (jump targets are printed as absolute indexes)
 * @buf: output, NUL-terminated when @len > 0
 * @len: size of @buf
 *
 * Example: "0001: jeq   #0x1                 jt 0003 jf 0002"
 *
 * Return: the length the full text needs, as snprintf.
 */
CTNL_EXPORT int ctnl_bpf_disasm_insn(const struct ctnl_bpf_insn *insn, size_t pc, char *buf, size_t len);

/**
 * ctnl_bpf_disasm - a whole program, one instruction per line
 * Return: the length the full text needs, as snprintf.
 */
CTNL_EXPORT int ctnl_bpf_disasm(const struct ctnl_bpf_insn *prog, size_t n, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
