"""Nothing survives a vCPU restart, and the ID registers tell the truth.

resetstate (guests/test/resetstate.c) dirties every register a guest reaches
beyond its general registers on vCPU 1 and vCPU 0, then checks them after
PSCI CPU_OFF/CPU_ON and SYSTEM_RESET. idregs (guests/test/idregs.c) reads
the whole trapped ID space and uses the registers of every feature it
advertises.
"""

import re

import pytest

import qemu as qemu_mod
from test_vcpu import ERROR, expect_pass, run_guest

RESET_STATE = ["reset-state-first-boot", "reset-state-first-cpu-on", "reset-state-cpu-off-on",
               "reset-state-system-reset-vcpu0", "reset-state-system-reset-vcpu1",
               "reset-state-sequence", "reset-state-gic-frames-unreachable"]


@pytest.mark.parametrize("gic,cpu", [(2, "cortex-a57"), (3, "cortex-a57"), (2, "max"),
                                     (3, "max")])
def test_nothing_survives_a_vcpu_restart(boot, gic, cpu):
    q, out = run_guest(boot, "resetstate", gic=gic, cpu=cpu, smp=2)
    expect_pass(q, out, RESET_STATE)
    assert "resetstate: boot 2" in out and "resetstate: boot 3" not in out


IDREGS = ["idregs-raz", "idregs-exception-levels", "idregs-parange", "idregs-aarch32",
          "idregs-features-work"]


@pytest.mark.parametrize("cpu,gic,machine", [("cortex-a57", 3, ""), ("cortex-a76", 3, ""),
                                             ("neoverse-n1", 3, ""), ("max", 3, ""),
                                             ("max", 3, ",mte=on"), ("max", 2, "")])
def test_id_registers_tell_the_truth(boot, cpu, gic, machine):
    # A second -M adds properties to the first (here: tag memory, so MTE is there).
    q = boot(cpu=cpu, gic=gic, smp=1, extra=["-initrd", qemu_mod.config("idregs")] +
             (["-M", f"virt,virtualization=on,gic-version={gic}{machine}"] if machine else []),
             timeout=60, fail_on=ERROR)
    if q.wait_exit() != 0:
        q.fail("QEMU did not exit with status 0")
    expect_pass(q, q.output, IDREGS)
    if cpu == "max":
        # MTE (with tag memory), LORegions, FEAT_CSV2_2 and EL2 are hidden.
        assert "MTE2 advertised" not in q.output and "LOR advertised" not in q.output
        assert "SME FA64 advertised" in q.output and "RAS advertised" in q.output
        # The GICv3 CPU interface only with a GICv3 host.
        assert ("GICv3 CPU interface advertised" in q.output) == (gic == 3)


def test_id_register_reads_are_quick(qemu, partita_bin):
    """Under -icount shift=0 the guest counts instructions: a trapped ID read
    costs about what the exit path's trapped ACTLR_EL1 read costs."""
    q = qemu(qemu_mod.machine_args(smp=1) + ["-icount", "shift=0", "-kernel", partita_bin,
                                             "-initrd", qemu_mod.config("idregs")], timeout=60)
    assert q.wait_exit() == 0
    m = re.search(r"^\[test0\] idregs: cost id (\d+) actlr (\d+)$", q.output, re.M)
    assert m, "the guest did not report its costs"
    idc, actlr = int(m.group(1)), int(m.group(2))
    assert idc < 130 and idc <= actlr + 30, f"ID register read: {idc} instructions " \
        f"(trapped ACTLR_EL1 read: {actlr})"
