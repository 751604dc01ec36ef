/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "st.h"

const struct st_scenario st_fam_helper[] = {
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
