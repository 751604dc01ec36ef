/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_FILTER_H
#define CTNL_FILTER_H
/* placeholder: filled by the issue that owns it */
#endif
