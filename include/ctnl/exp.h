/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_EXP_H
#define CTNL_EXP_H
/* placeholder: filled by the issue that owns it */
#endif
