/*
 * The emulated PL011 of each VM, wired in: see vcpu/vuart.h.
 *
 * Lock order: the console's input lock (in_lock), then a vuart's lock, then
 * the console's (its output), then the VM's vGIC lock (its interrupt line).
 * The physical UART's interrupt takes in_lock, then the console's lock
 * alone, drops it, then the focused vuart's.
 */
#include "vcpu/vuart.h"

#include <string.h>

#include "lib/log.h"
#include "platform/console.h"
#include "platform/gic.h"
#include "vcpu/exit.h"
#include "vcpu/irq_owner.h"
#include "vcpu/mmio.h"
#include "vcpu/vconsole.h"
#include "vcpu/vconsole_in.h"
#include "vcpu/vgic/glue.h"
#include "vcpu/vpl011.h"

#define VUART_MAX 4 /* VMs with an emulated PL011 (VM indexes 0-3) */
/*
 * Typed characters that wait for room in a VM's receive FIFO: a pasted
 * line or two. Beyond, they are dropped rather than left in the physical
 * UART, which would keep the focus key from being seen.
 */
#define VUART_QUEUE 512
#define FOCUS_MONITOR (-1)

/** One VM's emulated PL011 and what connects it to the rest. */
struct vuart {
	struct spinlock lock; /* guards every field below but the constant vm, intid */
	struct vm *vm; /* NULL: its VM has no emulated PL011 */
	u32 intid; /* its virtual SPI, 0 for none */
	u64 boots; /* the vm->boots its registers were last reset for */
	bool level; /* the line last given to the vGIC */
	struct vpl011 regs;
	unsigned int line_len; /* output gathered into a line (vcpu/vconsole.h) */
	char line[VCONSOLE_LINE_MAX];
	u64 last_out; /* counter when the unfinished line last grew */
	unsigned int quiet_cpu; /* the CPU whose EL2 timer sends the unfinished line */
	u8 queue[VUART_QUEUE]; /* typed, waiting for room in the FIFO */
	unsigned int q_head, q_count;
	u64 rx_lost; /* typed characters dropped: the queue was full */
	bool rx_warned; /* said so, and not again until the queue empties */
};

static struct vuart vuarts[VUART_MAX];

/* The console's input: guarded by in_lock. */
static struct spinlock in_lock = SPINLOCK_INIT;
static int focus = FOCUS_MONITOR; /* an index of vuarts[], or FOCUS_MONITOR */
static bool have_vuart;
static struct vconsole_esc esc;
static const struct vuart_monitor *monitor;
static u32 uart_intid; /* Partita's, once the console takes input; else 0 */
static volatile unsigned int console_cpu; /* where the UART's interrupt is routed */

/* The unfinished-line flush: each CPU's EL2 timer, touched by that CPU alone. */
static u32 quiet_ppi;
static u64 quiet_ticks;
static bool quiet_on[PLAT_MAX_CPUS]; /* its PPI is enabled (on first use: banked on GICv2) */
static bool quiet_armed[PLAT_MAX_CPUS];

/*
 * A VM that (re)started meets its UART as out of reset: the first access
 * after a boot resets it (the vGIC was reset when the VM stopped, so the
 * line is low there too). What was typed for it and waits stays queued.
 */
static void sync_boot(struct vuart *u)
{
	if (u->boots == u->vm->boots)
		return;
	u->boots = u->vm->boots;
	vpl011_reset(&u->regs);
	u->level = false;
	u->line_len = 0;
}

/* Gives the vGIC the interrupt line the registers now say; self runs on this CPU, or NULL. */
static void update_line(struct vuart *u, struct vcpu *self)
{
	bool high = vpl011_irq_level(&u->regs);

	if (high == u->level || !u->intid)
		return;
	u->level = high;
	if (high && self && self->vm == u->vm)
		vcpu_count_injected(self);
	else if (high)
		vcpu_count_injected(&u->vm->vcpus[0]);
	/* vuart_attach() checked the INTID: this cannot fail. */
	(void)vgic_vm_set_spi_line(u->vm, self, u->intid, high);
}

/* Moves typed characters from the queue into the receive FIFO while it has room. */
static void refill(struct vuart *u)
{
	while (u->q_count && vpl011_rx_room(&u->regs)) {
		(void)vpl011_rx(&u->regs, u->queue[u->q_head]);
		u->q_head = (u->q_head + 1) % VUART_QUEUE;
		u->q_count--;
	}
	if (!u->q_count)
		u->rx_warned = false;
}

static enum vcpu_stop vu_read(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a)
{
	struct vuart *u = d->priv;
	u32 val = 0;
	int err;

	spin_lock(&u->lock);
	sync_boot(u);
	err = vpl011_read(&u->regs, a.off, mmio_size(a), &val);
	/* It took a character: one typed and waiting may come. */
	refill(u);
	if (!err)
		update_line(u, v);
	spin_unlock(&u->lock);
	if (err)
		return mmio_refuse(v, a);
	return mmio_read_done(v, a, val);
}

