"""How a VM's images are placed and refused (core/vm_layout.c, core/vm.c).

Each test passes a "partita,config" blob (DESIGN.md section 5, made here
with dtc) as the boot loader's initrd:

- a raw image (kernel-format "raw") runs at RAM + 0x80000, as QEMU loads a
  raw kernel: the psci guest linked there (build/guests/raw/psci.bin) passes;
- a kernel that is not an arm64 Image and not declared raw is refused;
- RAM too small for kernel, initrd and DTB is refused, with the size that
  would do.
"""

import os
import subprocess

import test_vcpu as tv
import qemu as qemu_mod

VM = """/dts-v1/;
/ {{
	compatible = "partita,config";
	vm@0 {{
		name = "{name}";
		cpus = <{cpus}>;
		memory = <0x0 0x40000000 0x0 {ram:#x}>;
		kernel = /incbin/("{kernel}");
		{extra}
	}};
}};
"""


def config(tmp_path, name, kernel, ram=64 << 20, cpus="0 1", extra=""):
    """The blob for one VM; returns its path."""
    src, blob = tmp_path / f"{name}.dts", tmp_path / f"{name}.vmimg"
    src.write_text(VM.format(name=name, cpus=cpus, ram=ram, kernel=kernel, extra=extra))
    subprocess.run(["dtc", "-q", "-E", "no-name_properties", "-I", "dts", "-O", "dtb",
                    "-o", str(blob), str(src)], check=True, timeout=60)
    return str(blob)


def test_raw_kernel_at_0x80000(boot, tmp_path):
    """A raw image starts at RAM + 0x80000 with the DTB in x0, MMU off, DAIF masked."""
    raw = os.path.join(qemu_mod.build_dir(), "guests", "raw", "psci.bin")
    blob = config(tmp_path, "raw0", raw, extra='kernel-format = "raw";')
    q = boot(smp=2, extra=["-initrd", blob], timeout=60, fail_on=tv.ERROR)
    q.expect(r"^partita: vm0 raw0: 2 vCPUs .* kernel \d+ KiB at 0x40080000$")
    assert q.wait_exit() == 0
    tv.expect_pass(q, q.output, ["boot-state", "psci-cpu-on"])


def test_not_an_image_is_refused(boot, tmp_path):
    """No "ARM\\x64" magic and no kernel-format "raw": one line, and no VM."""
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x1f\x20\x03\xd5" * 1024)
    q = boot(smp=2, extra=["-initrd", config(tmp_path, "junk0", junk)], timeout=30)
    q.expect(r"^partita: error: vm junk0: kernel: not an arm64 Image \(no Image magic at "
             r"byte 56\) and not declared raw$")
    q.expect(r"^partita: error: configuration refused: no VM started$")


def test_ram_too_small_is_refused(boot, tmp_path):
    """Kernel + an 8 MiB initrd + DTB in 8 MiB of RAM: refused, saying what would do."""
    initrd = tmp_path / "initrd.bin"
    initrd.write_bytes(bytes(8 << 20))
    kernel = os.path.join(qemu_mod.build_dir(), "guests", "psci.bin")
    blob = config(tmp_path, "small0", kernel, ram=8 << 20,
                  extra=f'initrd = /incbin/("{initrd}");')
    q = boot(smp=2, extra=["-initrd", blob], timeout=30)
    q.expect(r"^partita: error: vm small0: memory: 8 MiB do not hold the kernel \(\d+ KiB\), "
             r"initrd \(8192 KiB\) and DTB; 10 MiB would$")
    q.expect(r"^partita: error: configuration refused: no VM started$")


def test_identity_ram_over_partita_is_refused(boot, tmp_path):
    """Identity RAM must be free RAM: over Partita's own image (at RAM + 2 MiB) it is refused."""
    raw = os.path.join(qemu_mod.build_dir(), "guests", "raw", "psci.bin")
    blob = config(tmp_path, "ident0", raw, extra='kernel-format = "raw"; identity;')
    q = boot(smp=2, extra=["-initrd", blob], timeout=30)
    q.expect(r"^partita: error: vm ident0: memory: identity 0x40000000\+0x4000000 is not free "
             r"RAM: it is not RAM, or overlaps Partita, the boot loader's blobs, a reserved "
             r"region or another VM$")
    q.expect(r"^partita: error: configuration refused: no VM started$")


def test_second_passthrough_spi_is_refused(boot, tmp_path):
    """The vGIC follows one passed-through SPI per VM: the console's after the
    RTC's is refused with a line, not silently put in the first one's place."""
    raw = os.path.join(qemu_mod.build_dir(), "guests", "raw", "psci.bin")
    blob = config(tmp_path, "two0", raw,
                  extra='kernel-format = "raw"; console = "passthrough";')
    q = boot(smp=2, extra=["-initrd", blob, "-append", "partita.passthrough=pl031"],
             timeout=30)
    q.expect(r"^partita: vm two0: owns pl031 and its SPI, INTID 34$")
    q.expect(r"^partita: error: vm two0: console /pl011@9000000: INTID 33 cannot be passed "
             r"through: the VM already has INTID 34, and one passed-through interrupt per VM "
             r"is all Partita supports yet$")
    q.expect(r"^partita: error: configuration refused: no VM started$")
