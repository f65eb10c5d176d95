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
GUEST = "psci"  # any test guest's configuration serves as an initrd


def shim_elf():
    path = os.path.join(qemu_mod.build_dir(), "tests", "shim.elf")
    if not os.path.isfile(path):
        pytest.fail(f"{path} does not exist: build it first (make system-build)", pytrace=False)
    return path


def guest_bin(name=GUEST, vms=1):
    """The VM configuration of a test guest (one VM, or two on halves of 2 CPUs)."""
    return qemu_mod.config(name, vms, 2)


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
    """The control with an initrd: the VM of the configuration in it is built."""
    size = os.path.getsize(guest_bin())
    dtb = Dtb(tmp_path).initrd(INITRD_ADDR, INITRD_ADDR + size)
    q = boot_inputs(qemu, dtb.path, initrd=guest_bin(), fail_on=ERROR)
    q.wait_for(r"^partita: vm0 test0: ")
    q.wait_for(READY)


# -- x0 and the device tree's extent ------------------------------------------------

X0_CASES = [
    # (x0, what the line must say)
    (0x100000000, r"reading 0x100000000 aborts, there is no memory there"),
    (0xfffffffffffff000, r"is beyond the addresses EL2 can map"),
    (0x1000, r"is below qemu-virt's RAM at 0x40000000, among its devices"),
    (0x48000004, r"not the 8-byte aligned address of an FDT"),
    (PARTITA + 0x1000, r"points into Partita's own image"),
]


@pytest.mark.parametrize("x0,why", X0_CASES, ids=[f"0x{c[0]:x}" for c in X0_CASES])
def test_x0_unusable(qemu, tmp_path, x0, why):
    """x0 that points at no FDT in RAM: one line with x0 and the reason, no fault."""
    dtb = Dtb(tmp_path)
    q = boot_inputs(qemu, dtb.path, x0=x0)
    refused(q, rf"^partita: error: no device tree: x0 at entry (was )?\(?0x{x0:x}\)?.*{why}")


def test_fdt_runs_past_ram(qemu, tmp_path):
    """A DTB in the last page of RAM whose totalsize says it goes on past the end:
    the pages beyond are not read as a device tree (they would abort at EL2)."""
    dtb = Dtb(tmp_path)
    with open(dtb.path, "rb") as f:
        blob = bytearray(f.read())
    assert len(blob) > 0x1000 // 2
    struct.pack_into(">I", blob, 4, 0x10000)  # totalsize: 64 KiB
    last = tmp_path / "last-page.dtb"
    last.write_bytes(bytes(blob[:0x1000]) + bytes(max(0, 0x1000 - len(blob))))
    q = boot_inputs(qemu, str(last), x0=RAM_END - 0x1000, dtb_addr=RAM_END - 0x1000)
    refused(q, r"^partita: error: device tree at 0x7ffff000 \(x0 at entry\): its header says "
               r"65536 bytes, but reading 0x80000000 aborts: it runs past memory$")


def test_fdt_outside_described_ram(qemu, tmp_path):
    """The DTB sits in memory that its own memory node leaves out."""
    dtb = Dtb(tmp_path).put("-tx", "/memory@40000000", "reg", "0", "40000000", "0", "4000000")
    q = boot_inputs(qemu, dtb.path)
    refused(q, r"^partita: error: fdt: the device tree at 0x48000000-0x[0-9a-f]+ \(x0 at entry, "
               r"totalsize \d+\) is not inside the RAM its memory nodes describe$")


# -- memory nodes ---------------------------------------------------------------------


def vm_ranges(out):
    """(name, PA, size) of every VM's RAM, from the vmN lines."""
    return [(m.group(1), int(m.group(3), 16), int(m.group(2)) << 20) for m in re.finditer(
        r"^partita: (vm\d+) \w+: .*, (\d+) MiB at IPA 0x[0-9a-f]+ \(PA (0x[0-9a-f]+)\)",
        out, re.M)]


def image_size():
    """image_size from partita.bin's arm64 Image header (BSS included)."""
    with open(qemu_mod.partita_bin(), "rb") as f:
        return struct.unpack_from("<Q", f.read(64), 16)[0]


