"""Nothing survives a vCPU restart, and the ID registers tell the truth.

resetstate (guests/test/resetstate.c) dirties every register a guest reaches
beyond its general registers on vCPU 1 and vCPU 0, then checks them after
PSCI CPU_OFF/CPU_ON and SYSTEM_RESET. idregs (guests/test/idregs.c) reads
the whole trapped ID space and uses the registers of every feature it
advertises.
"""

import re

import pytest

from test_vcpu import ERROR, expect_pass, run_guest

RESET_STATE = ["reset-state-first-boot", "reset-state-first-cpu-on", "reset-state-cpu-off-on",
               "reset-state-system-reset-vcpu0", "reset-state-system-reset-vcpu1",
               "reset-state-sequence"]


@pytest.mark.parametrize("gic,cpu", [(2, "cortex-a57"), (3, "cortex-a57"), (2, "max"),
                                     (3, "max")])
def test_nothing_survives_a_vcpu_restart(boot, gic, cpu):
    q, out = run_guest(boot, "resetstate", gic=gic, cpu=cpu, smp=2)
    expect_pass(q, out, RESET_STATE)
    assert "resetstate: boot 2" in out and "resetstate: boot 3" not in out
