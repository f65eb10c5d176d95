# Host unit tests (cmocka), included by the top-level Makefile, which runs
# from the repository root. The logic under test is compiled for the host
# with the host gcc and linked against the host libfdt.
#
#   make unit-build   build every test into $(BUILD)/host/unit/
#   make unit         build and run them all; fails if any test fails
#
# CMOCKA_MESSAGE_OUTPUT=TAP in the environment makes the binaries print TAP.

UNIT_DIR := tests/unit
UNIT_OUT := $(BUILD)/host/unit

HOST_CC := gcc
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Itests/unit/fake -I. -MMD -MP
HOST_LDLIBS := -lcmocka -lfdt
HOST_DTC := dtc
HOST_DTC_FLAGS := -I dts -O dtb

# Each test binary and the code it links besides its own test_<name>.c.
UNIT_TESTS := fmt fdt palloc pgtable string
UNIT_TESTS += emul
UNIT_SRCS_emul := vcpu/emul.c
UNIT_SRCS_fmt := lib/fmt.c
UNIT_SRCS_fdt := platform/fdt.c platform/layout.c lib/log.c lib/fmt.c $(UNIT_DIR)/log_capture.c
UNIT_SRCS_palloc := mm/palloc.c
UNIT_SRCS_pgtable := mm/pgtable.c
UNIT_SRCS_string :=
UNIT_TESTS += log
UNIT_SRCS_log := lib/log.c lib/fmt.c
UNIT_TESTS += bootargs
UNIT_SRCS_bootargs := core/bootargs.c lib/log.c lib/fmt.c $(UNIT_DIR)/log_capture.c
UNIT_TESTS += gic_rd
UNIT_SRCS_gic_rd := platform/gic_rd.c
UNIT_TESTS += irq_owner
UNIT_SRCS_irq_owner := vcpu/irq_owner.c
UNIT_VGIC_SRCS := vcpu/vgic/irq.c vcpu/vgic/lr.c vcpu/vgic/lr_format.c vcpu/vgic/regs.c \
	vcpu/vgic/sgi.c vcpu/vgic/dist_v3.c vcpu/vgic/redist_v3.c vcpu/vgic/dist_v2.c
UNIT_TESTS += vgic_lr
UNIT_SRCS_vgic_lr := $(UNIT_VGIC_SRCS)
UNIT_TESTS += vgic_regs
UNIT_SRCS_vgic_regs := $(UNIT_VGIC_SRCS)
UNIT_TESTS += vgic_sgi
UNIT_SRCS_vgic_sgi := $(UNIT_VGIC_SRCS)
UNIT_TESTS += vgic_gich
UNIT_SRCS_vgic_gich := vcpu/vgic/gich.c vcpu/vgic/lr_format.c
UNIT_TESTS += vgic_fast
UNIT_SRCS_vgic_fast := $(UNIT_VGIC_SRCS)
UNIT_TESTS += config
UNIT_SRCS_config := core/config.c core/vm_layout.c core/config_machine.c platform/fdt.c platform/layout.c \
	lib/log.c lib/fmt.c $(UNIT_DIR)/log_capture.c
UNIT_TESTS += vpl011
UNIT_SRCS_vpl011 := vcpu/vpl011.c
UNIT_TESTS += conbuf
UNIT_SRCS_conbuf := platform/conbuf.c
UNIT_TESTS += monitor
UNIT_SRCS_monitor := core/monitor_cmd.c lib/fmt.c
UNIT_TESTS += vm_layout
UNIT_SRCS_vm_layout := core/vm_layout.c
UNIT_TESTS += guest_fdt
UNIT_SRCS_guest_fdt := core/guest_fdt.c lib/fmt.c $(UNIT_VGIC_SRCS)

