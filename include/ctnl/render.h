/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_RENDER_H
#define CTNL_RENDER_H

/*
 * Text forms of decoded messages, written into caller buffers (no
 * allocation, no I/O, no clock: the caller passes "now").
 */

#include <stddef.h>
#include <stdint.h>

#include <ctnl/ct.h>
#include <ctnl/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/* conntrack(8) -o options, and how the entry reached us. */
#define CTNL_OUT_EXTENDED   0x01u /* -o extended: "ipv4     2 " before the protocol */
#define CTNL_OUT_ID         0x02u /* -o id: " id=N" */
#define CTNL_OUT_KTIMESTAMP 0x04u /* -o ktimestamp: [start=...] [stop=...] instead of delta-time */
#define CTNL_OUT_LABELS     0x08u /* -o labels (or a label filter): " labels=a,b" */
#define CTNL_OUT_EVENT      0x10u /* the line conntrack -E prints: "    [NEW] ", " [UPDATE] ", "[DESTROY] " */

/* Size-tagged so that fields can be added without breaking callers. */
struct ctnl_render_opts {
	size_t size;                       /* sizeof(struct ctnl_render_opts) */
	unsigned flags;                    /* CTNL_OUT_* */
	int64_t now;                       /* seconds since the epoch, for delta-time */
	const char *const *label_names;    /* label bit -> name (connlabel.conf), NULL entries allowed */
	unsigned nlabels;                  /* entries in label_names */
	int tz_offset;                     /* seconds east of UTC, for ktimestamp dates (conntrack uses localtime) */
};

/**
 * ctnl_ct_is_event - does this message come from an event group?
 * @hdr: a decoded kernel->user header
 *
 * Dump and get replies carry NLM_F_MULTI (the kernel sets it whenever the
 * destination port id is not 0); events are multicast and never do.
 *
 * Return: 1 for an event, 0 otherwise.
 */
CTNL_EXPORT int ctnl_ct_is_event(const struct ctnl_msg *hdr);

/**
 * ctnl_ct_snprintf - the line conntrack(8) 1.4.7 prints for an entry
 * @buf: output, always NUL-terminated when @len > 0; no newline
 * @len: size of @buf
 * @m: the decoded message
 * @o: options (NULL: defaults, listing form)
 *
 * Return: the length the full line needs, as snprintf.
 */
CTNL_EXPORT int ctnl_ct_snprintf(char *buf, size_t len, const struct ctnl_ct_msg *m,
				 const struct ctnl_render_opts *o);

/**
 * ctnl_ct_json - one JSON object for a message (schema in docs/json.md)
 * @buf: output, always NUL-terminated when @len > 0; no newline
 * @len: size of @buf
 * @m: the decoded message
 * @o: options (labels names, now); NULL for defaults
 *
 * Return: the length the full object needs, as snprintf.
 */
CTNL_EXPORT int ctnl_ct_json(char *buf, size_t len, const struct ctnl_ct_msg *m, const struct ctnl_render_opts *o);

#ifdef __cplusplus
}
#endif

#endif
