"""Guest console output never passes for Partita's, and a VM whose vCPUs all
turn off ends like one that powered off.

The console guest (guests/test/console.c) writes a forged `partita:` line, a
carriage return, ANSI escapes, control bytes and bytes above 0x7e, and a line
too long for one piece; every line it wrote must come out behind its VM's tag
`[test0] `, with those bytes escaped as `\\xHH` (a backslash as `\\\\`). The
cpuoff guest ends every vCPU with PSCI CPU_OFF and never calls SYSTEM_OFF.
"""

import re

import pytest

import test_vcpu as tv

READY = r"^partita: ready: .*$"

# What the console guest wrote, as the console must show it, line by line.
CONSOLE_LINES = [
    "[test0] partita: every VM has stopped: powering off",
    "[test0] partita: error: forged",
    "[test0] hiddenpartita: error: carriage return",
    "[test0] \\x1b[2K\\x1b[1Gpartita: error: ansi",
    "[test0] two",
    "[test0] partita: error: second line",
    "[test0] bytes:\\x00\\x07\\x08\\x7f\\x80\\xff\\\\\tend",
    "[test0] split line",
    "[test0] " + "a" * 159,
    "[test0] partita: error: wrapped",
    "[test0] console: done",
]


# Partita's line for each VM's start (its counter then, for make bench).
STARTED = re.compile(r"^partita: vm\d+ \S+: started at counter \d+$")


def lines_after_ready(q, out):
    m = re.search(READY, out, re.M)
    if not m:
        q.fail("no ready line")
    return [l for l in out[m.end() + 1:].splitlines() if not STARTED.match(l)]


def test_guest_text_is_tagged_and_escaped(boot):
    q, out = tv.run_guest(boot, "console")
    assert lines_after_ready(q, out) == CONSOLE_LINES + [
        "partita: vm0 test0: powered off (PSCI SYSTEM_OFF), by vcpu0",
        "partita: every VM has stopped: powering off",
    ]
    # Nothing the guest sent reached the terminal raw.
    for raw in ["\x1b", "\r", "\x00", "\x07", "\x08", "\x7f", "\ufffd"]:
        assert raw not in out, f"{raw!r} reached the console unescaped"


def test_guest_text_is_tagged_with_two_vms(boot):
    q, out = tv.run_guest(boot, "console", vms=2)
    for vm in ["test0", "test1"]:
        got = [l for l in out.splitlines() if l.startswith(f"[{vm}] ")]
        assert got == [l.replace("[test0]", f"[{vm}]", 1) for l in CONSOLE_LINES]
    assert len(re.findall(r"^partita: every VM has stopped", out, re.M)) == 1


@pytest.mark.parametrize("vms", [1, 2])
def test_last_cpu_off_stops_the_vm(boot, vms):
    """Each VM's vCPUs turn off in a chain, each right after its CPU_ON of the
    next (a pending power-on keeps the VM alive); the last one off stops the
    VM, and the last VM stopped powers the machine off: QEMU exits with 0."""
    q, out = tv.run_guest(boot, "cpuoff", vms=vms, timeout=30)
    assert "FAIL" not in out
    per_vm = 4 // vms
    for vm in range(vms):
        name = f"test{vm}"
        got = [l for l in out.splitlines() if l.startswith(f"[{name}] ")]
        assert got == [f"[{name}] cpuoff: vcpu{i} of {per_vm} on" for i in range(per_vm)]
        stops = [l for l in re.findall(rf"^partita: vm{vm} {name}: .*$", out, re.M)
                 if not STARTED.match(l)]
        assert stops[1:] == [f"partita: vm{vm} {name}: stopped, its last vCPU being off "
                             f"(PSCI CPU_OFF), by vcpu{per_vm - 1}"]
    lines = out.splitlines()
    assert lines[-1] == "partita: every VM has stopped: powering off"
    assert len(re.findall(r"^partita: every VM has stopped", out, re.M)) == 1
