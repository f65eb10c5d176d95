# make bench: exit-path costs counted in instructions under QEMU -icount shift=0.

$(BUILD)/guests/bench.o: bench/bench.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

# Built with the test guests, so that make check can hold the budgets too.
guests: $(BUILD)/guests/bench.bin

.PHONY: bench
bench: $(BUILD)/partita.bin $(BUILD)/guests/bench.bin $(BUILD)/guests/irqbench.bin \
	$(BUILD)/guests/native/irqbench.bin $(BUILD)/configs/linux-bench.vmimg
	$(Q)BUILD=$(BUILD) LINUX_KERNEL=$(RUN_KERNEL) LINUX_INITRD=$(RUN_INITRD) scripts/bench.sh

# The interrupt-path bench guest, for Partita and natively (see guests.mk).
$(BUILD)/guests/irqbench.o: bench/irqbench.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(BUILD)/guests/native/irqbench.o: bench/irqbench.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (native)"
	$(Q)$(CC) $(GUEST_CFLAGS) -DGUEST_NATIVE -c -o $@ $<

guests: $(BUILD)/guests/irqbench.bin
