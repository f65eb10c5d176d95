"""Hostile boot inputs: x0, memory nodes, the initrd range, the console UART
and reserved regions. Each is refused (or merged) with one line naming what
is wrong, and never ends in a fault at EL2.

QEMU's -kernel and -dtb rewrite /memory and /chosen, so these tests boot
Partita as a boot loader would, without them: QEMU's generic loader places
partita.bin, the DTB and the initrd at fixed addresses, and a tiny shim
(tests/system/shim.S, built by `make system-build`) sets x0 and jumps."""

import os
import re
import struct
import subprocess

import pytest

import qemu as qemu_mod

# Where things go in QEMU virt's RAM (-m 1G: 0x40000000-0x7fffffff). QEMU
# itself copies its own DTB to the start of RAM when there is no -kernel.
PARTITA = 0x40200000
SHIM_BASE = 0x47f00000  # tests/system/system.mk
SHIM_PARAMS = 0x47f01000  # tests/system/shim.S: x0, then the entry point
DTB_ADDR = 0x48000000
INITRD_ADDR = 0x48200000
RAM_END = 0x80000000

ERROR = r"^partita: error: .*$"
READY = r"^partita: ready: .*$"
EL2_FAULT = r"unexpected \w+ exception from EL2|PANIC"
GUEST = "psci"  # any test guest serves as an initrd


def shim_elf():
    path = os.path.join(qemu_mod.build_dir(), "tests", "shim.elf")
    if not os.path.isfile(path):
        pytest.fail(f"{path} does not exist: build it first (make system-build)", pytrace=False)
    return path


def guest_bin(name=GUEST):
    path = os.path.join(qemu_mod.build_dir(), "guests", f"{name}.bin")
    if not os.path.isfile(path):
        pytest.fail(f"{path} does not exist: build it first (make guests)", pytrace=False)
    return path


def run(*args, stdin=None):
    r = subprocess.run(list(args), capture_output=True, text=True, timeout=20, input=stdin)
    if r.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed: {r.stderr}", pytrace=False)
    return r.stdout


class Dtb:
    """QEMU's own DTB for the board, edited as source text and with fdtput."""

    def __init__(self, tmp_path, smp=2):
        self.dir = tmp_path
        self.path = str(tmp_path / "board.dtb")
        qemu_mod.dump_dtb(str(tmp_path / "qemu.dtb"), smp=smp)
        self.dts = run("dtc", "-q", "-I", "dtb", "-O", "dts", str(tmp_path / "qemu.dtb"))
        # The random seeds change on every dump; they do not matter here.
        self.dts = re.sub(r"\s*(rng|kaslr)-seed = <[^>]*>;", "", self.dts)
        self.compile()

    def compile(self):
        run("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", self.path, "-", stdin=self.dts)
        return self

    def put(self, *args):
        run("fdtput", *args[:1], self.path, *args[1:])
        self.dts = run("dtc", "-q", "-I", "dtb", "-O", "dts", self.path)
        return self

    def chosen(self, prop, *values):
        """Sets a /chosen property: strings as given, integers as 32-bit cells."""
        if all(isinstance(v, int) for v in values):
            return self.put("-tx", "/chosen", prop, *[f"{v:x}" for v in values])
        return self.put("-ts", "/chosen", prop, *values)

    def initrd(self, start, end):
        """linux,initrd-start/end as 64-bit values (two cells each)."""
        return self.chosen("linux,initrd-start", start >> 32, start & 0xffffffff).chosen(
            "linux,initrd-end", end >> 32, end & 0xffffffff)

    def add_source(self, text):
        """Adds text inside the root node (dtc merges nodes named twice)."""
        self.dts += "\n/ {\n" + text + "\n};\n"
        return self.compile()

    def memreserve(self, entries):
        lines = "".join(f"/memreserve/ 0x{b:x} 0x{s:x};\n" for b, s in entries)
        self.dts = self.dts.replace("/dts-v1/;", "/dts-v1/;\n" + lines, 1)
        return self.compile()


def loader(addr, file=None, data=None):
    if file is not None:
        return ["-device", f"loader,file={file},addr=0x{addr:x},force-raw=on"]
    return ["-device", f"loader,addr=0x{addr:x},data=0x{data:x},data-len=8"]


def boot_inputs(qemu, dtb=None, x0=DTB_ADDR, initrd=None, initrd_addr=INITRD_ADDR, smp=2,
                dtb_addr=DTB_ADDR, timeout=15.0, fail_on=None, name="partita via the shim"):
    """Boot partita.bin at PARTITA with x0 as given, the DTB file at dtb_addr and
    optionally an initrd file at initrd_addr, without -kernel."""
    args = qemu_mod.machine_args("virt,virtualization=on,gic-version=3", "cortex-a57", smp)
    args += loader(PARTITA, qemu_mod.partita_bin())
    if dtb is not None:
        args += loader(dtb_addr, dtb)
    if initrd is not None:
        args += loader(initrd_addr, initrd)
    args += loader(SHIM_PARAMS, data=x0) + loader(SHIM_PARAMS + 8, data=PARTITA)
    args += ["-device", f"loader,file={shim_elf()},cpu-num=0"]
    return qemu(args, timeout=timeout, fail_on=fail_on, name=name)


def check(q, cond, why):
    if not cond:
        q.fail(why)


def refused(q, line):
    """The line comes, and then neither a fault at EL2 nor the ready line."""
    q.wait_for(line)
    q.expect_no(EL2_FAULT + r"|^partita: ready", 0.5)


# -- the harness itself -----------------------------------------------------------


def test_shim_boots_partita(qemu, tmp_path):
    """The control: QEMU's own DTB through the shim boots to the ready line."""
    dtb = Dtb(tmp_path)
    q = boot_inputs(qemu, dtb.path, fail_on=ERROR)
    q.wait_for(r"^partita: fdt: 0x48000000, \d+ bytes$")
    q.wait_for(r"^partita: no VM configured: idling$")
    q.wait_for(READY)


def test_shim_boots_a_guest(qemu, tmp_path):
    """The control with an initrd: the built-in VM is built from it."""
    size = os.path.getsize(guest_bin())
    dtb = Dtb(tmp_path).initrd(INITRD_ADDR, INITRD_ADDR + size)
    q = boot_inputs(qemu, dtb.path, initrd=guest_bin(), fail_on=ERROR)
    q.wait_for(r"^partita: vm0 test0: ")
    q.wait_for(READY)
