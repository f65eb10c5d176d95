# libFuzzer targets, included by the top-level Makefile.
#
#   make fuzz         build both targets and run each for FUZZ_RUNS executions (default 1000000)
#   make fuzz-smoke   a short run of each (FUZZ_SMOKE_RUNS, 2000), part of make check
#
# Built with Debian's clang (-fsanitize=fuzzer,address,undefined) against
# the host libfdt. Each run starts from the seeds in fuzz/corpus/<target>/
# (kept in the tree) and writes what it finds to $(BUILD)/fuzz/corpus-<target>/;
# a crash leaves its input in $(BUILD)/fuzz/ and fails make. Keep a crashing
# input as a unit test once fixed (tests/unit/test_config.c, test_fdt.c).

FUZZ_CC := clang
FUZZ_OUT := $(BUILD)/host/fuzz
FUZZ_RUNS ?= 1000000
FUZZ_SMOKE_RUNS ?= 2000
# Seconds one input may take: a hang (as libfdt's fdt_check_full() loop was) is a finding too.
FUZZ_TIMEOUT ?= 10
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -Wall -Wextra -Werror -Itests/unit/fake -I. \
	-Iplatform/$(BOARD)
FUZZ_HOST_DTB := $(abspath $(UNIT_OUT)/dts/config-host.dtb)
FUZZ_TARGETS := config fdt
FUZZ_SRCS_config := fuzz/fuzz_config.c core/config.c core/vm_layout.c core/config_machine.c platform/fdt.c \
	platform/layout.c lib/log.c lib/fmt.c
FUZZ_SRCS_fdt := fuzz/fuzz_fdt.c platform/fdt.c platform/layout.c lib/log.c lib/fmt.c
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/fuzz_%)

define FUZZ_BUILD_RULE
$(FUZZ_OUT)/fuzz_$(1): $(FUZZ_SRCS_$(1)) $(UNIT_OUT)/dts/config-host.dtb
	@mkdir -p $$(dir $$@)
	@echo "  FUZZCC  $$@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -DFUZZ_HOST_DTB='"$(FUZZ_HOST_DTB)"' -o $$@ \
		$(FUZZ_SRCS_$(1)) -lfdt
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_BUILD_RULE,$(t))))

# runs, target: libFuzzer exits non-zero on a crash and leaves its input (crash-*) in
# $(BUILD)/fuzz; the end of its log is shown then.
define FUZZ_RUN
	@mkdir -p $(BUILD)/fuzz/corpus-$(2)
	@echo "  FUZZ    $(2): $(1) runs, log in $(BUILD)/fuzz/$(2).log"
	$(Q)cd $(BUILD)/fuzz && $(abspath $(FUZZ_OUT))/fuzz_$(2) -runs=$(1) -max_len=65536 \
		-timeout=$(FUZZ_TIMEOUT) \
		corpus-$(2) $(abspath fuzz/corpus/$(2)) > $(2).log 2>&1 || \
		{ tail -n 40 $(2).log; echo "fuzz $(2): crashed or hung, see above"; exit 1; }
	$(Q)grep -E "^(#[0-9]+[[:space:]]+DONE|Done )" $(BUILD)/fuzz/$(2).log | sed "s/^/          /"
endef

.PHONY: fuzz fuzz-build fuzz-smoke
fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	$(call FUZZ_RUN,$(FUZZ_RUNS),config)
	$(call FUZZ_RUN,$(FUZZ_RUNS),fdt)

fuzz-smoke: fuzz-build
	$(call FUZZ_RUN,$(FUZZ_SMOKE_RUNS),config)
	$(call FUZZ_RUN,$(FUZZ_SMOKE_RUNS),fdt)
