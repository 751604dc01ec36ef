/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CTNL_CTNL_H
#define CTNL_CTNL_H

/* Umbrella header: the pure codec. */
#include <ctnl/attr.h>
#include <ctnl/ct.h>
#include <ctnl/msg.h>
#include <ctnl/render.h>
#include <ctnl/exp.h>
#include <ctnl/stats.h>
#include <ctnl/filter.h>
#include <ctnl/bpf.h>

#endif
