"""Run Partita (or anything else) on qemu-system-aarch64 and watch its console.

A `Qemu` starts QEMU in its own process group with no network, no display, no
monitor and the first serial port on stdout, and reads the console as it comes.
Every QEMU has a hard deadline: once it has passed, whatever is waiting kills
QEMU and fails the test with the console output captured so far. `kill()`
(called by the `qemu` fixture in conftest.py, by `with`, and at interpreter
exit) always kills the whole process group, so no QEMU outlives a test, not even
on a failure or a KeyboardInterrupt. On Linux QEMU is also told to die with the
process that started it, in case pytest itself is killed.
"""

import atexit
import ctypes
import os
import re
import selectors
import shlex
import signal
import subprocess
import time

import pytest

QEMU = os.environ.get("QEMU", "qemu-system-aarch64")
UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Every QEMU still running, so that exit handlers can kill them.
_live = set()


def build_dir():
    """The build directory: env BUILD (default "build"), relative to the repo root."""
    return os.path.join(REPO, os.environ.get("BUILD", "build"))


def partita_bin():
    path = os.path.join(build_dir(), "partita.bin")
    if not os.path.isfile(path):
        pytest.fail(f"{path} does not exist: build it first (make)", pytrace=False)
    return path


def _die_with_parent():
    """In the child before exec: new session, and SIGKILL when pytest dies."""
    os.setsid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def machine_args(machine="virt,virtualization=on,gic-version=3", cpu="cortex-a57", smp=4,
                 mem="1G"):
    """The options choosing the emulated board, shared by boots and DTB dumps."""
    return ["-M", machine, "-cpu", cpu, "-smp", str(smp), "-m", mem]


