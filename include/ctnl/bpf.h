/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_BPF_H
#define CTNL_BPF_H
/* placeholder: filled by the issue that owns it */
#endif