/* This CPU's EL2 timer will look at u's unfinished line VUART_QUIET_MS from now. */
static void quiet_arm(struct vuart *u, unsigned int cpu)
{
	u->last_out = counter_read();
	u->quiet_cpu = cpu;
	if (!quiet_ppi || quiet_armed[cpu])
		return;
	if (!quiet_on[cpu]) {
		/* The timer's output is a level (Arm ARM D11.2.4); GICv2 banks PPIs: set here. */
		gic_set_edge(cpu, quiet_ppi, false);
		gic_enable(cpu, quiet_ppi);
		quiet_on[cpu] = true;
	}
	quiet_armed[cpu] = true;
	hyp_timer_arm(u->last_out + quiet_ticks);
}

static enum vcpu_stop vu_write(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a,
			       u64 val)
{
	struct vuart *u = d->priv;
	u8 tx = 0;
	int out;

	spin_lock(&u->lock);
	sync_boot(u);
	out = vpl011_write(&u->regs, a.off, mmio_size(a), (u32)val, &tx);
	if (out >= 0) {
		if (out & VPL011_OUT_TX)
			vconsole_put(v, u->line, &u->line_len, tx);
		if (out & VPL011_OUT_IDLE)
			vconsole_flush(v, u->line, &u->line_len);
		if (u->line_len)
			quiet_arm(u, v->pcpu);
		update_line(u, v);
	}
	spin_unlock(&u->lock);
	if (out < 0)
		return mmio_refuse(v, a);
	return mmio_write_done(v, a);
}

int vuart_attach(struct vm *vm, u64 base, u32 intid)
{
	struct vuart *u;
	struct mmio_dev d = {
		.name = "PL011",
		.base = base,
		.size = VPL011_SIZE,
		.read = vu_read,
		.write = vu_write,
	};
	int err;

	if (vm->id >= VUART_MAX)
		return -E_NOMEM;
	if (intid && (intid < 32 || intid >= 32 + VGIC_VM_SPIS))
		return -E_INVAL;
	u = &vuarts[vm->id];
	memset(u, 0, sizeof(*u));
	u->intid = intid;
	/* Not a boot count: the first access resets the registers. */
	u->boots = ~0UL;
	d.priv = u;
	err = mmio_register(vm, &d);
	if (err)
		return err;
	u->vm = vm;
	if (!have_vuart)
		focus = (int)vm->id;
	have_vuart = true;
	return 0;
}

struct vm *vuart_focus(void)
{
	return focus == FOCUS_MONITOR ? NULL : vuarts[focus].vm;
}

/*
 * A character typed for the focused VM: into its receive FIFO, or behind
 * the ones already waiting for room there; self is the vCPU this CPU runs
 * (NULL when it runs none).
 */
static void deliver(struct vcpu *self, u8 c)
{
	struct vuart *u = &vuarts[focus];

	spin_lock(&u->lock);
	sync_boot(u);
	refill(u);
	if (!u->q_count && vpl011_rx_room(&u->regs)) {
		(void)vpl011_rx(&u->regs, c);
	} else if (u->q_count < VUART_QUEUE) {
		u->queue[(u->q_head + u->q_count++) % VUART_QUEUE] = c;
	} else {
		u->rx_lost++;
		if (!u->rx_warned)
			log_warn("console: vm %s does not read its console: typed characters are "
				 "dropped until it does (%lu so far)",
				 u->vm->name, u->rx_lost);
		u->rx_warned = true;
	}
	update_line(u, self);
	spin_unlock(&u->lock);
}

/* The next focus after the current one: the VMs in order, then the monitor. */
static int next_focus(void)
{
	int i;

	for (i = focus + 1; i < VUART_MAX; i++) {
		if (vuarts[i].vm)
			return i;
	}
	if (monitor && focus != FOCUS_MONITOR)
		return FOCUS_MONITOR;
	for (i = 0; i < VUART_MAX; i++) {
		if (vuarts[i].vm)
			return i;
	}
	return focus;
}

static const char *state_name(const struct vm *vm)
{
	if (vm->state == VM_RUNNING)
		return "";
	return vm->state == VM_STOPPED ? " (stopped)" : " (stopping)";
}

/*
 * Ctrl-] three times: the focus moves on, and says so. The UART's
 * interrupt follows a VM's focus to the CPU of its vCPU 0, so that its
 * input is delivered where it runs; for the monitor it stays put.
 */
static void move_focus(void)
{
	/* The monitor's prompt line is Partita's own: end it, or the next line would continue it. */
	if (focus == FOCUS_MONITOR)
		console_write("\n", 1);
	focus = next_focus();
	if (focus == FOCUS_MONITOR) {
		log_info("input now goes to the monitor: type help; Ctrl-] three times moves on");
		monitor->enter();
		return;
	}
	console_cpu = vuarts[focus].vm->vcpus[0].pcpu;
	gic_route_spi(uart_intid, console_cpu);
	log_info("input now goes to vm %s%s", vuarts[focus].vm->name, state_name(vuarts[focus].vm));
}

