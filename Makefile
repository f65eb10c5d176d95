# Partita: build, run and test. `make V=1` shows the commands.
#
#   make            build/partita.bin (aarch64-linux-gnu-gcc; `make CC=clang` for clang)
#   make run        boot it on QEMU's virt machine (installs what is missing first)
#   make run-uboot  the same through U-Boot and a boot disk, as a board boots
#   make check      host unit tests, then the system tests under QEMU
#   make unit       host unit tests only
#   make bench      exit-path costs, counted in instructions under QEMU -icount
#   make linux-guest Debian's arm64 kernel and a busybox initramfs, in build/linux/
#   make clean

BOARD ?= qemu-virt
LOG_LEVEL ?= LOG_INFO
CROSS ?= aarch64-linux-gnu-
RUN_TIMEOUT ?= 3600

ifeq ($(V),1)
Q :=
else
Q := @
endif

ifeq ($(origin CC),default)
CC := $(CROSS)gcc
endif
OBJCOPY := $(CROSS)objcopy

FDT_ARM64 := .deps/libfdt-arm64
FDT_INC := $(FDT_ARM64)/usr/include
FDT_LIB := $(FDT_ARM64)/usr/lib/aarch64-linux-gnu/libfdt.a

ifneq ($(findstring clang,$(CC)),)
COMPILER := clang
TARGET_FLAGS := --target=aarch64-none-elf
LD := ld.lld
else
COMPILER := gcc
TARGET_FLAGS := -fno-tree-loop-distribute-patterns
LD := $(CROSS)ld
endif

# Each compiler and log level builds in its own directory, so switching never
# mixes objects: build/, build/clang/, build/LOG_DEBUG/, build/clang-LOG_DEBUG/.
BUILD_VARIANT := $(subst $() ,-,$(strip $(filter clang,$(COMPILER)) \
	$(filter-out LOG_INFO,$(LOG_LEVEL))))
BUILD ?= build$(if $(BUILD_VARIANT),/$(BUILD_VARIANT))

# Install what is missing (Debian packages, and libfdt for arm64) once per make.
ifeq ($(filter clean,$(MAKECMDGOALS)),)
DEPS_STATUS := $(shell scripts/deps.sh --check >/dev/null 2>&1 || scripts/deps.sh >&2 || echo failed)
ifeq ($(DEPS_STATUS),failed)
$(error scripts/deps.sh could not install the dependencies; see above)
endif
endif

VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wvla
CFLAGS := -std=gnu11 -O2 -g $(TARGET_FLAGS) -ffreestanding -nostdinc \
	-isystem $(shell $(CC) $(TARGET_FLAGS) -print-file-name=include) \
	-Ilib/include -I. -I$(BUILD)/include -Iplatform/$(BOARD) -isystem $(FDT_INC) \
	-mgeneral-regs-only -fpie -fvisibility=hidden -fstack-protector-strong \
	-fno-omit-frame-pointer -ffunction-sections -fdata-sections \
	-DLOG_LEVEL=$(LOG_LEVEL) -DPARTITA_VERSION='"$(VERSION)"' $(WARNINGS) -MMD -MP
ASFLAGS := $(TARGET_FLAGS) -D__ASSEMBLER__ -I. -I$(BUILD)/include -MMD -MP
LDFLAGS := -pie --no-dynamic-linker -z text -z norelro -z max-page-size=4096 \
	--build-id=none --gc-sections -T linker.ld

