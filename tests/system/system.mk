# What the system tests need besides partita.bin and the guests, included
# by the top-level Makefile.
#
#   make system-build   the boot shim, $(BUILD)/tests/shim.elf
#
# The shim is linked where tests/system/test_boot_inputs.py loads it
# (SHIM_BASE there); it reads x0 and Partita's entry from SHIM_PARAMS.

SHIM_BASE := 0x47f00000
SHIM_ELF := $(BUILD)/tests/shim.elf

$(BUILD)/tests/shim.o: tests/system/shim.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(TARGET_FLAGS) -D__ASSEMBLER__ -c -o $@ $<

$(SHIM_ELF): $(BUILD)/tests/shim.o
	@echo "  LD      $@"
	$(Q)$(LD) -static -nostdlib -e _start -Ttext=$(SHIM_BASE) --build-id=none -o $@ $<

.PHONY: system-build
system-build: $(SHIM_ELF)
