"""The exit-path budgets, held by counting (not timing): under -icount shift=0
QEMU advances virtual time one nanosecond per instruction, so the bench guest
measures instructions per round trip exactly and the same on every run."""

import re

import qemu as qemu_mod

BUDGETS = {"hvc": 100, "mmio-read": 120}


def test_exit_path_budgets(qemu, partita_bin):
    bench = qemu_mod.config("bench")
    q = qemu(qemu_mod.machine_args(smp=1) + ["-icount", "shift=0", "-kernel", partita_bin,
                                             "-initrd", bench], timeout=60)
    assert q.wait_exit() == 0
    got = {m.group(1): float(m.group(2))
           for m in re.finditer(r"^\[test0\] bench ([\w-]+) ([\d.]+)$", q.output, re.M)}
    for name, budget in BUDGETS.items():
        assert name in got, f"the bench guest did not report {name}"
        assert got[name] < budget, f"{name}: {got[name]} instructions, budget {budget}"
