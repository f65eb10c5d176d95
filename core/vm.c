#include "core/vm.h"

#include <libfdt.h>
#include <string.h>

#include "arch/cache.h"
#include "core/guest_fdt.h"
#include "core/panic.h"
#include "core/percpu.h"
#include "core/smp.h"
#include "core/vm_layout.h"
#include "lib/fmt.h"
#include "lib/log.h"
#include "mm/palloc.h"
#include "mm/stage2.h"
#include "platform/console.h"
#include "platform/psci_fw.h"
#include "vcpu/context.h"
#include "vcpu/exit.h"
#include "vcpu/irq.h"
#include "vcpu/ram.h"
#include "vcpu/testdev.h"
#include "vcpu/vuart.h"
#include "vcpu/vgic/glue.h"

#define STOP_TIMEOUT_MS 1000

/* What a VM needs to start again from scratch: pristine images outside its RAM. */
struct vm_images {
	const void *kernel;
	u64 kernel_size;
	u64 kernel_offset; /* from the RAM base */
	u64 entry; /* IPA */
	const void *initrd; /* NULL: none */
	u64 initrd_size;
	u64 initrd_offset; /* from the RAM base */
	void *dtb;
	u64 dtb_ipa;
};

/** What vm_stop() or vm_restart() asked of a VM: its vCPU 0's physical CPU carries it out. */
enum vm_request {
	VM_REQ_NONE,
	VM_REQ_STOP,
	VM_REQ_RESTART,
};

/* What only the lifecycle needs of a VM, beside its images. */
struct vm_life {
	enum vm_on_crash on_crash;
	volatile enum vm_request request; /* written under the VM's lock */
};

static const struct platform *plat;
static struct vm vms[VM_MAX];
static struct vm_images images[VM_MAX];
static struct vm_life life[VM_MAX];
static unsigned int built;
static volatile bool all_built; /* secondaries wait for this before looking at their vCPU */
/*
 * VMs stopped for good: a stopped VM with a restart asked for is not
 * counted, so the machine powers off only when the last VM that runs, or
 * is about to run again, has stopped. Taken inside a VM's lock.
 */
static unsigned int stopped;
static struct spinlock stopped_lock = SPINLOCK_INIT;
static bool lifecycle_selftest; /* partita.selftest=lifecycle: taken by one spare CPU */
static struct spinlock selftest_lock = SPINLOCK_INIT;

void vm_init(const struct platform *p)
{
	plat = p;
}

unsigned int vm_count(void)
{
	return built;
}

struct vm *vm_get(unsigned int id)
{
	return id < built ? &vms[id] : NULL;
}

/* The layout keeps room for the DTB that build_dtb() writes. */
_Static_assert(VM_LAYOUT_DTB_MAX == GUEST_FDT_MAX, "the DTB's room and its size differ");

/* Where the kernel, initrd and DTB go in the VM's RAM (core/vm_layout.c). */
static int place_images(struct vm *vm, const struct vm_config *cfg, struct vm_images *img)
{
	struct vm_layout l;
	u64 need = 0;
	enum vm_layout_error err = vm_layout_place(
		vm->ram_ipa, vm->ram_size, cfg->kernel_format == VM_KERNEL_RAW, cfg->image,
		cfg->image_size, cfg->initrd ? cfg->initrd_size : 0, &l, &need);

	if (err == VM_LAYOUT_NOT_IMAGE) {
		log_err("vm %s: kernel: not an arm64 Image (no Image magic at byte 56) and not "
			"declared raw",
			cfg->name);
		return -E_INVAL;
	}
	if (err) {
		log_err("vm %s: memory: %lu MiB do not hold the kernel (%lu KiB), initrd (%lu KiB) "
			"and DTB; %lu MiB would",
			cfg->name, vm->ram_size >> 20, cfg->image_size >> 10,
			cfg->initrd ? cfg->initrd_size >> 10 : 0, need >> 20);
		return -E_INVAL;
	}
	img->kernel = cfg->image;
	img->kernel_size = cfg->image_size;
	img->kernel_offset = l.kernel_offset;
	img->entry = vm->ram_ipa + l.kernel_offset;
	img->initrd = cfg->initrd;
	img->initrd_size = cfg->initrd ? cfg->initrd_size : 0;
	img->initrd_offset = l.initrd_offset;
	img->dtb_ipa = vm->ram_ipa + l.dtb_offset;
	return 0;
}

