/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The option table of the conntrack(8)-compatible command line (see
 * conntrack_opts.h).  Names, legality and messages follow conntrack
 * 1.4.7; the legality strings have one character per enum ctc_cmd:
 *
 *   L I U D G F E V h | L I D G F E (expect) | C C(exp) S S(exp) | A
 */
#include <string.h>

#include <linux/netfilter/nf_conntrack_common.h>

#include "conntrack_opts.h"

/*                                                 LIUDGFEVhLIDGFECCSSA */
const struct ctc_flag_info ctc_flags[CTC_NFLAGS] = {
	[CTC_F_SRC]        = { "src",         "23223020001110000003" },
	[CTC_F_DST]        = { "dst",         "23223020001110000003" },
	[CTC_F_REPL_SRC]   = { "reply-src",   "23223020002220000003" },
	[CTC_F_REPL_DST]   = { "reply-dst",   "23223020002220000003" },
	[CTC_F_PROTO]      = { "protonum",    "21221020201110000001" },
	[CTC_F_TIMEOUT]    = { "timeout",     "01220000001000000001" },
	[CTC_F_STATUS]     = { "status",      "22220000002000000002" },
	[CTC_F_ZERO]       = { "zero",        "20000000000000000000" },
	[CTC_F_EVENT_MASK] = { "event-mask",  "00000020000000000000" },
	[CTC_F_EXP_SRC]    = { "tuple-src",   "00000000001000000000" },
	[CTC_F_EXP_DST]    = { "tuple-dst",   "00000000001000000000" },
	[CTC_F_MASK_SRC]   = { "mask-src",    "20220020001000000000" },
	[CTC_F_MASK_DST]   = { "mask-dst",    "20220020001000000000" },
	[CTC_F_NATRANGE]   = { "nat-range",   "02000000000000000002" },
	[CTC_F_MARK]       = { "mark",        "22220020000000000002" },
	[CTC_F_ID]         = { "id",          "00222000000000000000" },
	[CTC_F_FAMILY]     = { "family",      "20220220020000000000" },
	[CTC_F_SRC_NAT]    = { "src-nat",     "22220020000000000002" },
	[CTC_F_DST_NAT]    = { "dst-nat",     "22220020000000000002" },
	[CTC_F_OUTPUT]     = { "output",      "20222020020000200000" },
	[CTC_F_SECMARK]    = { "secmark",     "20000020000000000000" },
	[CTC_F_BUFSIZE]    = { "buffer-size", "00000020000000000000" },
	[CTC_F_ANY_NAT]    = { "any-nat",     "20000020000000000000" },
	[CTC_F_ZONE]       = { "zone",        "22020020000000000002" },
	[CTC_F_LABEL]      = { "label",       "20222020000000000000" },
	[CTC_F_ADD_LABEL]  = { "label-add",   "02200000000000000002" },
	[CTC_F_DEL_LABEL]  = { "label-del",   "00200000000000000000" },
	[CTC_F_ORIG_ZONE]  = { "orig-zone",   "22020020000000000002" },
	[CTC_F_REPL_ZONE]  = { "reply-zone",  "22020020000000000002" },
};

#define CMD(l, v, s, d) { l, v, 2, CTC_K_COMMAND, -1, 0, "TABLE", d }
#define OPT(l, v, a, f, h, n, d) { l, v, a, CTC_K_OPTION, f, h, n, d }

