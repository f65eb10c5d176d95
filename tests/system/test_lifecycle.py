"""VM lifecycle with several VMs: a reboot, a crash or a poweroff of one VM
leaves the others running, and the machine powers off when the last VM
that runs stops.

The bare-metal heartbeat guest (guests/test/heartbeat.c) prints
"heartbeat boot=B beat=N" a few times a second; its bootargs make it crash,
scribble over its image and reboot, or power off after N beats. The
bare-metal tests run two of them; the Linux ones boot
guests/linux-and-baremetal.dts, the shipped configuration, whose heartbeat
guest crashes once after 40 beats and is restarted (on-crash = "restart").
"""

import os
import re
import subprocess

import pytest

import qemu as qemu_mod
from test_linux import (linux_config, linux_images, linux_vm,  # noqa: F401
                        shipped_config, wait_for_shell)

# A crash is an error line by design; anything else of Partita's going wrong is not.
CRASH = r"crashed: a data abort at pc 0x[0-9a-f]+, inside the exception vector"
FAIL_ON = (r"^partita: warning|^partita: error: (?!vm\d \(\w+\) vcpu0: crashed: )|"
           r"^(\[\w+\] )?FAIL |Kernel panic|Call trace:|Unable to handle kernel")

VM = """	{name} {{
		cpus = <{cpu}>;
		memory = <0x0 0x40000000 0x0 0x4000000>;
		kernel = /incbin/("{image}");
		bootargs = "period-ms=100 {args}";
		on-crash = "{on_crash}";
	}};
"""


def heartbeat_config(tmp_path, *vms):
    """A configuration of heartbeat VMs, each (name, bootargs, on-crash) on CPU 0, 1, ..."""
    image = os.path.join(qemu_mod.build_dir(), "guests", "heartbeat.bin")
    if not os.path.isfile(image):
        pytest.fail(f"{image} does not exist: build it first (make guests)", pytrace=False)
    body = "".join(VM.format(name=n, cpu=i, image=image, args=a, on_crash=c)
                   for i, (n, a, c) in enumerate(vms))
    src, blob = tmp_path / "hb.dts", tmp_path / "hb.vmimg"
    src.write_text('/dts-v1/;\n/ {\n\tcompatible = "partita,config";\n' + body + "};\n")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(blob), str(src)],
                   check=True, timeout=60)
    return str(blob)


def beat(vm, boot, n=r"\d+"):
    return rf"^\[{vm}\] heartbeat boot={boot} beat={n}$"


def beats(out, vm):
    """[(boot, beat)] of vm, in order."""
    return [(int(b), int(n)) for b, n in
            re.findall(rf"^\[{vm}\] heartbeat boot=(\d+) beat=(\d+)$", out, re.M)]


def run(boot, tmp_path, gic, *vms):
    return boot(gic=gic, smp=2, timeout=60, fail_on=FAIL_ON,
                extra=["-initrd", heartbeat_config(tmp_path, *vms)])


@pytest.mark.parametrize("gic", [3, 2])
def test_crash_stops_vm_alone(boot, tmp_path, gic):
    """A VM whose sync vector reads where nothing is crashes (Partita could
    only inject an abort at the very entry that faulted): one line names the
    VM and the reason, it is stopped (on-crash = "stop"), the other VM beats
    on, and the machine powers off only when that one stops too."""
    q = run(boot, tmp_path, gic, ("hb0", "crash=3", "stop"), ("hb1", "off=25", "stop"))
    q.expect(r"^\[hb0\] heartbeat: crashing")
    q.expect(rf"^partita: error: vm0 \(hb0\) vcpu0: {CRASH}")
    q.expect(r"^partita: vm0 hb0: stopped after a fault it cannot recover from "
             r'\(on-crash = "stop"\), by vcpu0$')
    q.expect(beat("hb1", 1))
    q.expect(r"^partita: vm1 hb1: powered off \(PSCI SYSTEM_OFF\)")
    q.expect(r"^partita: every VM has stopped: powering off$")
    assert q.wait_exit() == 0
    out = q.output
    assert beats(out, "hb0") == [(1, n) for n in range(4)], "hb0 ran on after its crash"
    assert beats(out, "hb1") == [(1, n) for n in range(26)]
    assert out.count("crashed:") == 1


