/*
 * A virtual CPU and the virtual machine it belongs to, as the exit path
 * sees them. core/ creates them and runs them; vcpu/ decides what each exit
 * means. One vCPU is pinned to one physical CPU for its whole life.
 */
#ifndef VCPU_VCPU_H
#define VCPU_VCPU_H

#include "arch/spinlock.h"
#include "arch/sysreg.h"
#include "mm/pgtable.h"
#include "vcpu/vgic/vgic.h"

#define VM_MAX_VCPUS 8
#define VM_MAX_PT_SPIS 16 /* physical SPIs one VM may own */
#define VM_MAX_MMIO 8
#define VM_NAME_MAX 32
/*
 * SPIs of each VM's virtual GIC (INTIDs 32-95): enough for the devices of
 * QEMU's virt machine, and a VM's memory stays small (a multiple of 32).
 */
#define VGIC_VM_SPIS 64

/**
 * The guest's general registers, saved on every exit. SP_EL0, the PC and
 * PSTATE are saved here only when the vCPU stops; while it runs they live in
 * SP_EL0, ELR_EL2 and SPSR_EL2 (see vcpu_pc()).
 */
struct vcpu_regs {
	u64 x[31];
	u64 sp_el0;
	u64 elr; /* ELR_EL2: where the guest resumes */
	u64 spsr; /* SPSR_EL2: the guest's PSTATE */
};

/** The EL1 context, switched only when a vCPU starts, stops or resets. */
struct vcpu_sysregs {
	u64 sctlr_el1;
	u64 ttbr0_el1;
	u64 ttbr1_el1;
	u64 tcr_el1;
	u64 mair_el1;
	u64 amair_el1;
	u64 vbar_el1;
	u64 contextidr_el1;
	u64 tpidr_el0;
	u64 tpidrro_el0;
	u64 tpidr_el1;
	u64 sp_el1;
	u64 elr_el1;
	u64 spsr_el1;
	u64 esr_el1;
	u64 far_el1;
	u64 par_el1;
	u64 afsr0_el1;
	u64 afsr1_el1;
	u64 cpacr_el1;
	u64 csselr_el1;
	u64 cntkctl_el1;
	u64 mdscr_el1;
	u64 cntv_ctl_el0;
	u64 cntv_cval_el0;
	u64 cntvoff_el2;
};

/** PSCI's view of a vCPU (AFFINITY_INFO returns these values). */
enum vcpu_power {
	VCPU_ON = 0,
	VCPU_OFF = 1,
	VCPU_ON_PENDING = 2,
};

/** Why a vCPU stopped running: returned to core/'s run loop. */
enum vcpu_stop {
	VCPU_RUNS = 0, /* keep running: never returned to core */
	VCPU_STOP_OFF, /* PSCI CPU_OFF */
	VCPU_STOP_VM_OFF, /* PSCI SYSTEM_OFF */
	VCPU_STOP_VM_RESET, /* PSCI SYSTEM_RESET */
	VCPU_STOP_VM_CRASH, /* the guest cannot go on: its VM stops */
	VCPU_STOP_KICKED, /* another CPU asked this one to stop */
};

struct vcpu;
struct vm;

/**
 * Why a vCPU left its guest, as the monitor's stats count it (core/monitor.c):
 * each exit handler of vcpu/exit.c, vcpu/mmio.c and vcpu/irq.c adds one.
 */
enum vcpu_exit_reason {
	VCPU_EXIT_HVC, /* HVC64: PSCI, SMCCC, Partita's hypercalls */
	VCPU_EXIT_SMC, /* SMC64, trapped: the same calls */
	VCPU_EXIT_SYSREG, /* a trapped MSR/MRS (GICv3 SGIs among them) */
	VCPU_EXIT_MMIO, /* a data abort: an emulated device, or a refused access */
	VCPU_EXIT_IABT, /* an instruction fetch outside the VM's memory */
	VCPU_EXIT_WFX, /* a trapped WFI/WFE */
	VCPU_EXIT_IRQ, /* a physical interrupt taken while the guest ran */
	VCPU_EXIT_SERROR,
	VCPU_EXIT_OTHER, /* any other class: UNDEF injected */
	VCPU_EXIT_REASONS
};

/**
 * An emulated access in progress: its syndrome (size, register, sign
 * extension, acquire/release) and the offset into the device.
 */
struct mmio_access {
	u64 esr;
	u64 off;
};

/**
 * An emulated device on the MMIO bus. Its handlers finish the access
 * themselves, by returning mmio_read_done(), mmio_write_done() or
 * mmio_refuse() (vcpu/mmio.h): the bus then needs no frame of its own, which
 * keeps the exit path short.
 */
struct mmio_dev {
	const char *name;
	u64 base; /* IPA */
	u64 size;
	enum vcpu_stop (*read)(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a);
	enum vcpu_stop (*write)(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a,
				u64 val);
	void *priv;
};

