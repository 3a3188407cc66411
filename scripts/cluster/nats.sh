#!/usr/bin/env bash
# A 3-node NATS JetStream cluster on loopback: nats.sh start|stop|status <dir> [basePort].
# Ports: clients base..base+2, routes base+10.., monitoring base+20.. (base defaults to 14222).
# `start` installs nats-server 2.10 if needed, starts the nodes detached and returns once every
# node reports JetStream enabled and one meta leader; it prints the client URLs.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ "${1:-}" == "start" ]]; then
  PERPX_NATS_SERVER="$(bash "$repo_root/scripts/cluster/install-nats.sh" | tail -n 1)"
  export PERPX_NATS_SERVER
fi
exec node --import tsx "$repo_root/scripts/cluster/nats.ts" "$@"