def test_memory_repeated_bank(qemu, tmp_path):
    """RAM listed twice (once in reg, once in another node) and two VMs: the
    ranges are merged with a line naming the node, and no VM gets Partita's
    image or the other VM's memory."""
    dtb = Dtb(tmp_path).put("-tx", "/memory@40000000", "reg", "0", "40000000", "0",
                            "40000000", "0", "40000000", "0", "40000000")
    dtb.add_source('memory@40000001 { device_type = "memory"; '
                   'reg = <0x0 0x40000000 0x0 0x40000000>; };')
    size = os.path.getsize(guest_bin(vms=2))
    dtb.initrd(INITRD_ADDR, INITRD_ADDR + size)
    q = boot_inputs(qemu, dtb.path, initrd=guest_bin(vms=2), fail_on=ERROR)
    q.wait_for(r"^partita: warning: fdt: /memory@40000000: reg\[1\] overlaps memory listed "
               r"before; merged into 0x40000000-0x7fffffff$")
    q.wait_for(r"^partita: warning: fdt: /memory@40000001: reg\[0\] overlaps memory listed "
               r"before; merged")
    q.wait_for(r"^partita: memory: 0x40000000-0x7fffffff \(1024 MiB\)$")
    q.wait_for(READY)
    vms = vm_ranges(q.output)
    check(q, len(vms) == 2, f"expected two VMs, found {vms}")
    taken = vms + [("Partita", PARTITA, image_size()), ("the DTB", DTB_ADDR, 0x1000),
                   ("the initrd", INITRD_ADDR, size)]
    for i, (a, ab, asz) in enumerate(taken):
        for b, bb, bsz in taken[i + 1:]:
            check(q, ab + asz <= bb or bb + bsz <= ab,
                  f"{a} at 0x{ab:x} (+0x{asz:x}) overlaps {b} at 0x{bb:x} (+0x{bsz:x})")


def test_memory_wraps(qemu, tmp_path):
    dtb = Dtb(tmp_path)
    dtb.add_source('memory@fffffffffffff000 { device_type = "memory"; '
                   'reg = <0xffffffff 0xfffff000 0x0 0x2000>; };')
    q = boot_inputs(qemu, dtb.path)
    refused(q, r"^partita: error: fdt: /memory@fffffffffffff000: reg\[0\] \(base "
               r"0xfffffffffffff000, size 0x2000\) wraps around the end of the address space$")


# -- the initrd range ---------------------------------------------------------------

INITRD_CASES = [
    # (start, end, what the line must say)
    (PARTITA, PARTITA + 0x10000, r"overlaps Partita's own image at 0x40200000-"),
    (0x08000000, 0x08010000, r"is not inside the RAM the memory nodes describe"),
    (0x100000000, 0x100010000, r"is not inside the RAM the memory nodes describe"),
    (RAM_END - 0x1000, RAM_END + 0x1000, r"is not inside the RAM the memory nodes describe"),
    (DTB_ADDR, DTB_ADDR + 0x1000, r"overlaps the device tree at 0x48000000-"),
]


@pytest.mark.parametrize("start,end,why", INITRD_CASES,
                         ids=["over-partita", "over-gic", "beyond-ram", "past-ram-end",
                              "over-fdt"])
def test_initrd_refused(qemu, tmp_path, start, end, why):
    """An initrd range that is not RAM of its own: one line, no VM built from it."""
    dtb = Dtb(tmp_path).initrd(start, end)
    q = boot_inputs(qemu, dtb.path)
    refused(q, rf"^partita: error: initrd 0x{start:x}-0x{end - 1:x} \(/chosen/linux,initrd-\*\) "
               rf"{why}")
    check(q, not re.search(r"^partita: vm\d", q.output, re.M), "a VM was built")


