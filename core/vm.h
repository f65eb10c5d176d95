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

/**
 * The run loop of one physical CPU: waits for its vCPU to be powered on,
 * runs it, and carries out whatever made it stop. Never returns.
 */
void vm_run_this_cpu(void) __attribute__((noreturn));

#endif