static int check_cpus(const struct vm_config *cfg)
{
	unsigned int i;

	if (!cfg->cpu_count || cfg->cpu_count > VM_MAX_VCPUS) {
		log_err("vm %s: cpus: %u vCPUs, must be 1 to %d", cfg->name, cfg->cpu_count,
			VM_MAX_VCPUS);
		return -E_INVAL;
	}
	for (i = 0; i < cfg->cpu_count; i++) {
		unsigned int c = cfg->cpus[i];

		for (unsigned int j = 0; j < i; j++) {
			if (cfg->cpus[j] == c) {
				log_err("vm %s: cpus: physical CPU %u is listed twice", cfg->name,
					c);
				return -E_INVAL;
			}
		}
		if (c < PLAT_MAX_CPUS && percpu[c].vcpu) {
			log_err("vm %s: cpus: physical CPU %u already runs vm %s", cfg->name, c,
				percpu[c].vcpu->vm->name);
			return -E_INVAL;
		}
	}
	/* Checked last: a configuration error refuses the configuration, this only the VM. */
	for (i = 0; i < cfg->cpu_count; i++) {
		const char *why = smp_offline_reason(cfg->cpus[i]);

		if (why) {
			log_err("vm %s: cpus: vCPU %u needs physical CPU %u, which is "
				"offline (%s); vm %s is not started",
				cfg->name, i, cfg->cpus[i], why, cfg->name);
			return -E_NOENT;
		}
	}
	return 0;
}

/* Writes bytes as "N MiB" (rounded down) from 1 MiB on, else as "N KiB". */
static const char *size_str(char *buf, size_t size, u64 bytes)
{
	if (bytes >= (1UL << 20))
		fmt_format(buf, size, "%lu MiB", bytes >> 20);
	else
		fmt_format(buf, size, "%lu KiB", bytes >> 10);
	return buf;
}

/*
 * Says why palloc could not give need bytes at alignment align: too little
 * free memory, or enough of it but split into pieces that are all too small.
 */
static void log_no_memory(const char *vm, const char *what, u64 need, u64 align)
{
	u64 free = palloc_free_bytes();
	char str[4][24]; /* need, free, align, largest */

	size_str(str[0], sizeof(str[0]), need);
	size_str(str[1], sizeof(str[1]), free);
	if (free < need)
		log_err("vm %s: %s: cannot allocate %s: only %s free", vm, what, str[0], str[1]);
	else
		log_err("vm %s: %s: cannot allocate %s: %s free, but split; the largest %s-aligned "
			"piece is %s",
			vm, what, str[0], str[1], size_str(str[2], sizeof(str[2]), align),
			size_str(str[3], sizeof(str[3]), palloc_largest(align)));
}

static int alloc_ram(struct vm *vm, const struct vm_config *cfg)
{
	int err;

	if (!IS_ALIGNED(cfg->ram_ipa, SZ_2M) || !IS_ALIGNED(cfg->ram_size, SZ_2M) ||
	    !cfg->ram_size || cfg->ram_ipa + cfg->ram_size > (1UL << stage2_ipa_bits())) {
		log_err("vm %s: memory: 0x%lx+0x%lx must be 2 MiB aligned and below 2^%u",
			cfg->name, cfg->ram_ipa, cfg->ram_size, stage2_ipa_bits());
		return -E_INVAL;
	}
	/* Identity RAM was claimed from the allocator by config_boot, before any VM was built. */
	if (cfg->ram_identity)
		vm->ram_pa = pa_init(cfg->ram_ipa);
	/* 2 MiB alignment lets stage 2 map RAM with blocks: fewer TLB misses. */
	else if (!palloc_alloc(cfg->ram_size, SZ_2M, &vm->ram_pa)) {
		log_no_memory(cfg->name, "memory", cfg->ram_size, SZ_2M);
		return -E_NOMEM;
	}
	vm->ram_ipa = cfg->ram_ipa;
	vm->ram_size = cfg->ram_size;
	/*
	 * Identity RAM is for devices that write it by DMA, past stage 2:
	 * cleared eagerly, as they may read it before the guest touches it.
	 */
	vm->ram_lazy = !cfg->ram_identity;
	err = stage2_map(&vm->s2, ipa_init(vm->ram_ipa), vm->ram_pa, vm->ram_size, S2_MEM_RAM);
	if (err == -E_NOMEM)
		log_no_memory(cfg->name, "memory: stage-2 table", PAGE_SIZE, PAGE_SIZE);
	else if (err)
		log_err("vm %s: memory: IPA 0x%lx+0x%lx cannot be mapped at stage 2 (error %d)",
			cfg->name, vm->ram_ipa, vm->ram_size, err);
	return err;
}

