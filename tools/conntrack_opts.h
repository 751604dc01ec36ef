/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_TOOLS_CONNTRACK_OPTS_H
#define CTNL_TOOLS_CONNTRACK_OPTS_H

/*
 * The option table of the conntrack(8)-compatible command line.
 *
 * One table drives the parser (getopt_long's struct option array and its
 * short-option string are made from it), the legality checks (which
 * option each command accepts, needs or refuses), the help text, the man
 * page and the bash completion (tools/gen/ctnl-gen.c).  conntrack 1.4.7
 * is the reference for every name, every legality rule and every
 * message; the ctnl extensions are marked CTC_O_CTNL.
 *
 *   command letter ---> enum ctc_cmd (conntrack, expect tables)
 *   long/short option -> struct ctc_opt.val --> enum ctc_flag bit
 *                                            --> legality[ctc_cmd]
 *   -p PROTO ---------> struct ctc_proto ----> its own options, flags and
 *                                              legality rows
 */

#include <stddef.h>
#include <stdint.h>

/* Commands, in conntrack(8)'s order: the index into every legality string. */
enum ctc_cmd {
	CTC_CT_LIST = 0,
	CTC_CT_CREATE,
	CTC_CT_UPDATE,
	CTC_CT_DELETE,
	CTC_CT_GET,
	CTC_CT_FLUSH,
	CTC_CT_EVENT,
	CTC_VERSION,
	CTC_HELP,
	CTC_EXP_LIST,
	CTC_EXP_CREATE,
	CTC_EXP_DELETE,
	CTC_EXP_GET,
	CTC_EXP_FLUSH,
	CTC_EXP_EVENT,
	CTC_CT_COUNT,
	CTC_EXP_COUNT,
	CTC_CT_STATS,
	CTC_EXP_STATS,
	CTC_CT_ADD,
	CTC_NCMD,                          /* also: no command given */
};

/* Option bits (conntrack's CT_OPT_*), in its order: the flag names
 * appear in messages ("Illegal option `--src' with this command"). */
enum ctc_flag {
	CTC_F_SRC = 0, CTC_F_DST, CTC_F_REPL_SRC, CTC_F_REPL_DST, CTC_F_PROTO,
	CTC_F_TIMEOUT, CTC_F_STATUS, CTC_F_ZERO, CTC_F_EVENT_MASK, CTC_F_EXP_SRC,
	CTC_F_EXP_DST, CTC_F_MASK_SRC, CTC_F_MASK_DST, CTC_F_NATRANGE, CTC_F_MARK,
	CTC_F_ID, CTC_F_FAMILY, CTC_F_SRC_NAT, CTC_F_DST_NAT, CTC_F_OUTPUT,
	CTC_F_SECMARK, CTC_F_BUFSIZE, CTC_F_ANY_NAT, CTC_F_ZONE, CTC_F_LABEL,
	CTC_F_ADD_LABEL, CTC_F_DEL_LABEL, CTC_F_ORIG_ZONE, CTC_F_REPL_ZONE,
	CTC_NFLAGS
};
#define CTC_BIT(f) (1u << (f))

/* Legality of an option with a command (conntrack's key). */
#define CTC_ILLEGAL '0'
#define CTC_NEEDED  '1'
#define CTC_OPTIONAL '2'
#define CTC_COUPLED '3'                /* src+dst or reply-src+reply-dst */

struct ctc_flag_info {
	const char *name;                  /* "src": as messages spell it */
	const char *legal;                 /* CTC_NCMD characters, one per command */
};
extern const struct ctc_flag_info ctc_flags[CTC_NFLAGS];

/* What an option is. */
enum ctc_opt_kind {
	CTC_K_COMMAND = 1,                 /* -L, -I, ...: takes an optional table */
	CTC_K_OPTION,                      /* sets an enum ctc_flag */
	CTC_K_OTHER,                       /* -h, -V, nat-range */
	CTC_K_CTNL,                        /* a ctnl extension (--json, --netns, --pcap) */
	CTC_K_PROTO,                       /* an option of a protocol (struct ctc_proto) */
};

/* getopt values that are not characters. */
#define CTC_V_JSON   0x1001
#define CTC_V_NETNS  0x1002
#define CTC_V_PCAP   0x1003
#define CTC_V_PROTO  0x2000            /* + the protocol option's code */

