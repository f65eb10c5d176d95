"""Debian's arm64 kernel boots under Partita as an SMP guest to a busybox shell.

The images come from scripts/guest-linux.sh (`make linux-guest`, cached in
build/linux/): Debian's current kernel package and busybox-static for
arm64, with an /init that prints "Partita guest: Linux <release> up, <n>
CPUs" and starts a shell on the console. The VM is described by a
configuration (docs/configuration.md) made here with dtc and passed
as the boot loader's initrd: one VM, 2 vCPUs on cpu0 and cpu1, 256 MiB,
the console UART passed through. Commands typed on QEMU's serial port
reach the shell through the UART's receive interrupt, HW-mapped to the VM.

The tests skip, saying why, only when the Debian packages cannot be
downloaded (scripts/guest-linux.sh exits with status 2).
"""

import os
import subprocess

import pytest

import qemu as qemu_mod

LINUX_DIR = os.path.join(qemu_mod.REPO, "build", "linux")
IMAGE = os.path.join(LINUX_DIR, "Image")
INITRD = os.path.join(LINUX_DIR, "initrd.cpio.gz")

# TCG running Linux under a hypervisor at EL2 is slow, and the machine may be
# shared: about a minute is usual, ten is the limit.
TIMEOUT = float(os.environ.get("LINUX_TIMEOUT", 600))
BANNER = r"^Partita guest: Linux (\S+) up, (\d+) CPUs$"
# Anything here means Partita or the guest went wrong on the way.
FAIL_ON = (r"^partita: (error|warning)|Kernel panic|^\s*Internal error|Call trace:|"
           r"Unable to handle kernel|BUG:|WARNING: CPU")

CONFIG = """/dts-v1/;
/ {{
	compatible = "partita,config";
	linux0 {{
		cpus = <0 1>;
		{memory} = <0x0 {ram:#x} 0x0 0x10000000>;
		kernel = /incbin/("{image}");
		initrd = /incbin/("{initrd}");
		bootargs = "earlycon";
		console = "passthrough";
	}};
}};
"""


@pytest.fixture(scope="module")
def linux_images():
    """Debian's kernel and the busybox initramfs, downloaded once."""
    if os.path.isfile(IMAGE) and os.path.isfile(INITRD):
        return IMAGE, INITRD
    r = subprocess.run([os.path.join(qemu_mod.REPO, "scripts", "guest-linux.sh"), LINUX_DIR],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=1800,
                       check=False)
    if r.returncode == 2:
        pytest.skip("the Debian packages (linux-image-arm64, busybox-static for arm64) "
                    "cannot be downloaded: " + r.stderr.strip().replace("\n", " "))
    if r.returncode != 0:
        pytest.fail(f"scripts/guest-linux.sh failed (status {r.returncode}):\n"
                    f"{r.stdout}{r.stderr}", pytrace=False)
    return IMAGE, INITRD


def make_config(images, d, ram=0x40000000, identity=False):
    """A configuration blob: the VM, its kernel and initramfs, for -initrd."""
    src, blob = d / "linux.dts", d / "linux.vmimg"
    src.write_text(CONFIG.format(image=images[0], initrd=images[1], ram=ram,
                                 memory="memory-identity" if identity else "memory"))
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb",
                    "-o", str(blob), str(src)], check=True, timeout=120)
    return str(blob)


@pytest.fixture(scope="module")
def linux_config(linux_images, tmp_path_factory):
    """The blob of the test VM: 256 MiB at IPA 0x40000000."""
    return make_config(linux_images, tmp_path_factory.mktemp("linux"))


@pytest.fixture
def linux_vm(request, partita_bin, linux_config):
    """Factory: Partita on QEMU virt with the Linux VM; returns a started Qemu taking input."""
    started = []
    request.node.partita_qemus = started

    def start(gic=3, cpu="cortex-a57", smp=2, config=None, extra=(), tag="", fail_on=FAIL_ON):
        machine = f"virt,virtualization=on,gic-version={gic}"
        args = qemu_mod.machine_args(machine, cpu, smp) + [
            "-kernel", partita_bin, "-initrd", config or linux_config] + list(extra)
        q = qemu_mod.Qemu(args, timeout=TIMEOUT, fail_on=fail_on, stdin=True,
                          name=f"Linux under Partita on {machine} -cpu {cpu} -smp {smp}")
        q.log_path = os.path.join(qemu_mod.LOG_DIR, f"test_linux_gic{gic}_{cpu}{tag}.log")
        started.append(q)
        return q.start()

    try:
        yield start
    finally:
        for q in started:
            q.kill()


def wait_for_shell(q, tries=20, prefix=""):
    """Types a probe until the shell answers it: what is typed before the
    shell reads its terminal (it sets its modes, asks for the cursor
    position) may be lost, as on a real terminal."""
    for i in range(tries):
        q.send(f"echo shell-$((40+{i}))\n")
        if q.poll(rf"^{prefix}shell-{40 + i}$", 10):
            return
    q.fail(f"the shell did not answer {tries} probes")