/* The host node of a device the VM gets, with its ranges at the same IPAs. */
static void describe_node(struct guest_fdt_node *n, const char *path, const u64 *base,
			  const u64 *size, unsigned int count)
{
	n->path = path;
	n->reg_count = MIN(count, GUEST_FDT_MAX_REGS);
	for (unsigned int i = 0; i < n->reg_count; i++)
		n->reg[i] = (struct plat_range){ base[i], size[i] };
}

/* What the guest's DTB says: the configuration, the host's GIC and timer, the nodes it owns. */
static void describe(const struct vm *vm, const struct vm_config *cfg, const struct vm_images *img,
		     struct guest_fdt_vm *d)
{
	const struct plat_uart *u = &plat->uart;

	memset(d, 0, sizeof(*d));
	d->name = cfg->name;
	d->bootargs = cfg->bootargs;
	d->ram_ipa = vm->ram_ipa;
	d->ram_size = vm->ram_size;
	d->vcpu_count = cfg->cpu_count;
	d->initrd_ipa = vm->ram_ipa + img->initrd_offset;
	d->initrd_size = img->initrd_size;
	d->gic_version = plat->gic.version;
	d->timer = plat->timer;
	d->host_fdt = (const void *)plat->fdt.base;
	if (cfg->test_device)
		d->test_device = (struct plat_range){ TESTDEV_IPA, TESTDEV_SIZE };
	d->console = -1;
	/* The console UART, emulated or the real one, at the host's address: stdout-path. */
	if (u->kind != UART_NONE && u->path[0] == '/') {
		d->console = 0;
		describe_node(&d->nodes[d->node_count++], u->path, &u->reg.base, &u->reg.size, 1);
	}
	for (unsigned int i = 0; i < cfg->device_count && d->node_count < GUEST_FDT_MAX_NODES;
	     i++) {
		const struct vm_device *dev = &cfg->devices[i];

		describe_node(&d->nodes[d->node_count++], dev->path, dev->reg_base, dev->reg_size,
			      dev->reg_count);
	}
}

static int build_dtb(struct vm *vm, const struct vm_config *cfg, struct vm_images *img)
{
	static struct guest_fdt_vm d; /* built by the boot CPU alone, one VM after the other */
	paddr_t buf;
	int err;

	if (!palloc_alloc(GUEST_FDT_MAX, PAGE_SIZE, &buf)) {
		log_no_memory(cfg->name, "device tree", GUEST_FDT_MAX, PAGE_SIZE);
		return -E_NOMEM;
	}
	img->dtb = (void *)pa_addr(buf);
	/* All of it is copied into the guest: nothing of earlier use may remain. */
	memset(img->dtb, 0, GUEST_FDT_MAX);
	describe(vm, cfg, img, &d);
	err = guest_fdt_build(&d, img->dtb, GUEST_FDT_MAX);
	if (err == -E_NOENT) {
		for (unsigned int i = 0; i < d.node_count; i++) {
			if (fdt_path_offset(d.host_fdt, d.nodes[i].path) < 0)
				log_err("vm %s: devices: \"%s\" is not in the host's device tree",
					cfg->name, d.nodes[i].path);
		}
		/* -E_NOENT would say a CPU is offline (vm_create()). */
		return -E_INVAL;
	}
	if (err)
		log_err("vm %s: its device tree, with %u vCPUs, %u devices and %zu characters of "
			"bootargs, does not fit in %lu KiB",
			cfg->name, cfg->cpu_count, d.node_count,
			cfg->bootargs ? strlen(cfg->bootargs) : 0, GUEST_FDT_MAX >> 10);
	return err;
}

/* Bytes of a pristine image that go at offset in a VM's RAM. */
struct ram_image {
	u64 offset;
	const u8 *src;
	u64 size;
};

/* Copies an image into the VM's RAM and cleans it to PoC, by whole blocks where it can. */
static void copy_clean(u8 *dst, const u8 *src, u64 size)
{
	u64 done = dcache_copy_clean_poc(dst, src, size);

	memcpy(dst + done, src + done, size - done);
	dcache_clean_inval_poc(dst + done, size - done);
}

