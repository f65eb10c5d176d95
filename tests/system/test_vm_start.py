"""What a VM finds in its RAM at its start (core/vm.c load()): Partita zeroes
only the RAM around the images and copies them in by whole blocks, so the
edges of each image are where a slip would show. guests/test/ramclear.c
checks, with its MMU off (reading what reached memory), that all of RAM
beyond its image is zero but for the initrd, which must be the test's bytes
exactly, and the DTB; then it fills all of that RAM with a pattern, resets
(PSCI SYSTEM_RESET), and checks again. Before it reads, it has Partita's
console hypercall print four bytes of a 2 MiB block it has not touched in
that boot: RAM cleared lazily (vcpu/ram.c) must read as zeroes to Partita
too; and it calls into another untouched block, whose first access is then
an instruction fetch: it must run the zeroes (a UDF the guest takes
itself), not get an instruction abort. The initrd's size is odd, so its end
and the zeroes after it share a word and a cache line."""

from test_config import vm, vmimg
from test_vcpu import ERROR, expect_pass, run_guest  # noqa: F401 (run_guest: same boot)

INITRD_SIZE = (1 << 20) + 123


def initrd_bytes(n):
    """Byte i is (i * 131 + 7) mod 256, as guests/test/ramclear.c expects."""
    return bytes((i * 131 + 7) & 0xff for i in range(n))


def test_vm_ram_is_cleared_around_its_images(boot, tmp_path):
    initrd = tmp_path / "initrd.bin"
    initrd.write_bytes(initrd_bytes(INITRD_SIZE))
    cfg = vmimg(tmp_path, vm("test0", "0 1", f'initrd = /incbin/("{initrd}");',
                             kernel='kernel = /incbin/("ramclear.bin");'))
    q = boot(smp=2, extra=["-initrd", cfg], timeout=60, fail_on=ERROR)
    status = q.wait_exit()
    out = q.output
    if status != 0:
        q.fail(f"QEMU exited with status {status}, not 0 (SYSTEM_OFF of the last VM)")
    expect_pass(q, out, ["ramclear-layout", "ramclear-zero", "ramclear-initrd",
                         "ramclear-reset", "ramclear-fetch"])
    assert "ramclear: boot 2" in out and "ramclear: boot 3" not in out
    # Partita's console hypercall read a block the guest had not yet used
    # in that boot (so not yet mapped): zeroes, not the fill of boot 1.
    assert r"\x00\x00\x00\x00 <- ramclear: boot 2 probe" in out, "no zeroes read by Partita"
