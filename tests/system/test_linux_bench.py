"""make bench's Linux boot figures, held by make check: Debian's kernel and
the busybox initramfs with the same bootargs (guests/linux-bench.dts, which
has partita.bench in them: /init prints CNTVCT_EL0 after its banner and
powers off) booted directly on QEMU and under Partita, both with -icount
shift=0,sleep=off on -smp 2 and a GICv3.

Under -icount shift=0 a nanosecond of virtual time is an instruction, and
the counter counts virtual time (62.5 MHz: 16 instructions a tick). Natively
the guest's virtual counter counts from machine reset; under Partita from
the VM's start, at the physical count Partita logs ("started at counter N"):
N plus the guest's count is the boot from reset. The ratio of the two, at
most 1.02, is the issue's target (issue 8 part 10); N, Partita's entry to the
VM's start, is dominated by zeroing and cleaning the VM's 256 MiB and copying
its 32 MiB kernel (docs/architecture.md, "Measuring a Linux boot"): 36.9
million instructions when measured, held below 40 million (an 8% margin: it
grows with the images and the VM's RAM)."""

import re

import pytest

import qemu as qemu_mod
from test_linux import FAIL_ON, linux_images, shipped_config  # noqa: F401 (a fixture)

TIMEOUT = 600
RATIO = 1.02
ENTRY_BUDGET = 40_000_000
COUNTER = r"^(?:\[linux0\] )?Partita guest: counter (\d+) at (\d+) Hz$"
FLAGS = ["-icount", "shift=0,sleep=off"]


def boot(qemu, name, args):
    """Boots to the counter line; returns (the Qemu, ticks, Hz) after the guest's poweroff."""
    q = qemu(qemu_mod.machine_args(*args[:2], smp=2, mem=args[2]) + FLAGS + args[3:],
             timeout=TIMEOUT, name=name, fail_on=FAIL_ON)
    m = q.expect(COUNTER)
    assert q.wait_exit() == 0
    return q, int(m.group(1)), int(m.group(2))


def test_linux_boot_ratio(qemu, partita_bin, linux_images):  # noqa: F811 (the fixture)
    cfg = shipped_config("linux-bench")
    kernel, initrd = linux_images
    blob = open(cfg, "rb").read()
    bootargs = re.search(rb"(console=[^\0]*partita\.bench[^\0]*)\0", blob).group(1).decode()
    _, native, hz = boot(qemu, "Linux natively", [
        "virt,virtualization=off,gic-version=3,dtb-randomness=off", "cortex-a57", "256M",
        "-kernel", kernel, "-initrd", initrd, "-append", bootargs])
    q, guest, hz2 = boot(qemu, "Linux under Partita", [
        "virt,virtualization=on,gic-version=3", "cortex-a57", "1G",
        "-kernel", partita_bin, "-initrd", cfg])
    assert hz == hz2
    start = int(re.search(r"^partita: vm0 linux0: started at counter (\d+)$", q.output,
                          re.M).group(1))
    per_tick = 1e9 / hz  # instructions per counter tick under -icount shift=0
    n, entry, p = native * per_tick, start * per_tick, (start + guest) * per_tick
    print(f"native {n:.0f}, under Partita {p:.0f} (entry {entry:.0f}), ratio {p / n:.4f}")
    assert p / n <= RATIO, (f"Linux under Partita took {p:.0f} instructions to its banner, "
                            f"natively {n:.0f}: ratio {p / n:.4f} > {RATIO}")
    assert entry < ENTRY_BUDGET, (f"Partita's entry to the Linux VM's start took {entry:.0f} "
                                  f"instructions, budget {ENTRY_BUDGET}")
