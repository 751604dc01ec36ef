/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_STATS_H
#define CTNL_STATS_H
/* placeholder: filled by the issue that owns it */
#endif