/* In conntrack's order: getopt resolves abbreviations against this list. */
const struct ctc_opt ctc_opts[] = {
	CMD("dump", 'L', 0, "list the table (conntrack, expect, dying, unconfirmed)"),
	CMD("create", 'I', 0, "create an entry or an expectation; fails if it exists"),
	CMD("add", 'A', 0, "create an entry; no error if it exists"),
	CMD("delete", 'D', 0, "delete the entries that match"),
	CMD("update", 'U', 0, "change the entries that match"),
	CMD("get", 'G', 0, "show one entry, by its tuple"),
	CMD("flush", 'F', 0, "delete every entry (of one family with -f)"),
	CMD("event", 'E', 0, "print events as they happen"),
	CMD("counter", 'C', 0, "print the number of entries"),
	{ "stats", 'S', 0, CTC_K_COMMAND, -1, 0, NULL, "print per-CPU statistics" },
	{ "version", 'V', 0, CTC_K_OTHER, -1, 0, NULL, "print the version" },
	{ "help", 'h', 0, CTC_K_OTHER, -1, 0, NULL, "print this help (with -p PROTO: its options)" },
	OPT("orig-src", 's', 1, CTC_F_SRC, 0, "IP[/CIDR]", "original source address"),
	OPT("src", 's', 1, CTC_F_SRC, 1, "IP[/CIDR]", "same as --orig-src"),
	OPT("orig-dst", 'd', 1, CTC_F_DST, 0, "IP[/CIDR]", "original destination address"),
	OPT("dst", 'd', 1, CTC_F_DST, 1, "IP[/CIDR]", "same as --orig-dst"),
	OPT("reply-src", 'r', 1, CTC_F_REPL_SRC, 0, "IP", "reply source address"),
	OPT("reply-dst", 'q', 1, CTC_F_REPL_DST, 0, "IP", "reply destination address"),
	OPT("protonum", 'p', 1, CTC_F_PROTO, 0, "PROTO", "layer-4 protocol: tcp, udp, udplite, icmp, icmpv6, sctp, dccp, gre, or a name or number"),
	OPT("timeout", 't', 1, CTC_F_TIMEOUT, 0, "SECONDS", "timeout"),
	OPT("status", 'u', 1, CTC_F_STATUS, 0, "STATUS[,...]", "ASSURED, SEEN_REPLY, FIXED_TIMEOUT, EXPECTED, OFFLOAD, HW_OFFLOAD, UNSET; to match also UNREPLIED, !STATUS"),
	OPT("zero", 'z', 0, CTC_F_ZERO, 0, NULL, "zero the counters while listing"),
	OPT("event-mask", 'e', 1, CTC_F_EVENT_MASK, 0, "EVENT[,...]", "ALL, NEW, UPDATES, DESTROY"),
	OPT("tuple-src", '[', 1, CTC_F_EXP_SRC, 0, "IP", "source address of the expected tuple"),
	OPT("tuple-dst", ']', 1, CTC_F_EXP_DST, 0, "IP", "destination address of the expected tuple"),
	OPT("mask-src", '{', 1, CTC_F_MASK_SRC, 0, "IP", "source mask (filters, expectations)"),
	OPT("mask-dst", '}', 1, CTC_F_MASK_DST, 0, "IP", "destination mask (filters, expectations)"),
	{ "nat-range", 'a', 1, CTC_K_OTHER, -1, 1, "RANGE", "deprecated, ignored" },
	OPT("mark", 'm', 1, CTC_F_MARK, 0, "MARK[/MASK]", "mark: a filter, or with -U the bits to set"),
	OPT("secmark", 'c', 1, CTC_F_SECMARK, 0, "SECMARK", "secmark"),
	OPT("id", 'i', 2, CTC_F_ID, 1, "ID", "conntrack id (deprecated)"),
	OPT("family", 'f', 1, CTC_F_FAMILY, 0, "FAMILY", "ipv4 or ipv6"),
	OPT("src-nat", 'n', 2, CTC_F_SRC_NAT, 0, "[IP[:PORT]]", "source-NATed entries (to IP)"),
	OPT("dst-nat", 'g', 2, CTC_F_DST_NAT, 0, "[IP[:PORT]]", "destination-NATed entries (to IP)"),
	OPT("output", 'o', 1, CTC_F_OUTPUT, 0, "FORMAT[,...]", "extended, xml, save, timestamp, id, ktimestamp, labels, userspace"),
	OPT("buffer-size", 'b', 1, CTC_F_BUFSIZE, 0, "BYTES", "event socket receive buffer"),
	OPT("any-nat", 'j', 2, CTC_F_ANY_NAT, 0, "[IP[:PORT]]", "NATed entries, either way"),
	OPT("zone", 'w', 1, CTC_F_ZONE, 0, "ZONE", "conntrack zone"),
	OPT("label", 'l', 1, CTC_F_LABEL, 0, "LABEL[,...]", "entries with these labels"),
	OPT("label-add", '<', 1, CTC_F_ADD_LABEL, 0, "LABEL[,...]", "add labels"),
	OPT("label-del", '>', 2, CTC_F_DEL_LABEL, 0, "[LABEL[,...]]", "delete labels (all without an argument)"),
	OPT("orig-zone", '(', 1, CTC_F_ORIG_ZONE, 0, "ZONE", "zone of the original direction"),
	OPT("reply-zone", ')', 1, CTC_F_REPL_ZONE, 0, "ZONE", "zone of the reply direction"),
	/* ctnl's own */
	{ "json", CTC_V_JSON, 0, CTC_K_CTNL, -1, 0, NULL, "ctnl: one JSON object per entry or event, per line" },
	{ "netns", CTC_V_NETNS, 1, CTC_K_CTNL, -1, 0, "NAME|PATH", "ctnl: run inside this network namespace" },
	{ "pcap", CTC_V_PCAP, 1, CTC_K_CTNL, -1, 0, "FILE", "ctnl: record the command's netlink traffic (nlmon pcap)" },
};
const size_t ctc_nopts = sizeof(ctc_opts) / sizeof(ctc_opts[0]);