def test_initrd_over_no_map_region(qemu, tmp_path):
    dtb = Dtb(tmp_path).initrd(INITRD_ADDR, INITRD_ADDR + 0x10000)
    dtb.add_source("reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges; "
                   "secure@48200000 { reg = <0x0 0x48208000 0x0 0x1000>; no-map; }; };")
    q = boot_inputs(qemu, dtb.path)
    refused(q, r"^partita: error: initrd 0x48200000-0x4820ffff \(/chosen/linux,initrd-\*\) "
               r"overlaps the no-map reserved region 0x48208000-0x48208fff$")


def test_initrd_empty(qemu, tmp_path):
    dtb = Dtb(tmp_path).initrd(INITRD_ADDR, INITRD_ADDR)
    q = boot_inputs(qemu, dtb.path)
    refused(q, r"^partita: error: fdt: /chosen: linux,initrd-end 0x48200000 is equal to "
               r"linux,initrd-start 0x48200000$")


def test_uboot_without_initrd(qemu, partita_bin):
    """U-Boot given no initrd still passes "$ramdisk_addr_r:$filesize", $filesize being
    Partita's own size, over whatever RAM holds there: that is not a configuration,
    and is refused as one (one line saying what is expected), with no VM."""
    args = qemu_mod.machine_args("virt,virtualization=on,gic-version=3", "cortex-a57", 2)
    q = qemu(args + ["-bios", qemu_mod.UBOOT, "-kernel", partita_bin], timeout=40,
             name="U-Boot, then partita, no initrd")
    q.wait_for(r"^Starting kernel")
    q.wait_for(r"^partita: error: config: not a Partita configuration: no device-tree magic "
               r"\(a blob compiled by dtc from a \.dts with compatible \"partita,config\" is "
               r"expected\)$")
    q.wait_for(r"^partita: error: config: the initrd at 0x[0-9a-f]+-0x[0-9a-f]+ is refused: "
               r"no VM started$")
    q.wait_for(READY)
    check(q, not re.search(r"^partita: vm\d", q.output, re.M), "a VM was built")


# -- the console UART ------------------------------------------------------------------


def test_console_alias(qemu, tmp_path):
    """stdout-path through an alias with options is resolved."""
    dtb = Dtb(tmp_path).put("-cp", "/aliases").put("-ts", "/aliases", "serial7",
                                                   "/pl011@9000000")
    dtb.chosen("stdout-path", "serial7:115200n8")
    q = boot_inputs(qemu, dtb.path, fail_on=ERROR + r"|^partita: warning: fdt: .*stdout")
    q.wait_for(r"^partita: console: pl011 at 0x9000000 \(serial7\)$")
    q.wait_for(READY)


CONSOLE_CASES = [
    ("serial3:115200n8", r"/chosen/stdout-path \"serial3\" names no node \(no such alias\)"),
    ("/pl011@1c090000", r"/chosen/stdout-path \"/pl011@1c090000\" names no node;"),
]


@pytest.mark.parametrize("path,why", CONSOLE_CASES, ids=["missing-alias", "missing-node"])
def test_console_path_names_nothing(qemu, tmp_path, path, why):
    dtb = Dtb(tmp_path).chosen("stdout-path", path)
    q = boot_inputs(qemu, dtb.path, fail_on=ERROR)
    q.wait_for(rf"^partita: warning: fdt: {why}.*keeping the built-in console$")
    q.wait_for(r"^partita: console: pl011 at 0x9000000 \(built-in\)$")
    q.wait_for(READY)


def uart_node(dtb, base, compatible='"arm,pl011", "arm,primecell"', extra=""):
    dtb.add_source(f"serial@{base:x} {{ compatible = {compatible}; "
                   f"reg = <0x0 0x{base:x} 0x0 0x1000>; {extra} }};")
    return dtb.chosen("stdout-path", f"/serial@{base:x}")


def test_console_reg_in_ram(qemu, tmp_path):
    """A "UART" in RAM is not written to as one: the board's UART stays."""
    dtb = uart_node(Dtb(tmp_path), 0x40010000)
    q = boot_inputs(qemu, dtb.path, fail_on=ERROR)
    q.wait_for(r"^partita: warning: fdt: /serial@40010000: reg 0x40010000-0x40010fff overlaps "
               r"RAM, not a UART; keeping the built-in console$")
    q.wait_for(READY)


