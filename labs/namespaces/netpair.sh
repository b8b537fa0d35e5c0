#!/usr/bin/env bash
# netpair.sh - two network namespaces joined by a veth pair, and a ping from one to the other.
#
# Mechanism: network namespaces. Each has its own interfaces, addresses, routes and firewall;
# a new one holds only "lo", down. A veth pair is a virtual cable: what goes in one end comes
# out of the other, and each end can be moved into a different namespace (Docker's bridge
# network is this, with the host ends on a bridge).
# What it does: creates namespaces cseclab-a and cseclab-b, a veth pair with one end in each,
# addresses 192.0.2.1 and 192.0.2.2 (TEST-NET-1), pings across, removes everything on exit.
# Outcome: exit 0 and "netpair: ping cseclab-a -> cseclab-b: 3 sent, 3 received"; 77 without
# root, ip(8) or veth (CONFIG_VETH). Read next: network_namespaces(7), veth(4), ip-netns(8).
set -euo pipefail

A=cseclab-a
B=cseclab-b
COUNT=3

case ${1:-} in
-h | --help)
	echo "Usage: labs/namespaces/netpair.sh"
	echo "Two network namespaces, a veth pair between them, a ping across; all removed on exit."
	exit 0
	;;
'') ;;
*)
	echo "netpair: unexpected argument '$1'" >&2
	echo "Try 'labs/namespaces/netpair.sh --help' for more information." >&2
	exit 2
	;;
esac

cannot() {
	echo "netpair: cannot run here: $1" >&2
	[ -z "${2:-}" ] || echo "netpair: hint: $2" >&2
	exit 77
}
[ "$(id -u)" -eq 0 ] || cannot "needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN)" "run it with sudo"
command -v ip >/dev/null || cannot "ip(8) is not installed" "apt-get install iproute2"
command -v ping >/dev/null || cannot "ping is not installed" "apt-get install iputils-ping"

cleanup() {
	ip netns del "$A" 2>/dev/null || true
	ip netns del "$B" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ip netns add "$A"
ip netns add "$B"
echo "netpair: $A has: $(ip -n "$A" -br link | awk '{print $1, $2}' | paste -sd, -)"

# One end is created directly in each namespace; the host never sees them.
if ! err=$(ip link add cseclab-va netns "$A" type veth peer name cseclab-vb netns "$B" 2>&1); then
	case $err in
	*"Unknown device type"* | *"not supported"*) cannot "the kernel has no veth: $err" "CONFIG_VETH (modprobe veth)" ;;
	*) echo "netpair: ip link add veth: $err" >&2; exit 1 ;;
	esac
fi
ip -n "$A" addr add 192.0.2.1/24 dev cseclab-va
ip -n "$B" addr add 192.0.2.2/24 dev cseclab-vb
for ns in "$A" "$B"; do
	ip -n "$ns" link set lo up
done
ip -n "$A" link set cseclab-va up
ip -n "$B" link set cseclab-vb up
echo "netpair: $A cseclab-va 192.0.2.1 <-> $B cseclab-vb 192.0.2.2"
echo "netpair: the host's namespace has no cseclab-va: $(ip link show cseclab-va >/dev/null 2>&1 && echo no || echo yes)"

out=$(ip netns exec "$A" ping -c "$COUNT" -i 0.2 -W 2 192.0.2.2 2>&1) || true
received=$(sed -n 's/.* \([0-9]\+\) \(packets \)\?received.*/\1/p' <<<"$out")
echo "netpair: ping $A -> $B: $COUNT sent, ${received:-0} received"
[ "${received:-0}" -eq "$COUNT" ] || { echo "$out" >&2; exit 1; }
