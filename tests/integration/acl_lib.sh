# SPDX-License-Identifier: Apache-2.0
# Helpers of the ACL integration tests (sourced after lib.sh): TCP servers and clients in
# namespace hosts, written in Python (no netcat on the test hosts).

# acl_serve <host> <port...>: a TCP server in netns ${LIG_PREFIX}<host> on each port that
# answers every connection with "ok <port>"; killed at cleanup with the test's processes.
acl_serve() {
	local host=$1; shift
	ip netns exec "${LIG_PREFIX}$host" python3 -c '
import socket, sys, threading
def serve(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port))
    s.listen(64)
    while True:
        c, _ = s.accept()
        try:
            c.sendall(b"ok %d\n" % port)
        finally:
            c.close()
for p in sys.argv[1:]:
    threading.Thread(target=serve, args=(int(p),), daemon=True).start()
threading.Event().wait()
' "$@" >/dev/null 2>&1 &
	LIG_PIDS+=("$!")
	# Until every port listens.
	for _ in $(seq 50); do
		local all=1 p
		for p in "$@"; do
			ip netns exec "${LIG_PREFIX}$host" ss -ltn "sport = :$p" | grep -q LISTEN || all=0
		done
		[ $all = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

# acl_tcp <host> <dst> <port> [timeout]: connects from netns ${LIG_PREFIX}<host>; succeeds
# if the server's "ok <port>" comes back within the timeout (default 2 s).
acl_tcp() {
	ip netns exec "${LIG_PREFIX}$1" python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3]))
s.settimeout(float(sys.argv[3]))
d = s.recv(100)
sys.exit(0 if d.startswith(b"ok " + sys.argv[2].encode()) else 1)
' "$2" "$3" "${4:-2}"
}

# acl_no_tcp <host> <dst> <port>: succeeds if the connection does NOT get through (1 s).
acl_no_tcp() {
	! acl_tcp "$1" "$2" "$3" 1
}

# acl_hits <ctl-name> <acl> <rule>: prints the rule's hit count from show acl-plugin acl.
acl_hits() {
	lig_ctl "$1" show acl-plugin acl index "$2" |
		awk -v r="$3:" '$1 == r { for (i = 1; i < NF; i++) if ($i == "hits") print $(i + 1) }'
}