/* conntrack's optstring: the colon first (missing arguments are told
 * apart), commands with optional tables, -i wants its argument here. */
const char ctc_shortopts[] = ":L::I::U::D::G::E::F::A::hVs:d:r:q:p:t:u:e:a:z[:]:{:}:m:i:f:o:n::g::c:b:C::Sj::w:l:<:>::(:):";

const struct ctc_command ctc_commands[] = {
	{ 'L', "dump", CTC_CT_LIST, CTC_EXP_LIST, "-L [table] [options]", "List conntrack or expectation table" },
	{ 'G', "get", CTC_CT_GET, CTC_EXP_GET, "-G [table] parameters", "Get conntrack or expectation" },
	{ 'D', "delete", CTC_CT_DELETE, CTC_EXP_DELETE, "-D [table] parameters", "Delete conntrack or expectation" },
	{ 'I', "create", CTC_CT_CREATE, CTC_EXP_CREATE, "-I [table] parameters", "Create a conntrack or expectation" },
	{ 'U', "update", CTC_CT_UPDATE, -1, "-U [table] parameters", "Update a conntrack" },
	{ 'E', "event", CTC_CT_EVENT, CTC_EXP_EVENT, "-E [table] [options]", "Show events" },
	{ 'F', "flush", CTC_CT_FLUSH, CTC_EXP_FLUSH, "-F [table]", "Flush table" },
	{ 'C', "counter", CTC_CT_COUNT, CTC_EXP_COUNT, "-C [table]", "Show counter" },
	{ 'S', "stats", CTC_CT_STATS, CTC_EXP_STATS, "-S", "Show statistics" },
	{ 'A', "add", CTC_CT_ADD, -1, "-A [table] parameters", "Add a conntrack (no error if it exists)" },
	{ 'V', "version", CTC_VERSION, CTC_VERSION, "-V", "Show the version" },
	{ 'h', "help", CTC_HELP, CTC_HELP, "-h", "Show this help" },
};
const size_t ctc_ncommands = sizeof(ctc_commands) / sizeof(ctc_commands[0]);

/* ---- protocols ---- */

#define PORTS(a1, a2)                                                                                  \
	{ "orig-port-src", 1, 0, CTC_P_ORIG_SPORT, a1, "original source port" },                        \
	{ "orig-port-dst", 2, 1, CTC_P_ORIG_DPORT, a1, "original destination port" },                   \
	{ "sport", 1, 0, CTC_P_ORIG_SPORT, a2, "original source port" },                                \
	{ "dport", 2, 1, CTC_P_ORIG_DPORT, a2, "original destination port" },                           \
	{ "reply-port-src", 3, 2, CTC_P_REPL_SPORT, 0, "reply source port" },                           \
	{ "reply-port-dst", 4, 3, CTC_P_REPL_DPORT, 0, "reply destination port" },                      \
	{ "mask-port-src", 5, 4, CTC_P_MASK_SPORT, 0, "expectation mask: source port" },                \
	{ "mask-port-dst", 6, 5, CTC_P_MASK_DPORT, 0, "expectation mask: destination port" }

