"""The vCPU core, proven by bare-metal test guests (guests/test/) under Partita.

Each guest prints `PASS name` / `FAIL name: why` lines through Partita's
console hypercall and ends with PSCI SYSTEM_OFF; Partita powers the machine
off when its last VM stops, so QEMU must exit by itself with status 0.
"""

import os
import re
import subprocess

import pytest

import qemu as qemu_mod

ERROR = r"^partita: error:"


def qemu_version():
    out = subprocess.run([qemu_mod.QEMU, "--version"], capture_output=True, text=True,
                         check=True).stdout
    return tuple(int(x) for x in re.search(r"version (\d+)\.(\d+)", out).groups())
CPUS = ["cortex-a57", "max"]


def guest(name):
    path = os.path.join(qemu_mod.build_dir(), "guests", f"{name}.bin")
    if not os.path.isfile(path):
        pytest.fail(f"{path} does not exist: build it first (make guests)", pytrace=False)
    return path


def run_guest(boot, name, cpu="cortex-a57", gic=3, smp=4, vms=1, fail_on=ERROR, timeout=60):
    """Boots Partita with the guest image as its VM(s) and waits for QEMU to exit.
    Returns the console output."""
    extra = ["-initrd", qemu_mod.config(name, vms, smp)]
    q = boot(gic=gic, cpu=cpu, smp=smp, extra=extra, timeout=timeout, fail_on=fail_on)
    status = q.wait_exit()
    out = q.output
    if status != 0:
        q.fail(f"QEMU exited with status {status}, not 0 (SYSTEM_OFF of the last VM)")
    return q, out


def verdicts(out):
    """{name: 'PASS' or 'FAIL'} from the guests' lines (a [vm] tag may precede them)."""
    found = {}
    for m in re.finditer(r"^(?:\[\w+\] )?(PASS|FAIL) ([\w-]+)", out, re.M):
        if found.get(m.group(2)) != "FAIL":
            found[m.group(2)] = m.group(1)
    return found


def expect_pass(q, out, names):
    got = verdicts(out)
    failed = sorted(n for n, v in got.items() if v == "FAIL")
    missing = sorted(n for n in names if n not in got)
    if failed or missing:
        q.fail(f"failed: {failed}, never reported: {missing}")


@pytest.mark.parametrize("cpu", CPUS)
def test_psci_and_smccc(boot, cpu):
    q, out = run_guest(boot, "psci", cpu=cpu)
    expect_pass(q, out, ["boot-state", "psci-version", "psci-features", "smccc-arch",
                         "smccc-unknown", "hypercall-vm-info", "smc-conduit", "psci-bad-args",
                         "psci-cpu-on", "psci-cpu-on-again"])
    assert "psci: 4 vCPUs" in out


@pytest.mark.parametrize("cpu", CPUS)
def test_traps_arrive_in_the_guest(boot, cpu):
    q, out = run_guest(boot, "traps", cpu=cpu)
    expect_pass(q, out, ["undef-sysreg", "undef-instruction", "actlr-emulated", "abort-outside",
                         "iabt-outside"])
    # Each fault that reached the hypervisor said which VM, vCPU and why.
    for ipa in ["0x0", "0x9030000", "0x44000000", "0x3ffffff8"]:
        assert re.search(rf"^partita: warning: vm0 \(test0\) vcpu0: read of IPA {ipa} at pc "
                         r"0x[0-9a-f]+ outside every region; injected a synchronous external "
                         r"abort", out, re.M), f"no log line for the read of {ipa}"
    assert re.search(r"^partita: warning: vm0 \(test0\) vcpu0: instruction fetch from IPA "
                     r"0x20000000 .*injected an instruction abort", out, re.M)
    # HCR_EL2.TIDCP routes IMPLEMENTATION DEFINED registers to Partita; QEMU
    # implements that trap from 8.1 on (before, it refuses them itself).
    if qemu_version() >= (8, 1):
        assert re.search(r"^partita: warning: vm0 \(test0\) vcpu0: read of system register "
                         r"S3_0_C15_C0_0 at pc 0x[0-9a-f]+ is not emulated; injected an "
                         r"undefined instruction exception", out, re.M)


@pytest.mark.parametrize("cpu", CPUS)
def test_mmio_emulation(boot, cpu):
    q, out = run_guest(boot, "mmio", cpu=cpu, smp=1)
    expect_pass(q, out, ["mmio-id", "mmio-sizes", "mmio-sign-extend", "mmio-xzr",
                         "mmio-high-registers", "mmio-acquire-release", "mmio-refused"])
    assert len(re.findall(r"with ISV=0 \(a load/store pair or writeback\); injected", out)) == 2
    assert re.search(r"read of IPA 0xa000800 .* refused by its device", out)


