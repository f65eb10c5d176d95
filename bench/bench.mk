# make bench: exit-path costs counted in instructions under QEMU -icount shift=0.

$(BUILD)/guests/bench.o: bench/bench.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

.PHONY: bench
bench: $(BUILD)/partita.bin $(BUILD)/guests/bench.bin
	$(Q)BUILD=$(BUILD) scripts/bench.sh
