#!/bin/sh
# The Linux guest's images, from Debian's archive only:
#
#   scripts/guest-linux.sh OUTDIR
#
# writes OUTDIR/Image (Debian's current arm64 kernel, as a raw arm64 Image),
# OUTDIR/initrd.cpio.gz (busybox-static for arm64 with an /init that mounts
# proc, sys and dev, prints a banner, loads the kernel's modules for a
# virtio-mmio disk with an ext2/ext4 file system, and starts a shell on the
# console) and OUTDIR/version (the kernel package and version). With
# partita.bench in the kernel's command line, /init prints the virtual
# counter after the banner (bench/linux-counter.c, built here with the
# cross compiler) and powers off: make bench times the boot with it. The
# packages come with `apt-get download` (the arm64 architecture is added by
# scripts/deps.sh);
# what was downloaded once is kept in OUTDIR/debs and not fetched again.
# Exit status 2 means the packages could not be downloaded (no network, no
# arm64 architecture): the Linux tests skip on that and only on that.
set -eu

OUT=${1:?usage: guest-linux.sh OUTDIR}
TOP=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUT/debs"
OUT=$(cd "$OUT" && pwd)
DEBS="$OUT/debs"

fetch() {
	# apt fetches as user _apt, which must be able to write the directory.
	chmod 755 "$DEBS"
	if ! (cd "$DEBS" && apt-get download -q "$@" >&2); then
		echo "guest-linux: apt-get download $* failed (no network, or no" >&2
		echo "guest-linux: 'dpkg --add-architecture arm64' and 'apt-get update' yet:" >&2
		echo "guest-linux: scripts/deps.sh does both)" >&2
		exit 2
	fi
}

# The metapackage names the current kernel package: linux-image-<abi>-arm64.
if ! ls "$DEBS"/linux-image-arm64_*_arm64.deb >/dev/null 2>&1; then
	fetch linux-image-arm64:arm64
fi
meta=$(ls "$DEBS"/linux-image-arm64_*_arm64.deb | tail -n 1)
kpkg=$(dpkg-deb -f "$meta" Depends | tr ',' '\n' | sed -n 's/^ *\(linux-image-[0-9][^ ]*-arm64\).*/\1/p' | head -n 1)
if [ -z "$kpkg" ]; then
	echo "guest-linux: $meta names no linux-image-*-arm64 package" >&2
	exit 1
fi
if ! ls "$DEBS/${kpkg}"_*_arm64.deb >/dev/null 2>&1; then
	fetch "$kpkg:arm64"
fi
if ! ls "$DEBS"/busybox-static_*_arm64.deb >/dev/null 2>&1; then
	fetch busybox-static:arm64
fi
kdeb=$(ls "$DEBS/${kpkg}"_*_arm64.deb | tail -n 1)
bdeb=$(ls "$DEBS"/busybox-static_*_arm64.deb | tail -n 1)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The kernel: /boot/vmlinuz-* is an arm64 Image, gzip-compressed in recent
# Debian packages; Partita (like QEMU's -kernel for an Image) wants it raw.
dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*'
vmlinuz=$(ls "$tmp"/boot/vmlinuz-* | head -n 1)
if [ "$(head -c 2 "$vmlinuz" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
	gzip -dc <"$vmlinuz" >"$tmp/Image"
else
	cp "$vmlinuz" "$tmp/Image"
fi
if [ "$(dd if="$tmp/Image" bs=1 skip=56 count=4 2>/dev/null)" != "$(printf 'ARM\144')" ]; then
	echo "guest-linux: $vmlinuz is not an arm64 Image" >&2
	exit 1
fi

# The initramfs: busybox and an /init, packed by scripts/mkcpio.py (no root
# needed for /dev/console, and the archive is the same on every build).
dpkg-deb --fsys-tarfile "$bdeb" | tar -x -C "$tmp" ./bin/busybox
root="$tmp/root"
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" "$root/root" "$root/mnt"
cp "$tmp/bin/busybox" "$root/bin/busybox"
${CROSS:-aarch64-linux-gnu-}gcc -std=gnu11 -O2 -Wall -Wextra -static -nostdlib -ffreestanding \
	-fno-pie -no-pie -fno-stack-protector -s -Wl,--build-id=none \
	-o "$root/bin/partita-counter" "$TOP/bench/linux-counter.c"
# Debian builds virtio-mmio, virtio-blk and ext4 as modules: what a VM given
# a virtio disk (guests/linux-disk.dts) needs to mount it, in load order
# (each after those it depends on; ext4 asks the crypto API for crc32c).
MODULES="lib/crc16 crypto/crc32c_generic fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4 drivers/virtio/virtio_mmio drivers/block/virtio_blk"
kdir=$(dpkg-deb -c "$kdeb" | sed -n 's|.*\./lib/modules/\([^/]*\)/kernel/$|\1|p' | head -n 1)
mkdir -p "$root/lib/modules"
dpkg-deb --fsys-tarfile "$kdeb" |
	tar -x -C "$tmp" $(for m in $MODULES; do echo "./lib/modules/$kdir/kernel/$m.ko"; done)
for m in $MODULES; do
	cp "$tmp/lib/modules/$kdir/kernel/$m.ko" "$root/lib/modules/"
	printf '%s\n' "${m##*/}" >>"$root/lib/modules/order"
done
cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "Partita guest: Linux $(uname -r) up, $(nproc) CPUs"
# make bench boots with partita.bench: the counter at the banner, then off.
read -r cmdline </proc/cmdline
case " $cmdline " in
*" partita.bench "*)
	partita-counter
	poweroff -f
	;;
esac
# After the banner, which the benchmark times. A disk shows up as /dev/vda.
for m in $(cat /lib/modules/order); do
	insmod /lib/modules/$m.ko || echo "Partita guest: cannot load module $m"
done
[ -b /dev/vda ] && echo "Partita guest: a disk, /dev/vda: mount /dev/vda /mnt"
export HOME=/root PS1='# '
cd /root
# A controlling terminal, so that Ctrl-C reaches the shell's jobs.
while true; do
	setsid cttyhack sh
	echo "Partita guest: the shell exited; starting another"
done
EOF
chmod 755 "$root/init"
python3 "$TOP/scripts/mkcpio.py" "$root" "$tmp/initrd.cpio"
gzip -n -9 <"$tmp/initrd.cpio" >"$tmp/initrd.cpio.gz"

kver=$(dpkg-deb -f "$kdeb" Version)
bver=$(dpkg-deb -f "$bdeb" Version)
mv "$tmp/Image" "$OUT/Image"
mv "$tmp/initrd.cpio.gz" "$OUT/initrd.cpio.gz"
printf '%s %s\nbusybox-static %s\n' "$kpkg" "$kver" "$bver" >"$OUT/version"
echo "guest-linux: $OUT/Image ($kpkg $kver), $OUT/initrd.cpio.gz (busybox-static $bver)"