struct ctc_opt {
	const char *lng;                   /* long name, without "--" */
	int val;                           /* getopt value: the short letter, or CTC_V_* */
	uint8_t has_arg;                   /* 0 none, 1 required, 2 optional */
	uint8_t kind;                      /* enum ctc_opt_kind */
	int8_t flag;                       /* enum ctc_flag, or -1 */
	uint8_t hidden;                    /* not in --help (aliases, deprecated, undocumented) */
	const char *arg;                   /* the argument's name in docs */
	const char *help;                  /* one line */
};
extern const struct ctc_opt ctc_opts[];
extern const size_t ctc_nopts;

/* The short options, as getopt's optstring (made from ctc_opts). */
extern const char ctc_shortopts[];

/* Commands: the letter, its long name, and what it means for each table. */
struct ctc_command {
	char letter;
	const char *lng;
	int8_t ct;                         /* enum ctc_cmd for conntrack/dying/unconfirmed, -1 none */
	int8_t exp;                        /* for expect, -1: "Can't do --X on expectations" */
	const char *usage;                 /* "-L [table] [options]" */
	const char *help;
};
extern const struct ctc_command ctc_commands[];
extern const size_t ctc_ncommands;

/* What a protocol option sets. */
enum ctc_popt_kind {
	CTC_P_ORIG_SPORT = 1, CTC_P_ORIG_DPORT, CTC_P_REPL_SPORT, CTC_P_REPL_DPORT,
	CTC_P_MASK_SPORT, CTC_P_MASK_DPORT, CTC_P_STATE, CTC_P_EXP_SPORT, CTC_P_EXP_DPORT,
	CTC_P_ICMP_TYPE, CTC_P_ICMP_CODE, CTC_P_ICMP_ID, CTC_P_VTAG_ORIG, CTC_P_VTAG_REPL,
	CTC_P_ROLE,
};

struct ctc_popt {
	const char *lng;
	uint8_t code;                      /* 1..: getopt value is CTC_V_PROTO + code */
	uint8_t bit;                       /* its flag bit in the protocol's flag set */
	uint8_t kind;                      /* enum ctc_popt_kind */
	uint8_t hidden;                    /* an alias */
	const char *help;
};

/* One protocol of -p, with its options (conntrack's extensions). */
struct ctc_proto {
	const char *name;
	uint8_t num;
	uint8_t number_base0;              /* ports/keys read with strtoul(,0) (GRE keys) */
	const struct ctc_popt *opts;       /* NULL-terminated by lng */
	const char *const *flag_names;     /* per bit: "sport", ... */
	const char *const *legal;          /* per bit: CTC_NCMD characters */
	unsigned nbits;
	const char *const *states;         /* --state names by number, NULL: none */
	unsigned nstates;
	const char *state_word;            /* "TCP", "SCTP", "DCCP" in "unknown TCP state" */
	const char *need_orig;             /* the message when neither port pair is complete */
	const char *need_reply;
	uint8_t tcp_flags;                 /* final check sets TCP window-tracking flags */
};
extern const struct ctc_proto ctc_protos[];
extern const size_t ctc_nprotos;
extern const struct ctc_proto ctc_proto_unknown;

/* Values of -u, -e, -o. */
struct ctc_word {
	const char *word;
	uint32_t value;
};
extern const struct ctc_word ctc_status_words[];
extern const struct ctc_word ctc_event_words[];
extern const struct ctc_word ctc_output_words[];

/* -o bits (conntrack's _O_*). */
#define CTC_O_XML   0x01u
#define CTC_O_EXT   0x02u
#define CTC_O_TMS   0x04u
#define CTC_O_ID    0x08u
#define CTC_O_KTMS  0x10u
#define CTC_O_CL    0x20u
#define CTC_O_SAVE  0x40u

/* -e bits. */
#define CTC_EV_NEW 0x1u
#define CTC_EV_UPD 0x2u
#define CTC_EV_DEL 0x4u
#define CTC_EV_ALL 0x7u

/* Tables named after a command. */
enum ctc_table {
	CTC_T_CONNTRACK = 0,
	CTC_T_EXPECT,
	CTC_T_DYING,
	CTC_T_UNCONFIRMED,
};

/* The summary line of each command ("%d flow entries have been shown."), or NULL. */
extern const char *const ctc_summary[CTC_NCMD];

/* Name a getopt value's long option ("unknown" when none), as conntrack does. */
const char *ctc_long_name(int val, const struct ctc_proto *p);

#endif
