/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_REPLAY_INTERNAL_H
#define CTNL_REPLAY_INTERNAL_H

/* Shared between replay/'s files; not installed. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <ctnl/pcap.h>

#define RP_ALIGN4(x) (((x) + 3u) & ~(size_t)3u)
#define RP_NLA_F_NESTED 0x8000u
#define RP_NLA_TYPE_MASK 0x3fffu

/* memcpy-based accessors: capture buffers promise no alignment. */
static inline uint16_t rp_get16(const uint8_t *p, int swap)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return swap ? __builtin_bswap16(v) : v;
}

static inline uint32_t rp_get32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static inline uint16_t rp_be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline void rp_put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void rp_put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void rp_put_be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* Swap in place the 2- or 4-byte field at p. */
static inline void rp_swap16(uint8_t *p) { rp_put16(p, rp_get16(p, 1)); }
static inline void rp_swap32(uint8_t *p) { rp_put32(p, rp_get32(p, 1)); }

/* Swap only the 16-byte nlmsghdr of a message (families the reader does
 * not know the payload of). */
void rp_swap_nlmsghdr(uint8_t *p);

/* The request table (match.c): a fixed number of slots. */
struct rp_slot {
	struct ctnl_pcap_req req;
	uint64_t age;                      /* when it was added; 0: free */
};

struct rp_table {
	struct rp_slot *slot;
	uint32_t n;                        /* slots */
	uint32_t last;                     /* the slot the last reply matched (dumps hit it again) */
	uint64_t clock;
};

int rp_table_init(struct rp_table *t, uint32_t n);
void rp_table_free(struct rp_table *t);
/* Remember a request; returns 1 if an unanswered one was evicted. */
int rp_table_add(struct rp_table *t, const struct ctnl_pcap_req *req);
/* The newest request with this seq whose pid is 0 or equal; NULL if none. */
struct rp_slot *rp_table_find(struct rp_table *t, uint32_t seq, uint32_t pid);
/* Forget a request (answered in full). */
static inline void rp_table_drop(struct rp_slot *s) { s->age = 0; }

/* The kind of a message from its type alone (match.c). */
enum ctnl_pcap_kind rp_kind_of_type(uint16_t type, int nlerr_code);

/* Fill a reader error. */
int rp_err(struct ctnl_pcap_err *err, int code, enum ctnl_pcap_fault fault, uint64_t record, uint32_t msg_index,
	   uint32_t offset, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

#endif
