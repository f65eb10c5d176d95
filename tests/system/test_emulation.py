"""Instructions Partita completes for a guest look completed as the CPU would.

The emul guest (guests/test/emul.c) single-steps emulated instructions at
EL1, makes big-endian MMIO accesses at EL1 and EL0, and runs AArch64, A32 and
T32 code at EL0, T32 with emulated loads inside IT blocks.
"""

import pytest

from test_vcpu import CPUS, ERROR, expect_pass, run_guest

NAMES = ["step-emulated", "big-endian-el1", "el0-a64", "el0-a64-big-endian", "el0-a32",
         "el0-a32-big-endian", "el0-t32-setend", "el0-t32-it",
         "el0-t32-step"]


@pytest.mark.parametrize("cpu", CPUS)
def test_emulated_instructions(boot, cpu):
    q, out = run_guest(boot, "emul", cpu=cpu, smp=1)
    expect_pass(q, out, NAMES)
    # Nothing the guest did was refused or left unhandled.
    assert "partita: warning:" not in out, out
