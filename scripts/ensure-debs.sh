#!/usr/bin/env bash
# Install the Debian packages named as arguments that are not installed yet.
#
#   scripts/ensure-debs.sh PACKAGE...
#
# Runs `apt-get update` once, and only when something is missing. Needs root; as anybody
# else it only lists what is missing (and fails, so that the caller's user sees why).
set -euo pipefail

missing=()
for package in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null || true)
    if [ "${status:0:2}" != "ii" ]; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them (sudo apt-get install ${missing[*]}) or run this as root." >&2
    exit 1
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
