/*
 * Telling a guest's SErrors from Partita's own. An SError is asynchronous:
 * one raised by EL2's device accesses stays pending (EL2 runs with SErrors
 * masked) until the ERET to the guest unmasks it, and would then look like
 * the guest's. So around the EL2 work that touches devices while a guest is
 * out (the physical IRQ path, the console), errors are synchronised and
 * collected twice: before, what is pending is the guest's; after, Partita's.
 */
#ifndef VCPU_SERROR_H
#define VCPU_SERROR_H

#include "vcpu/vcpu.h"

/** Notes whether this machine has FEAT_RAS (ESB, DISR_EL1). Boot CPU, before any guest. */
void serror_init(void);

/**
 * Synchronises the errors of what the guest did before it exited and, if one
 * is pending, hands it to the guest as a virtual SError with a warning.
 */
void serror_collect_guest(struct vcpu *v);

/**
 * Synchronises the errors of EL2's own accesses since serror_collect_guest()
 * and reports one as Partita's (an error line naming what EL2 was doing);
 * the guest is neither blamed nor stopped.
 */
void serror_collect_hyp(struct vcpu *v, const char *what);

#endif
