"""Hostile boot inputs, second round: memory nodes over devices, GIC frames and
console UARTs that EL2 cannot map, "UARTs" that are other devices, and a
system counter without a frequency. Each ends in one line (a stop or a
warning), never in a fault at EL2 or a panic. Booted through the shim of
test_boot_inputs.py, so the DTB reaches Partita as written."""

import qemu as qemu_mod
from test_boot_inputs import (DTB_ADDR, ERROR, PARTITA, READY, SHIM_PARAMS, Dtb, loader,
                              refused, shim_elf, uart_node)


def boot(qemu, dtb, extra=(), fail_on=None):
    """As test_boot_inputs.boot_inputs, with extra QEMU arguments (more loader words)."""
    args = qemu_mod.machine_args("virt,virtualization=on,gic-version=3", "cortex-a57", 2)
    args += loader(PARTITA, qemu_mod.partita_bin()) + loader(DTB_ADDR, dtb)
    args += loader(SHIM_PARAMS, data=DTB_ADDR) + loader(SHIM_PARAMS + 8, data=PARTITA)
    args += list(extra)
    args += ["-device", f"loader,file={shim_elf()},cpu-num=0"]
    return qemu(args, timeout=15.0, fail_on=fail_on, name="partita via the shim")


def test_memory_over_gic(qemu, tmp_path):
    """The reviewer's case: a memory node over the GIC distributor once had the VM's
    stage-2 tables built in it. Refused, naming the node, reg index and the frame."""
    dtb = Dtb(tmp_path)
    dtb.add_source('memory@8000000 { device_type = "memory"; reg = <0x0 0x8000000 0x0 0x10000>; };')
    refused(boot(qemu, dtb.path),
            r"^partita: error: fdt: /memory@8000000: reg\[0\] 0x8000000-0x800ffff overlaps the "
            r"GIC distributor \(GICD\) at 0x8000000-0x800ffff; it is not RAM$")


def test_memory_below_ram(qemu, tmp_path):
    """A memory node over the flash (below qemu-virt's RAM at 1 GiB) is refused."""
    dtb = Dtb(tmp_path)
    dtb.add_source('memory@0 { device_type = "memory"; reg = <0x0 0x0 0x0 0x100000>; };')
    refused(boot(qemu, dtb.path),
            r"^partita: error: fdt: /memory@0: reg\[0\] 0x0-0xfffff starts below qemu-virt's "
            r"RAM at 0x40000000, among its devices; it is not RAM$")


def test_gic_frame_beyond_el2_map(qemu, tmp_path):
    """A GIC distributor beyond 48 bits used to panic in the EL2 map."""
    dtb = Dtb(tmp_path).put("-tx", "/intc@8000000", "reg", "10000", "8000000", "0", "10000",
                            "0", "80a0000", "0", "f60000")
    refused(boot(qemu, dtb.path),
            r"^partita: error: fdt: intc@8000000: reg\[0\], the distributor \(GICD\) \(base "
            r"0x1000008000000, size 0x10000\), lies beyond the 48-bit reach of the EL2 map$")


def test_gic_redistributors_too_small(qemu, tmp_path):
    """A redistributor region under 128 KiB would fault at its SGI_base frame."""
    dtb = Dtb(tmp_path).put("-tx", "/intc@8000000", "reg", "0", "8000000", "0", "10000",
                            "0", "80a0000", "0", "10000")
    refused(boot(qemu, dtb.path),
            r"^partita: error: fdt: intc@8000000: reg\[1\], the redistributor region \(GICR\) "
            r"at 0x80a0000, is 0x10000 bytes; it takes at least 0x20000$")


def test_console_beyond_el2_map(qemu, tmp_path):
    """A console UART beyond 48 bits used to panic ("cannot map the console UART")."""
    dtb = Dtb(tmp_path)
    dtb.add_source('serial@1000009000000 { compatible = "arm,pl011", "arm,primecell"; '
                   'reg = <0x10000 0x9000000 0x0 0x1000>; };')
    dtb.chosen("stdout-path", "/serial@1000009000000")
    q = boot(qemu, dtb.path, fail_on=ERROR)
    q.wait_for(r"^partita: warning: fdt: /serial@1000009000000: reg \(base 0x1000009000000, size "
               r"0x1000\) lies beyond the 48-bit EL2 map; keeping the built-in console$")
    q.wait_for(READY)