/*
 * Clears the VM's RAM around its images, copies the pristine images in, and
 * cleans it all to the Point of Coherency: the guest starts with its caches
 * off, sees its images and nothing of what its RAM held before. Only the
 * 2 MiB blocks that hold image bytes are zeroed here; the others are
 * unmapped at stage 2 and zeroed on their first use (vcpu/ram.c), but for
 * memory-identity RAM, zeroed here too. Each byte is written and cleaned
 * once, at about three instructions a 64-byte line zeroed and 0.16 a byte
 * copied (arch/cache.h; make bench counts them).
 */
static void load(struct vm *vm)
{
	const struct vm_images *img = &images[vm->id];
	u8 *ram = (u8 *)pa_addr(vm->ram_pa);
	struct ram_image part[] = {
		{ img->kernel_offset, img->kernel, img->kernel_size },
		{ img->initrd_offset, img->initrd, img->initrd_size },
		/* The DTB alone: libfdt leaves the rest of its buffer as it was while building. */
		{ img->dtb_ipa - vm->ram_ipa, img->dtb, fdt_totalsize(img->dtb) },
	};
	u64 at = 0;

	/* In address order; core/vm_layout.c placed them apart, inside RAM. */
	for (unsigned int i = 1; i < ARRAY_SIZE(part); i++) {
		for (unsigned int j = i; j && part[j].offset < part[j - 1].offset; j--) {
			struct ram_image t = part[j];

			part[j] = part[j - 1];
			part[j - 1] = t;
		}
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(part); i++) {
		if (!part[i].size)
			continue;
		ram_clear(vm, at, part[i].offset);
		copy_clean(ram + part[i].offset, part[i].src, part[i].size);
		at = part[i].offset + part[i].size;
	}
	ram_clear(vm, at, vm->ram_size);
	icache_inval_all();
}

static int init_stage2(struct vm *vm, const struct vm_config *cfg)
{
	int err = stage2_init(&vm->s2, &vm->vtcr);

	if (err == -E_BUSY)
		log_err("vm %s: no VMID left: every 8-bit VMID is in use", cfg->name);
	else if (err == -E_NOMEM)
		log_no_memory(cfg->name, "stage-2 root table", vm->s2.root_tables * PAGE_SIZE,
			      vm->s2.root_tables * PAGE_SIZE);
	else if (err)
		log_err("vm %s: stage 2 cannot cover a %u-bit IPA space (error %d)", cfg->name,
			stage2_ipa_bits(), err);
	return err;
}

/*
 * Maps a device's registers at the same IPA as Device memory (the guest
 * drives it directly), page-rounded as stage 2 maps pages. Returns 0 or the
 * error after a line naming the device.
 */
static int map_device(struct vm *vm, const char *what, u64 base, u64 size)
{
	u64 first = ALIGN_DOWN(base, PAGE_SIZE), end = ALIGN_UP(base + size, PAGE_SIZE);
	int err;

	if (!size || base + size < base) {
		log_err("vm %s: %s: register range 0x%lx+0x%lx is empty or wraps", vm->name, what,
			base, size);
		return -E_INVAL;
	}
	err = stage2_map(&vm->s2, ipa_init(first), pa_init(first), end - first, S2_MEM_DEVICE);
	if (err)
		log_err("vm %s: %s: 0x%lx+0x%lx cannot be mapped at stage 2 (error %d)", vm->name,
			what, first, end - first, err);
	return err;
}

/* Gives vm a physical SPI, delivered with the HW bit. Returns 0 or the error, logged. */
static int give_spi(struct vm *vm, const char *what, u32 intid)
{
	int err;

	err = vgic_vm_passthrough_spi(vm, intid);
	if (!err)
		log_info("vm %s: owns %s and its SPI, INTID %u", vm->name, what, intid);
	return err;
}

/* The SPI of the host node at path: its first interrupt, in the GIC binding's cells. */
static int node_spi(const char *path, u32 *intid)
{
	const void *fdt = (const void *)plat->fdt.base;
	int node = fdt_path_offset(fdt, path), len = 0;
	const fdt32_t *irq = node >= 0 ? fdt_getprop(fdt, node, "interrupts", &len) : NULL;

	if (!irq || len < 12 || fdt32_to_cpu(irq[0]) != 0 /* GIC_SPI */ ||
	    fdt32_to_cpu(irq[1]) > 1019 - 32)
		return -E_NOENT;
	*intid = 32 + fdt32_to_cpu(irq[1]);
	return 0;
}

