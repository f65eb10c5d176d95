"""pytest fixtures for the system tests: Partita booted on QEMU.

    def test_x(boot):
        q = boot(gic=2, smp=2)                   # -kernel $BUILD/partita.bin
        m = q.wait_for(r"^partita: ready: .*$")  # fails with the console on timeout

`qemu(args, timeout=...)` starts QEMU with any other arguments. Every QEMU a
test started is killed when the test ends, whatever its outcome.
"""

import os
import signal
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import qemu as qemu_mod  # noqa: E402  pylint: disable=wrong-import-position


def _die_on(sig):
    """Kill the QEMUs before dying of SIGTERM/SIGHUP (CI timeouts, closed terminal)."""
    previous = signal.getsignal(sig)

    def handler(signum, frame):
        qemu_mod.kill_all()
        if callable(previous):
            previous(signum, frame)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    signal.signal(sig, handler)


_die_on(signal.SIGTERM)
_die_on(signal.SIGHUP)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A test that failed otherwise than through Qemu.fail() (say, a plain
    assert) still shows the console output of every QEMU it started."""
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    for q in getattr(item, "partita_qemus", []):
        if not q.reported:
            q.kill()
            q.reported = True
            report.sections.append((f"console output of {q.name}", q.output))


@pytest.fixture
def qemu(request):
    """Factory: qemu(args, timeout=20, name=...) -> a started qemu.Qemu."""
    started = []
    request.node.partita_qemus = started

    def start(args, timeout=20.0, name="qemu"):
        q = qemu_mod.Qemu(args, timeout=timeout, name=name)
        started.append(q)
        return q.start()

    try:
        yield start
    finally:
        for q in started:
            q.kill()


@pytest.fixture
def partita_bin():
    return qemu_mod.partita_bin()


@pytest.fixture
def boot(qemu, partita_bin):
    """Factory: boot Partita with -kernel on -M virt.

    boot(gic=3, cpu="cortex-a57", smp=4, virtualization=True, extra=[...], timeout=20)
    """

    def start(gic=3, cpu="cortex-a57", smp=4, virtualization=True, extra=(), timeout=20.0):
        machine = f"virt,gic-version={gic}"
        if virtualization:
            machine = f"virt,virtualization=on,gic-version={gic}"
        args = qemu_mod.machine_args(machine, cpu, smp) + ["-kernel", partita_bin] + list(extra)
        return qemu(args, timeout=timeout,
                    name=f"partita on {machine} -cpu {cpu} -smp {smp}")

    return start
