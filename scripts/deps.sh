#!/bin/sh
# Install what Partita needs to build, run and test, from Debian's packages
# only. Idempotent and non-interactive: packages already present are skipped.
set -eu

PKGS="make gcc gcc-aarch64-linux-gnu device-tree-compiler libfdt-dev \
qemu-system-arm u-boot-qemu libcmocka-dev python3-pytest clang lld \
clang-format cppcheck e2fsprogs u-boot-tools mtools"

# libfdt-dev:arm64 conflicts with the host's libfdt-dev (the two are not
# co-installable), so the target library is unpacked from Debian's arm64
# package into the source tree instead of being installed.
TOP=$(cd "$(dirname "$0")/.." && pwd)
FDT_ARM64="$TOP/.deps/libfdt-arm64"

if [ ! -r /etc/debian_version ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: this is not a Debian system; install these packages (or your" >&2
	echo "deps: distribution's equivalents) and run make again:" >&2
	for p in $PKGS; do echo "  $p" >&2; done
	exit 1
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
	SUDO="sudo"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed'; then
		missing="$missing $p"
	fi
done

need_fdt=0
[ -f "$FDT_ARM64/usr/lib/aarch64-linux-gnu/libfdt.a" ] || need_fdt=1

# --check: only say (by the exit status) whether anything is missing.
if [ "${1:-}" = "--check" ]; then
	[ -z "$missing" ] && [ $need_fdt = 0 ]
	exit
fi

if [ -z "$missing" ] && [ $need_fdt = 0 ]; then
	echo "deps: everything is installed"
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
	updated=0
fi
if [ -n "$missing" ] || [ "${updated:-1}" = 0 ]; then
	$SUDO apt-get update -q
fi
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -q --no-install-recommends $missing
fi
if [ $need_fdt = 1 ]; then
	echo "deps: unpacking libfdt-dev:arm64 into $FDT_ARM64"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	chmod 755 "$tmp" # apt fetches as user _apt
	(cd "$tmp" && apt-get download -q libfdt-dev:arm64 2>&1 ||
		{ $SUDO apt-get update -q && apt-get download -q libfdt-dev:arm64; })
	rm -rf "$FDT_ARM64"
	mkdir -p "$FDT_ARM64"
	dpkg-deb -x "$tmp"/libfdt-dev_*_arm64.deb "$FDT_ARM64"
fi
echo "deps: done"
