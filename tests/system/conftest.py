r"""pytest fixtures for the system tests: Partita booted on QEMU.

    def test_x(boot):
        q = boot(gic=2, smp=2)                   # -kernel $BUILD/partita.bin
        q.wait_for(r"^partita: ready: .*$")      # fails with the console on timeout
        m = q.expect(r"^\[test0\] PASS (\w+)")   # the same, returning the match
        status = q.wait_exit()                   # QEMU's exit status

`qemu(args, timeout=...)` starts QEMU with any other arguments. Every QEMU a
test started is killed when the test ends, whatever its outcome, and its whole
console output is saved in $BUILD/system-logs/<test>.log.
"""

import os
import re
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


def pytest_sessionstart(session):
    """Logs of an earlier run would be mistaken for this one's."""
    if os.path.isdir(qemu_mod.LOG_DIR):
        for name in os.listdir(qemu_mod.LOG_DIR):
            if name.endswith(".log"):
                os.remove(os.path.join(qemu_mod.LOG_DIR, name))


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
            report.sections.append((f"console output of {q.name}", q.report()))


@pytest.fixture
def qemu(request):
    """Factory: qemu(args, timeout=20, name=..., fail_on=None, stdin=False) -> a started
    qemu.Qemu; with stdin=True, q.send() types on its console."""
    started = []
    request.node.partita_qemus = started

    def start(args, timeout=20.0, name="qemu", fail_on=None, stdin=False):
        q = qemu_mod.Qemu(args, timeout=timeout, name=name, fail_on=fail_on, stdin=stdin)
        started.append(q)
        test = re.sub(r"[^\w.=-]+", "_", request.node.nodeid.split("::", 1)[-1])
        n = f"-{len(started)}" if len(started) > 1 else ""
        q.log_path = os.path.join(qemu_mod.LOG_DIR, f"{test}{n}.log")
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

    boot(gic=3, cpu="cortex-a57", smp=4, virtualization=True, extra=[...], timeout=15,
         fail_on=None, stdin=False)

    fail_on: a regex (say r"^partita: error:") whose match fails any wait at once.
    """

    def start(gic=3, cpu="cortex-a57", smp=4, virtualization=True, extra=(), timeout=15.0,
              fail_on=None, stdin=False):
        machine = f"virt,gic-version={gic}"
        if virtualization:
            machine = f"virt,virtualization=on,gic-version={gic}"
        args = qemu_mod.machine_args(machine, cpu, smp) + ["-kernel", partita_bin] + list(extra)
        return qemu(args, timeout=timeout, fail_on=fail_on, stdin=stdin,
                    name=f"partita on {machine} -cpu {cpu} -smp {smp}")

    return start
