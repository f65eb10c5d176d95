"""scripts/mkbootdisk.sh, the boot disk of make run-uboot: an MBR a board's
U-Boot reads (one bootable FAT32 partition at 1 MiB, the 0x55aa signature),
the files in the partition's root under their names, and no image left
behind when a file is missing."""

import os
import struct
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "..", "scripts", "mkbootdisk.sh")
MTOOLS_ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1")


def mkbootdisk(*args):
    return subprocess.run([SCRIPT, *map(str, args)], capture_output=True, text=True,
                          timeout=60, check=False)


def test_partition_and_files(tmp_path):
    (tmp_path / "boot.scr").write_bytes(b"script")
    (tmp_path / "config.bin").write_bytes(bytes(range(256)) * 4096)  # 1 MiB
    disk = tmp_path / "disk.img"
    r = mkbootdisk(disk, tmp_path / "boot.scr", f"partita.vmimg={tmp_path / 'config.bin'}")
    assert r.returncode == 0, r.stdout + r.stderr
    image = disk.read_bytes()
    mbr = image[:512]
    assert mbr[510:] == b"\x55\xaa"
    status, ptype, first, count = struct.unpack_from("<B3xB3xII", mbr, 446)
    assert (status, ptype, first) == (0x80, 0x0C, 2048)
    assert count >= 64 * 2048 and len(image) == (first + count) * 512
    assert mbr[462:510] == bytes(48), "only one partition"
    # The FAT32 boot sector at the partition's start says where it lies.
    boot = image[first * 512:first * 512 + 512]
    assert boot[82:90] == b"FAT32   " and boot[510:] == b"\x55\xaa"
    assert struct.unpack_from("<I", boot, 28)[0] == first  # hidden sectors
    at = f"{disk}@@{first * 512}"
    for name, want in (("boot.scr", b"script"), ("partita.vmimg", bytes(range(256)) * 4096)):
        got = subprocess.run(["mtype", "-i", at, f"::{name}"], capture_output=True,
                             env=MTOOLS_ENV, timeout=60, check=True).stdout
        assert got == want, name


def test_missing_file(tmp_path):
    disk = tmp_path / "disk.img"
    r = mkbootdisk(disk, tmp_path / "nothing")
    assert r.returncode != 0
    assert "nothing: no such file" in r.stderr
    assert not disk.exists() and not (tmp_path / "disk.img.tmp").exists()
