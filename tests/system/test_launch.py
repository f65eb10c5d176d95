"""How a VM's images are placed and its devices given (core/vm_layout.c, core/vm.c).

Each test passes a configuration (docs/configuration.md, made here with dtc)
as the boot loader's initrd:

- a raw image (kernel-format "raw") runs at RAM + 0x80000, as QEMU loads a
  raw kernel: the psci guest linked there (build/guests/raw/psci.bin) passes;
- a VM owns several physical SPIs: its passed-through console's and a
  device's.

What is refused (not an Image, RAM too small, identity RAM over Partita) is
in test_config.py.
"""

import os
import subprocess

import test_vcpu as tv
import qemu as qemu_mod

VM = """/dts-v1/;
/ {{
	compatible = "partita,config";
	{name} {{
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
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(blob), str(src)],
                   check=True, timeout=60)
    return str(blob)


def test_raw_kernel_at_0x80000(boot, tmp_path):
    """A raw image starts at RAM + 0x80000 with the DTB in x0, MMU off, DAIF masked."""
    raw = os.path.join(qemu_mod.build_dir(), "guests", "raw", "psci.bin")
    blob = config(tmp_path, "raw0", raw, extra='kernel-format = "raw"; partita,test-device;')
    q = boot(smp=2, extra=["-initrd", blob], timeout=60, fail_on=tv.ERROR)
    q.expect(r"^partita: vm0 raw0: 2 vCPUs .* kernel \d+ KiB at 0x40080000$")
    assert q.wait_exit() == 0
    tv.expect_pass(q, q.output, ["boot-state", "psci-cpu-on"])


def test_several_passthrough_spis(boot, tmp_path):
    """The console passed through and the PL031: the VM owns both SPIs, and runs."""
    raw = os.path.join(qemu_mod.build_dir(), "guests", "raw", "psci.bin")
    blob = config(tmp_path, "two0", raw,
                  extra='kernel-format = "raw"; console = "passthrough"; '
                        'devices = "/pl031@9010000"; partita,test-device;')
    q = boot(smp=2, extra=["-initrd", blob], timeout=60, fail_on=tv.ERROR)
    q.expect(r"^partita: vm two0: owns console /pl011@9000000 and its SPI, INTID 33$")
    q.expect(r"^partita: vm two0: owns /pl031@9010000 and its SPI, INTID 34$")
    assert q.wait_exit() == 0
    tv.expect_pass(q, q.output, ["boot-state", "psci-cpu-on"])
