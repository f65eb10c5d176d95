"""CPUs that cannot be started, Partita's own boot words, and what Partita says
when memory runs out: each is one clear line, and only what it affects is lost.

The CPU cases boot on QEMU's own device tree for the board (dumped with
dumpdtb=), edited with fdtput and given back with -dtb: QEMU passes on a
well-formed blob as it is, except /memory and /chosen.
"""

import os
import re
import subprocess

import pytest

import qemu as qemu_mod

ERROR = r"^partita: error: .*$"
READY = r"^partita: ready: cpus=(\d+) .*vms=(\d+)\s*$"
CPU = "cortex-a57"


def fdt(*args):
    r = subprocess.run(list(args), capture_output=True, text=True, timeout=10)
    if r.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed: {r.stderr}", pytrace=False)
    return r.stdout.split()


def qemu_dtb(tmp_path, smp):
    """QEMU's own DTB for -M virt,virtualization=on,gic-version=3 -cpu CPU -smp smp."""
    return qemu_mod.dump_dtb(str(tmp_path / "virt.dtb"), "virt,virtualization=on,gic-version=3",
                             CPU, smp)


def online_cpus(out):
    return sorted(int(n) for n in re.findall(r"^partita: cpu(\d+) online \(mpidr", out, re.M))


def ready(q):
    """Waits for the ready line; returns (cpus online, VMs built)."""
    m = q.expect(READY)
    return int(m.group(1)), int(m.group(2))


def expect_clean_exit(q):
    status = q.wait_exit()
    if status != 0:
        q.fail(f"QEMU exited with status {status}, not 0 (SYSTEM_OFF of the last VM)")
    return q.output


def expect_verdicts(q, out, names):
    for name in names:
        if not re.search(rf"^\[\w+\] PASS {name}$", out, re.M):
            q.fail(f"the guest did not print PASS {name}")
    if re.search(r"^(\[\w+\] )?FAIL", out, re.M):
        q.fail("the guest printed a FAIL line")


MMIO_PASSES = ["mmio-id", "mmio-sizes", "mmio-refused"]


# -- CPUs that cannot be started ----------------------------------------------


def test_cpu_without_reg_stays_offline_alone(boot, tmp_path):
    """A cpu node without reg has no MPIDR: that CPU alone stays offline, where
    the whole device tree used to be refused."""
    dtb = qemu_dtb(tmp_path, 4)
    fdt("fdtput", "-d", dtb, "/cpus/cpu@2", "reg")
    q = boot(cpu=CPU, smp=4, extra=["-dtb", dtb])
    q.wait_for(r"^partita: error: fdt: cpu2 \(/cpus/cpu@2\): no reg, so it has no MPIDR to be "
               r"started with; cpu2 stays offline\s*$")
    cpus, _ = ready(q)
    out = q.output
    assert cpus == 3, f"ready line says cpus={cpus}, expected 3"
    assert online_cpus(out) == [1, 3], f"secondaries online: {online_cpus(out)}"
    assert len(re.findall(ERROR, out, re.M)) == 1, "more than the one line about cpu2"


def test_cpu_with_repeated_mpidr_stays_offline(boot, tmp_path):
    """cpu@2 claims cpu@1's MPIDR: the first node keeps it, cpu2 is reported by
    name (not as a CPU_ON failure) and stays offline."""
    dtb = qemu_dtb(tmp_path, 4)
    fdt("fdtput", dtb, "/cpus/cpu@2", "reg", "1")
    q = boot(cpu=CPU, smp=4, extra=["-dtb", dtb])
    q.wait_for(r"^partita: error: fdt: cpu2 \(/cpus/cpu@2\): reg 0x1 is the MPIDR of cpu1 "
               r"\(/cpus/cpu@1\) too; cpu2 stays offline\s*$")
    cpus, _ = ready(q)
    out = q.output
    assert cpus == 3, f"ready line says cpus={cpus}, expected 3"
    assert online_cpus(out) == [1, 3], f"secondaries online: {online_cpus(out)}"
    assert len(re.findall(ERROR, out, re.M)) == 1, "more than the one line about cpu2"


REFUSED = (r"^partita: error: cpu3 \(mpidr 0x7\): firmware PSCI CPU_ON failed: "
           r"INVALID_PARAMETERS; cpu3 stays offline\s*$")


