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

import re
import time

import pytest

import qemu as qemu_mod
import test_linux as tl
import test_vcpu as tv

KEY = "\x1d\x1d\x1d"  # Ctrl-] three times: the focus moves on

# Debian's kernel and the busybox initramfs, downloaded once (test_linux.py's fixture).
linux_images = tl.linux_images


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


@pytest.mark.parametrize("gic", [3, 2])
def test_mux_focus_monitor_and_stopped_vm(boot, gic):
    """Each VM's prompt shows by the quiet-time flush; input goes to the
    focused VM only; Ctrl-] three times moves the focus to the other VM, then
    to the monitor (list, stats, help, an unknown command), then back; one
    or two Ctrl-] followed by another key reach the guest; after the VM whose
    CPU takes the console's interrupt powers off, the key still works (its
    idle CPU serves the UART) and the other VM still gets its input; the
    monitor restarts the stopped VM, which counts as running again; a VM
    restarts alone; the monitor stops a VM and refuses to stop it twice; the
    last poweroff ends QEMU with status 0."""
    q = boot(gic=gic, smp=2, extra=["-initrd", qemu_mod.config("mux", vms=2, smp=2)],
             timeout=120, fail_on=tv.ERROR, stdin=True)
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
    # The monitor restarts the stopped VM; the machine stays up for it.
    mark = len(q.output)
    type_slowly(q, "restart test0\r")
    q.wait_for(r"^\[test0\] mux: up, boot 2$")
    # The reply and test0's CPU's log line come in either order.
    for line in [r"^restart test0: asked; its CPUs carry it out$",
                 r"^partita: vm0 test0: restarted from the monitor$"]:
        assert re.search(line, q.output[mark:], re.M), line
    type_slowly(q, KEY)
    q.wait_for(r"^partita: input now goes to vm test0$")
    type_slowly(q, "again\r")
    q.wait_for(r"^\[test0\] mux: got again$")
    type_slowly(q, KEY)
    q.wait_for(r"^partita: input now goes to vm test1$")
    type_slowly(q, "reset\r")
    q.wait_for(r"^partita: vm1 test1: reset \(PSCI SYSTEM_RESET\), by vcpu0$")
    q.wait_for(r"^\[test1\] mux: up, boot 2$")
    wait_raw(q, "[test1] mux> ", 10)
    # The monitor stops a running VM; a second stop is refused.
    type_slowly(q, KEY)
    q.wait_for(r"^partita: input now goes to the monitor")
    mark = len(q.output)
    type_slowly(q, "stop test0\r")
    # A log line starts a line of its own, even after the monitor's prompt.
    q.wait_for(r"^partita: vm0 test0: stopped from the monitor, by vcpu0$")
    type_slowly(q, "stop test0\r")
    q.wait_for(r"^stop test0: refused: it is stopped, or a stop or restart is under way$")
    assert re.search(r"^stop test0: asked; its CPUs carry it out$", q.output[mark:], re.M)
    type_slowly(q, KEY)
    q.wait_for(r"^partita: input now goes to vm test0 \(stopped\)$")
    type_slowly(q, KEY)
    q.wait_for(r"^partita: input now goes to vm test1$")
    type_slowly(q, "off\r")
    q.wait_for(r"^partita: every VM has stopped: powering off$")
    assert q.wait_exit() == 0
    out = q.output
    # Nothing typed for one VM reached the other.
    assert "[test1] mux: got hello" not in out and "[test0] mux: got world" not in out
    assert "[test0] mux: got ping" not in out


def expect_both(q, pattern, timeout):
    """Waits until both VMs printed a line matching pattern (with {vm} for the
    VM's name), in either order; returns the matches by VM."""
    until = min(q.deadline, time.monotonic() + timeout)
    start = q._pos  # pylint: disable=protected-access
    found = {}
    while True:
        text = q._complete_text()  # pylint: disable=protected-access
        q._check_fail_on(text)  # pylint: disable=protected-access
        for vm in ["linux0", "linux1"]:
            m = re.compile(pattern.format(vm=vm), re.M).search(text, start)
            if m:
                found[vm] = m
        if len(found) == 2:
            q._pos = max(m.end() for m in found.values())  # pylint: disable=protected-access
            return found
        if time.monotonic() >= until or not q._read(until):  # pylint: disable=protected-access
            q.fail(f"not both VMs printed a line matching {pattern!r}: only {sorted(found)}")


