"""make bench's Linux boot figures, held by make check: Debian's kernel and
the busybox initramfs with the same bootargs (guests/linux-bench.dts, which
has partita.bench in them: /init prints CNTVCT_EL0 after its banner and
powers off) booted under Partita and directly on QEMU, all with -icount
shift=0,sleep=off on -smp 2 and a GICv3.

Under -icount shift=0 a nanosecond of virtual time is an instruction, and
the counter counts virtual time (62.5 MHz: 16 instructions a tick). Natively
the guest's virtual counter counts from machine reset; under Partita from
the VM's start, at the physical count Partita logs ("started at counter N"):
N plus the guest's count is the boot from reset.

Like for like, the native boot gets the very device tree Partita gave the
VM, so that Linux probes the same devices in both: QEMU pauses at the
guest's poweroff (-action shutdown=pause) and its monitor saves the DTB from
the VM's RAM, where partita-config says the layout puts it (scripts/bench.sh
does the same). The issue's target (issue 8 part 10) is a ratio of at most
1.02; against QEMU's own, larger device tree Partita holds it (0.9926 when
measured), like for like not yet (1.0227: the guest's own overhead, chiefly
its emulated console and the first use of its RAM blocks, is 1.35%,
Partita's start 0.9%), so LIKE_FOR_LIKE holds what is reached. N, Partita's entry to the VM's start, is copying and
cleaning its 32 MiB kernel and initrd, zeroing the few 2 MiB blocks they
share with free RAM, and Partita's own boot (core/vm.c load(),
docs/architecture.md, "Measuring a Linux boot"): 8.8 million instructions
when measured (36.9 before load() zeroed only around the images and copied
with LDP/STP, 23.6 before the RAM without image bytes was cleared on first
use, vcpu/ram.c, and Partita's own boot walked the host's device tree fewer
times), held below 10 million (a margin: it grows with the images)."""

import os
import re
import subprocess

import qemu as qemu_mod
from test_linux import FAIL_ON, linux_images, shipped_config  # noqa: F401 (a fixture)

TIMEOUT = 600
RATIO = 1.02  # the target, against QEMU's own device tree
LIKE_FOR_LIKE = 1.03  # against the VM's own device tree: 1.0227 when measured
ENTRY_BUDGET = 10_000_000
COUNTER = r"^(?:\[linux0\] )?Partita guest: counter (\d+) at (\d+) Hz$"
FLAGS = ["-icount", "shift=0,sleep=off"]
NATIVE = "virt,virtualization=off,gic-version=3,dtb-randomness=off"
DTB_MAX = 0x10000  # GUEST_FDT_MAX, the room the layout keeps for the guest DTB


def boot(qemu, name, args):
    """Boots to the counter line; returns (ticks, Hz) after the guest's poweroff."""
    q = qemu(qemu_mod.machine_args(*args[:2], smp=2, mem=args[2]) + FLAGS + args[3:],
             timeout=TIMEOUT, name=name, fail_on=FAIL_ON)
    m = q.expect(COUNTER)
    assert q.wait_exit() == 0
    return int(m.group(1)), int(m.group(2))


def dtb_offset(cfg):
    """Where in the VM's RAM its DTB goes, as partita-config shows it."""
    tool = os.path.join(qemu_mod.build_dir(), "partita-config")
    out = subprocess.run([tool, "show", cfg], capture_output=True, text=True, timeout=20,
                         check=True).stdout
    return int(re.search(r"^  dtb +\d+ KiB at RAM \+ (0x[0-9a-f]+)$", out, re.M).group(1), 16)


def boot_partita(partita_bin, cfg, dtb):
    """Boots Linux under Partita and saves the guest's DTB to dtb; returns
    (ticks from the VM's start, Hz, the counter at the VM's start)."""
    args = qemu_mod.machine_args("virt,virtualization=on,gic-version=3", "cortex-a57", smp=2,
                                 mem="1G") + FLAGS + [
        "-kernel", partita_bin, "-initrd", cfg, "-action", "shutdown=pause"]
    with qemu_mod.Qemu(args, timeout=TIMEOUT, name="Linux under Partita", fail_on=FAIL_ON,
                       monitor=True) as q:
        q.log_path = os.path.join(qemu_mod.LOG_DIR, "test_linux_boot_ratio-partita.log")
        m = q.expect(COUNTER)
        q.wait_for(r"^partita: every VM has stopped: powering off$")
        ram = int(re.search(r"^partita: vm0 linux0: .* \(PA (0x[0-9a-f]+)\)", q.output,
                            re.M).group(1), 16)
        start = int(re.search(r"^partita: vm0 linux0: started at counter (\d+)$", q.output,
                              re.M).group(1))
        # Quoted: the monitor would read an unquoted /path as a division.
        q.hmp(f'pmemsave {ram + dtb_offset(cfg):#x} {DTB_MAX:#x} "{dtb}"')
        q.hmp("quit")
        assert q.wait_exit() == 0
    with open(dtb, "rb") as f:
        assert f.read(4) == b"\xd0\x0d\xfe\xed", f"no DTB read back at RAM + {dtb_offset(cfg):#x}"
    return int(m.group(1)), int(m.group(2)), start


def test_linux_boot_ratio(qemu, partita_bin, linux_images, tmp_path):  # noqa: F811 (the fixture)
    cfg = shipped_config("linux-bench")
    kernel, initrd = linux_images
    blob = open(cfg, "rb").read()
    bootargs = re.search(rb"(console=[^\0]*partita\.bench[^\0]*)\0", blob).group(1).decode()
    dtb = str(tmp_path / "guest.dtb")
    guest, hz, start = boot_partita(partita_bin, cfg, dtb)
    same, hz2 = boot(qemu, "Linux natively, the VM's device tree", [
        NATIVE, "cortex-a57", "256M", "-dtb", dtb, "-kernel", kernel, "-initrd", initrd,
        "-append", bootargs])
    native, hz3 = boot(qemu, "Linux natively, QEMU's device tree", [
        NATIVE, "cortex-a57", "256M", "-kernel", kernel, "-initrd", initrd, "-append", bootargs])
    assert hz == hz2 == hz3
    per_tick = 1e9 / hz  # instructions per counter tick under -icount shift=0
    t, n = same * per_tick, native * per_tick
    entry, p = start * per_tick, (start + guest) * per_tick
    print(f"natively {t:.0f} (QEMU's device tree {n:.0f}), under Partita {p:.0f} "
          f"(entry {entry:.0f}): like for like {p / t:.4f}, to QEMU's tree {p / n:.4f}")
    assert p / t <= LIKE_FOR_LIKE, (
        f"Linux under Partita took {p:.0f} instructions to its banner, natively with the "
        f"VM's device tree {t:.0f}: ratio {p / t:.4f} > {LIKE_FOR_LIKE}")
    assert p / n <= RATIO, (f"Linux under Partita took {p:.0f} instructions to its banner, "
                            f"natively {n:.0f}: ratio {p / n:.4f} > {RATIO}")
    assert entry < ENTRY_BUDGET, (f"Partita's entry to the Linux VM's start took {entry:.0f} "
                                  f"instructions, budget {ENTRY_BUDGET}")
