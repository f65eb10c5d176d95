/*
 * VM lifecycle: build from a configuration, (re)load its images, start,
 * stop. Lock order: a VM's lock is taken before palloc's; no two VMs' locks
 * are ever held together.
 */
#ifndef CORE_VM_H
#define CORE_VM_H

#include "core/vm_config.h"

/**
 * Tells the VM builder about the machine: the host FDT its guests' device
 * trees are made from, the GIC version, timer and console UART. Called once,
 * before the first vm_create().
 */
void vm_init(const struct platform *p);

/**
 * Builds VM number id from cfg: RAM, stage-2 tables, devices, DTB, images,
 * and pins its vCPUs. Returns 0, or a negative error after logging a line
 * naming the VM and what is wrong: -E_NOENT when a physical CPU it needs is
 * offline (the configuration is fine, this machine cannot run that VM),
 * before anything was allocated.
 */
int vm_create(unsigned int id, const struct vm_config *cfg);

/** Starts every VM built: its vCPU 0 at the image's entry. */
void vm_start_all(void);

/** How many VMs were built. */
unsigned int vm_count(void);

/** The VM numbered id, or NULL if id >= vm_count(). */
struct vm *vm_get(unsigned int id);

/**
 * Stops vm (whatever it is doing), as a guest poweroff would; 0, or
 * -E_BUSY if it is already stopped or stopping (or a restart is pending).
 * The stop itself is carried out by the VM's own CPUs: this only posts the
 * request and kicks its vCPU 0, so it is callable from any physical CPU,
 * an interrupt handler included, and never waits. The machine powers off
 * when the last running VM stops, as for a guest's SYSTEM_OFF.
 */
int vm_stop(struct vm *vm);

/**
 * Restarts vm from its pristine images with its memory cleared, whether it
 * runs or is stopped; 0, or -E_BUSY if a stop/restart is already under way.
 * Like vm_stop(), it posts a request that vm's vCPU 0's physical CPU
 * carries out, and never waits. A stopped VM counts as running again from
 * this call on, so the machine powers off only when it has stopped again.
 */
int vm_restart(struct vm *vm);

/**
 * partita.selftest=lifecycle (core/vm_selftest.c): the first physical CPU
 * without a vCPU stops and restarts VM 0 with vm_stop() and vm_restart(),
 * logging what they return, instead of parking. Called before
 * vm_start_all().
 */
void vm_selftest_lifecycle_on(void);

/** The script of partita.selftest=lifecycle, run by that CPU; returns when done. */
void vm_selftest_lifecycle(void);

/**
 * The run loop of one physical CPU: waits for its vCPU to be powered on,
 * runs it, and carries out whatever made it stop. Never returns.
 */
void vm_run_this_cpu(void) __attribute__((noreturn));

#endif