/*
 * console = "passthrough": the host's console UART itself is the VM's, its
 * registers at the same IPA and its SPI HW-mapped. Partita keeps writing
 * its own (rare, after boot) lines to it, polled, through the data and
 * flag registers only, which change nothing the guest's driver set up
 * (docs/architecture.md, "Console passthrough").
 */
static int give_console(struct vm *vm)
{
	const struct plat_uart *u = &plat->uart;
	char what[PLAT_PATH_MAX + 16];
	u32 intid;

	if (u->kind == UART_NONE || u->path[0] != '/') {
		log_err("vm %s: console: passthrough needs the host's console UART, named by "
			"/chosen/stdout-path; the host's device tree names none",
			vm->name);
		return -E_INVAL;
	}
	fmt_format(what, sizeof(what), "console %s", u->path);
	if (node_spi(u->path, &intid)) {
		log_err("vm %s: %s: its node has no SPI in \"interrupts\"", vm->name, what);
		return -E_INVAL;
	}
	return map_device(vm, what, u->reg.base, u->reg.size) ?: give_spi(vm, what, intid);
}

/* The devices the configuration passes through: their ranges and SPIs. */
static int give_devices(struct vm *vm, const struct vm_config *cfg)
{
	int err = 0;

	for (unsigned int i = 0; i < cfg->device_count && !err; i++) {
		const struct vm_device *dev = &cfg->devices[i];

		for (unsigned int r = 0; r < dev->reg_count && !err; r++)
			err = map_device(vm, dev->path, dev->reg_base[r], dev->reg_size[r]);
		for (unsigned int q = 0; q < dev->irq_count && !err; q++)
			err = give_spi(vm, dev->path, dev->intid[q]);
	}
	return err;
}

/*
 * Gives vm its emulated PL011 where the host's console UART is, with the
 * same interrupt: the guest DTB names that node (core/guest_fdt.c).
 */
static int emulated_console(struct vm *vm)
{
	const struct plat_uart *u = console_uart();
	int err = vuart_attach(vm, u->reg.base, u->intid);

	if (err)
		log_err("vm %s: cannot attach its emulated PL011 at IPA 0x%lx (INTID %u): %s",
			vm->name, u->reg.base, u->intid,
			err == -E_EXIST	  ? "another emulated device is there"
			: err == -E_INVAL ? "its virtual GIC has no such SPI"
					  : "no emulated-device slot left");
	return err;
}

int vm_create(unsigned int id, const struct vm_config *cfg)
{
	struct vm *vm = &vms[id];
	struct vm_images *img = &images[id];
	unsigned int i;
	int err;

	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	life[id] = (struct vm_life){ .on_crash = cfg->on_crash, .request = VM_REQ_NONE };
	memcpy(vm->name, cfg->name, sizeof(vm->name));
	vm->name[sizeof(vm->name) - 1] = '\0';
	err = check_cpus(cfg);
	err = err ?: init_stage2(vm, cfg);
	err = err ?: alloc_ram(vm, cfg);
	err = err ?: place_images(vm, cfg, img);
	err = err ?: build_dtb(vm, cfg, img);
	if (!err && cfg->test_device) {
		err = testdev_attach(vm);
		if (err)
			log_err("vm %s: cannot attach the test device at IPA 0x%lx: %s", cfg->name,
				TESTDEV_IPA,
				err == -E_EXIST ? "another emulated device is there"
						: "every emulated-device slot is taken");
	}
	if (err)
		return err;
	vm->hcr = context_vm_hcr();
	vm->vcpu_count = cfg->cpu_count;
	vm->state = VM_STOPPED;
	for (i = 0; i < cfg->cpu_count; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->vm = vm;
		v->id = i;
		v->pcpu = cfg->cpus[i];
		v->power = VCPU_OFF;
		percpu[v->pcpu].vcpu = v;
	}
	err = vgic_vm_init(vm);
	if (!err && cfg->console == VM_CONSOLE_EMULATED)
		err = emulated_console(vm);
	if (!err && cfg->console == VM_CONSOLE_PASSTHROUGH)
		err = give_console(vm);
	err = err ?: give_devices(vm, cfg);
	if (err) {
		/* Not started: its CPUs must not run it. */
		for (i = 0; i < cfg->cpu_count; i++)
			percpu[cfg->cpus[i]].vcpu = NULL;
		return err;
	}
	load(vm);
	built = MAX(built, id + 1);
	log_info("vm%u %s: %u vCPU%s on cpu%u..%u, %lu MiB at IPA 0x%lx (PA 0x%lx), VMID %u, "
		 "kernel %lu KiB at 0x%lx",
		 id, vm->name, vm->vcpu_count, vm->vcpu_count > 1 ? "s" : "", cfg->cpus[0],
		 cfg->cpus[cfg->cpu_count - 1], vm->ram_size >> 20, vm->ram_ipa,
		 pa_addr(vm->ram_pa), stage2_vmid(&vm->s2), img->kernel_size >> 10, img->entry);
	return 0;
}

