"""Partita boots on QEMU's virt board: all CPUs, both GICs, directly and from
U-Boot, and refuses clearly what it cannot run on."""

import itertools
import re
import subprocess

import pytest

import qemu as qemu_mod

# `partita: ready: cpus=4 gic=v3 mem=1024MiB free=1022MiB ...`: matched loosely
# (more fields may follow), then parsed into a dict by ready().
READY = r"^partita: ready: .*$"
READY_FIELDS = {"cpus": r"(\d+)", "gic": r"v(\d+)", "mem": r"(\d+)MiB", "free": r"(\d+)MiB"}
ERROR = r"^partita: error: .*$"

MATRIX = list(itertools.product([1, 2, 4], [2, 3], ["cortex-a57", "max"]))


def check(q, cond, why):
    if not cond:
        q.fail(why)


def wait_ready(q):
    """Wait for the ready line; returns its fields cpus, gic, mem, free as ints."""
    line = q.expect(READY).group(0).strip()
    fields = dict(re.findall(r"(\w+)=(\S+)", line))
    m = {}
    for key, value in READY_FIELDS.items():
        v = re.fullmatch(value, fields.get(key, ""))
        check(q, v, f"the ready line has no {key}={value}: {line!r}")
        m[key] = int(v.group(1))
    check(q, int(m["mem"]) == 1024, f"ready line says mem={m['mem']}MiB, QEMU has -m 1G")
    check(q, 0 < int(m["free"]) <= int(m["mem"]), f"ready line: free={m['free']}MiB is implausible")
    return m


@pytest.mark.parametrize("smp,gic,cpu", MATRIX,
                         ids=[f"smp{s}-gicv{g}-{c}" for s, g, c in MATRIX])
def test_boot_all_cpus_online(boot, smp, gic, cpu):
    q = boot(gic=gic, cpu=cpu, smp=smp, fail_on=ERROR)
    m = wait_ready(q)
    out = q.output
    check(q, re.search(r"^partita: .* starting at EL2\s*$", out, re.M),
          "no 'starting at EL2' line before the ready line")
    check(q, not re.search(ERROR, out, re.M), "an error line on a normal boot")
    check(q, int(m["cpus"]) == smp, f"ready line says cpus={m['cpus']}, QEMU has -smp {smp}")
    check(q, int(m["gic"]) == gic, f"ready line says gic=v{m['gic']}, QEMU has gic-version={gic}")
    online = sorted(int(n) for n in re.findall(r"^partita: cpu(\d+) online \(mpidr 0x[0-9a-f]+\)",
                                               out, re.M))
    check(q, online == list(range(1, smp)),
          f"secondaries online: {online}, expected cpu1..cpu{smp - 1}")


def test_el1_refused(boot):
    q = boot(virtualization=False, smp=2)
    q.wait_for(r"^partita: error: entered at EL1, but Partita must be entered at EL2 "
               r"\(on QEMU: -M virt,virtualization=on\); stopping\s*$")
    q.expect_no(r"^partita: (ready|cpu\d+ online)", 0.5)


def test_uboot_chainload(qemu, partita_bin):
    """U-Boot as firmware loads -kernel through fw_cfg and starts it with booti
    after its autoboot countdown (about 2 s). Given no -initrd, U-Boot still passes
    a range over whatever RAM holds there: refused as a configuration (see
    test_boot_inputs.py), but nothing else goes wrong."""
    args = qemu_mod.machine_args("virt,virtualization=on,gic-version=3", "cortex-a57", 2)
    not_config = r"^partita: error: (?!config: ).*$"
    q = qemu(args + ["-bios", qemu_mod.UBOOT, "-kernel", partita_bin], timeout=40,
             name="U-Boot, then partita", fail_on=not_config)
    q.wait_for(r"^U-Boot \d")
    q.wait_for(r"^Starting kernel")
    q.wait_for(r"^partita: .* starting at EL2\s*$")
    m = wait_ready(q)
    check(q, int(m["cpus"]) == 2, f"ready line says cpus={m['cpus']}, QEMU has -smp 2")
    check(q, not re.search(not_config, q.output, re.M), "an error line after U-Boot")


# -- device trees passed with -dtb ----------------------------------------------


def fdt(*args):
    r = subprocess.run(list(args), capture_output=True, text=True, timeout=10)
    if r.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed: {r.stderr}", pytrace=False)
    return r.stdout.split()


def interrupt_controllers(dtb):
    """The top-level nodes with an interrupt-controller property (the GIC)."""
    return [f"/{n}" for n in fdt("fdtget", "-l", dtb, "/")
            if "interrupt-controller" in fdt("fdtget", "-p", dtb, f"/{n}")]


def cpu_nodes(dtb):
    return [f"/cpus/{n}" for n in fdt("fdtget", "-l", dtb, "/cpus") if n.startswith("cpu@")]


DTB_CPU = "cortex-a57"


