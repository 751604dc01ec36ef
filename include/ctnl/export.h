/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_EXPORT_H
#define CTNL_EXPORT_H

/* The library is built with -fvisibility=hidden; only what carries this
 * macro (and is listed in libctnl.map) is part of the ABI. */
#if defined(CTNL_BUILDING) && defined(__GNUC__)
#define CTNL_EXPORT __attribute__((visibility("default")))
#else
#define CTNL_EXPORT
#endif

#endif
