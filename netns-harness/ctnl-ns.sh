# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# ctnl-ns.sh: throwaway network namespaces for ctnl's live tests and for
# recording fixtures. Source it from bash:
#
#   . netns-harness/ctnl-ns.sh
#   ctnl_ns_require            # exit 77 (skip) unless root + ip/nft/conntrack + netns
#   ctnl_ns_init               # installs the EXIT/INT/TERM cleanup traps
#   ctnl_ns_create             # sets CTNL_NS=ctnl-test-$$-N, lo up, conntrack on
#   ctnl_ns_exec "$CTNL_NS" cmd args...
#   ctnl_ns_bg "$CTNL_NS" cmd args...        # background; pid in CTNL_NS_LAST_PID
#   ctnl_ns_sysctl "$CTNL_NS" net.netfilter.nf_conntrack_acct=1
#   ctnl_ns_nft "$CTNL_NS" <<'EOF' ... EOF   # load an nft ruleset (stdin)
#   ctnl_ns_exec_labels "$CTNL_NS" conntrack -L -o labels
#
# Nothing here touches the host's conntrack table or firewall: every
# command runs inside a namespace this file created, and everything it
# created (namespaces, background processes, temp dirs) is removed on
# exit, on failure and on Ctrl-C.
#
# Labels: conntrack(8) 1.4.7 reads label names only from the fixed path
# /etc/xtables/connlabel.conf. ctnl_ns_exec_labels provides that file
# without editing the host's /etc: it runs the command in a private mount
# namespace where a read-only overlay puts our connlabel.conf on top of
# /etc. The label names used by the tests are in CTNL_NS_CONNLABELS.

CTNL_NS_LIST=()
CTNL_NS_PIDS=()
CTNL_NS_SEQ=0
CTNL_NS_TMP=
CTNL_NS=
CTNL_NS_LAST_PID=
CTNL_NS_CONNLABELS='0 green
1 blue
2 red
3 yellow
64 sixtyfour
127 last'

# Skip (exit 77, the meson/automake "skipped" code) with a reason.
ctnl_ns_skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# Exit 77 unless everything a live test needs is here.
ctnl_ns_require() {
	local t
	[ "$(id -u)" = 0 ] || ctnl_ns_skip "not root (network namespaces need CAP_SYS_ADMIN)"
	for t in ip nft conntrack "$@"; do
		command -v "$t" >/dev/null 2>&1 || ctnl_ns_skip "'$t' not found in PATH"
	done
	local probe="ctnl-probe-$$"
	if ! ip netns add "$probe" 2>/dev/null; then
		ctnl_ns_skip "cannot create a network namespace (ip netns add failed)"
	fi
	if ! ip netns exec "$probe" conntrack -L >/dev/null 2>&1; then
		ip netns del "$probe" 2>/dev/null
		ctnl_ns_skip "conntrack -L does not work inside a namespace (no ctnetlink?)"
	fi
	ip netns del "$probe" 2>/dev/null
	return 0
}

ctnl_ns_tmpdir() {
	if [ -z "$CTNL_NS_TMP" ]; then
		CTNL_NS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ctnl-ns.$$.XXXXXX") || {
			echo "ctnl-ns: mktemp failed" >&2
			exit 1
		}
	fi
	printf '%s\n' "$CTNL_NS_TMP"
}

ctnl_ns_init() {
	trap 'ctnl_ns_cleanup' EXIT
	trap 'echo "ctnl-ns: interrupted" >&2; exit 130' INT
	trap 'echo "ctnl-ns: terminated" >&2; exit 143' TERM
	trap 'exit 129' HUP
	ctnl_ns_tmpdir >/dev/null
}

# Kill a process by its pid, politely first.
ctnl_ns_kill_pid() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# Remove one namespace: first every process still living in it, then it.
ctnl_ns_destroy() {
	local ns=$1 pid
	ip netns list 2>/dev/null | awk '{print $1}' | grep -qx -- "$ns" || return 0
	for pid in $(ip netns pids "$ns" 2>/dev/null); do
		ctnl_ns_kill_pid "$pid"
	done
	ip netns del "$ns" 2>/dev/null || echo "ctnl-ns: could not delete namespace $ns" >&2
}

ctnl_ns_cleanup() {
	local rc=$? pid ns
	trap - EXIT INT TERM HUP
	for pid in "${CTNL_NS_PIDS[@]}"; do
		ctnl_ns_kill_pid "$pid"
	done
	CTNL_NS_PIDS=()
	for ns in "${CTNL_NS_LIST[@]}"; do
		ctnl_ns_destroy "$ns"
	done
	CTNL_NS_LIST=()
	if [ -n "$CTNL_NS_TMP" ] && [ -d "$CTNL_NS_TMP" ]; then
		rm -rf -- "$CTNL_NS_TMP"
	fi
	CTNL_NS_TMP=
	exit "$rc"
}

