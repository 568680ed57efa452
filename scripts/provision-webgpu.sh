#!/usr/bin/env bash
# Installs a Vulkan software driver (Mesa lavapipe) that Dawn accepts, so `--backend webgpu` has an adapter on a
# machine without a GPU. Good for testing the WebGPU kernels, never for speed (docs/limits.md).
# Debian 12 (bookworm) ships Mesa 22.3, which Dawn rejects (it lacks shaderUniform*ArrayDynamicIndexing), so the
# driver comes from bookworm-backports (Mesa 25); Debian 13 and later ship a recent enough Mesa.
# Idempotent and quiet when an accepted driver is already installed. Needs root and apt; exits 0 with one line
# saying why when it cannot provision (then the webgpu tests report the missing adapter).
set -euo pipefail

say() { echo "provision-webgpu: $*"; }

# apt's output only when it fails
quietly() {
  local log
  log="$(mktemp)"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    say "'$*' failed; webgpu will have no adapter"
    exit 0
  fi
  rm -f "$log"
}

mesa_major() {
  dpkg-query -W -f='${Status} ${Version}\n' mesa-vulkan-drivers 2>/dev/null |
    awk '$3 == "installed" { split($4, v, /[.:~+-]/); print (v[1] ~ /^[0-9]+$/ && v[1] > 3) ? v[1] : v[2]; exit }'
}

if ! command -v apt-get >/dev/null 2>&1 || [ ! -r /etc/os-release ]; then
  say "not a Debian-family system; install a Vulkan driver (Mesa >= 23 lavapipe, or a GPU's) yourself"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  say "needs root (apt-get); run it as root or install mesa-vulkan-drivers (Mesa >= 23) yourself"
  exit 0
fi

major="$(mesa_major || true)"
if [ -n "$major" ] && [ "$major" -ge 23 ]; then
  exit 0
fi

. /etc/os-release
export DEBIAN_FRONTEND=noninteractive
case "${VERSION_CODENAME:-}" in
  bookworm)
    src=/etc/apt/sources.list.d/grokscape-bookworm-backports.sources
    if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      base=/etc/apt/sources.list.d/debian.sources
      uris="$(awk '/^URIs:/ && /debian\/?$/ && !/security/ { print $2; exit }' "$base" 2>/dev/null || true)"
      keyring="$(awk '/^Signed-By:/ { print $2; exit }' "$base" 2>/dev/null || true)"
      printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' \
        "${uris:-http://deb.debian.org/debian}" "${keyring:-/usr/share/keyrings/debian-archive-keyring.gpg}" >"$src"
    fi
    quietly apt-get update -qq
    quietly apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers
    ;;
  *)
    quietly apt-get update -qq
    quietly apt-get install -y -qq mesa-vulkan-drivers
    ;;
esac
major="$(mesa_major || true)"
if [ -n "$major" ] && [ "$major" -ge 23 ]; then
  say "installed Mesa ${major} lavapipe (software Vulkan: a WebGPU adapter for tests, not for speed)"
else
  say "Mesa ${major:-none} installed, too old for Dawn (needs >= 23); webgpu will have no adapter"
fi
