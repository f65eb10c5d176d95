"""Isolation under load (issue 9): guests/test/load.c runs as two VMs
(load-2vm-smp2.vmimg). test1 is a noisy neighbour for 12 s: it sweeps its
RAM, makes hypercalls, traps on its distributor, sends itself SGIs and runs
its virtual timer at 10 kHz. test0, beside it, runs its virtual timer at
1 kHz for 2000 periods and checks in the guest that the interrupts kept
their programmed rate and that its vCPU's exits over that window (the
VCPU_EXITS hypercall) were its own timer's interrupts and its own call,
none caused by the neighbour; then its console answers a line typed while
the neighbour is still busy. Under GICv3 and GICv2.
"""

import pytest

import qemu as qemu_mod
import test_vcpu as tv


@pytest.mark.parametrize("gic", [3, 2])
def test_isolation_under_load(boot, gic):
    """The measured VM keeps its timer rate, has no exit it did not cause,
    and answers typed input while its neighbour loads the machine."""
    q = boot(gic=gic, smp=2, extra=["-initrd", qemu_mod.config("load", vms=2, smp=2)],
             timeout=90, fail_on=tv.ERROR, stdin=True)
    q.expect(r"^\[test1\] load: neighbour busy for 12 s$")
    q.expect(r"^\[test0\] load: (\d+) timer interrupts in \d+ us")
    q.expect(r"^\[test0\] PASS load-rate$")
    q.expect(r"^\[test0\] load: \d+ exits in the window, \d+ of them for interrupts")
    q.expect(r"^\[test0\] PASS load-exits$")
    q.expect(r"^\[test0\] load: type a line$")
    q.send("still-here\r")
    q.expect(r'^\[test0\] load: got "still-here"$')
    q.expect(r"^\[test0\] PASS load-console$")
    # All of that while the neighbour was still at work.
    assert "neighbour done" not in q.output, "the neighbour finished before test0 was done"
    q.expect(r"^\[test1\] load: neighbour done: [1-9]\d* rounds, ")
    q.expect(r"^\[test1\] PASS load-neighbour$")
    assert q.wait_exit() == 0
    assert "FAIL" not in q.output