UNIT_BINS := $(UNIT_TESTS:%=$(UNIT_OUT)/test_%)
UNIT_DTBS := $(patsubst $(UNIT_DIR)/dts/%.dts,$(UNIT_OUT)/dts/%.dtb,$(wildcard $(UNIT_DIR)/dts/*.dts))
UNIT_OBJS :=

define UNIT_TEST_RULE
UNIT_OBJS_$(1) := $(patsubst %.c,$(UNIT_OUT)/obj/%.o,$(UNIT_DIR)/test_$(1).c $(UNIT_SRCS_$(1)))
UNIT_OBJS += $$(UNIT_OBJS_$(1))
$(UNIT_OUT)/test_$(1): $$(UNIT_OBJS_$(1))
	@echo "  HOSTLD  $$@"
	$(Q)$(HOST_CC) -o $$@ $$(filter %.o,$$^) $(HOST_LDLIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call UNIT_TEST_RULE,$(t))))

# The FDT tests read the blobs dtc made from tests/unit/dts, found by an
# absolute path so the binary runs from any directory.
$(UNIT_OUT)/obj/$(UNIT_DIR)/test_fdt.o: HOST_CFLAGS += -DDTB_DIR='"$(abspath $(UNIT_OUT)/dts)"' \
	-DCRASH_DIR='"$(abspath $(UNIT_DIR)/crashes)"'
$(UNIT_OUT)/test_fdt: $(UNIT_DTBS)
# The configuration tests compile their .dts sources with dtc as they run;
# these are the images those embed with /incbin/: an arm64 Image header
# (image_size 64 KiB), one whose image_size fills 66 MiB up to the DTB, a raw image and an
# initrd.
UNIT_CONFIG_INPUTS := $(UNIT_OUT)/config-inputs
$(UNIT_OUT)/obj/$(UNIT_DIR)/test_config.o: HOST_CFLAGS += -DDTB_DIR='"$(abspath $(UNIT_OUT)/dts)"' \
	-DCONFIG_INPUT_DIR='"$(abspath $(UNIT_CONFIG_INPUTS))"' -Iplatform/$(BOARD) \
	-DCRASH_DIR='"$(abspath $(UNIT_DIR)/crashes)"'
$(UNIT_OUT)/test_config: $(UNIT_DTBS) $(UNIT_CONFIG_INPUTS)/image.bin
$(UNIT_CONFIG_INPUTS)/image.bin: tests/unit/config_inputs.py
	@mkdir -p $(dir $@)
	@echo "  GEN     $(dir $@)"
	$(Q)python3 $< $(dir $@)

$(UNIT_OUT)/obj/$(UNIT_DIR)/test_guest_fdt.o: HOST_CFLAGS += -DDTB_DIR='"$(abspath $(UNIT_OUT)/dts)"'
$(UNIT_OUT)/test_guest_fdt: $(UNIT_DTBS)
# Discovery refuses memory over the board's devices, which board.h places.
$(UNIT_OUT)/obj/platform/fdt.o: HOST_CFLAGS += -Iplatform/$(BOARD)

# lib/string.c defines memcpy and friends, which the host C library also
# defines: build it freestanding, as the hypervisor does, with every
# function renamed partita_* (see string_under_test.h), and link that.
UNIT_STRING_OBJ := $(UNIT_OUT)/obj/lib/string_renamed.o
UNIT_OBJS += $(UNIT_STRING_OBJ)
$(UNIT_OUT)/test_string: $(UNIT_STRING_OBJ)
$(UNIT_STRING_OBJ): lib/string.c $(UNIT_DIR)/string_under_test.h
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -ffreestanding -fno-builtin \
		-fno-tree-loop-distribute-patterns -nostdinc \
		-isystem lib/include -isystem $(shell $(HOST_CC) -print-file-name=include) \
		-include $(UNIT_DIR)/string_under_test.h -c -o $@ $<

$(UNIT_OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -c -o $@ $<

# no-gic.dts leaves the timer's and UART's interrupts without a controller on purpose.
$(UNIT_OUT)/dts/no-gic.dtb: HOST_DTC_FLAGS += -Wno-interrupts_property
# memory-overlap.dts lists the same bank twice on purpose.
$(UNIT_OUT)/dts/memory-overlap.dtb: HOST_DTC_FLAGS += -Wno-unique_unit_address
# The broken cpu nodes of these are what their tests are about.
$(UNIT_OUT)/dts/cpu-no-reg.dtb: HOST_DTC_FLAGS += -Wno-unit_address_vs_reg
$(UNIT_OUT)/dts/cpu-short-reg.dtb: HOST_DTC_FLAGS += -Wno-reg_format

$(UNIT_OUT)/dts/%.dtb: $(UNIT_DIR)/dts/%.dts $(wildcard $(UNIT_DIR)/dts/*.dtsi)
	@mkdir -p $(dir $@)
	@echo "  DTC     $<"
	$(Q)$(HOST_DTC) $(HOST_DTC_FLAGS) -o $@ $<

.PHONY: unit-build unit
unit-build: $(UNIT_BINS) $(UNIT_DTBS)

# Runs every test even after a failure, then fails if any did.
unit: unit-build
	$(Q)status=0; for t in $(UNIT_BINS); do \
		echo "  UNIT    $$t"; $$t || status=1; \
	done; exit $$status

-include $(UNIT_OBJS:.o=.d)
