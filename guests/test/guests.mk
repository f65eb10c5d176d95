# Bare-metal test guests: one image per test program, each linked with the runtime.

GUEST_CFLAGS := -std=gnu11 -O2 -g $(TARGET_FLAGS) -ffreestanding -nostdinc \
	-isystem $(shell $(CC) $(TARGET_FLAGS) -print-file-name=include) \
	-Iguests/test/rt -I. -mgeneral-regs-only -mstrict-align -fno-pic -fno-pie \
	-fno-stack-protector $(WARNINGS) -MMD -MP
GUEST_RT := $(BUILD)/guests/rt/start.o $(BUILD)/guests/rt/vectors.o $(BUILD)/guests/rt/rt.o \
	$(BUILD)/guests/rt/fmt.o
GUEST_NAMES := psci traps mmio fp isolation reset crash race
GUEST_NAMES += heartbeat
GUEST_NAMES += load
GUEST_NAMES += mux
GUEST_NAMES += vuart
GUEST_NAMES += console cpuoff
GUEST_NAMES += emul
GUEST_NAMES += idregs
GUEST_NAMES += resetstate
GUEST_NAMES += irq
GUEST_NAMES += irqoff
GUEST_NAMES += ramclear
GUEST_LDFLAGS := -T guests/test/rt/guest.ld --build-id=none
ifeq ($(COMPILER),gcc)
GUEST_LDFLAGS += --no-warn-rwx-segments
endif
GUEST_BINS := $(GUEST_NAMES:%=$(BUILD)/guests/%.bin)

.PHONY: guests
.SECONDARY:
guests: $(GUEST_BINS)

$(BUILD)/guests/rt/%.o: guests/test/rt/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(TARGET_FLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/guests/rt/%.o: guests/test/rt/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(BUILD)/guests/rt/fmt.o: lib/fmt.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (guest)"
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(BUILD)/guests/%.o: guests/test/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(BUILD)/guests/%_asm.o: guests/test/%_asm.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(TARGET_FLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/guests/fp.elf: $(BUILD)/guests/fp_asm.o
$(BUILD)/guests/heartbeat.elf: $(BUILD)/guests/heartbeat_asm.o

# The emul guest runs AArch32 code at EL0. The aarch64 toolchain cannot
# assemble A32 or T32, so clang (a dependency already) builds it for
# AArch32 into a raw blob, which emul_asm.S includes. --no-warn: the deprecated IT
# blocks and SETEND are what the guest tests.
$(BUILD)/guests/emul_a32.o: guests/test/emul_a32.S
	@mkdir -p $(dir $@)
	@echo "  AS32    $<"
	$(Q)clang --target=armv8a-none-eabi -march=armv8-a -Wa,--no-warn -c -o $@ $<

$(BUILD)/guests/emul_a32.bin: $(BUILD)/guests/emul_a32.o
	$(Q)$(OBJCOPY) -O binary -j .text $< $@

$(BUILD)/guests/emul_asm.o: guests/test/emul_asm.S $(BUILD)/guests/emul_a32.bin
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(TARGET_FLAGS) -MMD -MP -DA32_BLOB='"$(BUILD)/guests/emul_a32.bin"' -c -o $@ $<

$(BUILD)/guests/emul.elf: $(BUILD)/guests/emul_asm.o

$(BUILD)/guests/%.elf: $(BUILD)/guests/%.o $(GUEST_RT) guests/test/rt/guest.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

$(BUILD)/guests/%.bin: $(BUILD)/guests/%.elf
	$(Q)$(OBJCOPY) -O binary $< $@

# The interrupt guests link the GIC and timer runtime too.
GUEST_IRQ_NAMES := irq irqbench load
$(GUEST_IRQ_NAMES:%=$(BUILD)/guests/%.elf): $(BUILD)/guests/rt/gic.o
$(BUILD)/guests/vuart.elf: $(BUILD)/guests/rt/gic.o
$(BUILD)/guests/irqoff.elf: $(BUILD)/guests/rt/gic.o

# Native variants (build/guests/native/): the same guests without a
# hypervisor, on QEMU -M virt,virtualization=off at EL1. Compiled with
# -DGUEST_NATIVE: the console is the PL011; PSCI stays HVC, which QEMU itself
# serves when it has no EL2 (its DTB says method "hvc"). QEMU's -kernel loads
# an arm64 Image with text_offset 0 at RAM + 2 MiB and passes the DTB in x0,
# so they are linked there.
NATIVE_BASE := 0x40200000
GUEST_NATIVE_RT := $(patsubst $(BUILD)/guests/rt/%,$(BUILD)/guests/native/rt/%,$(GUEST_RT)) \
	$(BUILD)/guests/native/rt/gic.o
GUEST_NATIVE_BINS := $(GUEST_IRQ_NAMES:%=$(BUILD)/guests/native/%.bin)

guests: $(GUEST_NATIVE_BINS)

$(BUILD)/guests/native/rt/%.o: guests/test/rt/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $< (native)"
	$(Q)$(CC) $(TARGET_FLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/guests/native/rt/%.o: guests/test/rt/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (native)"
	$(Q)$(CC) $(GUEST_CFLAGS) -DGUEST_NATIVE -c -o $@ $<

$(BUILD)/guests/native/rt/fmt.o: lib/fmt.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (native guest)"
	$(Q)$(CC) $(GUEST_CFLAGS) -DGUEST_NATIVE -c -o $@ $<

$(BUILD)/guests/native/%.o: guests/test/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (native)"
	$(Q)$(CC) $(GUEST_CFLAGS) -DGUEST_NATIVE -c -o $@ $<

$(BUILD)/guests/native/%.elf: $(BUILD)/guests/native/%.o $(GUEST_NATIVE_RT) guests/test/rt/guest.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(GUEST_LDFLAGS) --defsym=GUEST_BASE=$(NATIVE_BASE) -o $@ $(filter %.o,$^)

$(BUILD)/guests/native/%.bin: $(BUILD)/guests/native/%.elf
	$(Q)$(OBJCOPY) -O binary $< $@

-include $(wildcard $(BUILD)/guests/*.d $(BUILD)/guests/rt/*.d)
-include $(wildcard $(BUILD)/guests/native/*.d $(BUILD)/guests/native/rt/*.d)

# Raw variant (build/guests/raw/): the psci guest linked at RAM + 0x80000,
# where a configuration with kernel-format "raw" has it loaded, as QEMU
# loads a raw kernel (tests/system/test_launch.py).
RAW_BASE := 0x40080000
GUEST_RAW_BINS := $(BUILD)/guests/raw/psci.bin

guests: $(GUEST_RAW_BINS)

$(BUILD)/guests/raw/%.elf: $(BUILD)/guests/%.o $(GUEST_RT) guests/test/rt/guest.ld
	@mkdir -p $(dir $@)
	@echo "  LD      $@ (raw)"
	$(Q)$(LD) $(GUEST_LDFLAGS) --defsym=GUEST_BASE=$(RAW_BASE) -o $@ $(filter %.o,$^)

$(BUILD)/guests/raw/%.bin: $(BUILD)/guests/raw/%.elf
	$(Q)$(OBJCOPY) -O binary $< $@
