/*
 * A virtual CPU and the virtual machine it belongs to, as the exit path
 * sees them. core/ creates them and runs them; vcpu/ decides what each exit
 * means. One vCPU is pinned to one physical CPU for its whole life.
 */
#ifndef VCPU_VCPU_H
#define VCPU_VCPU_H

#include "arch/spinlock.h"
#include "mm/pgtable.h"

#define VM_MAX_VCPUS 8
#define VM_MAX_MMIO 8
#define VM_NAME_MAX 32

/** Saved on every exit: what the exit path itself overwrites. */
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
	VCPU_RUNS = 0,       /* keep running: never returned to core */
	VCPU_STOP_OFF,       /* PSCI CPU_OFF */
	VCPU_STOP_VM_OFF,    /* PSCI SYSTEM_OFF */
	VCPU_STOP_VM_RESET,  /* PSCI SYSTEM_RESET */
	VCPU_STOP_VM_CRASH,  /* the guest did something that stops its VM */
	VCPU_STOP_KICKED,    /* another CPU asked this one to stop */
};

struct vcpu;
struct vm;

/**
 * An emulated device on the MMIO bus. read and write return false when the
 * access cannot be served (the guest then gets an external abort).
 */
struct mmio_dev {
	const char *name;
	u64 base; /* IPA */
	u64 size;
	bool (*read)(struct vcpu *v, const struct mmio_dev *d, u64 off, unsigned int size,
		     u64 *val);
	bool (*write)(struct vcpu *v, const struct mmio_dev *d, u64 off, unsigned int size,
		      u64 val);
	void *priv;
};

struct vcpu {
	struct vcpu_regs regs; /* first: the assembly addresses it at offset 0 */
	struct vm *vm;
	unsigned int id; /* index within the VM, also its MPIDR Aff0 */
	unsigned int pcpu;
	volatile enum vcpu_power power;
	u64 on_entry; /* for VCPU_ON_PENDING: where to start and its x0 */
	u64 on_context;
	struct vcpu_sysregs sysregs;
	unsigned int console_len; /* a line of console output being gathered */
	char console_line[160];
};

enum vm_state {
	VM_RUNNING,
	VM_STOPPING, /* SYSTEM_OFF, SYSTEM_RESET or a crash is in progress */
	VM_STOPPED,
};

struct vm {
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
	unsigned int mmio_count;
	struct mmio_dev mmio[VM_MAX_MMIO];
	u64 boots; /* times started: 1 on the first boot, +1 per SYSTEM_RESET */
	bool console_tag; /* prefix its console lines with its name */
};

/** The guest's general register n, where 31 is XZR (reads 0, writes ignored). */
static inline u64 vcpu_reg(const struct vcpu *v, unsigned int n)
{
	return n < 31 ? v->regs.x[n] : 0;
}

static inline void vcpu_set_reg(struct vcpu *v, unsigned int n, u64 val)
{
	if (n < 31)
		v->regs.x[n] = val;
}

/**
 * Enters the guest on this CPU and runs it until it must stop; returns why.
 * The vCPU's registers and EL1 context must be loaded.
 */
enum vcpu_stop vcpu_enter(struct vcpu *v);

#endif