class Qemu:
    """One QEMU run. Start it with start(), then wait_for() / wait_exit()."""

    def __init__(self, args, timeout=20.0, name="qemu"):
        self.cmd = [QEMU, "-nic", "none", "-display", "none", "-serial", "stdio",
                    "-monitor", "none", "-no-reboot"] + [str(a) for a in args]
        self.timeout = timeout
        self.name = name
        self.proc = None
        self.deadline = None
        self.returncode = None
        self._raw = bytearray()
        self._eof = False
        self._pos = 0  # where the next wait_for() starts looking
        self._sel = None
        self.reported = False  # the console output was shown in a failure

    # -- lifetime ---------------------------------------------------------

    def start(self):
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     preexec_fn=_die_with_parent, close_fds=True)
        _live.add(self)
        self.deadline = time.monotonic() + self.timeout
        os.set_blocking(self.proc.stdout.fileno(), False)
        self._sel = selectors.DefaultSelector()
        self._sel.register(self.proc.stdout, selectors.EVENT_READ)
        return self

    def kill(self):
        """Kill QEMU's whole process group and reap it. Safe to call twice."""
        if self.proc is None:
            return
        _live.discard(self)
        if self.proc.returncode is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self.returncode is None:
            self.returncode = self.proc.returncode
        if self._sel is not None:
            self._sel.close()
            self._sel = None
        if not self.proc.stdout.closed:
            # Keep what QEMU printed but nobody read yet, for failure reports.
            while not self._eof:
                try:
                    data = os.read(self.proc.stdout.fileno(), 65536)
                except (BlockingIOError, OSError):
                    break
                if not data:
                    break
                self._raw += data
            self._eof = True
            self.proc.stdout.close()

    def __enter__(self):
        if self.proc is None:
            self.start()
        return self

    def __exit__(self, *exc):
        self.kill()

    def elapsed(self):
        """Seconds since QEMU started."""
        return time.monotonic() - (self.deadline - self.timeout)

    # -- console ------------------------------------------------------------

    @property
    def output(self):
        """Everything QEMU printed so far, with CRLF turned into LF."""
        return self._raw.decode("utf-8", "replace").replace("\r\n", "\n")

    def _read(self, until):
        """Read what is available, waiting at most until `until` (monotonic).
        Returns False once QEMU closed its output."""
        if self._eof:
            return False
        timeout = max(0.0, until - time.monotonic())
        if self._sel.select(timeout):
            try:
                data = os.read(self.proc.stdout.fileno(), 65536)
            except BlockingIOError:
                return True
            if not data:
                self._eof = True
                return False
            self._raw += data
        return True

    def fail(self, why):
        """Kill QEMU and fail the test, showing the whole console output."""
        self.kill()
        self.reported = True
        out = self.output
        if not out.endswith("\n"):
            out += "\n"
        pytest.fail(f"{self.name}: {why}\n"
                    f"command: {shlex.join(self.cmd)}\n"
                    f"----- console output -----\n{out}"
                    f"----- end of console output -----", pytrace=False)

    def _complete_text(self):
        """The output up to the last complete line (all of it once QEMU is gone)."""
        out = self.output
        if self._eof:
            return out
        return out[:out.rfind("\n") + 1]

    def wait_for(self, regex, timeout=None):
        """Wait until a complete console line (after the previous match) matches
        `regex`; return the match. Fails the test if QEMU exits or the timeout
        (default: the hard deadline) expires first."""
        pattern = re.compile(regex, re.MULTILINE)
        until = self.deadline
        if timeout is not None:
            until = min(until, time.monotonic() + timeout)
        while True:
            text = self._complete_text()
            m = pattern.search(text, self._pos)
            if m:
                self._pos = m.end()
                return m
            if self._eof:
                self._reap()
                self.fail(f"QEMU exited (status {self.returncode}) before printing "
                          f"a line matching {regex!r}")
            if time.monotonic() >= until:
                which = "hard timeout" if until == self.deadline else "timeout"
                self.fail(f"no line matching {regex!r} before the {which} "
                          f"({self.elapsed():.1f} s)")
            self._read(until)

    def expect_no(self, regex, seconds):
        """Watch the console for `seconds` more and fail if a line matches `regex`
        (anywhere in the output, also before now). Returns the output."""
        pattern = re.compile(regex, re.MULTILINE)
        until = min(self.deadline, time.monotonic() + seconds)
        while time.monotonic() < until and self._read(until):
            pass
        m = pattern.search(self.output)
        if m:
            self.fail(f"unexpected line matching {regex!r}: {m.group(0)!r}")
        return self.output

    def _reap(self):
        try:
            self.returncode = self.proc.wait(timeout=max(0.1, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.fail("QEMU closed its output but does not exit")
        return self.returncode

    def wait_exit(self, timeout=None):
        """Wait for QEMU to exit by itself (say, a guest powered the machine off)
        and return its exit status; fails the test on timeout."""
        until = self.deadline
        if timeout is not None:
            until = min(until, time.monotonic() + timeout)
        while self._read(until):
            if time.monotonic() >= until:
                self.fail(f"QEMU did not exit within {self.elapsed():.1f} s")
        self._reap()
        _live.discard(self)
        return self.returncode


def dump_dtb(path, machine="virt,virtualization=on,gic-version=3", cpu="cortex-a57", smp=4,
             mem="1G", timeout=20):
    """Write QEMU's own device tree for this board to `path`."""
    cmd = [QEMU, "-nic", "none", "-display", "none", "-monitor", "none", "-serial", "none",
           "-M", f"{machine},dumpdtb={path}", "-cpu", cpu, "-smp", str(smp), "-m", mem]
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=timeout, preexec_fn=_die_with_parent)
    if r.returncode != 0 or not os.path.isfile(path):
        pytest.fail(f"dumping the DTB failed (status {r.returncode}): {shlex.join(cmd)}\n"
                    f"{r.stdout}{r.stderr}", pytrace=False)
    return path


def kill_all():
    """Kill every QEMU still running (exit and signal handlers)."""
    for q in list(_live):
        try:
            q.kill()
        except Exception:  # pylint: disable=broad-except
            pass


atexit.register(kill_all)