@pytest.mark.parametrize("gic", [3, 2])
def test_two_linux(boot, linux_images, gic):  # pylint: disable=redefined-outer-name,unused-argument
    """guests/two-linux.dts: both Linux VMs reach their shells; a command
    typed runs in the focused VM only, and after Ctrl-] three times in the
    other; the monitor lists both and shows their exit counts; a reboot of
    one restarts it alone while the other's shell keeps answering; poweroff
    of one leaves the other running, of both ends QEMU with status 0."""
    t0, t1 = r"\[linux0\] ", r"\[linux1\] "
    q = boot(gic=gic, smp=2, extra=["-initrd", tl.shipped_config("two-linux")],
             timeout=tl.TIMEOUT, fail_on=tl.FAIL_ON, stdin=True)
    q.expect(r"^partita: console: input goes to vm linux0; the UART's interrupt, INTID 33, ")
    q.expect(rf"^partita: ready: cpus=2 gic=v{gic} .* vms=2$")
    ups = expect_both(q, r"^\[{vm}\] Partita guest: Linux \S+ up, (\d+) CPUs$", tl.TIMEOUT)
    assert all(m.group(1) == "1" for m in ups.values())
    tl.wait_for_shell(q, prefix=t0)
    # The tty echoes what is typed: each answer is made so that its echo cannot match.
    q.send("echo vm0-$((40+2))\n")
    q.expect(rf"^{t0}vm0-42$")
    q.send(KEY)
    q.expect(r"^partita: input now goes to vm linux1$")
    tl.wait_for_shell(q, prefix=t1)
    q.send("echo vm1-$((40+3))\n")
    q.expect(rf"^{t1}vm1-43$")
    q.send(KEY)
    q.expect(r"^partita: input now goes to the monitor")
    q.send("list\r")
    q.expect(r"^0   linux0 +running +1 +1 +0 +256 MiB at IPA 0x40000000 ")
    q.expect(r"^1   linux1 +running +1 +1 +1 +256 MiB at IPA 0x40000000 ")
    q.send("stats\r")
    for vm in ["linux0", "linux1"]:
        m = q.expect(rf"^vm {vm}: exits (\d+): hvc (\d+) smc \d+ sysreg \d+ mmio (\d+) iabt \d+ "
                     r"wfx \d+ irq (\d+) serror \d+ other \d+; interrupts injected (\d+)$")
        total, hvc, mmio, irq, injected = (int(g) for g in m.groups())
        # PSCI calls, the emulated PL011 and GIC, the timer's interrupts.
        assert hvc > 0 and mmio > 100 and irq > 100 and injected > 100, m.group(0)
        assert total >= hvc + mmio + irq, m.group(0)
    # linux0 reboots; linux1 answers meanwhile.
    q.send(KEY)
    q.expect(r"^partita: input now goes to vm linux0$")
    q.send("reboot -f\n")
    q.expect(r"^partita: vm0 linux0: reset \(PSCI SYSTEM_RESET\), by vcpu0$")
    q.send(KEY)
    q.expect(r"^partita: input now goes to vm linux1$")
    q.send("echo alive-$((5*5))\n")
    q.expect(rf"^{t1}alive-25$")
    q.expect(rf"^{t0}Partita guest: Linux \S+ up, 1 CPUs$")
    # linux1 powers off; linux0 keeps running and taking input.
    q.send("poweroff -f\n")
    q.expect(r"^partita: vm1 linux1: powered off \(PSCI SYSTEM_OFF\), by vcpu0$")
    q.send(KEY + KEY)
    q.expect(r"^partita: input now goes to vm linux0$")
    tl.wait_for_shell(q, prefix=t0)
    q.send("echo again-$((6*7))\n")
    q.expect(rf"^{t0}again-42$")
    q.send("poweroff -f\n")
    q.expect(r"^partita: every VM has stopped: powering off$")
    assert q.wait_exit() == 0
    out = q.output
    assert not re.search(rf"^{t1}vm0-42$|^{t0}vm1-43$|^{t0}alive-25$", out, re.M)

