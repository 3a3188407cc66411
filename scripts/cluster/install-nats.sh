#!/usr/bin/env bash
# Unpacks Debian 13's nats-server (2.10.x) into .cache/nats/ without touching the system's apt
# setup: Debian 12 ships 2.9.10, which was seen losing the head of a re-created stream after a
# kill/restart (issue 19). Idempotent: does nothing when the binary is already there.
# Prints the binary's path on its last line.
set -euo pipefail

NATS_VERSION="2.10.27"
DEB_NAME="nats-server_${NATS_VERSION}-1+b2_amd64.deb"
DEB_URL="http://deb.debian.org/debian/pool/main/n/nats-server/${DEB_NAME}"
DEB_SHA256="6d913ac987b78734c08537c2adeb1526cf735f216173a9170d94b185fcfe6f8a"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache_dir="${PERPX_NATS_CACHE:-$repo_root/.cache/nats}"
binary="$cache_dir/usr/sbin/nats-server"

if [[ -x "$binary" ]] && "$binary" --version 2>/dev/null | grep -q "v${NATS_VERSION}"; then
  echo "$binary"
  exit 0
fi

mkdir -p "$cache_dir"
deb="$cache_dir/$DEB_NAME"
if [[ ! -f "$deb" ]] || ! echo "$DEB_SHA256  $deb" | sha256sum --check --status; then
  echo "downloading $DEB_URL" >&2
  curl --fail --silent --show-error --location --retry 3 --output "$deb.part" "$DEB_URL"
  mv "$deb.part" "$deb"
fi
if ! echo "$DEB_SHA256  $deb" | sha256sum --check --status; then
  echo "checksum mismatch for $deb (expected $DEB_SHA256); refusing to unpack" >&2
  rm -f "$deb"
  exit 1
fi
dpkg-deb -x "$deb" "$cache_dir"
"$binary" --version >&2
echo "$binary"