def test_linux_console_passthrough(linux_vm):
    """console = "passthrough": the VM drives the machine's PL011 itself, its
    SPI HW-mapped; its lines come out untagged, typed commands reach its shell."""
    gic = 3
    q = linux_vm(gic=gic, tag="_passthrough")
    q.expect(r"^partita: vm linux0: owns console /pl011@9000000 and its SPI, INTID 33$")
    q.expect(r"^partita: vm0 linux0: 2 vCPUs on cpu0\.\.1, 256 MiB at IPA 0x40000000")
    q.expect(rf"^partita: ready: cpus=2 gic=v{gic} .* vms=1$")
    q.expect(r"^\[\s*[0-9.]+\] Linux version \S+-arm64 .*Debian")
    q.expect(r"^\[\s*[0-9.]+\] smp: Brought up 1 node, 2 CPUs$")
    m = q.expect(BANNER)
    assert m.group(2) == "2", "the guest does not see 2 CPUs"
    wait_for_shell(q)
    # The tty echoes what is typed: each answer is made so that its echo cannot match.
    q.send("echo hel''lo-$((6*7)); echo cpus=$(grep -c ^processor /proc/cpuinfo)\n")
    q.expect(r"^hello-42$")
    q.expect(r"^cpus=2$")
    q.send("echo online=$(cat /sys/devices/system/cpu/online)\n")
    q.expect(r"^online=0-1$")
    # The virtual timer ticks on both vCPUs: its line in /proc/interrupts counts on each.
    q.send("grep arch_timer /proc/interrupts | "
           "while read n a b r; do echo timer$((a > 0))$((b > 0)); done\n")
    q.expect(r"^timer11$")
    # busybox's poweroff -f: PSCI SYSTEM_OFF, the VM stops, the last VM powers the machine off.
    q.send("poweroff -f\n")
    q.expect(r"^partita: vm0 linux0: powered off \(PSCI SYSTEM_OFF\)")
    assert q.wait_exit() == 0


def test_linux_identity_ram(linux_vm, linux_images, tmp_path):
    """RAM mapped at IPA == PA (for DMA without an SMMU): 0x50000000, clear of
    Partita, the FDT and the boot loader's initrd; Linux sees it there."""
    q = linux_vm(config=make_config(linux_images, tmp_path, ram=0x50000000, identity=True),
                 tag="_identity")
    q.expect(r"^partita: vm0 linux0: 2 vCPUs on cpu0\.\.1, 256 MiB at IPA 0x50000000 "
             r"\(PA 0x50000000\)")
    q.expect(r"^\[\s*[0-9.]+\]\s+node\s+0: \[mem 0x0000000050000000-0x000000005fffffff\]$")
    q.expect(BANNER)
    wait_for_shell(q)
    q.send("poweroff -f\n")
    assert q.wait_exit() == 0


def test_linux_reboot(linux_vm):
    """reboot -f: PSCI SYSTEM_RESET reloads the VM from its pristine kernel and
    initramfs; Linux comes up again, with both vCPUs and its console."""
    q = linux_vm(tag="_reboot")
    q.expect(BANNER)
    wait_for_shell(q)
    q.send("echo marker-$((5*5)) > /tmp/x; reboot -f\n")
    q.expect(r"^partita: vm0 linux0: reset \(PSCI SYSTEM_RESET\), by vcpu\d$")
    q.expect(r"^\[\s*[0-9.]+\] smp: Brought up 1 node, 2 CPUs$")
    m = q.expect(BANNER)
    assert m.group(2) == "2"
    wait_for_shell(q)
    # A fresh initramfs: nothing of the first boot's tmpfs is left.
    q.send("cat /tmp/x 2>&1 | sed s/^/x:/\n")
    q.expect(r"^x:cat: can't open '/tmp/x': No such file or directory$")
    q.send("poweroff -f\n")
    assert q.wait_exit() == 0


@pytest.mark.parametrize("gic", [3, 2])
def test_linux_cpu_hotplug(linux_vm, gic):
    """CPU 1 taken offline (PSCI CPU_OFF) and back (CPU_ON), twice: Linux
    sees it go and come back, and it runs work again afterwards."""
    q = linux_vm(gic=gic, tag="_hotplug")
    q.expect(BANNER)
    wait_for_shell(q)
    for i in range(2):
        q.send("echo 0 > /sys/devices/system/cpu/cpu1/online; "
               "echo off$((1+1))=$(cat /sys/devices/system/cpu/online)\n")
        q.expect(r"^off2=0$")
        q.send("echo 1 > /sys/devices/system/cpu/cpu1/online; "
               "echo on$((1+1))=$(cat /sys/devices/system/cpu/online)\n")
        q.expect(r"^on2=0-1$")
    # Work pinned to CPU 1 runs there.
    q.send("taskset -c 1 sh -c 'echo ran$((2+2)) on cpu $(cut -d\" \" -f39 /proc/self/stat)'\n")
    q.expect(r"^ran4 on cpu 1$")
    q.send("poweroff -f\n")
    assert q.wait_exit() == 0