/* Powers on vCPU 0 at the kernel entry with x0 = the DTB, as Linux expects. */
static void start(struct vm *vm)
{
	struct vcpu *v0 = &vm->vcpus[0];
	unsigned int i;

	spin_lock(&vm->lock);
	/* A boot starts with vCPU 0 alone, whatever was pending before. */
	for (i = 1; i < vm->vcpu_count; i++)
		vm->vcpus[i].power = VCPU_OFF;
	vm->boots++;
	/* Its virtual counter starts near zero on every boot (CNTVOFF_EL2, vcpu/context.c). */
	vm->cntvoff = counter_read();
	vm->state = VM_RUNNING;
	v0->on_entry = images[vm->id].entry;
	v0->on_context = images[vm->id].dtb_ipa;
	v0->power = VCPU_ON_PENDING;
	spin_unlock(&vm->lock);
	/*
	 * The guest's virtual counter is the physical one less this: make bench
	 * adds it back to time a guest from machine reset (docs/architecture.md).
	 */
	log_info("vm%u %s: started at counter %lu", vm->id, vm->name, vm->cntvoff);
	dsb(ish);
	sev();
}

void vm_start_all(void)
{
	unsigned int i;

	/* Release: the vCPU pointers written while building come before the flag. */
	dmb(ish);
	all_built = true;
	for (i = 0; i < built; i++)
		start(&vms[i]);
	dsb(ish);
	sev();
}

static bool others_off(const struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->vcpu_count; i++) {
		if (vm->vcpus[i].power == VCPU_ON)
			return false;
	}
	return true;
}

/*
 * True if no vCPU of the VM is on or about to be (a pending CPU_ON counts).
 * Called with the VM's lock held, after a CPU_OFF: nothing could then ever
 * power one on again, so the VM has ended as surely as by SYSTEM_OFF.
 */
static bool all_off_locked(const struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->vcpu_count; i++) {
		if (vm->vcpus[i].power != VCPU_OFF)
			return false;
	}
	return true;
}

/*
 * Takes every vCPU of the VM out of its guest. Returns false if another
 * vCPU is already stopping the VM, or, with if_all_off, if some vCPU is
 * still on or about to be: the other one carries on, this one just stops.
 * The check and the state change are one locked step, so a SYSTEM_RESET
 * that restarts the VM in between is never taken for its end.
 */
static bool stop_vm(struct vcpu *self, const char *why, bool if_all_off)
{
	struct vm *vm = self->vm;
	u64 deadline;
	unsigned int i;

	spin_lock(&vm->lock);
	/* Only a vCPU that is on turns off: a restart may already have made it ON_PENDING. */
	if (self->power == VCPU_ON)
		self->power = VCPU_OFF;
	if (vm->state != VM_RUNNING || (if_all_off && !all_off_locked(vm))) {
		spin_unlock(&vm->lock);
		dsb(ish);
		sev();
		return false;
	}
	vm->state = VM_STOPPING;
	for (i = 0; i < vm->vcpu_count; i++) {
		/* A vCPU still waiting to be started now never will be. */
		if (vm->vcpus[i].power == VCPU_ON_PENDING)
			vm->vcpus[i].power = VCPU_OFF;
		else if (vm->vcpus[i].power == VCPU_ON)
			vcpu_request(&vm->vcpus[i], VCPU_REQ_STOP);
	}
	spin_unlock(&vm->lock);
	log_info("vm%u %s: %s, by vcpu%u", vm->id, vm->name, why, self->id);
	/*
	 * The VM's memory may not be touched while any of its vCPUs still runs:
	 * keep waiting, and say so once if that takes unusually long.
	 */
	deadline = counter_read() + counter_freq() * STOP_TIMEOUT_MS / 1000;
	while (!others_off(vm)) {
		if (deadline && counter_read() > deadline) {
			log_err("vm%u %s: a vCPU has not stopped after %d ms; still waiting",
				vm->id, vm->name, STOP_TIMEOUT_MS);
			deadline = 0;
		}
		wfe();
	}
	/*
	 * Before its memory is cleared and reloaded: the VMID's entries on
	 * every CPU (the TLBI acts on the VMID of this CPU's VTTBR_EL2, which
	 * stage2_flush_tlb() loads, and its DSB ISH waits for all CPUs). What a
	 * waiting CPU refills speculatively is dropped at its next power-on
	 * (context_power_on()). The caches need no maintenance first: load()
	 * zeroes and cleans to the PoC through EL2's cacheable mapping, which
	 * is coherent with the guest's cacheable lines.
	 */
	stage2_flush_tlb(&vm->s2);
	/* No interrupt state of this run may reach the next one. */
	vgic_vm_reset(vm);
	return true;
}

