"""The board boot path (make run-uboot): U-Boot as the firmware, a boot disk
as a board's SD card, and U-Boot's own distro boot choosing what to run.

QEMU gets Debian's U-Boot for its virt machine as -bios and no -kernel or
-initrd: only $BUILD/uboot/linux.img, made by make as make run-uboot makes it
(an MBR with one bootable FAT32 partition holding boot.scr from
boot/boot.cmd, partita.bin and guests/linux.dts's configuration as
partita.vmimg), on a virtio-blk-device. After its autoboot countdown U-Boot
finds no kernel on fw_cfg, scans its boot targets, finds boot.scr on virtio
0:1 and runs it; the script loads both files and starts Partita with booti,
which must come up with the default Linux VM and its shell, under GICv3 and
GICv2.
"""

import os
import subprocess

import pytest

import qemu as qemu_mod
# The Linux images (downloaded once, or the test skips), what fails a Linux
# boot at once, and the shell probe are the Linux tests' own.
from test_linux import FAIL_ON, TIMEOUT, linux_images, wait_for_shell  # noqa: F401

# The script ran but did not start Partita (distro boot goes on to the next
# target): fail at once instead of waiting for the timeout.
UBOOT_FAIL_ON = FAIL_ON + r"|^SCRIPT FAILED|^Bad Linux ARM64 Image magic|^Wrong Ramdisk"
TAG = r"\[linux0\] "


@pytest.fixture(scope="module")
def boot_disk(linux_images):  # pylint: disable=redefined-outer-name,unused-argument
    """$BUILD/uboot/linux.img, made by make (as make run-uboot makes it) from
    boot/boot.cmd, guests/linux.dts and the partita.bin the other tests run:
    make is told not to remake that one (-o), since it would do so with its
    default compiler whatever $BUILD's is."""
    qemu_mod.partita_bin()  # fails the test, clearly, if there is none
    build = os.environ.get("BUILD", "build")
    target = os.path.join(build, "uboot", "linux.img")
    r = subprocess.run(["make", "-s", f"BUILD={build}", "-o", os.path.join(build, "partita.bin"),
                        "CONFIG=linux", target],
                       cwd=qemu_mod.REPO, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=600, check=False)
    if r.returncode != 0:
        pytest.fail(f"make {target} failed:\n{r.stdout}{r.stderr}", pytrace=False)
    return os.path.join(qemu_mod.REPO, target)


@pytest.mark.parametrize("gic", [3, 2])
def test_uboot_disk_boot(qemu, boot_disk, gic):  # pylint: disable=redefined-outer-name
    """Distro boot finds boot.scr on the disk's bootable partition, the script
    loads partita.bin and the configuration and boots them; Linux reaches its
    shell, a typed command's output comes back, poweroff ends QEMU with 0."""
    machine = f"virt,virtualization=on,gic-version={gic}"
    args = qemu_mod.machine_args(machine, "cortex-a57", 2) + [
        "-bios", qemu_mod.UBOOT,
        "-drive", f"file={boot_disk},if=none,format=raw,readonly=on,id=bootdisk",
        "-device", "virtio-blk-device,drive=bootdisk"]
    q = qemu(args, timeout=TIMEOUT, fail_on=UBOOT_FAIL_ON, stdin=True,
             name=f"U-Boot from a boot disk, then Partita and Linux on {machine}")
    q.expect(r"^U-Boot \d")
    # No -kernel: U-Boot's first boot target, fw_cfg, has nothing.
    q.expect(r"^fatal: no kernel available$")
    q.expect(r"^Scanning virtio 0:1\.\.\.$")
    q.expect(r"^Found U-Boot script /boot\.scr$")
    q.expect(r"^Partita: loading /partita\.bin and /partita\.vmimg from virtio 0:1$")
    q.expect(r"^Starting kernel \.\.\.$")
    q.expect(r"^partita: initrd: 0x[0-9a-f]+-0x[0-9a-f]+$")
    q.expect(rf"^partita: ready: cpus=2 gic=v{gic} .* vms=1$")
    m = q.expect(rf"^{TAG}Partita guest: Linux (\S+) up, (\d+) CPUs$")
    assert m.group(2) == "2", "the guest does not see 2 CPUs"
    wait_for_shell(q, prefix=TAG)
    # The tty echoes what is typed: the answer is made so that its echo cannot match.
    q.send("echo from-d''isk-$((6*7)) cpus=$(nproc)\n")
    q.expect(rf"^{TAG}from-disk-42 cpus=2$")
    q.send("poweroff -f\n")
    q.expect(r"^partita: vm0 linux0: powered off \(PSCI SYSTEM_OFF\)")
    assert q.wait_exit() == 0