# Create a namespace, bring lo up and turn conntrack on for ip and ip6
# (a ct expression in an inet table makes the kernel track the netns).
# Sets CTNL_NS to its name.
ctnl_ns_create() {
	CTNL_NS_SEQ=$((CTNL_NS_SEQ + 1))
	local ns="ctnl-test-$$-$CTNL_NS_SEQ"
	ip netns add "$ns" || { echo "ctnl-ns: ip netns add $ns failed" >&2; return 1; }
	CTNL_NS_LIST+=("$ns")
	ip -n "$ns" link set lo up || return 1
	ctnl_ns_nft "$ns" <<-'EOF' || return 1
	table inet ctnl_track {
		chain pre {
			type filter hook prerouting priority 0;
			ct state new counter
		}
		chain out {
			type filter hook output priority 0;
			ct state new counter
		}
	}
	EOF
	CTNL_NS=$ns
}

# Run a command inside a namespace.
ctnl_ns_exec() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# Start a command in the background inside a namespace. The pid goes to
# CTNL_NS_LAST_PID and is killed at cleanup.
ctnl_ns_bg() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@" &
	CTNL_NS_LAST_PID=$!
	CTNL_NS_PIDS+=("$CTNL_NS_LAST_PID")
}

# Stop one background process started with ctnl_ns_bg.
ctnl_ns_stop() {
	ctnl_ns_kill_pid "$1"
}

ctnl_ns_sysctl() {
	local ns=$1 kv
	shift
	for kv in "$@"; do
		ip netns exec "$ns" sysctl -q -w "$kv" >/dev/null || {
			echo "ctnl-ns: sysctl $kv failed in $ns" >&2
			return 1
		}
	done
}

# Load an nft ruleset (read from stdin) into the namespace.
ctnl_ns_nft() {
	local ns=$1
	ip netns exec "$ns" nft -f - || { echo "ctnl-ns: nft ruleset failed in $ns" >&2; return 1; }
}

# Two namespaces' veth pair: ctnl_ns_veth NS_A ADDR_A NS_B ADDR_B (CIDR,
# e.g. 10.99.0.1/24). IPv6 addresses may follow as 5th/6th arguments.
ctnl_ns_veth() {
	local a=$1 aaddr=$2 b=$3 baddr=$4 a6=${5:-} b6=${6:-}
	ip -n "$a" link add veth0 type veth peer name veth1 netns "$b" || return 1
	ip -n "$a" addr add "$aaddr" dev veth0 || return 1
	ip -n "$b" addr add "$baddr" dev veth1 || return 1
	if [ -n "$a6" ]; then
		ip -n "$a" addr add "$a6" dev veth0 nodad || return 1
		ip -n "$b" addr add "$b6" dev veth1 nodad || return 1
	fi
	ip -n "$a" link set veth0 up || return 1
	ip -n "$b" link set veth1 up || return 1
}

# The directory holding etc/xtables/connlabel.conf for the overlay.
ctnl_ns_connlabel_dir() {
	local d
	d="$(ctnl_ns_tmpdir)/connlabel"
	if [ ! -f "$d/xtables/connlabel.conf" ]; then
		mkdir -p "$d/xtables" || return 1
		printf '%s\n' "$CTNL_NS_CONNLABELS" >"$d/xtables/connlabel.conf" || return 1
	fi
	printf '%s\n' "$d"
}

# Run a command in the namespace with /etc/xtables/connlabel.conf present,
# through a private mount namespace and a read-only overlay on /etc. The
# host's /etc is not modified. Falls back to a plain exec (with a warning)
# if the overlay cannot be mounted.
ctnl_ns_exec_labels() {
	local ns=$1 d
	shift
	command -v unshare >/dev/null 2>&1 || { echo "ctnl-ns: unshare missing, labels unnamed" >&2; ip netns exec "$ns" "$@"; return; }
	d=$(ctnl_ns_connlabel_dir) || return 1
	# shellcheck disable=SC2016
	unshare -m --propagation private bash -c '
		d=$1 ns=$2; shift 2
		mount -t overlay ctnl-etc -o "lowerdir=$d:/etc" /etc || exit 125
		exec ip netns exec "$ns" "$@"
	' ctnl-labels "$d" "$ns" "$@"
}