static void vm_stopped(struct vm *vm)
{
	bool last = false;

	spin_lock(&vm->lock);
	vm->state = VM_STOPPED;
	/* A restart asked for while it ran keeps it counted as running (vm_restart()). */
	if (life[vm->id].request != VM_REQ_RESTART) {
		spin_lock(&stopped_lock);
		last = ++stopped == built;
		spin_unlock(&stopped_lock);
	}
	spin_unlock(&vm->lock);
	/* Its vCPU 0 may be waiting for the stop to end, to carry out a request. */
	dsb(ish);
	sev();
	if (!last)
		return;
	log_info("every VM has stopped: powering off");
	psci_fw_system_off();
	log_err("the firmware did not power off; idling");
}

/* Starts the VM again from its pristine images, its memory cleared. */
static void restart(struct vm *vm)
{
	load(vm);
	start(vm);
}

/*
 * A VM Partita cannot serve any more: the vCPU that found out has said
 * why; its configuration says whether it restarts or stays stopped.
 */
static void crashed(struct vcpu *v)
{
	static const char *const why[] = {
		[VM_ON_CRASH_STOP] = "stopped after a fault it cannot recover from "
				     "(on-crash = \"stop\")",
		[VM_ON_CRASH_RESTART] = "restarted after a fault it cannot recover from "
					"(on-crash = \"restart\")",
	};
	enum vm_on_crash then = life[v->vm->id].on_crash;

	if (!stop_vm(v, why[then], false))
		return;
	if (then == VM_ON_CRASH_RESTART)
		restart(v->vm);
	else
		vm_stopped(v->vm);
}

static void handle_stop(struct vcpu *v, enum vcpu_stop why)
{
	context_save(v);
	switch (why) {
	case VCPU_STOP_OFF:
		/* If two vCPUs get here at once, stop_vm() lets only one go on. */
		if (stop_vm(v, "stopped, its last vCPU being off (PSCI CPU_OFF)", true))
			vm_stopped(v->vm);
		break;
	case VCPU_STOP_KICKED:
		/* A stop of the VM, or a request of the monitor (see wait_power_on()). */
		spin_lock(&v->vm->lock);
		v->power = VCPU_OFF;
		spin_unlock(&v->vm->lock);
		dsb(ish);
		sev();
		break;
	case VCPU_STOP_VM_OFF:
		if (stop_vm(v, "powered off (PSCI SYSTEM_OFF)", false))
			vm_stopped(v->vm);
		break;
	case VCPU_STOP_VM_CRASH:
		crashed(v);
		break;
	case VCPU_STOP_VM_RESET:
		if (stop_vm(v, "reset (PSCI SYSTEM_RESET)", false))
			restart(v->vm);
		break;
	default:
		panic(VCPU_FMT ": stopped for unknown reason %d", VCPU_ARGS(v), why);
	}
}

/*
 * Makes vCPU 0's physical CPU look at a request: out of the guest if it
 * runs there, else out of its WFE. Called with the VM's lock held, so that
 * a vCPU 0 claimed just before is seen ON, and one claimed after sees the
 * request (wait_power_on()).
 */
static void call_vcpu0(struct vm *vm)
{
	if (vm->vcpus[0].power == VCPU_ON)
		vcpu_request(&vm->vcpus[0], VCPU_REQ_STOP);
	dsb(ish);
	sev();
}

int vm_stop(struct vm *vm)
{
	int err = 0;

	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING || life[vm->id].request != VM_REQ_NONE) {
		err = -E_BUSY;
	} else {
		life[vm->id].request = VM_REQ_STOP;
		call_vcpu0(vm);
	}
	spin_unlock(&vm->lock);
	return err;
}