static void typed(struct vcpu *self, u8 c)
{
	u8 out[VCONSOLE_ESC_COUNT];
	bool move;
	unsigned int i, n = vconsole_esc_feed(&esc, c, out, &move);

	if (move)
		move_focus();
	for (i = 0; i < n; i++) {
		if (focus == FOCUS_MONITOR)
			monitor->key(out[i]);
		else
			deliver(self, out[i]);
	}
}

/*
 * The physical UART's interrupt, or its poll on an idle CPU: the transmit
 * side drains the console's buffer, every character received goes through
 * the focus key to the focus. self is the vCPU this CPU runs, or NULL.
 */
static void console_input(struct vcpu *self)
{
	u8 rx[16];
	size_t i, n;

	spin_lock(&in_lock);
	do {
		n = console_irq(rx, sizeof(rx));
		for (i = 0; i < n; i++)
			typed(self, rx[i]);
	} while (n == sizeof(rx));
	spin_unlock(&in_lock);
}

static void phys_irq(struct vcpu *v, u32 intid)
{
	(void)intid;
	console_input(v);
}

/*
 * This CPU's EL2 timer fired: every unfinished line it watches that has
 * been quiet for VUART_QUIET_MS goes out; it is armed again for the
 * others. v is the vCPU pinned here (the lines are its VM's); idle: it is
 * off, so no guest's SError may be collected.
 */
static void quiet_fire(struct vcpu *v, bool idle)
{
	unsigned int cpu = v->pcpu, i;
	u64 now = counter_read(), next = ~0UL;

	for (i = 0; i < VUART_MAX; i++) {
		struct vuart *u = &vuarts[i];

		if (u->vm != v->vm)
			continue;
		spin_lock(&u->lock);
		if (u->line_len && u->quiet_cpu == cpu) {
			if (now - u->last_out < quiet_ticks)
				next = MIN(next, u->last_out + quiet_ticks);
			else if (idle)
				vconsole_flush_idle(v, u->line, &u->line_len);
			else
				vconsole_flush(v, u->line, &u->line_len);
		}
		spin_unlock(&u->lock);
	}
	if (next == ~0UL) {
		quiet_armed[cpu] = false;
		hyp_timer_off();
	} else {
		hyp_timer_arm(next);
	}
}

static void quiet_irq(struct vcpu *v, u32 intid)
{
	(void)intid;
	quiet_fire(v, false);
}

void vuart_idle(struct vcpu *v)
{
	unsigned int cpu = v->pcpu;

	if (quiet_armed[cpu] && hyp_timer_fired())
		quiet_fire(v, true);
	/* The interrupt stays pending (a level, never acknowledged) until the UART is served. */
	if (uart_intid && console_cpu == cpu && gic_is_pending(cpu, uart_intid))
		console_input(NULL);
}

/* Makes the EL2 timer's PPI Partita's on every CPU that runs a VM with an emulated PL011. */
static void quiet_start(u32 ppi)
{
	unsigned int i, j;

	quiet_ticks = counter_freq() * VUART_QUIET_MS / 1000;
	for (i = 0; i < VUART_MAX; i++) {
		const struct vm *vm = vuarts[i].vm;

		for (j = 0; vm && j < vm->vcpu_count; j++) {
			if (irq_owner_set_hyp(vm->vcpus[j].pcpu, ppi, quiet_irq)) {
				log_warn("console: the EL2 timer's PPI %u is not Partita's on "
					 "cpu%u; "
					 "a prompt shows only when its VM masks the transmit "
					 "interrupt or ends the line",
					 ppi, vm->vcpus[j].pcpu);
				return;
			}
		}
	}
	quiet_ppi = ppi;
}

void vuart_start(const struct vuart_monitor *mon, u32 hyp_timer_ppi)
{
	const struct plat_uart *pu = console_uart();
	unsigned int pcpu;

	if (!have_vuart)
		return;
	quiet_start(hyp_timer_ppi);
	if (!pu->intid || pu->kind != UART_PL011) {
		log_warn("console: %s: %s; output is polled and typed characters reach no VM",
			 pu->path, pu->intid ? "not a PL011" : "no interrupt in the device tree");
		return;
	}
	pcpu = vuarts[focus].vm->vcpus[0].pcpu;
	if (irq_owner_set_hyp(pcpu, pu->intid, phys_irq)) {
		log_warn("console: its interrupt, INTID %u, belongs to a VM; output is polled and "
			 "typed characters reach no VM",
			 pu->intid);
		return;
	}
	monitor = mon;
	console_cpu = pcpu;
	uart_intid = pu->intid;
	/* The PL011's interrupt output is a level (PL011 TRM 2.8). */
	gic_set_edge(pcpu, pu->intid, false);
	gic_route_spi(pu->intid, pcpu);
	(void)console_irq_enable();
	gic_enable(pcpu, pu->intid);
	log_info("console: input goes to vm %s; the UART's interrupt, INTID %u, is taken on cpu%u",
		 vuarts[focus].vm->name, pu->intid, pcpu);
	log_info("console: Ctrl-] three times moves the input to the next VM%s",
		 mon ? " or the monitor" : "");
}
