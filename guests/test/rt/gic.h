/*
 * The test guests' interrupt runtime: a small GIC driver (GICv3 through the
 * ICC system registers, GICv2 through GICC), the IRQ exception with one
 * handler per INTID, and the generic timer's virtual and EL1 physical timers.
 * The addresses are QEMU virt's, which Partita presents to its guests at the
 * same IPAs. Nothing here is used by a guest that does not call gic_init().
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include "rt.h"

#define GICD_BASE 0x08000000UL
#define GICC_BASE 0x08010000UL /* GICv2 CPU interface */
#define GICR_BASE 0x080a0000UL /* GICv3 redistributors, one 128 KiB pair of frames per CPU */
#define GICR_STRIDE 0x20000UL
#define GICR_SGI 0x10000UL /* SGI_base frame, after RD_base */

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_IROUTER 0x6000

#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014

#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICC_RPR 0x14
#define GICC_HPPIR 0x18
#define GICC_IIDR 0xfc
#define GICC_DIR 0x1000

#define INTID_SPURIOUS 1023
#define PPI_VTIMER 27
#define PPI_PTIMER 30
#define SPI_BASE 32

#define CNT_CTL_ENABLE 1UL
#define CNT_CTL_IMASK 2UL
#define CNT_CTL_ISTATUS 4UL

#define MAX_INTID 256 /* the runtime's handler table covers SGIs, PPIs and the first SPIs */

/** An interrupt handler: the INTID and, on GICv2 for SGIs, the sending CPU (else 0). */
typedef void (*irq_handler_t)(u32 intid, u32 source);

/** 3 or 2: the GIC architecture in use; 0 before gic_probe(). */
extern unsigned int gic_version;

/** The GIC version (3 or 2) the DTB's interrupt controller is compatible with, or 0. */
unsigned int gic_dtb_version(const void *dtb);

/**
 * Sets and returns gic_version: the DTB's interrupt controller's, or without
 * one, 3 if ID_AA64PFR0_EL1.GIC shows the GICv3 system registers, else 2.
 * Touches no GIC register.
 */
unsigned int gic_probe(const void *dtb);

/**
 * Finds the GIC version (gic_probe()), resets the distributor (every SPI
 * disabled, not pending, group 1 on v3 and group 0 on v2, priority 0xa0,
 * routed to vCPU 0), enables it and installs the IRQ dispatcher. Called once,
 * on vCPU 0. Returns true (it cannot fail today; callers check, for a future
 * DTB-only probe).
 */
bool gic_init(const void *dtb);

/**
 * The calling vCPU's CPU interface: redistributor awake (v3), system
 * register interface, PMR 0xff, binary point 0, group 1 (v3) or 0 (v2) enabled, EOImode 0,
 * SGIs and PPIs disabled. Every vCPU calls it once before taking interrupts.
 */
void gic_cpu_init(void);

/** Registers handler for intid (< MAX_INTID); NULL removes it. */
void irq_register(u32 intid, irq_handler_t handler);

/** Enables intid at priority prio, for the calling vCPU if it is an SGI or PPI. */
void gic_enable(u32 intid, u8 prio);
/** Disables intid (for the calling vCPU if an SGI or PPI) and waits until that is done. */
void gic_disable(u32 intid);
/** Sets intid pending through ISPENDR (SPIs, PPIs). */
void gic_set_pending(u32 intid);
/** Clears intid's pending state through ICPENDR. */
void gic_clear_pending(u32 intid);
/** Whether intid is pending / active / enabled, read from the set registers. */
bool gic_is_pending(u32 intid);
bool gic_is_active(u32 intid);
bool gic_is_enabled(u32 intid);
/** Sets the priority byte of intid (byte access to IPRIORITYR). */
void gic_set_priority(u32 intid, u8 prio);
/** Routes an SPI to one vCPU (IROUTER affinity on v3, ITARGETSR on v2). */
void gic_route_spi(u32 intid, unsigned int vcpu);

/** Sends SGI intid to the vCPUs in the bit mask targets (bit n: Aff0 n). */
void gic_sgi(u32 intid, u32 targets);
/** Sends SGI intid to every vCPU but the caller. */
void gic_sgi_others(u32 intid);
/** Sends SGI intid to the caller. */
void gic_sgi_self(u32 intid);