@pytest.mark.parametrize("cpu", CPUS)
def test_fp_simd_preserved_across_exits(boot, cpu):
    q, out = run_guest(boot, "fp", cpu=cpu, smp=1)
    expect_pass(q, out, ["fp-preserved"])


@pytest.mark.parametrize("gic,cpu", [(2, "cortex-a57"), (3, "cortex-a57"), (3, "max")])
def test_reset_and_power_off_with_busy_vcpus(boot, gic, cpu):
    q, out = run_guest(boot, "reset", gic=gic, cpu=cpu)
    expect_pass(q, out, ["reset-first-boot", "reset-memory-cleared", "reset-pristine-image",
                         "reset-vcpus-off", "reset-off-while-busy"])
    assert "reset: boot 2" in out and "reset: boot 3" not in out
    assert "partita: every VM has stopped: powering off" in out


def test_reset_races_cpu_on(boot):
    q, out = run_guest(boot, "race", smp=3)
    expect_pass(q, out, ["reset-no-stale-cpu-on"])


def test_two_vms_are_isolated(boot):
    q, out = run_guest(boot, "isolation", vms=2)
    for vm in ["test0", "test1"]:
        for name in ["isolation-fill", "isolation-outside"]:
            if not re.search(rf"^\[{vm}\] PASS {name}$", out, re.M):
                q.fail(f"{vm} did not report PASS {name}")
    assert "FAIL" not in out
    # The two VMs were given different physical memory.
    pas = re.findall(r"^partita: vm\d test\d: .* \(PA (0x[0-9a-f]+)\)", out, re.M)
    assert len(pas) == 2 and pas[0] != pas[1]


def test_a_crashed_vm_leaves_the_other_running(boot):
    q, out = run_guest(boot, "crash", vms=2, fail_on=None)
    assert re.search(r"^partita: error: vm0 \(test0\) vcpu0: its exception vectors at "
                     r"0x10000000 are outside its memory", out, re.M)
    assert re.search(r"^partita: vm0 test0: stopped after a fault", out, re.M)
    assert re.search(r"^\[test1\] PASS other-vm-serves$", out, re.M)
    assert "FAIL" not in out
    # 100 aborts in one go, then one more after a pause: the console gets at
    # most 20 warnings a second, and every one held back is counted in the
    # "not shown" lines (the loop may straddle a window on a loaded host).
    shown = len(re.findall(r"vm1 \(test1\) vcpu0: read of IPA 0x0", out))
    held = [int(n) for n in re.findall(r"vm1 \(test1\) vcpu0: (\d+) more warnings in the last "
                                       r"second were not shown", out)]
    assert held, "no line says how many warnings were held back"
    assert shown + sum(held) == 101, f"{shown} shown + {sum(held)} held back, not 101"
    assert shown <= 20 * len(held) + 1, f"{shown} warnings shown in {len(held)} windows"


def test_config_refused(boot):
    """A VM whose CPU this machine lacks is refused with a line naming it and the
    property, and is not started; the other VM of the configuration is."""
    q = boot(smp=1, extra=["-initrd", qemu_mod.config("psci", 2, 2)])
    q.wait_for(r"^partita: error: vm test1: cpus: physical CPU 1 is not in this machine, "
               r"which has 1 \(0 to 0\)$")
    q.wait_for(r"^partita: vm0 test0: 1 vCPU on cpu0\.\.0")
    q.wait_for(r"^partita: error: vm test1 is not started$")
    q.wait_for(r"^partita: ready: .* vms=1$")
    assert q.wait_exit() == 0


def test_guest_under_uboot(qemu, partita_bin):
    """Chain-loaded by U-Boot (booti, initrd through fw_cfg), Partita runs the
    guest it was handed and powers the machine off when the guest does."""
    q = qemu(qemu_mod.machine_args() + ["-bios", qemu_mod.UBOOT, "-kernel", partita_bin,
                                        "-initrd", qemu_mod.config("psci")], timeout=60)
    q.wait_for(r"^U-Boot ")
    q.wait_for(r"^partita: ready: .* vms=1$")
    assert q.wait_exit() == 0
    expect_pass(q, q.output, ["boot-state", "psci-cpu-on", "psci-cpu-on-again"])
