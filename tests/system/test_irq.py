"""Interrupts and timers as guests see them: the irq guest (guests/test/irq.c)
and the interrupt bench guest (bench/irqbench.c).

Each guest runs twice over:

- natively, on QEMU -M virt,virtualization=off, the guest alone at EL1 (the
  build/guests/native/ variant: console on the PL011, PSCI through QEMU's own
  HVC conduit, loaded by -kernel at RAM + 2 MiB). This proves the guests
  themselves against QEMU's GIC and timers, and runs in make check now;
- under Partita (build/guests/<name>.bin as its VM), on every GIC version in
  VGIC_VERSIONS, the bench budgets on GICv3 and GICv2 alike.

The guest prints `PASS name` / `FAIL name: why`; every verdict below must be
PASS and none FAIL. What each verdict checks is said in irq.c.
"""

import os
import re

import pytest

import qemu as qemu_mod

ERROR = r"^partita: error:"
VGIC = bool(os.environ.get("PARTITA_VGIC"))


# The GIC versions Partita virtualizes: their Partita variants always run.
VGIC_VERSIONS = {3, 2}


def needs_vgic(gic):
    """A GIC version without its vGIC backend yet waits for it (set PARTITA_VGIC to run
    its Partita variants anyway)."""
    return pytest.mark.skipif(gic not in VGIC_VERSIONS and not VGIC,
                              reason=f"under Partita on GICv{gic}: needs its vGIC (set PARTITA_VGIC)")

VERDICTS = ["gic-regs", "gic-mask", "vtimer", "ptimer", "sgi", "irq-priority", "sgi-storm",
            "rtc-spi", "irq-stray", "hw-regs"]
# More active interrupts than list registers (deep preemption, late DIR).
OVERFLOW = ["lr-overflow-nest", "lr-overflow-dir"]
# Under Partita the VM must own the PL031 RTC (SPI 2) for rtc-spi: the irq
# guest's configurations pass /pl031@9010000 through to test0 (guests/test/configs.mk).

# The bench budgets under Partita (instructions, -icount shift=0), from issue 7.
BUDGETS = {"irq-timer": 400, "irq-sgi-self": 400}


def image(name, native):
    path = os.path.join(qemu_mod.build_dir(), "guests", "native" if native else "", f"{name}.bin")
    if not os.path.isfile(path):
        pytest.fail(f"{path} does not exist: build it first (make guests)", pytrace=False)
    return path


def run_native(qemu, name, gic, smp, cpu="cortex-a57", extra=(), timeout=60):
    """The guest alone on QEMU (no EL2): returns (qemu, console output) once it powered off."""
    args = qemu_mod.machine_args(f"virt,virtualization=off,gic-version={gic}", cpu, smp) + \
        ["-kernel", image(name, True)] + list(extra)
    q = qemu(args, timeout=timeout, name=f"native {name} gic{gic} smp{smp} {cpu}")
    status = q.wait_exit()
    if status != 0:
        q.fail(f"QEMU exited with status {status}, not 0 (the guest's SYSTEM_OFF)")
    return q, q.output


def run_partita(boot, name, gic, smp, cpu="cortex-a57", vms=1, extra=(), timeout=120):
    args = ["-initrd", qemu_mod.config(name, vms, smp)]
    q = boot(gic=gic, cpu=cpu, smp=smp, extra=args + list(extra), timeout=timeout,
             fail_on=ERROR)
    status = q.wait_exit()
    if status != 0:
        q.fail(f"QEMU exited with status {status}, not 0 (SYSTEM_OFF of the last VM)")
    return q, q.output


def expect_verdicts(q, out, names, tag=None):
    prefix = rf"\[{tag}\] " if tag else r"(?:\[\w+\] )?"
    fails = re.findall(rf"^{prefix}FAIL .*$", out, re.M)
    missing = [n for n in names if not re.search(rf"^{prefix}PASS {n}\b", out, re.M)]
    if fails or missing:
        q.fail(f"{tag or 'guest'}: failures: {fails}, never reported PASS: {missing}")


NATIVE = [(3, 1), (3, 4), (2, 1), (2, 4)]


@pytest.mark.parametrize("gic,smp", NATIVE, ids=[f"gicv{g}-smp{n}" for g, n in NATIVE])
def test_irq_guest_native(qemu, gic, smp):
    q, out = run_native(qemu, "irq", gic, smp)
    expect_verdicts(q, out, VERDICTS + OVERFLOW)


def test_irq_guest_native_smp8_max(qemu):
    q, out = run_native(qemu, "irq", 3, 8, cpu="max")
    expect_verdicts(q, out, VERDICTS + OVERFLOW)


@pytest.mark.parametrize("gic", [3, 2])
def test_irq_bench_native(qemu, gic):
    """The bench guest natively: it reports each figure (no budget: QEMU's GIC alone)."""
    q, out = run_native(qemu, "irqbench", gic, 2, extra=["-icount", "shift=0"])
    assert "FAIL" not in out
    for name in ["irq-timer", "irq-sgi-self", "irq-sgi-rtt"]:
        assert re.search(rf"^bench {name} [\d.]+$", out, re.M), f"no {name} figure"


PARTITA = [(g, n, c) for g in (3, 2) for n in ((1, 4, 8) if g == 3 else (1, 4))
           for c in ("cortex-a57", "max")]


@pytest.mark.parametrize("gic,smp,cpu",
                         [pytest.param(g, n, c, marks=needs_vgic(g)) for g, n, c in PARTITA],
                         ids=[f"gicv{g}-smp{n}-{c}" for g, n, c in PARTITA])
def test_irq_guest_partita(boot, gic, smp, cpu):
    q, out = run_partita(boot, "irq", gic, smp, cpu)
    expect_verdicts(q, out, VERDICTS + OVERFLOW + ["vtimer-start"], tag="test0")


@pytest.mark.parametrize("gic,smp", [pytest.param(g, n, marks=needs_vgic(g))
                                     for g, n in [(3, 4), (3, 8), (2, 4)]])
def test_irq_two_vms(boot, gic, smp):
    """Two VMs run the irq guest at once: each sees exactly its own SGIs, timers and
    SPIs (exact counts, irq-stray), and a target list naming every Aff0 reaches only
    its own vCPUs. The RTC is vm0's; vm1 must never see its INTID."""
    q, out = run_partita(boot, "irq", gic, smp, vms=2)
    expect_verdicts(q, out, VERDICTS + OVERFLOW + ["vtimer-start"], tag="test0")
    expect_verdicts(q, out, [v for v in VERDICTS if v != "rtc-spi"] + OVERFLOW +
                    ["vtimer-start"], tag="test1")


@pytest.mark.parametrize("gic", [3, 2])
def test_irq_bench_budgets(boot, gic):
    """Under -icount shift=0 the bench guest counts instructions: the timer's and the
    self-SGI's paths within budget, and the SGI round trip between two vCPUs finishes."""
    q, out = run_partita(boot, "irqbench", gic, 2, extra=["-icount", "shift=0"])
    got = {m.group(1): float(m.group(2))
           for m in re.finditer(r"^\[test0\] bench ([\w-]+) ([\d.]+)$", out, re.M)}
    for name, budget in BUDGETS.items():
        assert name in got, f"the bench guest did not report {name}"
        assert got[name] <= budget, f"{name}: {got[name]} instructions, budget {budget}"
    assert "irq-sgi-rtt" in got, "the SGI round trip between vCPU 0 and 1 never finished"
    assert "FAIL" not in out
