"""The VM configuration: refused by partita-config at build time and by Partita
at boot with the same line, naming the VM and the property; at boot a VM that
fails is not started and the others are."""

import os
import re
import subprocess

import pytest

import qemu as qemu_mod

ERROR = r"^partita: error: .*$"
MEM = "memory = <0x0 0x40000000 0x0 0x4000000>;"
KERNEL = 'kernel = /incbin/("mmio.bin");'


def vm(name, cpus, extra="", mem=MEM, kernel=KERNEL):
    return f"{name} {{ cpus = <{cpus}>; {mem} {kernel} partita,test-device; {extra} }};\n"


def vmimg(tmp_path, body, name="config"):
    """Compiles a configuration whose root holds body into a .vmimg (header + DTB)."""
    src = tmp_path / f"{name}.dts"
    src.write_text(f'/dts-v1/;\n/ {{\n\tcompatible = "partita,config";\n{body}}};\n')
    dtb = tmp_path / f"{name}.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-i",
                    os.path.join(qemu_mod.build_dir(), "guests"), "-o", str(dtb), str(src)],
                   check=True, timeout=20)
    out = tmp_path / f"{name}.vmimg"
    out.write_bytes(b"partita,config\0\0" + dtb.read_bytes())
    return str(out)


def tool():
    path = os.path.join(qemu_mod.build_dir(), "partita-config")
    if not os.path.isfile(path):
        pytest.fail(f"{path} does not exist: build it first (make)", pytrace=False)
    return path


def check(path, command="check"):
    return subprocess.run([tool(), command, path], capture_output=True, text=True, timeout=20)


# (id, configuration, the line both partita-config and Partita print)
BAD = [
    ("identity-overlap",
     vm("a", "0", mem="memory-identity = <0x0 0x60000000 0x0 0x400000>;") +
     vm("b", "1", mem="memory-identity = <0x0 0x60200000 0x0 0x400000>;"),
     "vm b: memory-identity: 0x60200000-0x605fffff overlaps vm a's 0x60000000-0x603fffff"),
    ("too-many-vcpus", vm("a", "0 1 2 3 4 5 6 7 8"),
     "vm a: cpus: 9 vCPUs, more than the 8 a VM can have"),
    ("cpu-twice", vm("linux0", "0 1") + vm("linux1", "1"),
     "vm linux1: cpus: physical CPU 1 is given to vm linux0 too"),
    ("no-kernel", vm("a", "0", kernel=""), "vm a: kernel: missing"),
    ("not-an-image", vm("a", "0", kernel="kernel = [00 01 02 03];"),
     'vm a: kernel: not an arm64 Image (no Image magic "ARMd" at offset 56); for another '
     'image, say kernel-format = "raw"'),
    ("too-small", vm("a", "0", mem="memory = <0x0 0x40000000 0x0 0x0>;"),
     "vm a: memory: base 0x40000000 and size 0x0 must be non-zero multiples of 2 MiB"),
    ("unknown-property", vm("a", "0", 'colour = "blue";'),
     "vm a: colour: unknown property (docs/configuration.md lists them)"),
    ("malformed", vm("a", "0", 'console = "serial";'),
     'vm a: console: must be "emulated" or "passthrough"'),
]


@pytest.mark.parametrize("body,line", [(b, l) for _, b, l in BAD], ids=[i for i, _, _ in BAD])
def test_tool_refuses(tmp_path, body, line):
    r = check(vmimg(tmp_path, body))
    assert r.returncode == 1, f"exit status {r.returncode}\n{r.stderr}"
    assert f"partita: error: {line}\n" in r.stderr, r.stderr


def test_tool_refuses_what_is_not_a_configuration(tmp_path):
    path = tmp_path / "junk.vmimg"
    path.write_bytes(b"\x7fELF" + bytes(100))
    r = check(str(path))
    assert r.returncode == 1
    assert "partita: error: config: not a Partita configuration: no device-tree magic" in r.stderr


def test_tool_shows(tmp_path):
    body = vm("linux0", "0 1", 'bootargs = "console=ttyAMA0"; devices = "/pl031@9010000";')
    r = check(vmimg(tmp_path, body), "show")
    assert r.returncode == 0, r.stderr
    size = os.path.getsize(os.path.join(qemu_mod.build_dir(), "guests", "mmio.bin"))
    for want in [r"^vm linux0$", r"^  cpus +0 1$",
                 r"^  memory +64 MiB at IPA 0x40000000-0x43ffffff$",
                 rf"^  kernel +{size} bytes \(\d+ KiB\), arm64 Image, at RAM \+ 0x0$",
                 r'^  bootargs +"console=ttyAMA0"$', r"^  console +emulated$",
                 r"^  devices +/pl031@9010000$"]:
        assert re.search(want, r.stdout, re.M), f"no line {want!r} in:\n{r.stdout}"