def test_cpu_refused_by_firmware_vm_runs_on_the_others(boot, tmp_path):
    """The firmware refuses CPU_ON for cpu3 (its MPIDR names no CPU): the one
    VM, whose configuration gives it every CPU online (cpus = "all"), takes the
    three CPUs online and runs, where it used to be refused."""
    dtb = qemu_dtb(tmp_path, 4)
    fdt("fdtput", dtb, "/cpus/cpu@3", "reg", "7")
    q = boot(cpu=CPU, smp=4, extra=["-dtb", dtb, "-initrd", qemu_mod.config("psci")], timeout=60)
    q.wait_for(REFUSED)
    cpus, vms = ready(q)
    assert (cpus, vms) == (3, 1), f"ready line says cpus={cpus} vms={vms}, expected 3 and 1"
    out = expect_clean_exit(q)
    expect_verdicts(q, out, ["psci-version", "psci-cpu-on", "psci-cpu-on-again"])
    assert "psci: 3 vCPUs" in out
    assert re.search(r"^partita: vm0 test0: 3 vCPUs on cpu0\.\.2,", out, re.M)
    assert len(re.findall(ERROR, out, re.M)) == 1, "more than the one line about cpu3"


def test_only_the_vm_needing_an_offline_cpu_is_refused(boot, tmp_path):
    """With two VMs, test1 has cpu2 and cpu3; cpu3 cannot be started, so
    test1 is refused with a line saying why, and test0 runs on its own."""
    dtb = qemu_dtb(tmp_path, 4)
    fdt("fdtput", dtb, "/cpus/cpu@3", "reg", "7")
    q = boot(cpu=CPU, smp=4, timeout=60,
             extra=["-dtb", dtb, "-initrd", qemu_mod.config("mmio", 2, 4)])
    q.wait_for(REFUSED)
    q.wait_for(r"^partita: error: vm test1: cpus: vCPU 1 needs physical CPU 3, which is "
               r"offline \(the firmware refused CPU_ON for MPIDR 0x7 \(INVALID_PARAMETERS\)\); "
               r"vm test1 is not started\s*$")
    cpus, vms = ready(q)
    assert (cpus, vms) == (3, 1), f"ready line says cpus={cpus} vms={vms}, expected 3 and 1"
    out = expect_clean_exit(q)
    assert re.search(r"^partita: vm0 test0: 2 vCPUs on cpu0\.\.1,", out, re.M)
    expect_verdicts(q, out, MMIO_PASSES)
    assert "configuration refused" not in out


def patchable_image():
    """partita.bin as a bytearray, and the offset of secondary_entry in it
    (from the symbols of partita.elf, which is linked at the image start)."""
    elf = os.path.join(qemu_mod.build_dir(), "partita.elf")
    nm = subprocess.run(["aarch64-linux-gnu-nm", elf], capture_output=True, text=True,
                        check=True, timeout=10).stdout
    syms = dict((name, int(addr, 16)) for addr, _, name in
                (line.split() for line in nm.splitlines() if len(line.split()) == 3))
    entry = syms["secondary_entry"] - syms["__image_start"]
    data = bytearray(open(qemu_mod.partita_bin(), "rb").read())
    assert data[entry:entry + 4] == bytes.fromhex("f30300aa"), "secondary_entry moved?"
    return data, entry


def stalled_secondaries(tmp_path):
    """A copy of partita.bin whose secondary_entry is `wfi; b .-4`: the firmware
    starts the CPU, but it never reaches Partita's code."""
    data, entry = patchable_image()
    data[entry:entry + 8] = bytes.fromhex("7f2003d5ffffff17")  # wfi; b .-4
    path = tmp_path / "partita-stalled.bin"
    path.write_bytes(bytes(data))
    return str(path)


def test_cpu_never_online_is_given_up(qemu, tmp_path):
    """cpu1 is started by the firmware but never comes online: after a second
    Partita says so and carries on; test1, which needs cpu1, is refused; test0 runs."""
    args = qemu_mod.machine_args("virt,virtualization=on,gic-version=3", CPU, 2)
    q = qemu(args + ["-kernel", stalled_secondaries(tmp_path), "-initrd",
                     qemu_mod.config("mmio", 2, 2)], timeout=60, name="partita, cpu1 stalls")
    q.wait_for(r"^partita: error: cpu1 \(mpidr 0x1\): started by PSCI but not online after "
               r"1000 ms; cpu1 stays offline\s*$")
    q.wait_for(r"^partita: error: vm test1: cpus: vCPU 0 needs physical CPU 1, which is "
               r"offline \(it was not online 1000 ms after CPU_ON\); vm test1 is not started\s*$")
    cpus, vms = ready(q)
    assert (cpus, vms) == (1, 1), f"ready line says cpus={cpus} vms={vms}, expected 1 and 1"
    out = expect_clean_exit(q)
    expect_verdicts(q, out, MMIO_PASSES)