def make_dtb(tmp_path, gic, smp):
    """QEMU's own DTB for the board boot_dtb() then runs (same -cpu, -smp, -m)."""
    return qemu_mod.dump_dtb(str(tmp_path / f"virt-gicv{gic}.dtb"),
                             f"virt,virtualization=on,gic-version={gic}", DTB_CPU, smp)


def boot_dtb(boot, dtb, gic, smp, fail_on=None):
    return boot(gic=gic, cpu=DTB_CPU, smp=smp, extra=["-dtb", dtb], fail_on=fail_on)


def test_dtb_unmodified(boot, tmp_path):
    """The control for the tests below: QEMU's own DTB, given back with -dtb, boots."""
    dtb = make_dtb(tmp_path, 3, smp=4)
    q = boot_dtb(boot, dtb, 3, 4, fail_on=ERROR)
    m = wait_ready(q)
    check(q, int(m["cpus"]) == 4, f"ready line says cpus={m['cpus']}, QEMU has -smp 4")
    check(q, not re.search(ERROR, q.output, re.M), "an error line")


@pytest.mark.parametrize("gic", [2, 3], ids=["gicv2", "gicv3"])
def test_dtb_without_gic(boot, tmp_path, gic):
    dtb = make_dtb(tmp_path, gic, smp=2)
    intcs = interrupt_controllers(dtb)
    assert len(intcs) == 1, f"expected one GIC node in QEMU's DTB, found {intcs}"
    fdt("fdtput", "-r", dtb, intcs[0])
    assert interrupt_controllers(dtb) == []
    q = boot_dtb(boot, dtb, gic, 2)
    q.wait_for(r"^partita: error: fdt: no interrupt controller: .*$")
    q.expect_no(r"^partita: (ready|cpu\d+ online)", 0.5)


ENABLE_METHOD = (r"^partita: error: cpu{n}: /cpus/cpu@{n} has no enable-method; .*"
                 r"cpu{n} stays offline\s*$")


def test_dtb_cpus_without_enable_method(boot, tmp_path):
    smp = 4
    dtb = make_dtb(tmp_path, 3, smp)
    cpus = cpu_nodes(dtb)
    assert len(cpus) == smp, f"expected {smp} cpu nodes in QEMU's DTB, found {cpus}"
    for node in cpus:
        assert fdt("fdtget", dtb, node, "enable-method") == ["psci"]
        fdt("fdtput", "-d", dtb, node, "enable-method")
    q = boot_dtb(boot, dtb, 3, smp)
    for n in range(1, smp):
        q.wait_for(ENABLE_METHOD.format(n=n))
    m = wait_ready(q)
    check(q, int(m["cpus"]) == 1, f"ready line says cpus={m['cpus']}, only cpu0 can run")
    check(q, not re.search(r"^partita: cpu\d+ online", q.output, re.M),
          "a cpu without enable-method came online")


def test_dtb_one_cpu_without_enable_method(boot, tmp_path):
    """Only cpu@2 lacks it: cpu2 stays offline, the others come up."""
    smp = 4
    dtb = make_dtb(tmp_path, 3, smp)
    fdt("fdtput", "-d", dtb, "/cpus/cpu@2", "enable-method")
    q = boot_dtb(boot, dtb, 3, smp)
    q.wait_for(ENABLE_METHOD.format(n=2))
    m = wait_ready(q)
    out = q.output
    online = sorted(int(n) for n in re.findall(r"^partita: cpu(\d+) online", out, re.M))
    check(q, online == [1, 3], f"secondaries online: {online}, expected cpu1 and cpu3")
    check(q, int(m["cpus"]) == 3, f"ready line says cpus={m['cpus']}, expected 3")


def test_el2_fault_report(boot):
    """An unexpected exception at EL2 is reported in full: the CPU, the syndrome
    decoded by class, FAR/ELR/SPSR and every general register; that CPU stops."""
    q = boot(smp=2, extra=["-append", "partita.selftest=el2-fault"])
    q.wait_for(r"^partita: error: cpu0: unexpected synchronous exception from EL2$")
    q.wait_for(r"^partita: error:   ESR 0x[0-9a-f]{8}: class 0x25 data abort, ISS 0x[0-9a-f]+$")
    q.wait_for(r"^partita: error:   translation fault, on a read or fetch$")
    q.wait_for(r"^partita: error:   FAR 0x0{12}1000  ELR 0x[0-9a-f]{16}  SPSR 0x[0-9a-f]{8}  "
               r"SP 0x[0-9a-f]{16}$")
    for first in range(0, 30, 3):
        q.wait_for(rf"^partita: error:   x{first:<2d} 0x[0-9a-f]{{16}}  x{first + 1:<2d} "
                   rf"0x[0-9a-f]{{16}}  x{first + 2:<2d} 0x[0-9a-f]{{16}}$")
    q.wait_for(r"^partita: error:   x30 0x[0-9a-f]{16}$")
    q.wait_for(r"^partita: error: cpu0 stopped$")
