#!/usr/bin/env bash
# Each injected fault makes its scenario FAIL, the report names the
# capture, and replaying that capture shows the same difference again.
. "$(dirname "$0")/common.sh"

check_fault() {	# fault scenario pattern-in-live-replay
	local fault=$1 sc=$2 want=$3 out cap
	out="$WORK/$fault"
	"$CTNL" selftest --filter "$sc" --inject-fault "$fault" --captures "$WORK/cap-$fault" >"$out.tap" 2>&1
	[ $? = 1 ] || { cat "$out.tap"; fail "$fault: exit status is not 1"; }
	grep -q "^not ok 1 $sc\$" "$out.tap" || { cat "$out.tap"; fail "$fault: $sc is not reported as failing"; }
	cap="$WORK/cap-$fault/$sc.pcap"
	grep -qF "capture $cap" "$out.tap" || fail "$fault: the report does not name $cap"
	[ -s "$cap" ] && [ -s "$cap.fail" ] || fail "$fault: no capture or notes"
	"$CTNL" selftest --replay "$cap" --live >"$out.replay" 2>&1
	grep -qE -- "$want" "$out.replay" || { cat "$out.replay"; fail "$fault: the replay does not show /$want/"; }
	# ctnl replay (tools/cmd_replay.c) reads the same capture, and this
	# kernel answers as recorded: no difference on what the check saw
	"$CTNL" replay "$cap" >"$out.ctnl-replay" 2>&1
	grep -q "requests replayed" "$out.ctnl-replay" || { cat "$out.ctnl-replay"; fail "$fault: ctnl replay"; }
	if [ -n "${4:-}" ] && grep -qE -- "$4" "$out.ctnl-replay"; then
		cat "$out.ctnl-replay"; fail "$fault: ctnl replay finds /$4/ answered differently"
	fi
	echo "ok: $fault -> $sc FAIL; replay shows /$want/; ctnl replay: $(tail -1 "$out.ctnl-replay" | sed 's/.*: //')"
}

# the kernel still answers mark 0x11 where the check wants 0x12
check_fault mark-value attr.mark.ctnetlink 'now: .*mark=17 ' '[ .]mark: recorded'
# the creation of an existing entry still gets EEXIST where ENOENT is wanted
check_fault exist-errno errors.create-exists 'File exists'
# replies dropped: the recorded dump shows the entry that never became
# ESTABLISHED; whether it is still half open (SYN_RECV) or already closed
# by the client's give-up depends on timing, so either is the fault's mark
check_fault drop-reply proto.tcp.v4.states '<-kernel CT_NEW .* (SYN_RECV|SYN_SENT|CLOSE) .*dport=8000'
echo "PASS"
