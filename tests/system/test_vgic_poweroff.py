"""A vCPU that turns off holding a passed-through interrupt active (guests/test/irqoff.c).

vCPU 0 takes the PL031's alarm (INTID 34, HW-mapped) with EOImode 1, never
deactivates it, and calls CPU_OFF; vCPU 1 turns it on again, and the alarm
must reach its new life: vgic_vcpu_power_off() deactivated the physical SPI
that no guest would deactivate any more.
"""

import re

import pytest

import qemu as qemu_mod


@pytest.mark.parametrize("gic", [3, 2])
def test_vcpu_off_with_hw_interrupt_active(boot, gic):
    # Its configuration passes the PL031 through (guests/test/configs.mk).
    q = boot(gic=gic, smp=2, extra=["-initrd", qemu_mod.config("irqoff")],
             timeout=60, fail_on=r"^partita: error:")
    status = q.wait_exit()
    if status != 0:
        q.fail(f"QEMU exited with status {status}, not 0 (the guest's SYSTEM_OFF)")
    fails = re.findall(r"^\[\w+\] FAIL .*$", q.output, re.M)
    if fails or not re.search(r"^\[\w+\] PASS vcpu-off-hw\b", q.output, re.M):
        q.fail(f"failures: {fails}, or no PASS vcpu-off-hw")
