# Host tools, included by the top-level Makefile.
#
#   $(BUILD)/partita-config   checks and shows VM configurations (tools/partita-config.c)
#
# partita-config is built with the host gcc against the host libfdt, from
# the same parser sources the hypervisor links (core/config.c), so a
# configuration it accepts parses the same at boot.

TOOL_CC := gcc
TOOL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
	-Wstrict-prototypes -Wvla -Itests/unit/fake -I. -Iplatform/$(BOARD) -MMD -MP
PARTITA_CONFIG := $(BUILD)/partita-config
TOOL_CONFIG_SRCS := tools/partita-config.c core/config.c core/vm_layout.c lib/log.c lib/fmt.c
TOOL_CONFIG_OBJS := $(TOOL_CONFIG_SRCS:%.c=$(BUILD)/host/tools/%.o)

all: $(PARTITA_CONFIG)

$(BUILD)/host/tools/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(TOOL_CC) $(TOOL_CFLAGS) -c -o $@ $<

$(PARTITA_CONFIG): $(TOOL_CONFIG_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(TOOL_CC) -o $@ $^ -lfdt

-include $(TOOL_CONFIG_OBJS:.o=.d)