static const struct ctc_popt tcp_opts[] = {
	PORTS(1, 0),
	{ "state", 7, 6, CTC_P_STATE, 0, "TCP state, e.g. ESTABLISHED" },
	{ "tuple-port-src", 8, 7, CTC_P_EXP_SPORT, 0, "expected tuple: source port" },
	{ "tuple-port-dst", 9, 8, CTC_P_EXP_DPORT, 0, "expected tuple: destination port" },
	{ NULL, 0, 0, 0, 0, NULL },
};
static const struct ctc_popt sctp_opts[] = {
	PORTS(0, 1),
	{ "state", 7, 6, CTC_P_STATE, 0, "SCTP state, e.g. ESTABLISHED" },
	{ "tuple-port-src", 8, 7, CTC_P_EXP_SPORT, 0, "expected tuple: source port" },
	{ "tuple-port-dst", 9, 8, CTC_P_EXP_DPORT, 0, "expected tuple: destination port" },
	{ "orig-vtag", 10, 9, CTC_P_VTAG_ORIG, 0, "original verification tag" },
	{ "reply-vtag", 11, 10, CTC_P_VTAG_REPL, 0, "reply verification tag" },
	{ NULL, 0, 0, 0, 0, NULL },
};
static const struct ctc_popt dccp_opts[] = {
	PORTS(0, 1),
	{ "state", 7, 6, CTC_P_STATE, 0, "DCCP state, e.g. RESPOND" },
	{ "tuple-port-src", 8, 7, CTC_P_EXP_SPORT, 0, "expected tuple: source port" },
	{ "tuple-port-dst", 9, 8, CTC_P_EXP_DPORT, 0, "expected tuple: destination port" },
	{ "role", 10, 9, CTC_P_ROLE, 0, "client or server" },
	{ NULL, 0, 0, 0, 0, NULL },
};
static const struct ctc_popt udp_opts[] = {
	PORTS(1, 0),
	{ "tuple-port-src", 7, 6, CTC_P_EXP_SPORT, 0, "expected tuple: source port" },
	{ "tuple-port-dst", 8, 7, CTC_P_EXP_DPORT, 0, "expected tuple: destination port" },
	{ NULL, 0, 0, 0, 0, NULL },
};
static const struct ctc_popt udplite_opts[] = {
	PORTS(0, 1),
	{ "tuple-port-src", 7, 6, CTC_P_EXP_SPORT, 0, "expected tuple: source port" },
	{ "tuple-port-dst", 8, 7, CTC_P_EXP_DPORT, 0, "expected tuple: destination port" },
	{ NULL, 0, 0, 0, 0, NULL },
};
static const struct ctc_popt icmp_opts[] = {
	{ "icmp-type", 1, 0, CTC_P_ICMP_TYPE, 0, "ICMP type" },
	{ "icmp-code", 2, 1, CTC_P_ICMP_CODE, 0, "ICMP code" },
	{ "icmp-id", 3, 2, CTC_P_ICMP_ID, 0, "ICMP identifier" },
	{ NULL, 0, 0, 0, 0, NULL },
};
static const struct ctc_popt icmpv6_opts[] = {
	{ "icmpv6-type", 1, 0, CTC_P_ICMP_TYPE, 0, "ICMPv6 type" },
	{ "icmpv6-code", 2, 1, CTC_P_ICMP_CODE, 0, "ICMPv6 code" },
	{ "icmpv6-id", 3, 2, CTC_P_ICMP_ID, 0, "ICMPv6 identifier" },
	{ NULL, 0, 0, 0, 0, NULL },
};
static const struct ctc_popt gre_opts[] = {
	{ "orig-key-src", 1, 0, CTC_P_ORIG_SPORT, 0, "original source key" },
	{ "srckey", 1, 0, CTC_P_ORIG_SPORT, 1, "original source key" },
	{ "orig-key-dst", 2, 1, CTC_P_ORIG_DPORT, 0, "original destination key" },
	{ "dstkey", 2, 1, CTC_P_ORIG_DPORT, 1, "original destination key" },
	{ "reply-key-src", 3, 2, CTC_P_REPL_SPORT, 0, "reply source key" },
	{ "reply-key-dst", 4, 3, CTC_P_REPL_DPORT, 0, "reply destination key" },
	{ "mask-key-src", 5, 4, CTC_P_MASK_SPORT, 0, "expectation mask: source key" },
	{ "mask-key-dst", 6, 5, CTC_P_MASK_DPORT, 0, "expectation mask: destination key" },
	{ "tuple-key-src", 7, 6, CTC_P_EXP_SPORT, 0, "expected tuple: source key" },
	{ "tuple-key-dst", 8, 7, CTC_P_EXP_DPORT, 0, "expected tuple: destination key" },
	{ NULL, 0, 0, 0, 0, NULL },
};

