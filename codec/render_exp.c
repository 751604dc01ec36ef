/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* placeholder: filled by the issue that owns it */