def test_cpu_without_its_gic_redistributor_runs_no_vm(boot, tmp_path):
    """The GICv3 redistributor region covers cpu0 and cpu1 only: cpu2 and cpu3
    come up but could never be kicked out of a guest, so they say so and stay
    offline, and test1, which needs them, is refused; test0 runs."""
    dtb = qemu_dtb(tmp_path, 4)
    gic = "/intc@8000000"
    reg = fdt("fdtget", dtb, gic, "reg")
    assert len(reg) == 8, f"unexpected GIC reg {reg}"
    reg[7] = str(2 * 0x20000)  # two redistributor frames (RD_base and SGI_base each)
    fdt("fdtput", dtb, gic, "reg", *reg)
    q = boot(cpu=CPU, smp=4, timeout=60,
             extra=["-dtb", dtb, "-initrd", qemu_mod.config("mmio", 2, 4)])
    for n in (2, 3):
        q.wait_for(rf"^partita: error: cpu{n} \(mpidr 0x{n}\): no GIC redistributor or CPU "
                   rf"interface was found for it; cpu{n} stays offline\s*$")
    q.wait_for(r"^partita: error: vm test1: cpus: vCPU 0 needs physical CPU 2, which is "
               r"offline \(no GIC redistributor or CPU interface was found for it\); vm test1 "
               r"is not started\s*$")
    cpus, vms = ready(q)
    assert (cpus, vms) == (2, 1), f"ready line says cpus={cpus} vms={vms}, expected 2 and 1"
    out = expect_clean_exit(q)
    assert online_cpus(out) == [1]
    expect_verdicts(q, out, MMIO_PASSES)


# -- partita.* boot words -----------------------------------------------------


def test_selftest_word_only_as_a_whole_word(boot):
    """`guest=partita.selftest=el2-fault` is the guest's word, not Partita's:
    no self-test fault (it used to fire on any substring)."""
    q = boot(smp=2, extra=["-append", "guest=partita.selftest=el2-fault"], fail_on=ERROR)
    ready(q)
    q.expect_no(r"selftest|unexpected synchronous exception", 1.0)


def test_unknown_and_out_of_range_words_are_warned(boot):
    """A value out of range and an unknown partita.* word (partita.vms= is one
    now: VMs come from the configuration) each get a line saying what is
    accepted; they change nothing (one VM)."""
    q = boot(smp=2, fail_on=ERROR, timeout=60,
             extra=["-initrd", qemu_mod.config("mmio"), "-append",
                    "console=ttyAMA0 partita.selftest=3 partita.vms=2"])
    q.wait_for(r'^partita: warning: bootargs: "partita.selftest=3": value out of range; it '
               r"takes partita.selftest=el2-fault\|spi\|slow-uart\|lifecycle, and is ignored\s*$")
    q.wait_for(r'^partita: warning: bootargs: "partita.vms=2" is not a Partita word and '
               r"is ignored; Partita knows partita.selftest=el2-fault\|spi\|slow-uart\|lifecycle\s*$")
    _, vms = ready(q)
    assert vms == 1
    expect_verdicts(q, expect_clean_exit(q), MMIO_PASSES)


# -- what Partita says when memory runs out -----------------------------------


def test_split_memory_is_told_apart(qemu):
    """With -m 128M QEMU puts the initrd in the middle of RAM: more than 64 MiB
    is free, but in two pieces. The line says so and gives the largest piece."""
    args = qemu_mod.machine_args("virt,virtualization=on,gic-version=3", CPU, 2, mem="128M")
    q = qemu(args + ["-kernel", qemu_mod.partita_bin(), "-initrd", qemu_mod.config("mmio")], timeout=20,
             name="partita -m 128M")
    m = q.expect(r"^partita: error: vm test0: memory: cannot allocate 64 MiB: (\d+) MiB free, "
                 r"but split; the largest 2 MiB-aligned piece is (\d+) MiB\s*$")
    free, largest = int(m.group(1)), int(m.group(2))
    assert free >= 64 > largest, f"{free} MiB free, largest {largest} MiB"
    q.wait_for(r"^partita: error: vm test0 is not started\s*$")


def dtb_with_memreserve(tmp_path, base, size):
    """QEMU's DTB (-smp 2, -m 1G) with a /memreserve/ entry: Partita hands out
    none of that memory."""
    dtb = qemu_dtb(tmp_path, 2)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb], capture_output=True,
                         text=True, check=True, timeout=10).stdout
    dts = dts.replace("/dts-v1/;", f"/dts-v1/;\n/memreserve/ {base:#x} {size:#x};", 1)
    out = str(tmp_path / "reserved.dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out], input=dts, text=True,
                   check=True, timeout=10)
    return out


