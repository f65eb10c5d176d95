# Partita from a board's boot partition, the source of boot.scr
# (mkimage -A arm64 -T script -C none -d boot.cmd boot.scr).
#
# U-Boot's distro boot (bootcmd=run distro_bootcmd) finds boot.scr on the
# first partition marked bootable of each device in ${boot_targets} and
# runs it with ${devtype}, ${devnum}, ${distro_bootpart} and ${prefix} (the
# directory it was found in) set: partita.bin and partita.vmimg are read
# from beside it. booti enters Partita at EL2 with x0 = the device tree;
# "<address>:<size>" hands the configuration blob over as a raw initrd
# (/chosen linux,initrd-start and linux,initrd-end), which is where Partita
# looks for its VMs. ${fdtcontroladdr} is U-Boot's own device tree, the one
# that describes the board; a board whose tree is a file on the partition
# loads it to ${fdt_addr_r} and passes that instead.
echo "Partita: loading ${prefix}partita.bin and ${prefix}partita.vmimg from ${devtype} ${devnum}:${distro_bootpart}"
load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} ${prefix}partita.bin
load ${devtype} ${devnum}:${distro_bootpart} ${ramdisk_addr_r} ${prefix}partita.vmimg
booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}
