/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_CODEC_BPF_CODES_H
#define CTNL_CODEC_BPF_CODES_H

/* Classic BPF opcode fields (linux/bpf_common.h, linux/filter.h),
 * spelled out so that the codec needs no kernel socket header.  Shared
 * by the compiler, the interpreter and the disassembler; not installed. */

#define B_CLASS(c) ((c) & 0x07)
#define B_LD   0x00
#define B_LDX  0x01
#define B_ST   0x02
#define B_STX  0x03
#define B_ALU  0x04
#define B_JMP  0x05
#define B_RET  0x06
#define B_MISC 0x07

#define B_SIZE(c) ((c) & 0x18)
#define B_W 0x00
#define B_H 0x08
#define B_B 0x10

#define B_MODE(c) ((c) & 0xe0)
#define B_IMM 0x00
#define B_ABS 0x20
#define B_IND 0x40
#define B_MEM 0x60
#define B_LEN 0x80
#define B_MSH 0xa0

#define B_OP(c) ((c) & 0xf0)
#define B_ADD 0x00
#define B_SUB 0x10
#define B_MUL 0x20
#define B_DIV 0x30
#define B_OR  0x40
#define B_AND 0x50
#define B_LSH 0x60
#define B_RSH 0x70
#define B_NEG 0x80
#define B_MOD 0x90
#define B_XOR 0xa0

#define B_JA   0x00
#define B_JEQ  0x10
#define B_JGT  0x20
#define B_JGE  0x30
#define B_JSET 0x40

#define B_SRC(c) ((c) & 0x08)
#define B_K 0x00
#define B_X 0x08

#define B_RVAL(c) ((c) & 0x18)
#define B_A 0x10

#define B_MISCOP(c) ((c) & 0xf8)
#define B_TAX 0x00
#define B_TXA 0x80

#define B_MEMWORDS 16

/* Ancillary loads: k = SKF_AD_OFF + SKF_AD_* */
#define B_AD_OFF 0xfffff000u           /* (u32)-4096 */
#define B_AD_PROTOCOL 0
#define B_AD_PKTTYPE 4
#define B_AD_IFINDEX 8
#define B_AD_NLATTR 12
#define B_AD_NLATTR_NEST 16
#define B_AD_MARK 20
#define B_AD_QUEUE 24
#define B_AD_HATYPE 28
#define B_AD_RXHASH 32
#define B_AD_CPU 36
#define B_AD_ALU_XOR_X 40
#define B_AD_VLAN_TAG 44
#define B_AD_VLAN_TAG_PRESENT 48
#define B_AD_PAY_OFFSET 52
#define B_AD_RANDOM 56
#define B_AD_VLAN_TPID 60
#define B_AD_MAX 64

#endif
