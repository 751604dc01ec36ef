#!/bin/bash -eu
# SPDX-License-Identifier: LGPL-2.1-or-later
# ClusterFuzzLite runs this inside .clusterfuzzlite/Dockerfile's image.
exec bash "$SRC/ctnl/fuzz/oss-fuzz/build.sh"
