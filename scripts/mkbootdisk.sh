#!/bin/sh
# Make a disk image as a board's SD card holds U-Boot's boot files, without
# root: an MBR with one FAT32 partition, marked bootable (U-Boot's distro
# boot scans the bootable partitions), starting at 1 MiB, holding the given
# files. mtools writes the file system into the image at the partition's
# offset; the MBR is written here.
#
#   scripts/mkbootdisk.sh OUT FILE|NAME=FILE...
#
# Each FILE goes in the partition's root directory under its base name, or
# under NAME.
#
# The partition is sized to the files with room to spare (at least 64 MiB,
# so that FAT32 has the clusters it needs). OUT is replaced only on success.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 OUT FILE|NAME=FILE..." >&2
	exit 1
fi
out=$1
shift

MIB=1048576
START=2048 # the partition's first sector: 1 MiB, as SD-card tools align it

bytes=0
for arg in "$@"; do
	f=${arg#*=}
	if [ ! -f "$f" ]; then
		echo "mkbootdisk: $f: no such file" >&2
		exit 1
	fi
	bytes=$((bytes + $(wc -c <"$f")))
done
# The files, a quarter more for the FATs and cluster slack, and 8 MiB.
mib=$(((bytes + bytes / 4) / MIB + 8))
[ $mib -ge 64 ] || mib=64
sectors=$((mib * 2048))

# A 32-bit little-endian value, as four bytes.
le32() {
	v=$1
	for _ in 1 2 3 4; do
		# shellcheck disable=SC2059 # the format is the byte, as an octal escape
		printf "\\$(printf %03o $((v & 255)))"
		v=$((v >> 8))
	done
}

tmp=$out.tmp
rm -f "$tmp"
truncate -s $(((START + sectors) * 512)) "$tmp"

# The MBR: no boot code, a fixed disk signature, one partition entry
# (bootable, CHS fields unused as for any disk beyond 8 GiB, type 0x0c FAT32
# with LBA, first sector, sector count), three empty entries, 0x55 0xaa.
{
	dd if=/dev/zero bs=440 count=1 2>/dev/null
	le32 0x50415254 # "PART"
	printf '\000\000\200\376\377\377\014\376\377\377'
	le32 $START
	le32 $sectors
	dd if=/dev/zero bs=48 count=1 2>/dev/null
	printf '\125\252'
} | dd of="$tmp" conv=notrunc 2>/dev/null

# mtools checks a file system's geometry against its image and the partition
# table; the image has none it would understand at this offset.
export MTOOLS_SKIP_CHECK=1
mformat -i "$tmp@@$((START * 512))" -F -T $sectors -H $START -v PARTITA ::
for arg in "$@"; do
	f=${arg#*=}
	name=${arg%%=*}
	[ "$name" != "$arg" ] || name=$(basename "$f")
	mcopy -i "$tmp@@$((START * 512))" "$f" "::$name"
done
mv "$tmp" "$out"