static const char *const tcp_names[] = { "sport", "dport", "reply-port-src", "reply-port-dst", "mask-port-src",
					 "mask-port-dst", "state", "tuple-port-src", "tuple-port-dst" };
static const char *const udp_names[] = { "sport", "dport", "reply-port-src", "reply-port-dst", "mask-port-src",
					 "mask-port-dst", "tuple-port-src", "tuple-port-dst" };
static const char *const sctp_names[] = { "sport", "dport", "reply-port-src", "reply-port-dst", "mask-port-src",
					  "mask-port-dst", "state", "tuple-port-src", "tuple-port-dst", "orig-vtag",
					  "reply-vtag" };
static const char *const dccp_names[] = { "sport", "dport", "reply-port-src", "reply-port-dst", "mask-port-src",
					  "mask-port-dst", "state", "tuple-port-src", "tuple-port-dst", "role" };
static const char *const icmp_names[] = { "icmp-type", "icmp-code", "icmp-id" };
static const char *const icmpv6_names[] = { "icmpv6-type", "icmpv6-code", "icmpv6-id" };
static const char *const gre_names[] = { "srckey", "dstkey", "reply-key-src", "reply-key-dst", "mask-key-src",
					 "mask-key-dst", "tuple-key-src", "tuple-key-dst" };

/*                                   LIUDGFEVhLIDGFECCSSA */
#define L_PORT_ORIG                 "23223020001110000003"
#define L_PORT_REPL                 "23223020000110000003"
#define L_EXP_ONLY                  "00000000001000000000"
#define L_STATE                     "21222020000000000001"
static const char *const tcp_legal[] = { L_PORT_ORIG, L_PORT_ORIG, L_PORT_REPL, L_PORT_REPL, L_EXP_ONLY,
					 L_EXP_ONLY, L_STATE, L_EXP_ONLY, L_EXP_ONLY };
static const char *const udp_legal[] = { L_PORT_ORIG, L_PORT_ORIG, L_PORT_REPL, L_PORT_REPL,
					 L_EXP_ONLY, L_EXP_ONLY, L_EXP_ONLY, L_EXP_ONLY };
static const char *const sctp_legal[] = { L_PORT_ORIG, L_PORT_ORIG, L_PORT_REPL, L_PORT_REPL, L_EXP_ONLY,
					  L_EXP_ONLY, L_STATE, L_EXP_ONLY, L_EXP_ONLY,
					  "01202000001000000001", "01202000001000000001" };
static const char *const dccp_legal[] = { L_PORT_ORIG, L_PORT_ORIG, L_PORT_REPL, L_PORT_REPL, L_EXP_ONLY,
					  L_EXP_ONLY, L_STATE, L_EXP_ONLY, L_EXP_ONLY, "01000000001000000001" };
static const char *const icmp_legal[] = { "21221020000000000001", "21221020000000000001",
					  "22222020000000000002" };
/* GRE: the reply keys are needed for expectations too. */
static const char *const gre_legal[] = { L_PORT_ORIG, L_PORT_ORIG, L_PORT_ORIG, L_PORT_ORIG,
					 L_EXP_ONLY, L_EXP_ONLY, L_EXP_ONLY, L_EXP_ONLY };

static const char *const tcp_states[] = { "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
					  "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2" };
static const char *const sctp_states[] = { "NONE", "CLOSED", "COOKIE_WAIT", "COOKIE_ECHOED", "ESTABLISHED",
					   "SHUTDOWN_SENT", "SHUTDOWN_RECD", "SHUTDOWN_ACK_SENT" };
static const char *const dccp_states[] = { "NONE", "REQUEST", "RESPOND", "PARTOPEN", "OPEN",
					   "CLOSEREQ", "CLOSING", "TIMEWAIT", "IGNORE", "INVALID" };

#define N(a) (unsigned)(sizeof(a) / sizeof((a)[0]))
#define NEED_PORTS "you have to specify `--sport' and `--dport'"
#define NEED_RPORTS "you have to specify `--reply-src-port' and `--reply-dst-port'"

/* In conntrack's registration order reversed (it looks protocols up in a
 * list where the last registered comes first; names are unique anyway). */
