# shellcheck shell=bash
# Shared by the 'kernel' suite's scripts: the skip rule and a scratch dir.
set -u
CTNL=${1:?usage: $0 PATH-TO-ctnl}
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || skip "not root (ctnl selftest makes network namespaces)"
for t in ip nft; do command -v "$t" >/dev/null 2>&1 || skip "'$t' not found"; done
unshare -n true 2>/dev/null || skip "cannot make a network namespace (unshare -n)"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ctnl-kernel-test.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