def test_console_reg_over_partita(qemu, tmp_path):
    dtb = uart_node(Dtb(tmp_path), PARTITA + 0x1000)
    q = boot_inputs(qemu, dtb.path, fail_on=ERROR)
    q.wait_for(r"^partita: warning: fdt: /serial@40201000: reg 0x40201000-0x40201fff overlaps "
               r"RAM, not a UART; keeping the built-in console$")
    q.wait_for(READY)


def test_console_not_there(qemu, tmp_path):
    """A PL011 at an address where nothing answers (reads abort)."""
    dtb = uart_node(Dtb(tmp_path), 0x0b000000)
    q = boot_inputs(qemu, dtb.path, fail_on=ERROR)
    q.wait_for(r"^partita: warning: fdt: /serial@b000000: no pl011 answers at 0xb000000 \(reads "
               r"abort, or its ID registers say it is another device\); keeping the built-in "
               r"console$")
    q.wait_for(r"^partita: console: pl011 at 0x9000000 \(built-in\)$")
    q.wait_for(READY)


def broken_uart(tmp_path):
    """A "16550" that is really the board's PL011 seen with 8-byte register
    spacing: its scratch register is the PL011's UARTIMSC, which keeps what is
    written, so it passes for a 16550, but its line status is UARTFBRD, whose
    bit 5 stays 0: the transmitter never looks empty and every character
    would wait forever."""
    return uart_node(Dtb(tmp_path), 0x09000000, '"ns16550a"',
                     "reg-shift = <3>; reg-io-width = <4>;")


def test_console_never_ready(qemu, tmp_path):
    dtb = broken_uart(tmp_path)
    q = boot_inputs(qemu, dtb.path, fail_on=ERROR)
    q.wait_for(r"^partita: warning: console: the UART at 0x9000000 \(/serial@9000000\) stopped "
               r"taking characters; back to the board's UART at 0x9000000$")
    q.wait_for(READY)


def test_el2_fault_report_on_broken_console(qemu, tmp_path):
    """The fault report reaches the board's UART when the chosen one is broken."""
    dtb = broken_uart(tmp_path).chosen("bootargs", "partita.selftest=el2-fault")
    q = boot_inputs(qemu, dtb.path)
    q.wait_for(r"^partita: error: cpu0: unexpected synchronous exception from EL2$")
    q.wait_for(r"^partita: error: cpu0 stopped$")


# -- reserved regions -------------------------------------------------------------------


def test_reserved_too_many(qemu, tmp_path):
    """One reserved region more than the table holds: refused, not taken for free memory."""
    dtb = Dtb(tmp_path).memreserve([(0x50000000 + i * 0x100000, 0x1000) for i in range(33)])
    q = boot_inputs(qemu, dtb.path)
    refused(q, r"^partita: error: fdt: more than 32 reserved regions \(a /memreserve/ entry at "
               r"0x52000000 is one too many\); Partita cannot keep track of them all$")


MEMORY_CASES = [
    # (the extra bank, what the line must say)
    (0x100000000, r"RAM 0x100000000-0x10fffffff from the memory nodes is not there: reading "
                  r"0x100000000 aborts; stopping"),
    (0x1000000000000, r"cannot map RAM 0x1000000000000-0x100000fffffff at EL2 \(beyond the "
                      r"48-bit EL2 map, or out of table pages\); stopping"),
]


@pytest.mark.parametrize("base,why", MEMORY_CASES, ids=["absent", "beyond-el2-map"])
def test_memory_not_there(qemu, tmp_path, base, why):
    """A memory node claiming RAM the machine does not have (QEMU has 1 GiB): refused
    at boot, not found later by a fault at EL2 (or a panic) when memory is used."""
    dtb = Dtb(tmp_path)
    dtb.add_source(f'memory@{base:x} {{ device_type = "memory"; '
                   f'reg = <0x{base >> 32:x} 0x{base & 0xffffffff:x} 0x0 0x10000000>; }};')
    q = boot_inputs(qemu, dtb.path)
    refused(q, rf"^partita: error: memory: {why}$")