const struct ctc_proto ctc_protos[] = {
	{ "tcp", 6, 0, tcp_opts, tcp_names, tcp_legal, N(tcp_names), tcp_states, N(tcp_states), "TCP",
	  NEED_PORTS, NEED_RPORTS, 1 },
	{ "udp", 17, 0, udp_opts, udp_names, udp_legal, N(udp_names), NULL, 0, NULL, NEED_PORTS, NEED_RPORTS, 0 },
	{ "udplite", 136, 0, udplite_opts, udp_names, udp_legal, N(udp_names), NULL, 0, NULL, NEED_PORTS,
	  NEED_RPORTS, 0 },
	{ "sctp", 132, 0, sctp_opts, sctp_names, sctp_legal, N(sctp_names), sctp_states, N(sctp_states), "SCTP",
	  NEED_PORTS, NEED_RPORTS, 0 },
	{ "dccp", 33, 0, dccp_opts, dccp_names, dccp_legal, N(dccp_names), dccp_states, N(dccp_states), "DCCP",
	  NEED_PORTS, "you have to specify `--reply-port-src' and `--report-port-dst'", 0 },
	{ "icmp", 1, 0, icmp_opts, icmp_names, icmp_legal, N(icmp_names), NULL, 0, NULL, NULL, NULL, 0 },
	{ "icmpv6", 58, 0, icmpv6_opts, icmpv6_names, icmp_legal, N(icmpv6_names), NULL, 0, NULL, NULL, NULL, 0 },
	{ "gre", 47, 1, gre_opts, gre_names, gre_legal, N(gre_names), NULL, 0, NULL,
	  "you have to specify `--srckey' and `--dstkey'",
	  "you have to specify `--reply-src-key' and `--reply-dst-key'", 0 },
};
const size_t ctc_nprotos = N(ctc_protos);

static const struct ctc_popt no_opts[] = { { NULL, 0, 0, 0, 0, NULL } };
const struct ctc_proto ctc_proto_unknown = { "unknown", 0, 0, no_opts, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 };

/* ---- words ---- */

const struct ctc_word ctc_status_words[] = {
	{ "ASSURED", IPS_ASSURED }, { "SEEN_REPLY", IPS_SEEN_REPLY }, { "UNSET", 0 },
	{ "FIXED_TIMEOUT", IPS_FIXED_TIMEOUT }, { "EXPECTED", IPS_EXPECTED }, { "OFFLOAD", 1u << 14 },
	{ "HW_OFFLOAD", 1u << 15 }, { NULL, 0 },
};
const struct ctc_word ctc_event_words[] = {
	{ "ALL", CTC_EV_ALL }, { "NEW", CTC_EV_NEW }, { "UPDATES", CTC_EV_UPD }, { "DESTROY", CTC_EV_DEL },
	{ NULL, 0 },
};
const struct ctc_word ctc_output_words[] = {
	{ "xml", CTC_O_XML }, { "extended", CTC_O_EXT }, { "timestamp", CTC_O_TMS }, { "id", CTC_O_ID },
	{ "ktimestamp", CTC_O_KTMS }, { "labels", CTC_O_CL }, { "userspace", 0 }, { "save", CTC_O_SAVE },
	{ NULL, 0 },
};

const char *const ctc_summary[CTC_NCMD] = {
	[CTC_CT_LIST] = "%d flow entries have been shown.\n",
	[CTC_CT_CREATE] = "%d flow entries have been created.\n",
	[CTC_CT_UPDATE] = "%d flow entries have been updated.\n",
	[CTC_CT_DELETE] = "%d flow entries have been deleted.\n",
	[CTC_CT_GET] = "%d flow entries have been shown.\n",
	[CTC_CT_EVENT] = "%d flow events have been shown.\n",
	[CTC_EXP_LIST] = "%d expectations have been shown.\n",
	[CTC_EXP_DELETE] = "%d expectations have been deleted.\n",
	[CTC_CT_ADD] = "%d flow entries have been added.\n",
};

const char *ctc_long_name(int val, const struct ctc_proto *p)
{
	for (size_t i = 0; i < ctc_nopts; i++)
		if (ctc_opts[i].val == val)
			return ctc_opts[i].lng;
	if (p && val > CTC_V_PROTO)
		for (const struct ctc_popt *o = p->opts; o->lng; o++)
			if (CTC_V_PROTO + o->code == val)
				return o->lng;
	return "unknown";
}
