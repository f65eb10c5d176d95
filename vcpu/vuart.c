/*
 * The emulated PL011 of each VM, wired in: see vcpu/vuart.h.
 *
 * Lock order: a vuart's lock, then the console's (its output), then the
 * VM's vGIC lock (its interrupt line). The physical UART's interrupt takes
 * the console's lock alone, drops it, then the focused vuart's.
 */
#include "vcpu/vuart.h"

#include <string.h>

#include "lib/log.h"
#include "platform/console.h"
#include "platform/gic.h"
#include "vcpu/irq_owner.h"
#include "vcpu/mmio.h"
#include "vcpu/vconsole.h"
#include "vcpu/vgic/glue.h"
#include "vcpu/vpl011.h"

#define VUART_MAX 4 /* VMs with an emulated PL011 (VM indexes 0-3) */

/** One VM's emulated PL011 and what connects it to the rest. */
struct vuart {
	struct spinlock lock; /* guards every field below but the constant vm, intid */
	struct vm *vm;
	u32 intid; /* its virtual SPI, 0 for none */
	u64 boots; /* the vm->boots its registers were last reset for */
	bool level; /* the line last given to the vGIC */
	struct vpl011 regs;
	unsigned int line_len; /* output gathered into a line (vcpu/vconsole.h) */
	char line[VCONSOLE_LINE_MAX];
	u64 rx_lost; /* typed characters lost to a full receive FIFO */
	bool rx_held; /* its FIFO was full: the console's receive interrupt is masked */
};

static struct vuart vuarts[VUART_MAX];
static struct vuart *focus;

/*
 * A VM that (re)started meets its UART as out of reset: the first access
 * after a boot resets it (the vGIC was reset when the VM stopped, so the
 * line is low there too).
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
	/* vuart_attach() checked the INTID: this cannot fail. */
	(void)vgic_vm_set_spi_line(u->vm, self, u->intid, high);
}

static enum vcpu_stop vu_read(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a)
{
	struct vuart *u = d->priv;
	u32 val = 0;
	int err;

	spin_lock(&u->lock);
	sync_boot(u);
	err = vpl011_read(&u->regs, a.off, mmio_size(a), &val);
	if (!err)
		update_line(u, v);
	/* It took a character: the typed ones waiting in the physical UART may come. */
	if (u->rx_held && vpl011_rx_room(&u->regs)) {
		u->rx_held = false;
		console_rx_hold(false);
	}
	spin_unlock(&u->lock);
	if (err)
		return mmio_refuse(v, a);
	return mmio_read_done(v, a, val);
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
	u->vm = vm;
	u->intid = intid;
	/* Not a boot count: the first access resets the registers. */
	u->boots = ~0UL;
	d.priv = u;
	err = mmio_register(vm, &d);
	if (!err && !focus)
		focus = u;
	return err;
}

struct vm *vuart_focus(void)
{
	return focus ? focus->vm : NULL;
}

/*
 * How many typed characters the focused VM's FIFO takes now. With none, the
 * console's receive interrupt is masked until the guest reads one
 * (vu_read()): the characters wait in the physical UART, not lost.
 */
static unsigned int rx_room(void)
{
	struct vuart *u = focus;
	unsigned int room;

	spin_lock(&u->lock);
	sync_boot(u);
	room = vpl011_rx_room(&u->regs);
	if (!room && !u->rx_held) {
		u->rx_held = true;
		console_rx_hold(true);
	}
	spin_unlock(&u->lock);
	return room;
}

/* A character typed on the console, for the focused VM; self is the vCPU this CPU runs. */
static void deliver(struct vcpu *self, u8 c)
{
	struct vuart *u = focus;

	spin_lock(&u->lock);
	sync_boot(u);
	/* Only a loopback write can have filled it since rx_room(): lost, with an overrun. */
	if (!vpl011_rx(&u->regs, c))
		u->rx_lost++;
	update_line(u, self);
	spin_unlock(&u->lock);
}

/*
 * The physical UART's interrupt (Partita's): its transmit side drains the
 * console's buffer, its receive side feeds the focused VM as far as its
 * FIFO has room.
 */
static void phys_irq(struct vcpu *v, u32 intid)
{
	u8 rx[16];
	size_t i, n, want;

	(void)intid;
	do {
		want = MIN((size_t)rx_room(), sizeof(rx));
		n = console_irq(rx, want);
		for (i = 0; i < n; i++)
			deliver(v, rx[i]);
	} while (want && n == want);
}

void vuart_start(void)
{
	const struct plat_uart *pu = console_uart();
	unsigned int pcpu;

	if (!focus)
		return;
	if (!pu->intid || pu->kind != UART_PL011) {
		log_warn("console: %s: %s; output is polled and typed characters reach no VM",
			 pu->path, pu->intid ? "not a PL011" : "no interrupt in the device tree");
		return;
	}
	pcpu = focus->vm->vcpus[0].pcpu;
	if (irq_owner_set_hyp(pcpu, pu->intid, phys_irq)) {
		log_warn("console: its interrupt, INTID %u, belongs to a VM; output is polled and "
			 "typed characters reach no VM",
			 pu->intid);
		return;
	}
	/* The PL011's interrupt output is a level (PL011 TRM 2.8). */
	gic_set_edge(pcpu, pu->intid, false);
	gic_route_spi(pu->intid, pcpu);
	(void)console_irq_enable();
	gic_enable(pcpu, pu->intid);
	log_info("console: input goes to vm %s; the UART's interrupt, INTID %u, is taken on cpu%u",
		 focus->vm->name, pu->intid, pcpu);
}