def boot_config(boot, path, smp=2, fail_on=None):
    return boot(smp=smp, extra=["-initrd", path], timeout=60, fail_on=fail_on)


def test_boot_refuses_with_the_same_line(boot, tmp_path):
    """The line partita-config prints at build time, Partita prints at boot;
    the VM is not started and the other one runs."""
    body = vm("linux0", "0") + vm("linux1", "0 1")
    path = vmimg(tmp_path, body)
    line = "vm linux1: cpus: physical CPU 0 is given to vm linux0 too"
    assert f"partita: error: {line}\n" in check(path).stderr
    q = boot_config(boot, path)
    q.wait_for(rf"^partita: error: {re.escape(line)}$")
    q.wait_for(r"^partita: vm0 linux0: 1 vCPU on cpu0\.\.0")
    q.wait_for(r"^partita: error: vm linux1 is not started$")
    q.wait_for(r"^partita: ready: .* vms=1$")
    assert q.wait_exit() == 0
    assert re.search(r"^\[linux0\] PASS ", q.output, re.M)


# (id, the VM test1 that this machine (-smp 2 -m 1G, QEMU virt) cannot run, the line)
MACHINE = [
    ("cpu", vm("test1", "2"), "vm test1: cpus: physical CPU 2 is not in this machine, which has 2 "
                              "(0 to 1)"),
    ("ram", vm("test1", "1", mem="memory-identity = <0x1 0x0 0x0 0x200000>;"),
     "vm test1: memory-identity: 0x100000000-0x1001fffff is not RAM of this machine"),
    ("over-partita", vm("test1", "1", mem="memory-identity = <0x0 0x40000000 0x0 0x400000>;"),
     "vm test1: memory-identity: 0x40000000-0x403fffff overlaps Partita's own image"),
    ("device", vm("test1", "1", 'devices = "/rtc@9010000";'),
     "vm test1: devices: /rtc@9010000: no such node in the host device tree"),
    ("uart", vm("test1", "1", 'devices = "/pl011@9000000";'),
     "vm test1: devices: /pl011@9000000: is Partita's console UART"),
    ("gic", vm("test1", "1", 'devices = "/intc@8000000";'),
     "vm test1: devices: /intc@8000000: is the GIC, which Partita drives"),
]


@pytest.mark.parametrize("test1,line", [(b, l) for _, b, l in MACHINE],
                         ids=[i for i, _, _ in MACHINE])
def test_boot_refuses_what_the_machine_lacks(boot, tmp_path, test1, line):
    """partita-config accepts these (it cannot know the machine); at boot the VM is
    refused with its line, and the other one runs."""
    path = vmimg(tmp_path, vm("test0", "0") + test1)
    assert check(path).returncode == 0
    q = boot_config(boot, path, fail_on=r"^partita: error: (?!vm test1).*$")
    q.wait_for(rf"^partita: error: {re.escape(line)}")
    q.wait_for(r"^partita: error: vm test1 is not started$")
    q.wait_for(r"^partita: ready: .* vms=1$")
    assert q.wait_exit() == 0
    assert re.search(r"^\[test0\] PASS ", q.output, re.M)


def test_identity_ram_is_that_memory(boot, tmp_path):
    """memory-identity maps the VM's RAM at its own physical address."""
    body = vm("test0", "0 1", mem="memory-identity = <0x0 0x60000000 0x0 0x4000000>;")
    q = boot_config(boot, vmimg(tmp_path, body), fail_on=ERROR)
    q.wait_for(r"^partita: vm0 test0: 2 vCPUs on cpu0\.\.1, 64 MiB at IPA 0x60000000 "
               r"\(PA 0x60000000\)")
    q.wait_for(r"^partita: ready: .* vms=1$")


def test_not_a_configuration_at_boot(boot, tmp_path):
    """An initrd that is not a configuration (here a guest image, as the old
    built-in table took) is refused with one line, and no VM is built."""
    q = boot_config(boot, os.path.join(qemu_mod.build_dir(), "guests", "mmio.bin"))
    q.wait_for(r"^partita: error: config: not a Partita configuration: no device-tree magic")
    q.wait_for(r"^partita: error: config: the initrd at 0x[0-9a-f]+-0x[0-9a-f]+ is refused: "
               r"no VM started$")
    q.wait_for(r"^partita: ready: .* vms=0$")
