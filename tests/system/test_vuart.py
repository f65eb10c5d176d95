"""The emulated PL011 (vcpu/vpl011.c, vcpu/vuart.c) driven by a bare-metal
guest (guests/test/vuart.c) and by characters this test types into QEMU's
serial port, which is the physical UART Partita owns.

The guest checks the ID registers Linux's AMBA bus probes, reset values,
UARTDR output, the receive interrupt (INTID 33 through the vGIC), polled
input with the flags and raw interrupt status, and a character held back
until the FIFO has room (no overrun). This test
checks that its output arrives behind its VM's tag, that a prompt without a
newline shows before anything is typed, and that what was typed reached the
guest, under GICv3 and GICv2.
"""

import os
import re
import time

import pytest

import qemu as qemu_mod
import test_vcpu as tv


@pytest.fixture
def typed_boot(request, partita_bin):
    """Factory: boot Partita with the vuart guest and a serial input pipe."""
    started = []
    request.node.partita_qemus = started

    def start(gic, append=None, smp=1, vms=1):
        machine = f"virt,virtualization=on,gic-version={gic}"
        args = qemu_mod.machine_args(machine, "cortex-a57", smp) + [
            "-kernel", partita_bin, "-initrd", qemu_mod.config("vuart", vms=vms, smp=smp)]
        if append:
            args += ["-append", append]
        q = qemu_mod.Qemu(args, timeout=90, name=f"partita on {machine}", fail_on=tv.ERROR,
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


@pytest.mark.parametrize("gic,slow", [(3, False), (2, False), (3, True)],
                         ids=["gicv3", "gicv2", "gicv3-slow-uart"])
def test_vuart_output_input_and_interrupt(typed_boot, gic, slow):
    """With slow (partita.selftest=slow-uart) the UART takes one character per
    drain, so nearly all output leaves from its transmit interrupt, as on a
    real board whose FIFO fills: the same lines must come out, in order."""
    q = typed_boot(gic, "partita.selftest=slow-uart" if slow else None)
    q.wait_for(r"^partita: console: input goes to vm test0; the UART's interrupt, INTID 33, "
               r"is taken on cpu0$")
    q.wait_for(r"^\[test0\] vuart: hello through UARTDR$")
    q.wait_for(r"^\[test0\] vuart: type a line$")
    # The prompt shows though its line has not ended.
    q.wait_raw("[test0] vuart> ", 30)
    q.type("ping\r")
    q.wait_for(r"^\[test0\] vuart> ping$")
    q.wait_for(r"^\[test0\] vuart: got 5 characters in \d+ interrupts$")
    q.wait_for(r"^\[test0\] vuart: type 4 more$")
    q.type("wxyz")
    q.wait_for(r"^\[test0\] vuart: type 2 more$")
    time.sleep(0.2)
    q.send("12")
    status = q.wait_exit()
    out = q.output
    if status != 0:
        q.fail(f"QEMU exited with status {status}, not 0")
    tv.expect_pass(q, out, ["vuart-id", "vuart-reset", "vuart-tx", "vuart-escaped",
                            "vuart-refused", "vuart-rx-irq", "vuart-rx-poll", "vuart-flow"])
    assert re.search(r"^partita: warning: vm0 \(test0\) vcpu0: read of IPA 0x9000000 at pc "
                     r"0x[0-9a-f]+ refused by its device; injected a synchronous external abort",
                     out, re.M)
    assert "\x1b" not in out
    assert ("partita: selftest: the UART takes one character at a time" in out) == slow
    # Every line the guest wrote came out whole and in order.
    guest = [l for l in out.splitlines() if l.startswith("[test0] ")]
    assert guest == [
        "[test0] PASS vuart-id", "[test0] PASS vuart-reset",
        "[test0] vuart: hello through UARTDR", "[test0] PASS vuart-tx",
        "[test0] \\x1b[2Kpartita: error: forged", "[test0] PASS vuart-escaped",
        "[test0] PASS vuart-refused",
        "[test0] vuart: type a line", "[test0] vuart> ping",
        guest[9], "[test0] PASS vuart-rx-irq",
        "[test0] vuart: type 4 more", "[test0] PASS vuart-rx-poll",
        "[test0] vuart: type 2 more", "[test0] PASS vuart-flow"], guest


@pytest.mark.parametrize("gic", [3, 2])
def test_vuart_two_vms_input_to_the_focus(typed_boot, gic):
    """Two VMs, each with its emulated PL011: each one's output comes out
    behind its own tag, and what is typed goes to the first VM only."""
    q = typed_boot(gic, smp=2, vms=2)
    q.wait_for(r"^partita: console: input goes to vm test0; the UART's interrupt, INTID 33, "
               r"is taken on cpu0$")
    q.wait_raw("[test1] vuart: watching my input\n", 30)
    q.wait_raw("[test0] vuart> ", 30)
    q.type("ping\r")
    # test1's line may come between the prompt and the echo: it ends the prompt's line.
    q.wait_for(r"^\[test0\] (vuart> )?ping$")
    q.wait_for(r"^\[test0\] vuart: type 4 more$")
    q.type("wxyz")
    q.wait_for(r"^\[test0\] vuart: type 2 more$")
    time.sleep(0.2)
    q.send("12")
    status = q.wait_exit()
    out = q.output
    if status != 0:
        q.fail(f"QEMU exited with status {status}, not 0")
    for vm in ["test0", "test1"]:
        assert f"[{vm}] vuart: hello through UARTDR\n" in out
        assert f"[{vm}] PASS vuart-id\n" in out
    assert "[test1] PASS vuart-no-focus\n" in out
    assert "[test0] PASS vuart-flow\n" in out
    assert not re.search(r"^\[test\d\] FAIL", out, re.M)