def test_too_little_memory_is_told_apart(boot, tmp_path):
    """All RAM but its top 32 MiB reserved: the line says how little is free
    (not split), and names the VM and its memory."""
    dtb = dtb_with_memreserve(tmp_path, 0x40000000, 0x3e000000)
    q = boot(cpu=CPU, smp=2, extra=["-dtb", dtb, "-initrd", qemu_mod.config("mmio")])
    m = q.expect(r"^partita: error: vm test0: memory: cannot allocate 64 MiB: only (\d+) MiB "
                 r"free\s*$")
    assert 0 < int(m.group(1)) < 64
    q.wait_for(r"^partita: error: vm test0 is not started\s*$")


def test_no_memory_for_stage2_tables_says_memory(boot, tmp_path):
    """Every page reserved: the VM's first stage-2 table cannot be had, and the
    line says it is memory that lacks, not a VMID (it used to say "no VMID or
    memory left")."""
    dtb = dtb_with_memreserve(tmp_path, 0x40000000, 0x40000000)
    q = boot(cpu=CPU, smp=2, extra=["-dtb", dtb, "-initrd", qemu_mod.config("mmio")])
    q.wait_for(r"^partita: error: vm test0: stage-2 root table: cannot allocate \d+ KiB: only 0 "
               r"KiB free\s*$")
    q.wait_for(r"^partita: error: vm test0 is not started\s*$")
    assert "VMID" not in q.output


def test_no_memory_for_stage2_tables_of_ram(boot, tmp_path):
    """Exactly the root table and the VM's 64 MiB are free: mapping that RAM
    needs one more table page, and the line says so (it used to print
    "stage-2 mapping failed (-2)")."""
    dtb = dtb_with_memreserve(tmp_path, 0x40000000, 0x3bffe000)
    q = boot(cpu=CPU, smp=2, extra=["-dtb", dtb, "-initrd", qemu_mod.config("mmio")])
    q.wait_for(r"^partita: error: vm test0: memory: stage-2 table: cannot allocate 4 KiB: only "
               r"0 KiB free\s*$")
    q.wait_for(r"^partita: error: vm test0 is not started\s*$")


def late_secondaries(tmp_path):
    """A copy of partita.bin whose secondaries first count down from 2^30 (more
    than a second of emulated time) in the Image header's reserved words, then
    go on as usual: they come up after Partita stopped waiting for them."""
    data, entry = patchable_image()
    cave = 32  # res2..res4 of the arm64 Image header: 24 bytes nobody reads
    assert data[cave:cave + 20] == bytes(20)

    def b(src, dst):
        return 0x14000000 | (((dst - src) // 4) & 0x3ffffff)

    code = [0xd2a80001,             # movz x1, #0x4000, lsl #16: 2^30
            0xf1000421,             # subs x1, x1, #1
            0x54ffffe1,             # b.ne .-4
            0xaa0003f3,             # mov x19, x0 (the instruction replaced)
            b(cave + 16, entry + 4)]
    for i, insn in enumerate(code):
        data[cave + 4 * i:cave + 4 * i + 4] = insn.to_bytes(4, "little")
    data[entry:entry + 4] = b(entry, cave).to_bytes(4, "little")
    path = tmp_path / "partita-late.bin"
    path.write_bytes(bytes(data))
    return str(path)


def test_cpu_coming_up_late_stays_parked(qemu, tmp_path):
    """cpu1 comes up after Partita gave up on it: it says so and parks rather
    than joining a system that counted it out. Under -icount the delay is the
    same on every run."""
    args = qemu_mod.machine_args("virt,virtualization=on,gic-version=3", CPU, 2)
    q = qemu(args + ["-icount", "shift=0,sleep=off", "-kernel", late_secondaries(tmp_path)],
             timeout=60, name="partita, cpu1 late", fail_on=r"^partita: cpu1 online")
    q.wait_for(r"^partita: error: cpu1 \(mpidr 0x1\): started by PSCI but not online after "
               r"1000 ms; cpu1 stays offline\s*$")
    cpus, _ = ready(q)
    assert cpus == 1
    q.wait_for(r"^partita: error: cpu1 \(mpidr 0x1\) came up after Partita stopped waiting "
               r"for it; it stays parked\s*$")
    q.expect_no(r"^partita: cpu1 online", 0.5)