/** The priority mask and binary point of the calling vCPU's CPU interface. */
void gic_set_pmr(u32 pmr);
u32 gic_pmr(void);
void gic_set_bpr(u32 bpr);
/** Acknowledges the highest-priority pending interrupt: the raw IAR (INTID in bits 23:0). */
u32 gic_ack(void);
/** Ends it (EOIR): priority drop and, with EOImode 0, deactivation. */
void gic_eoi(u32 iar);
/** EOImode: split (EOIR drops the priority only, gic_dir() deactivates) or not. */
void gic_set_eoimode(bool split);
/** Deactivates the interrupt iar names (DIR), for EOImode 1. */
void gic_dir(u32 iar);
/** The highest priority pending interrupt's INTID without acknowledging it (HPPIR). */
u32 gic_hppi(void);

/** Returns a 32-bit device register: the accessors the tests poke registers with. */
static inline u32 mmio_r32(u64 a)
{
	u32 v;

	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/** Writes a 32-bit device register. */
static inline void mmio_w32(u64 a, u32 v)
{
	__asm__ volatile("str %w0, [%1]" ::"rZ"(v), "r"(a) : "memory");
}

/** Returns a byte read from a device register. */
static inline u8 mmio_r8(u64 a)
{
	u8 v;

	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/** Writes one byte of a device register. */
static inline void mmio_w8(u64 a, u8 v)
{
	__asm__ volatile("strb %w0, [%1]" ::"rZ"(v), "r"(a) : "memory");
}

/** Returns a 64-bit device register, read in one access. */
static inline u64 mmio_r64(u64 a)
{
	u64 v;

	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/** Writes a 64-bit device register in one access. */
static inline void mmio_w64(u64 a, u64 v)
{
	__asm__ volatile("str %x0, [%1]" ::"rZ"(v), "r"(a) : "memory");
}

/** The redistributor frame (RD_base) of vCPU n. */
static inline u64 gicr(unsigned int n)
{
	return GICR_BASE + n * GICR_STRIDE;
}

/** Unmasks IRQs at the CPU (PSTATE.I clear). */
static inline void irq_unmask(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

/** Masks IRQs at the CPU (PSTATE.I set). */
static inline void irq_mask(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

/** WFI with interrupts unmasked only while waiting: returns after one is taken (or spuriously). */
static inline void wfi(void)
{
	__asm__ volatile("dsb sy; wfi" ::: "memory");
}

/** Generic timer: which one a helper drives. */
enum timer { TIMER_VIRT, TIMER_PHYS };

/** The PPI of a timer (27 virtual, 30 EL1 physical). */
static inline u32 timer_ppi(enum timer t)
{
	return t == TIMER_VIRT ? PPI_VTIMER : PPI_PTIMER;
}

/** The timer's counter (CNTVCT_EL0 or CNTPCT_EL0), after an ISB. */
u64 timer_count(enum timer t);
/** CNTx_CTL_EL0, CNTx_CVAL_EL0 and CNTx_TVAL_EL0 of the timer. */
u64 timer_ctl(enum timer t);
void timer_set_ctl(enum timer t, u64 ctl);
void timer_set_cval(enum timer t, u64 cval);
u64 timer_cval(enum timer t);
void timer_set_tval(enum timer t, u32 tval);
/** Returns CNTx_TVAL_EL0 sign-extended: negative once the deadline has passed. */
s64 timer_tval(enum timer t);
/** Returns the counter frequency, CNTFRQ_EL0. */
u64 timer_freq(void);

/** A lock for the runtime's shared state (the console); spins with WFE. */
void spin_lock(volatile u32 *l);
void spin_unlock(volatile u32 *l);

/** Starts vCPU n at secondary_entry (PSCI CPU_ON); returns the PSCI result. */
s64 cpu_start(unsigned int n, u64 ctx);

/** Whether the runtime was built to run natively (no hypervisor, console on the PL011). */
#ifdef GUEST_NATIVE
#define NATIVE 1
#else
#define NATIVE 0
#endif

#endif