def test_console_over_gic(qemu, tmp_path):
    """A "UART" over the GIC distributor is never written to."""
    dtb = uart_node(Dtb(tmp_path), 0x08000000)
    q = boot(qemu, dtb.path, fail_on=ERROR)
    q.wait_for(r"^partita: warning: fdt: /serial@8000000: reg 0x8000000-0x8000fff overlaps the "
               r"GIC distributor \(GICD\), not a UART; keeping the built-in console$")
    q.wait_for(READY)


def test_console_pl011_is_another_device(qemu, tmp_path):
    """A "PL011" that is QEMU's PL031 RTC: its reads succeed, but its PrimeCell
    peripheral ID is the PL031's."""
    dtb = uart_node(Dtb(tmp_path), 0x09010000)
    q = boot(qemu, dtb.path, fail_on=ERROR)
    q.wait_for(r"^partita: warning: fdt: /serial@9010000: no pl011 answers at 0x9010000 \(reads "
               r"abort, or its ID registers say it is another device\); keeping the built-in "
               r"console$")
    q.wait_for(r"^partita: console: pl011 at 0x9000000 \(built-in\)$")
    q.wait_for(READY)


def test_console_16550_is_another_device(qemu, tmp_path):
    """A "16550" that is the PL031 RTC: its scratch register (RTCICR, write-only)
    does not keep what is written."""
    dtb = uart_node(Dtb(tmp_path), 0x09010000, '"ns16550a"', "reg-shift = <2>; reg-io-width = <4>;")
    q = boot(qemu, dtb.path, fail_on=ERROR)
    q.wait_for(r"^partita: warning: fdt: /serial@9010000: no ns16550 answers at 0x9010000 \(reads "
               r"abort, or its scratch register does not keep a value\); keeping the built-in "
               r"console$")
    q.wait_for(READY)


def test_console_16550_reg_shift_too_large(qemu, tmp_path):
    dtb = uart_node(Dtb(tmp_path), 0x09010000, '"ns16550a"', "reg-shift = <64>;")
    q = boot(qemu, dtb.path, fail_on=ERROR)
    q.wait_for(r"^partita: warning: fdt: /serial@9010000: reg-shift 64 is more than 4; keeping "
               r"the built-in console$")
    q.wait_for(READY)


def test_cntfrq_zero(qemu, tmp_path):
    """Firmware that left CNTFRQ_EL0 at 0: every timeout would expire at once (the
    secondary CPUs' arrival, the UART waits). Refused with a line."""
    dtb = Dtb(tmp_path)
    extra = loader(SHIM_PARAMS + 16, data=1) + loader(SHIM_PARAMS + 24, data=0)
    refused(boot(qemu, dtb.path, extra),
            r"^partita: error: CNTFRQ_EL0 is 0: the firmware did not set the system counter's "
            r"frequency; stopping$")


def test_many_unaligned_no_map_regions(qemu, tmp_path):
    """32 no-map reserved regions (the most the table holds), each two pages
    across a 2 MiB boundary: a valid tree. Each one splits two 2 MiB blocks of
    the RAM map into level-3 tables; the EL2 map must have the table pages for
    all of them (64), besides the image's, the FDT's and the devices'."""
    nodes = "".join(f"r{i}: region@{0x501ff000 + i * 0x400000:x} {{ "
                    f"reg = <0x0 0x{0x501ff000 + i * 0x400000:x} 0x0 0x2000>; no-map; }};"
                    for i in range(32))
    dtb = Dtb(tmp_path)
    dtb.add_source("reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges; "
                   + nodes + " };")
    q = boot(qemu, dtb.path, fail_on=ERROR)
    q.wait_for(READY)
