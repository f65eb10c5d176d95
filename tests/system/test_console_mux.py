"""Console multiplexing: several VMs share the physical UART (vcpu/vuart.c),
Ctrl-] three times moves the input focus through them and Partita's monitor
(core/monitor.c), and a VM's unfinished line (a prompt) shows after a short
quiet time.

The bare-metal tests run guests/test/mux.c twice (mux-2vm-smp2.vmimg: VMs
test0 on cpu0 and test1 on cpu1): each shows a prompt "mux> " without a
newline and without touching UARTIMSC, so only the quiet-time flush can
show it, reads a line by polling its PL011 and answers "mux: got LINE",
or powers off ("off") or restarts ("reset"). The Linux tests boot
guests/two-linux.dts: two Linux VMs, one vCPU each.
"""

import os
import re
import time

import pytest

import qemu as qemu_mod
import test_linux as tl
import test_vcpu as tv

KEY = "\x1d\x1d\x1d"  # Ctrl-] three times: the focus moves on


def wait_raw(q, text, timeout, start=None):
    """Waits until text appears in the output after what was matched so far
    (or after start), a whole line or not (a prompt); moves the match
    position past it."""
    until = min(q.deadline, time.monotonic() + timeout)
    while True:
        pos = q.output.find(text, q._pos if start is None else start)  # pylint: disable=protected-access
        if pos >= 0:
            q._pos = pos + len(text)  # pylint: disable=protected-access
            return
        if time.monotonic() >= until or not q._read(until):  # pylint: disable=protected-access
            q.fail(f"no {text!r} in the output")


def type_slowly(q, text):
    """Types text on the serial port at a person's pace."""
    for ch in text:
        q.send(ch)
        time.sleep(0.02)


@pytest.fixture
def mux_boot(request, partita_bin):
    """Factory: Partita with the two mux VMs on -smp 2, typing enabled."""
    started = []
    request.node.partita_qemus = started

    def start(gic):
        machine = f"virt,virtualization=on,gic-version={gic}"
        args = qemu_mod.machine_args(machine, "cortex-a57", 2) + [
            "-kernel", partita_bin, "-initrd", qemu_mod.config("mux", vms=2, smp=2)]
        q = qemu_mod.Qemu(args, timeout=120, name=f"partita on {machine}", fail_on=tv.ERROR,
                          stdin=True)
        test = re.sub(r"[^\w.=-]+", "_", request.node.nodeid.split("::", 1)[-1])
        q.log_path = os.path.join(qemu_mod.LOG_DIR, f"{test}.log")
        started.append(q)
        return q.start()

    try:
        yield start
    finally:
        for q in started:
            q.kill()


@pytest.mark.parametrize("gic", [3, 2])
def test_mux_focus_monitor_and_stopped_vm(mux_boot, gic):
    """Each VM's prompt shows by the quiet-time flush; input goes to the
    focused VM only; Ctrl-] three times moves the focus to the other VM, then
    to the monitor (list, stats, help, an unknown command), then back; one
    or two Ctrl-] followed by another key reach the guest; after the VM whose
    CPU takes the console's interrupt powers off, the key still works (its
    idle CPU serves the UART) and the other VM still gets its input; a VM
    restarts alone; the last poweroff ends QEMU with status 0."""
    q = mux_boot(gic)
    q.wait_for(r"^partita: console: input goes to vm test0; the UART's interrupt, INTID 33, "
               r"is taken on cpu0$")
    q.wait_for(r"^partita: console: Ctrl-\] three times moves the input to the next VM or "
               r"the monitor$")
    # Neither guest ends its prompt's line nor writes UARTIMSC: the quiet time shows it.
    start = q._pos  # pylint: disable=protected-access
    for vm in ["test0", "test1"]:
        wait_raw(q, f"[{vm}] mux> ", 30, start)
    type_slowly(q, "hello\r")
    q.wait_for(r"^\[test0\] mux: got hello$")
    type_slowly(q, KEY)
    q.wait_for(r"^partita: input now goes to vm test1$")
    type_slowly(q, "world\r")
    q.wait_for(r"^\[test1\] mux: got world$")
    # One Ctrl-] is held back, then passed on with the next key: the guest gets both.
    type_slowly(q, "\x1da\x1d\x1db\r")
    q.wait_for(r"^\[test1\] mux: got \\x1da\\x1d\\x1db$")
    type_slowly(q, KEY)
    q.wait_for(r"^partita: input now goes to the monitor: type help; Ctrl-\] three times "
               r"moves on$")
    wait_raw(q, "partita> ", 10)
    type_slowly(q, "list\r")
    q.wait_for(r"^vm  name +state +vcpus on  cpus +ram$")
    q.wait_for(r"^0   test0 +running +1 +1 +0 +64 MiB at IPA 0x40000000 \(PA 0x[0-9a-f]+\), "
               r"boots 1$")
    q.wait_for(r"^1   test1 +running +1 +1 +1 +64 MiB at IPA 0x40000000 ")
    type_slowly(q, "stats\r")
    counts = {}
    for vm in ["test0", "test1"]:
        m = q.expect(rf"^vm {vm}: exits (\d+): hvc (\d+) smc \d+ sysreg \d+ mmio (\d+) iabt \d+ "
                     r"wfx \d+ irq (\d+) serror \d+ other \d+; interrupts injected \d+$")
        counts[vm] = [int(g) for g in m.groups()]
    for vm, (total, hvc, mmio, irq) in counts.items():
        # The guest polls its UART: MMIO exits; the quiet-time timer: IRQ exits.
        assert hvc >= 1 and mmio > 100 and irq >= 1 and total >= hvc + mmio + irq, (vm, counts)
    type_slowly(q, "help\r")
    q.wait_for(r"^  stats +each VM's exits by reason, and interrupts injected$")
    type_slowly(q, "bogus\r")
    q.wait_for(r"^bogus: no such command \(help lists them\)$")
    # The VM whose CPU takes the console's interrupt powers off: cpu0 now idles.
    type_slowly(q, KEY)
    q.wait_for(r"^partita: input now goes to vm test0$")
    type_slowly(q, "off\r")
    q.wait_for(r"^partita: vm0 test0: powered off \(PSCI SYSTEM_OFF\), by vcpu0$")
    type_slowly(q, KEY)
    q.wait_for(r"^partita: input now goes to vm test1$")
    type_slowly(q, "ping\r")
    q.wait_for(r"^\[test1\] mux: got ping$")
    type_slowly(q, KEY)
    q.wait_for(r"^partita: input now goes to the monitor")
    type_slowly(q, "list\r")
    q.wait_for(r"^0   test0 +stopped +1 +0 +0 ")
    q.wait_for(r"^1   test1 +running +1 +1 +1 ")
    type_slowly(q, KEY)
    q.wait_for(r"^partita: input now goes to vm test0 \(stopped\)$")
    type_slowly(q, KEY)
    q.wait_for(r"^partita: input now goes to vm test1$")
    type_slowly(q, "reset\r")
    q.wait_for(r"^partita: vm1 test1: reset \(PSCI SYSTEM_RESET\), by vcpu0$")
    q.wait_for(r"^\[test1\] mux: up, boot 2$")
    wait_raw(q, "[test1] mux> ", 10)
    type_slowly(q, "off\r")
    q.wait_for(r"^partita: every VM has stopped: powering off$")
    assert q.wait_exit() == 0
    out = q.output
    # Nothing typed for one VM reached the other.
    assert "[test1] mux: got hello" not in out and "[test0] mux: got world" not in out
    assert "[test0] mux: got ping" not in out
