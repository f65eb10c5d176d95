"""Run Partita (or anything else) on qemu-system-aarch64 and watch its console.

A `Qemu` starts QEMU in its own process group with no network, no display, no
monitor and the first serial port on stdout, and reads the console as it comes.
Every QEMU has a hard deadline: once it has passed, whatever is waiting kills
QEMU and fails the test with the console output captured so far. `kill()`
(called by the `qemu` fixture in conftest.py, by `with`, and at interpreter
exit) always kills the whole process group, so no QEMU outlives a test, not even
on a failure or a KeyboardInterrupt. On Linux QEMU is also told to die with the
process that started it, in case pytest itself is killed.

QEMU runs with -no-reboot: a machine reset (a crashed guest or hypervisor
rebooting) ends QEMU instead of booting again.
"""

import atexit
import codecs
import ctypes
import os
import re
import selectors
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
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


# Every QEMU's whole console output is saved here (see Qemu.log_path).
LOG_DIR = os.path.join(build_dir(), "system-logs")


def partita_bin():
    path = os.path.join(build_dir(), "partita.bin")
    if not os.path.isfile(path):
        pytest.fail(f"{path} does not exist: build it first (make)", pytrace=False)
    return path


def config(name, vms=1, smp=4):
    """The VM configuration make built for test guest `name` (guests/test/configs.mk):
    VM test0 on every CPU online, or with vms=2 VMs test0 and test1 on halves of smp CPUs."""
    file = f"{name}.vmimg" if vms == 1 else f"{name}-2vm-smp{smp}.vmimg"
    path = os.path.join(build_dir(), "guests", file)
    if not os.path.isfile(path):
        pytest.fail(f"{path} does not exist: build it first (make guests)", pytrace=False)
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

    def __init__(self, args, timeout=20.0, name="qemu", fail_on=None, stdin=False,
                 monitor=False):
        # With monitor, hmp() runs monitor commands over a socket in a directory of its own.
        self._monitor_dir = tempfile.mkdtemp(prefix="partita-monitor-") if monitor else None
        self.monitor_path = os.path.join(self._monitor_dir, "sock") if monitor else None
        self.cmd = [QEMU, "-nic", "none", "-display", "none", "-serial", "stdio", "-monitor",
                    f"unix:{self.monitor_path},server=on,wait=off" if monitor else "none",
                    "-no-reboot"] + [str(a) for a in args]
        self.timeout = timeout
        self.name = name
        self.proc = None
        self.deadline = None
        self.returncode = None
        self._text = ""  # the console output so far, decoded, CRLF turned into LF
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._cr = False  # the last chunk ended in "\r" (maybe half of a CRLF)
        self.log_path = None  # where kill() saves the whole console output
        self._eof = False
        self._pos = 0  # where the next wait_for() starts looking
        self._sel = None
        self.reported = False  # the console output was shown in a failure
        # A line matching this fails every wait at once (say, an error or panic),
        # rather than waiting for the timeout.
        self.fail_on = re.compile(fail_on, re.MULTILINE) if fail_on else None
        self._fail_scan = 0
        # With stdin, send() types on the first serial port; otherwise it reads nothing.
        self.stdin = stdin

    # -- lifetime ---------------------------------------------------------

    def start(self):
        self.proc = subprocess.Popen(self.cmd,
                                     stdin=subprocess.PIPE if self.stdin else subprocess.DEVNULL,
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
        if self._monitor_dir:
            shutil.rmtree(self._monitor_dir, ignore_errors=True)
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
                self._add(data)
            self._add(b"", final=True)
            self._eof = True
            self.proc.stdout.close()
            self._save_log()

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
        return self._text

    def _add(self, data, final=False):
        text = self._decoder.decode(data, final)
        if self._cr:
            text = "\r" + text
        self._cr = text.endswith("\r") and not final
        if self._cr:
            text = text[:-1]
        self._text += text.replace("\r\n", "\n")

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
                self._add(b"", final=True)
                self._eof = True
                return False
            self._add(data)
        return True

    def fail(self, why):
        """Kill QEMU and fail the test, showing the whole console output."""
        self.kill()
        self.reported = True
        pytest.fail(f"{self.name}: {why}\n"
                    f"command: {shlex.join(self.cmd)}\n" + self.report(), pytrace=False)

    def report(self, head=200, tail=300):
        """The console output for a failure message: all of it, or if it is
        very long its start and end (the whole of it is in self.log_path)."""
        lines = self.output.splitlines()
        if len(lines) > head + tail + 1:
            lines = (lines[:head] +
                     [f"[... {len(lines) - head - tail} lines left out: the whole output "
                      f"is in {self.log_path or '(not saved)'} ...]"] +
                     lines[-tail:])
        return "\n".join(["----- console output -----"] + lines +
                         ["----- end of console output -----"])

    def _save_log(self):
        if not self.log_path:
            return
        try:
            os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
            with open(self.log_path, "w", encoding="utf-8") as f:
                f.write(f"# {shlex.join(self.cmd)}\n")
                f.write(self.output)
        except OSError as e:
            self.log_path = f"(could not save {self.log_path}: {e})"

    def _complete_text(self):
        """The output up to the last complete line (all of it once QEMU is gone)."""
        out = self.output
        if self._eof:
            return out
        return out[:out.rfind("\n") + 1]

    def wait_for(self, regex, timeout=None):
        """Wait until a complete console line (after the previous match) matches
        `regex` and return the console output so far. Fails the test if QEMU
        exits or the timeout (default: the hard deadline) expires first."""
        self.expect(regex, timeout)
        return self.output

    def expect(self, regex, timeout=None):
        """wait_for(), returning the re.Match (for its groups) instead."""
        pattern = re.compile(regex, re.MULTILINE)
        until = self.deadline
        if timeout is not None:
            until = min(until, time.monotonic() + timeout)
        scan = self._pos  # complete lines before this did not match
        while True:
            text = self._complete_text()
            self._check_fail_on(text)
            m = pattern.search(text, scan)
            if m:
                self._pos = m.end()
                return m
            scan = max(scan, len(text))
            if self._eof:
                self._reap()
                self.fail(f"QEMU exited (status {self.returncode}) before printing "
                          f"a line matching {regex!r}")
            if time.monotonic() >= until:
                which = "hard timeout" if until == self.deadline else "timeout"
                self.fail(f"no line matching {regex!r} before the {which} "
                          f"({self.elapsed():.1f} s)")
            self._read(until)

    def _check_fail_on(self, text):
        if not self.fail_on:
            return
        bad = self.fail_on.search(text, self._fail_scan)
        self._fail_scan = max(self._fail_scan, len(text))
        if bad:
            # Let the rest of the report (register dump, ...) arrive.
            self._drain(0.3)
            line = text[text.rfind("\n", 0, bad.start()) + 1:].split("\n", 1)[0]
            self.fail(f"unexpected line matching {self.fail_on.pattern!r}: {line!r}")

    def poll(self, regex, seconds):
        """Like expect(), but gives up after `seconds` returning None, leaving
        QEMU running (for a probe that may need repeating)."""
        pattern = re.compile(regex, re.MULTILINE)
        until = min(self.deadline, time.monotonic() + seconds)
        while True:
            text = self._complete_text()
            self._check_fail_on(text)
            m = pattern.search(text, self._pos)
            if m:
                self._pos = m.end()
                return m
            if self._eof or time.monotonic() >= until:
                return None
            self._read(until)

    def send(self, text):
        """Type text on the console (the QEMU must have been made with stdin=True)."""
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def type(self, text, pace=0.02):
        """send() one character at a time, `pace` seconds apart (a person's pace)."""
        for ch in text:
            self.send(ch)
            time.sleep(pace)

    def wait_raw(self, text, timeout):
        """Wait until text appears in the output, a whole line or not (a prompt)."""
        until = min(self.deadline, time.monotonic() + timeout)
        while text not in self.output:
            if time.monotonic() >= until or not self._read(until):
                self.fail(f"no {text!r} in the output")
        return self.output

    def hmp(self, command, timeout=10.0):
        """Run a command of QEMU's monitor (the QEMU must have been made with
        monitor=True) and return what it printed (up to its next prompt, or
        until QEMU closes the monitor, as "quit" does)."""
        def prompt(sock):
            got = b""
            while not got.endswith(b"(qemu) "):
                data = sock.recv(4096)
                if not data:
                    break
                got += data
            return got.decode("utf-8", "replace")

        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            try:
                sock.connect(self.monitor_path)
                prompt(sock)
                sock.sendall(command.encode() + b"\n")
                # Hanging up at once can lose the command: read to QEMU's own hang-up.
                return prompt(sock)
            except OSError as e:
                self.fail(f"the monitor command {command!r} failed: {e}")
        return ""

    def expect_no(self, regex, seconds):
        """Watch the console for `seconds` more and fail if a line matches `regex`
        (anywhere in the output, also before now). Returns the output."""
        pattern = re.compile(regex, re.MULTILINE)
        self._drain(seconds)
        m = pattern.search(self.output)
        if m:
            self.fail(f"unexpected line matching {regex!r}: {m.group(0)!r}")
        return self.output

    def _drain(self, seconds):
        """Read the console for `seconds` more (or until QEMU exits)."""
        until = min(self.deadline, time.monotonic() + seconds)
        while time.monotonic() < until and self._read(until):
            pass

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
            self._check_fail_on(self._complete_text())
            if time.monotonic() >= until:
                self.fail(f"QEMU did not exit within {self.elapsed():.1f} s")
        self._check_fail_on(self._complete_text())
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