/* 16-byte aligned: while the guest runs, SP_EL2 points at it (SCTLR_EL2.SA). */
struct __attribute__((aligned(16))) vcpu {
	struct vcpu_regs regs; /* first: the assembly addresses it at offset 0 */
	u64 host_sp; /* the hypervisor's stack while the guest runs */
	/*
	 * requests, high_dirty and vgic_resample share one 64-bit word, so that
	 * the return to the guest checks them with one load: see vcpu/entry.S.
	 */
	u32 requests; /* VCPU_REQ_* (vcpu/irq.h), atomic: checked before every return to the guest */
	bool high_dirty; /* a handler wrote x19-x29: reload them on return */
	/*
	 * Byte 5 of the same word: an LR holds a HW-mapped interrupt the guest
	 * has not taken yet, whose physical source may go quiet meanwhile;
	 * every return to the guest calls vgic_resample() until it is taken.
	 * VGIC_RESAMPLE_LATER (vcpu/vgic/glue.h): not on this return (the
	 * source was just seen high), from the next one on.
	 */
	u8 vgic_resample;
	struct vm *vm;
	unsigned int id; /* index within the VM, also its MPIDR Aff0 */
	unsigned int pcpu;
	volatile enum vcpu_power power;
	u64 on_entry; /* for VCPU_ON_PENDING: where to start and its x0 */
	u64 on_context;
	struct vcpu_sysregs sysregs;
	u64 log_window; /* start of the current second of warnings (counter ticks) */
	unsigned int log_count, log_dropped;
	unsigned int console_len; /* a line of console output being gathered */
	char console_line[160];
	struct vgic_cpu vgic; /* its virtual GIC interface: vcpu/vgic/ */
	/*
	 * Counts for the monitor (core/monitor.c), since Partita started:
	 * written by this vCPU's CPU alone, read by the monitor's without a
	 * lock (a 64-bit load is single-copy atomic; a count may be a moment
	 * old). Last in the struct: no hot field moves.
	 */
	u64 exit_count[VCPU_EXIT_REASONS];
	u64 irq_injected; /* interrupts Partita made pending for this vCPU (vcpu_count_injected()) */
};

/** Where a VM is in its life; vCPUs may be powered on only while it is RUNNING. */
enum vm_state {
	VM_RUNNING,
	VM_STOPPING, /* SYSTEM_OFF, SYSTEM_RESET or a crash is in progress */
	VM_STOPPED,
};

/**
 * A virtual machine: its emulated devices, stage-2 tables, RAM and vCPUs.
 * core/ builds it once; it is never freed.
 */
struct vm {
	unsigned int mmio_count; /* first: the exit path looks these up */
	struct mmio_dev mmio[VM_MAX_MMIO];
	unsigned int id;
	char name[VM_NAME_MAX];
	u16 vmid;
	volatile enum vm_state state;
	struct spinlock lock; /* guards power transitions of the vCPUs */
	struct pgtable s2;
	u64 vtcr;
	u64 hcr;
	u64 ram_ipa;
	u64 ram_size;
	paddr_t ram_pa;
	unsigned int vcpu_count;
	struct vcpu vcpus[VM_MAX_VCPUS];
	u64 boots; /* times started: 1 on the first boot, +1 per SYSTEM_RESET */
	u64 cntvoff; /* CNTVOFF_EL2 of every vCPU: the counter when the VM (re)started */
	struct vgic_dist vgic; /* its virtual GIC distributor: vcpu/vgic/ */
	struct vgic_irq vgic_spis[VGIC_VM_SPIS];
	/* The physical SPIs it owns (vcpu/vgic/glue.c): its devices' and a passed-through console's. */
	u32 passthrough_spis[VM_MAX_PT_SPIS];
	unsigned int passthrough_count;
	u32 passthrough_on; /* bit i: passthrough_spis[i] is enabled at the physical GIC */
	/* Its RAM blocks without image bytes are mapped on first use (vcpu/ram.c); not memory-identity. */
	bool ram_lazy;
	struct spinlock ram_lock; /* guards mapping them */
};

/** Counts an exit of v for reason r: one load, add and store on the exit path. */
static inline void vcpu_count_exit(struct vcpu *v, enum vcpu_exit_reason r)
{
	v->exit_count[r]++;
}

/** Every exit of v, whatever the reason, since Partita started. */
static inline u64 vcpu_exits(const struct vcpu *v)
{
	u64 n = 0;

	for (unsigned int r = 0; r < VCPU_EXIT_REASONS; r++)
		n += v->exit_count[r];
	return n;
}

/**
 * Counts an interrupt made pending for v from outside its guest: a physical
 * one handed to it, or a line of a device Partita emulates rising.
 */
static inline void vcpu_count_injected(struct vcpu *v)
{
	v->irq_injected++;
}

/** The guest's general register n, where 31 is XZR (reads 0, writes ignored). */
static inline u64 vcpu_reg(const struct vcpu *v, unsigned int n)
{
	return n < 31 ? v->regs.x[n] : 0;
}

/** Sets the guest's general register n; writes to 31 (XZR) are dropped. */
static inline void vcpu_set_reg(struct vcpu *v, unsigned int n, u64 val)
{
	if (n < 31)
		v->regs.x[n] = val;
	/* x19-x29 are callee-saved: the exit path reloads them only when asked to. */
	if (n >= 19 && n <= 29)
		v->high_dirty = true;
}

/* The running guest's PC and PSTATE, live in ELR_EL2 and SPSR_EL2 during an exit. */
static inline u64 vcpu_pc(const struct vcpu *v)
{
	(void)v;
	return read_sysreg(elr_el2);
}

/** Sets where the guest resumes after this exit. */
static inline void vcpu_set_pc(struct vcpu *v, u64 pc)
{
	(void)v;
	write_sysreg(elr_el2, pc);
}

/** The PSTATE the guest had when it exited (SPSR_EL2). */
static inline u64 vcpu_pstate(const struct vcpu *v)
{
	(void)v;
	return read_sysreg(spsr_el2);
}

/** Sets the PSTATE the guest resumes with. */
static inline void vcpu_set_pstate(struct vcpu *v, u64 pstate)
{
	(void)v;
	write_sysreg(spsr_el2, pstate);
}

/**
 * Enters the guest on this CPU and runs it until it must stop; returns why.
 * The vCPU's registers and EL1 context must be loaded.
 */
enum vcpu_stop vcpu_enter(struct vcpu *v);

#endif