@pytest.mark.parametrize("gic", [3, 2])
def test_crash_restarts_vm(boot, tmp_path, gic):
    """With on-crash = "restart" the crashed VM starts again from its image:
    its heartbeat resumes from beat 0 of boot 2; the other VM never stops."""
    q = run(boot, tmp_path, gic, ("hb0", "crash=3 off=5", "restart"), ("hb1", "off=30", "stop"))
    q.expect(rf"^partita: error: vm0 \(hb0\) vcpu0: {CRASH}")
    q.expect(r"^partita: vm0 hb0: restarted after a fault it cannot recover from "
             r'\(on-crash = "restart"\), by vcpu0$')
    q.expect(beat("hb0", 2, 0))
    q.expect(r"^partita: vm0 hb0: powered off \(PSCI SYSTEM_OFF\)")
    q.expect(r"^partita: vm1 hb1: powered off \(PSCI SYSTEM_OFF\)")
    assert q.wait_exit() == 0
    out = q.output
    assert beats(out, "hb0") == [(1, n) for n in range(4)] + [(2, n) for n in range(6)]
    assert beats(out, "hb1") == [(1, n) for n in range(31)], "hb1 missed a beat or restarted"


@pytest.mark.parametrize("gic", [3, 2])
def test_reboot_after_scribbling(boot, tmp_path, gic):
    """A guest that overwrites its whole image (and marks its RAM) and then
    resets boots again cleanly: its image is reloaded from the copy kept
    aside, its RAM is cleared; the other VM beats on throughout."""
    q = run(boot, tmp_path, gic, ("hb0", "reboot=3 off=5", "stop"), ("hb1", "off=30", "stop"))
    q.expect(r"^\[hb0\] heartbeat: scribbling over the image and resetting$")
    q.expect(r"^partita: vm0 hb0: reset \(PSCI SYSTEM_RESET\), by vcpu0$")
    q.expect(r"^\[hb0\] PASS heartbeat-memory-cleared$")
    q.expect(r"^\[hb0\] PASS heartbeat-image-pristine$")
    q.expect(beat("hb0", 2, 5))
    assert q.wait_exit() == 0
    out = q.output
    assert beats(out, "hb0") == [(1, n) for n in range(4)] + [(2, n) for n in range(6)]
    assert beats(out, "hb1") == [(1, n) for n in range(31)]


@pytest.mark.parametrize("gic", [3, 2])
def test_monitor_stop_and_restart(boot, tmp_path, gic):
    """vm_stop() and vm_restart(), called from a CPU that is not the VM's (as
    the monitor calls them from the console's interrupt; here a spare CPU
    under partita.selftest=lifecycle): the VM stops; a second stop, while
    the first is under way or once the VM has stopped, is refused with
    -E_BUSY (7); a stopped VM restarts from beat 0 (a second restart is
    refused while the first is under way, or taken once it is done: then it
    boots once more), so does a running one; the other VM beats on
    throughout. The restarted VM counts as running again: when the other VM
    powers off the machine stays up until this one powers off too."""
    q = boot(gic=gic, smp=3, timeout=60, fail_on=FAIL_ON,
             extra=["-initrd", heartbeat_config(tmp_path, ("hb0", "off=30", "stop"),
                                                ("hb1", "off=30", "stop")),
                    "-append", "partita.selftest=lifecycle"])
    q.expect(r"^partita: selftest: vm_stop\(hb0\) = 0, again = -7$")
    q.expect(r"^partita: selftest: hb0 stopped; vm_stop = -7$")
    m = q.expect(r"^partita: selftest: vm_restart\(hb0\) = 0, again = (-7|0)$")
    last = 3 if m.group(1) == "-7" else 4
    q.expect(r"^partita: selftest: vm_restart\(hb0\) while it runs = 0$")
    q.expect(r"^partita: selftest: lifecycle done$")
    assert q.wait_exit() == 0
    out = q.output
    # hb1 powered off while hb0, restarted after its stop, ran: the machine stayed up.
    assert out.index("vm1 hb1: powered off") < out.index(f"[hb0] heartbeat boot={last} beat=30")
    for line in ("stopped from the monitor, by vcpu0", "restarted from the monitor",
                 "restarted from the monitor, by vcpu0"):
        assert re.search(rf"^partita: vm0 hb0: {line}$", out, re.M), line
    b = beats(out, "hb0")
    assert [n for boot_, n in b if boot_ == last] == list(range(31))
    assert [boot_ for boot_, n in b if n == 0] == list(range(1, last + 1))
    assert beats(out, "hb1") == [(1, n) for n in range(31)]
    # The machine went down once, after the last VM.
    assert out.index("every VM has stopped") > out.index("vm0 hb0: powered off")