SRCS_C := $(wildcard boot/*.c core/*.c vcpu/*.c vcpu/*/*.c mm/*.c platform/*.c \
	platform/$(BOARD)/*.c lib/*.c)
SRCS_C := $(filter-out core/asm-offsets.c,$(SRCS_C))
SRCS_S := $(wildcard arch/*.S boot/*.S vcpu/*.S)
OBJS := $(SRCS_S:%.S=$(BUILD)/obj/%.o) $(SRCS_C:%.c=$(BUILD)/obj/%.o)

.PHONY: all run check unit clean
all: $(BUILD)/partita.bin

$(BUILD)/include/asm-offsets.h: core/asm-offsets.c $(wildcard core/*.h vcpu/*.h arch/*.h)
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)$(CC) $(CFLAGS) -MF /dev/null -S -o $(BUILD)/asm-offsets.s $<
	$(Q){ echo "/* Generated from core/asm-offsets.c: do not edit. */"; \
	  sed -n 's/.*->\([A-Za-z_0-9]*\) #\{0,1\}\(-\{0,1\}[0-9]*\).*/#define \1 \2/p' \
	  $(BUILD)/asm-offsets.s; } > $@

# Code that runs before the MMU is on sees only Device memory, where an
# unaligned access faults: the compiler must not make any.
MMU_OFF_SRCS := boot/boot.c core/panic.c lib/fmt.c lib/log.c lib/string.c mm/hyp_mmu.c \
	mm/pgtable.c platform/console.c platform/conbuf.c platform/pl011.c platform/ns16550.c
$(MMU_OFF_SRCS:%.c=$(BUILD)/obj/%.o): EXTRA_CFLAGS := -mstrict-align

$(BUILD)/obj/%.o: %.c | $(BUILD)/include/asm-offsets.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(EXTRA_CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.S $(BUILD)/include/asm-offsets.h
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(ASFLAGS) -c -o $@ $<

$(BUILD)/partita.elf: $(OBJS) $(FDT_LIB) linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(FDT_LIB)

$(BUILD)/partita.bin: $(BUILD)/partita.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@

# make run: Partita on QEMU virt with a configuration of guests/ (default
# guests/linux.dts: Linux with 2 vCPUs). CONFIG=NAME picks guests/NAME.dts,
# GIC=2 a GICv2, CPU= the CPU model, SMP= the CPU count (the configuration's
# own need by default: 4 for linux-smp4, else 2). A configuration may need
# more of QEMU (RUN_QEMU_EXTRA_<config>) and files for it (RUN_DEPS_<config>):
# linux-disk gets build/linux/disk.img as QEMU's first virtio-blk-device.
CONFIG ?= linux
GIC ?= 3
CPU ?= cortex-a57
RUN_SMP_linux-smp4 := 4
SMP ?= $(or $(RUN_SMP_$(CONFIG)),2)
RUN_CONFIG := $(BUILD)/configs/$(CONFIG).vmimg
LINUX_DISK := build/linux/disk.img
RUN_QEMU_EXTRA_linux-disk := -drive file=$(LINUX_DISK),if=none,format=raw,id=d0 \
	-device virtio-blk-device,drive=d0
RUN_DEPS_linux-disk := $(LINUX_DISK)
QEMU_MACHINE := qemu-system-aarch64 -M virt,virtualization=on,gic-version=$(GIC) -cpu $(CPU) \
	-smp $(SMP) -m 1G -nographic -nic none
QEMU_RUN := $(QEMU_MACHINE) -kernel $(BUILD)/partita.bin -initrd $(RUN_CONFIG) \
	$(RUN_QEMU_EXTRA_$(CONFIG))

run: $(BUILD)/partita.bin $(RUN_CONFIG) $(RUN_DEPS_$(CONFIG))
	@echo "Partita on QEMU with guests/$(CONFIG).dts: press Ctrl-a then x to quit."
	$(Q)timeout --foreground $(RUN_TIMEOUT) $(QEMU_RUN)

# make run-uboot: the same configuration booted as a board boots it. QEMU
# runs Debian's U-Boot for its virt machine as firmware, with no -kernel;
# U-Boot's distro boot finds boot.scr on the FAT partition of a disk image
# (a virtio-blk-device, where a board has its SD card), which loads
# partita.bin and the configuration, as partita.vmimg, from beside it and
# starts Partita with booti (boot/boot.cmd, README "Boards"). The same
# variables as make run apply. The boot disk comes after the configuration's
# own QEMU devices, which keep their places (a configuration's disk is
# QEMU's first virtio-blk-device).
UBOOT_BIN := /usr/lib/u-boot/qemu_arm64/u-boot.bin
UBOOT_SCR := $(BUILD)/uboot/boot.scr
UBOOT_DISK := $(BUILD)/uboot/$(CONFIG).img
QEMU_RUN_UBOOT := $(QEMU_MACHINE) -bios $(UBOOT_BIN) $(RUN_QEMU_EXTRA_$(CONFIG)) \
	-drive file=$(UBOOT_DISK),if=none,format=raw,readonly=on,id=bootdisk \
	-device virtio-blk-device,drive=bootdisk

.PHONY: run-uboot uboot-disk
run-uboot: $(UBOOT_DISK) $(RUN_DEPS_$(CONFIG))
	@echo "Partita through U-Boot with guests/$(CONFIG).dts: press Ctrl-a then x to quit."
	$(Q)timeout --foreground $(RUN_TIMEOUT) $(QEMU_RUN_UBOOT)

uboot-disk: $(UBOOT_DISK)

$(UBOOT_SCR): boot/boot.cmd
	@mkdir -p $(dir $@)
	@echo "  MKIMAGE $@"
	$(Q)mkimage -A arm64 -O linux -T script -C none -n "Partita boot script" -d $< $@ >/dev/null

# partita.vmimg is the configuration whatever CONFIG is, so boot.scr is one.
$(UBOOT_DISK): scripts/mkbootdisk.sh $(UBOOT_SCR) $(BUILD)/partita.bin $(RUN_CONFIG)
	@echo "  DISK    $@"
	$(Q)scripts/mkbootdisk.sh $@ $(UBOOT_SCR) $(BUILD)/partita.bin partita.vmimg=$(RUN_CONFIG)

# The Linux guest's images come from Debian's archive (scripts/guest-linux.sh),
# once: they do not depend on the compiler, so every build variant shares them.
LINUX_DIR := build/linux
LINUX_IMAGES := $(LINUX_DIR)/Image $(LINUX_DIR)/initrd.cpio.gz

.PHONY: linux-guest
linux-guest: $(LINUX_IMAGES)

$(LINUX_IMAGES) &: scripts/guest-linux.sh scripts/mkcpio.py bench/linux-counter.c
	@echo "  GET     $(LINUX_IMAGES)"
	$(Q)scripts/guest-linux.sh $(LINUX_DIR)

# The disk of guests/linux-disk.dts: 8 MiB of ext2 holding hello.txt, made
# without root by mke2fs -d (in /usr/sbin, which a user's PATH may lack). Made once: what the guest writes stays on it
# (delete it for a fresh one).
$(LINUX_DISK):
	@echo "  MKE2FS  $@"
	@mkdir -p $(dir $@)
	$(Q)rm -rf $@.d $@.tmp && mkdir $@.d
	$(Q)echo "Hello from the disk image of guests/linux-disk.dts" > $@.d/hello.txt
	$(Q)PATH="$$PATH:/sbin:/usr/sbin" mke2fs -q -F -t ext2 -L partita-disk -d $@.d $@.tmp 8M \
		>/dev/null && mv $@.tmp $@
	$(Q)rm -rf $@.d

include guests/test/guests.mk
include bench/bench.mk
include tests/unit/unit.mk
include tools/tools.mk
include guests/test/configs.mk
include fuzz/fuzz.mk
include tests/system/system.mk

check: $(BUILD)/partita.bin guests unit-build system-build fuzz-smoke
	$(Q)BUILD=$(BUILD) scripts/check.sh

clean:
	rm -rf $(BUILD)

-include $(OBJS:.o=.d)