def test_linux_under_uboot(linux_vm, linux_images):
    """Partita chain-loaded by U-Boot (booti, the initrd through fw_cfg) runs the
    default Linux VM to its shell: the .vmimg's 16-byte header makes U-Boot pass
    it on as a raw initrd."""
    q = linux_vm(config=shipped_config("linux"), extra=["-bios", qemu_mod.UBOOT], tag="_uboot")
    q.expect(r"^U-Boot ")
    q.expect(r"^partita: ready: cpus=2 gic=v3 .* vms=1$")
    m = q.expect(r"^\[linux0\] Partita guest: Linux (\S+) up, (\d+) CPUs$")
    assert m.group(2) == "2"
    wait_for_shell(q, prefix=r"\[linux0\] ")
    q.send("poweroff -f\n")
    assert q.wait_exit() == 0


def shipped_config(name):
    """build/configs/NAME.vmimg, made from guests/NAME.dts as make run makes it
    (with build/linux's kernel and initramfs)."""
    build = os.environ.get("BUILD", "build")
    target = os.path.join(build, "configs", f"{name}.vmimg")
    r = subprocess.run(["make", "-s", f"BUILD={build}", target], cwd=qemu_mod.REPO,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600,
                       check=False)
    if r.returncode != 0:
        pytest.fail(f"make {target} failed:\n{r.stdout}{r.stderr}", pytrace=False)
    return os.path.join(qemu_mod.REPO, target)


@pytest.mark.parametrize("name,smp,gic,cpu", [
    ("linux", 2, 3, "cortex-a57"), ("linux", 2, 2, "cortex-a57"),
    ("linux", 2, 3, "max"), ("linux", 2, 2, "max"), ("linux-smp4", 4, 3, "cortex-a57")])
def test_shipped_configuration(linux_vm, linux_images, name, smp, gic, cpu):
    """What make run boots (guests/linux.dts, and linux-smp4.dts with
    CONFIG=linux-smp4): Linux on its emulated PL011, earlycon and the
    amba-pl011 driver both; its output tagged, what is typed reaching the
    shell through the emulated UART's receive interrupt; nproc is the vCPU
    count, MemTotal the configured 256 MiB less what the kernel keeps, the
    timer's count rises on every vCPU; poweroff ends QEMU with status 0."""
    t = r"\[linux0\] "
    q = linux_vm(gic=gic, cpu=cpu, smp=smp, config=shipped_config(name), tag=f"_{name}")
    q.expect(r"^partita: console: input goes to vm linux0; the UART's interrupt, INTID 33, ")
    q.expect(rf"^partita: ready: cpus={smp} gic=v{gic} .* vms=1$")
    q.expect(rf"^{t}\[\s*[0-9.]+\] earlycon: pl11 at MMIO 0x0+9000000 ")
    q.expect(rf"^{t}\[\s*[0-9.]+\] smp: Brought up 1 node, {smp} CPUs$")
    q.expect(rf"^{t}\[\s*[0-9.]+\] 9000000.pl011: ttyAMA0 at MMIO 0x9000000 .* "
             r"is a PL011 rev3$")
    m = q.expect(rf"^{t}Partita guest: Linux (\S+) up, (\d+) CPUs$")
    assert m.group(2) == str(smp)
    wait_for_shell(q, prefix=t)
    # The tty echoes what is typed: each answer is made so that its echo cannot match.
    q.send("echo n''proc=$(nproc) irq=$(grep -c pl011 /proc/interrupts)\n")
    q.expect(rf"^{t}nproc={smp} irq=1$")
    q.send("echo mem=$(($(sed -n 's/^MemTotal: *\\([0-9]*\\) kB/\\1/p' /proc/meminfo) / 1024))\n")
    m = q.expect(rf"^{t}mem=(\d+)$")
    assert 200 <= int(m.group(1)) < 256, f"MemTotal {m.group(1)} MiB of a 256 MiB VM"
    # The arch timer's line in /proc/interrupts, twice: every vCPU's count rises.
    cmd = "grep arch_timer /proc/interrupts | tr -s ' ' | cut -d' ' -f3-{}".format(2 + smp)
    q.send(f"a=$({cmd}); sleep 1; b=$({cmd}); echo t''icks $a / $b\n")
    m = q.expect(rf"^{t}ticks ([\d ]+) / ([\d ]+)$")
    before, after = (list(map(int, g.split())) for g in m.groups())
    assert len(before) == smp and all(y > x for x, y in zip(before, after)), m.group(0)
    q.send("poweroff -f\n")
    q.expect(r"^partita: vm0 linux0: powered off \(PSCI SYSTEM_OFF\)")
    assert q.wait_exit() == 0