@pytest.mark.parametrize("gic", [3, 2])
def test_linux_beside_baremetal(linux_vm, gic):  # noqa: F811
    """The shipped guests/linux-and-baremetal.dts: the heartbeat guest crashes
    after 40 beats, is named with the reason and restarted from beat 0 of
    boot 2, while Linux boots and answers typed commands; a reboot in Linux
    restarts Linux alone while the heartbeat goes on without a gap; a
    poweroff in Linux leaves the heartbeat going and the machine up."""
    t = r"\[linux0\] "
    q = linux_vm(gic=gic, config=shipped_config("linux-and-baremetal"), tag="_lab",
                 fail_on=FAIL_ON)
    q.expect(rf"^partita: ready: cpus=2 gic=v{gic} .* vms=2$")
    q.expect(beat("baremetal", 1, 0))
    q.expect(rf"^partita: error: vm1 \(baremetal\) vcpu0: {CRASH}")
    q.expect(r"^partita: vm1 baremetal: restarted after a fault it cannot recover from "
             r'\(on-crash = "restart"\), by vcpu0$')
    q.expect(beat("baremetal", 2, 0))
    wait_for_shell(q, prefix=t)
    q.send("echo hel''lo-$((6*7)) n''proc=$(nproc)\n")
    q.expect(rf"^{t}hello-42 nproc=1$")
    # Linux's reboot: Linux alone restarts; the heartbeat has no gap.
    q.send("echo marker > /tmp/x; reboot -f\n")
    q.expect(r"^partita: vm0 linux0: reset \(PSCI SYSTEM_RESET\), by vcpu0$")
    q.expect(beat("baremetal", 2))
    q.expect(rf"^{t}Partita guest: Linux \S+ up, 1 CPUs$")
    wait_for_shell(q, prefix=t)
    q.send("cat /tmp/x 2>&1 | sed s/^/x:/\n")
    q.expect(rf"^{t}x:cat: can't open '/tmp/x': No such file or directory$")
    # Linux's poweroff: the heartbeat goes on, the machine stays up.
    q.send("poweroff -f\n")
    q.expect(r"^partita: vm0 linux0: powered off \(PSCI SYSTEM_OFF\), by vcpu0$")
    for _ in range(4):
        q.expect(beat("baremetal", 2))
    out = q.output
    assert q.proc.poll() is None and "every VM has stopped" not in out
    b = beats(out, "baremetal")
    assert b == [(1, n) for n in range(41)] + [(2, n) for n in range(len(b) - 41)], \
        "the heartbeat missed a beat or restarted more than once"
    assert len(re.findall(rf"^{t}Partita guest: Linux \S+ up, 1 CPUs$", out, re.M)) == 2
    assert out.count("crashed:") == 1
