"""A Linux VM given a virtio-blk disk: guests/linux-disk.dts, as make run boots it.

QEMU virt puts its first virtio-blk-device on the highest-addressed
virtio-mmio transport, 0x200 bytes at 0x0a003e00 with SPI 47 (INTID 79);
the configuration passes that transport through (the VM gets its page) and
identity-maps the VM's RAM, since the device reads and writes guest memory
by DMA with the addresses Linux gives it and there is no SMMU. The disk is
an ext2 image made by the Makefile's rule (mke2fs -d, no root needed),
holding hello.txt; each test makes its own. The guest reads that file and
writes one, and the host finds it in the image afterwards with debugfs.
"""

import os
import shutil
import subprocess

import pytest

import qemu as qemu_mod
# The Linux test's fixtures and helpers: the images, the VM factory, the shell probe.
from test_linux import (linux_config, linux_images, linux_vm,  # noqa: F401 pylint: disable=unused-import
                        shipped_config, wait_for_shell)

HELLO = "Hello from the disk image of guests/linux-disk.dts"
TAG = r"\[linux0\] "


def e2fs_tool(name):
    """An e2fsprogs program: in /usr/sbin, which a user's PATH may lack."""
    path = shutil.which(name, path=os.environ.get("PATH", "") + ":/sbin:/usr/sbin")
    if not path:
        pytest.fail(f"{name} (e2fsprogs) is missing: scripts/deps.sh installs it", pytrace=False)
    return path


def make_disk(tmp_path):
    """A fresh disk image for this test, by the Makefile's rule for build/linux/disk.img."""
    disk = str(tmp_path / "disk.img")
    r = subprocess.run(["make", "-s", f"LINUX_DISK={disk}", disk], cwd=qemu_mod.REPO,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300,
                       check=False)
    if r.returncode != 0:
        pytest.fail(f"make {disk} failed:\n{r.stdout}{r.stderr}", pytrace=False)
    return disk


def disk_file(disk, name):
    """The contents of /name in the ext2 image disk, read on the host."""
    r = subprocess.run([e2fs_tool("debugfs"), "-R", f"cat /{name}", disk],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                       check=False)
    assert r.returncode == 0, f"debugfs cannot read {disk}: {r.stderr}"
    return r.stdout


@pytest.mark.parametrize("gic", [3, 2])
def test_linux_disk(linux_vm, linux_images, tmp_path, gic):  # noqa: F811 pylint: disable=redefined-outer-name
    """The guest mounts /dev/vda, reads the file written on the image
    beforehand, writes one, syncs and powers off; the host reads it back."""
    disk = make_disk(tmp_path)
    assert disk_file(disk, "hello.txt").strip() == HELLO
    q = linux_vm(gic=gic, config=shipped_config("linux-disk"), tag=f"_disk_gic{gic}",
                 extra=["-drive", f"file={disk},if=none,format=raw,id=d0",
                        "-device", "virtio-blk-device,drive=d0"])
    q.expect(r"^partita: vm linux0: owns /virtio_mmio@a003e00 and its SPI, INTID 79$")
    q.expect(r"^partita: vm0 linux0: 2 vCPUs on cpu0\.\.1, 256 MiB at IPA 0x50000000 "
             r"\(PA 0x50000000\)")
    q.expect(rf"^{TAG}Partita guest: Linux \S+ up, 2 CPUs$")
    q.expect(rf"^{TAG}\[\s*[0-9.]+\] virtio_blk virtio0: \[vda\] 16384 512-byte logical blocks")
    q.expect(rf"^{TAG}Partita guest: a disk, /dev/vda: mount /dev/vda /mnt$")
    wait_for_shell(q, prefix=TAG)
    # One command at a time, each answered before the next. The tty echoes
    # what is typed: the answers are made so that the echo cannot match.
    q.send("mount /dev/vda /mnt;echo m-$?\n")
    q.expect(rf"^{TAG}m-0$")
    q.send("sed s/^/r:/ /mnt/hello.txt\n")
    q.expect(rf"^{TAG}r:{HELLO}$")
    q.send("cd /mnt;echo c-$?\n")
    q.expect(rf"^{TAG}c-0$")
    q.send("echo w-$((6*7))>g.txt;echo x$?\n")
    q.expect(rf"^{TAG}x0$")
    q.send("cd /;sync;umount /mnt;echo u-$?\n")
    q.expect(rf"^{TAG}u-0$")
    q.send("poweroff -f\n")
    q.expect(r"^partita: vm0 linux0: powered off \(PSCI SYSTEM_OFF\)")
    assert q.wait_exit() == 0
    assert disk_file(disk, "g.txt") == "w-42\n"
    assert disk_file(disk, "hello.txt").strip() == HELLO
