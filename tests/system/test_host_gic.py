"""The host GIC: redistributors found in every region the device tree gives,
and an interrupt nobody owns disabled for good. The kick (a stop request plus
SGI 0, with EOImode 1: priority drop and deactivation apart) is exercised by
test_vcpu.py::test_reset_and_power_off_with_busy_vcpus on GICv2 and GICv3."""

import re

import pytest

import qemu as qemu_mod
from test_boot_cpus import (CPU, MMIO_PASSES, expect_clean_exit, expect_verdicts, fdt,
                            online_cpus, qemu_dtb, ready)

ERROR = r"^partita: error: .*$"


def test_redistributors_in_a_second_region(boot, tmp_path):
    """The one GICv3 redistributor region of QEMU's DTB split into two reg
    entries (#redistributor-regions = 2), cpu2 and cpu3 in the second: every
    CPU finds its redistributor and both VMs run (only the first region used
    to be searched, so cpu2 and cpu3 stayed offline)."""
    dtb = qemu_dtb(tmp_path, 4)
    gic = "/intc@8000000"
    reg = fdt("fdtget", dtb, gic, "reg")
    assert len(reg) == 8, f"unexpected GIC reg {reg}"
    base = (int(reg[4]) << 32) | int(reg[5])
    first = 2 * 0x20000  # two redistributors (RD_base and SGI_base each)
    second = base + first
    reg = reg[:4] + [reg[4], reg[5], "0", str(first),
                     str(second >> 32), str(second & 0xffffffff), "0", str(2 * 0x20000)]
    fdt("fdtput", dtb, gic, "reg", *reg)
    fdt("fdtput", "-t", "u", dtb, gic, "#redistributor-regions", "2")
    q = boot(cpu=CPU, smp=4, timeout=60, fail_on=ERROR,
             extra=["-dtb", dtb, "-initrd", qemu_mod.config("mmio", 2, 4)])
    q.wait_for(r"redistributor region 1: 0x%x " % second)
    cpus, vms = ready(q)
    assert (cpus, vms) == (4, 2), f"ready line says cpus={cpus} vms={vms}, expected 4 and 2"
    out = expect_clean_exit(q)
    assert online_cpus(out) == [1, 2, 3]
    expect_verdicts(q, out, MMIO_PASSES)


@pytest.mark.parametrize("gic", [3, 2])
def test_unowned_spi_is_disabled(boot, gic):
    """An SPI nobody owns, left enabled and pending (partita.selftest=spi does
    what a boot loader might): taken while a guest runs, it is disabled with
    one warning and never seen again, and the guest carries on."""
    q = boot(gic=gic, cpu=CPU, smp=2, timeout=60, fail_on=ERROR,
             extra=["-initrd", qemu_mod.config("mmio"), "-append", "partita.selftest=spi"])
    q.wait_for(r"^partita: selftest: SPI 34 enabled and pending, routed to cpu0\s*$")
    q.wait_for(r"^partita: warning: cpu0: interrupt 34 has no owner; disabled\s*$")
    out = expect_clean_exit(q)
    assert len(re.findall(r"interrupt 34 has no owner", out)) == 1
    expect_verdicts(q, out, MMIO_PASSES)