int vm_restart(struct vm *vm)
{
	int err = 0;

	spin_lock(&vm->lock);
	if (vm->state == VM_STOPPING || life[vm->id].request != VM_REQ_NONE) {
		err = -E_BUSY;
	} else {
		life[vm->id].request = VM_REQ_RESTART;
		/* It runs again from now on, as far as powering the machine off goes. */
		if (vm->state == VM_STOPPED) {
			spin_lock(&stopped_lock);
			stopped--;
			spin_unlock(&stopped_lock);
		}
		call_vcpu0(vm);
	}
	spin_unlock(&vm->lock);
	return err;
}

/* Whether v is vCPU 0 and its VM has a request it can carry out now (not while a stop runs). */
static bool request_due(const struct vcpu *v)
{
	return v->id == 0 && life[v->vm->id].request != VM_REQ_NONE && v->vm->state != VM_STOPPING;
}

/*
 * Carries out vm_stop() or vm_restart() on vCPU 0's physical CPU, vCPU 0
 * being off: a running VM is stopped as a guest's SYSTEM_OFF or RESET
 * would; a stopped one is reloaded and started. If a guest's own stop wins
 * the race, the request waits until that stop is over.
 */
static void carry_out_request(struct vcpu *v0)
{
	struct vm *vm = v0->vm;
	struct vm_life *l = &life[vm->id];
	enum vm_request req;
	bool was_stopped;

	spin_lock(&vm->lock);
	req = l->request;
	was_stopped = vm->state == VM_STOPPED;
	if (was_stopped) {
		l->request = VM_REQ_NONE;
		/*
		 * A restart under way: further requests get -E_BUSY until
		 * start() makes it RUNNING; were it left STOPPED, a second
		 * vm_restart() would take it out of the count a second time.
		 */
		if (req == VM_REQ_RESTART)
			vm->state = VM_STOPPING;
	}
	spin_unlock(&vm->lock);
	if (was_stopped) {
		/* A stop asked for while the VM stopped by itself has nothing left to do. */
		if (req == VM_REQ_RESTART) {
			log_info("vm%u %s: restarted from the monitor", vm->id, vm->name);
			restart(vm);
		}
		return;
	}
	if (!stop_vm(v0,
		     req == VM_REQ_STOP ? "stopped from the monitor" : "restarted from the monitor",
		     false))
		return;
	spin_lock(&vm->lock);
	l->request = VM_REQ_NONE;
	spin_unlock(&vm->lock);
	if (req == VM_REQ_STOP)
		vm_stopped(vm);
	else
		restart(vm);
}

/* Whether v may be claimed for a power-on now. */
static bool power_on_due(const struct vcpu *v)
{
	return v->power == VCPU_ON_PENDING && v->vm->state == VM_RUNNING && !request_due(v);
}

/*
 * Waits until the vCPU is to be powered on, and claims it. vCPU 0's
 * physical CPU also carries out the requests of vm_stop() and vm_restart()
 * here, before any power-on: a stopped VM has no other CPU to do it.
 */
static void wait_power_on(struct vcpu *v)
{
	for (;;) {
		bool go = false;

		while (!power_on_due(v) && !request_due(v)) {
			/* The console's input and prompts still need this CPU (EL2 takes no interrupt). */
			vuart_idle(v);
			wfe();
		}
		if (request_due(v)) {
			carry_out_request(v);
			continue;
		}
		spin_lock(&v->vm->lock);
		if (power_on_due(v)) {
			/* A stop request meant for an earlier life (it went off first) is void. */
			vcpu_requests_clear(v);
			v->power = VCPU_ON;
			go = true;
		}
		spin_unlock(&v->vm->lock);
		if (go)
			return;
	}
}

void vm_selftest_lifecycle_on(void)
{
	lifecycle_selftest = true;
}

/* Whether this CPU, which has no vCPU, is the one to run the lifecycle selftest. */
static bool selftest_claim(void)
{
	bool mine;

	spin_lock(&selftest_lock);
	mine = lifecycle_selftest;
	lifecycle_selftest = false;
	spin_unlock(&selftest_lock);
	return mine;
}

void vm_run_this_cpu(void)
{
	struct vcpu *v;

	while (!all_built)
		wfe();
	dmb(ish); /* acquire: read the vCPU pointer only after the flag */
	v = this_cpu()->vcpu;
	if (!v) {
		if (selftest_claim())
			vm_selftest_lifecycle();
		cpu_park();
	}
	for (;;) {
		wait_power_on(v);
		context_power_on(v, v->on_entry, v->on_context);
		handle_stop(v, vcpu_enter(v));
	}
}
