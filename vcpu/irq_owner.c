#include "vcpu/irq_owner.h"

#define SPI_COUNT (GIC_MAX_SPI_INTID + 1 - GIC_NR_PRIVATE)

static struct irq_owner private_owners[PLAT_MAX_CPUS][GIC_NR_PRIVATE];
static struct irq_owner spi_owners[SPI_COUNT];
static const struct irq_owner nobody;

/* The entry of intid as seen from pcpu, or NULL when there is none. */
static struct irq_owner *slot(unsigned int pcpu, u32 intid)
{
	if (pcpu >= PLAT_MAX_CPUS)
		return NULL;
	if (intid < GIC_NR_PRIVATE)
		return &private_owners[pcpu][intid];
	if (intid <= GIC_MAX_SPI_INTID)
		return &spi_owners[intid - GIC_NR_PRIVATE];
	return NULL;
}

static int set(unsigned int pcpu, u32 intid, const struct irq_owner *o)
{
	struct irq_owner *s = slot(pcpu, intid);

	if (!s)
		return -E_INVAL;
	if (s->kind != IRQ_OWNER_NONE)
		return -E_BUSY;
	*s = *o;
	return 0;
}

int irq_owner_set_hyp(unsigned int pcpu, u32 intid, irq_hyp_handler handler)
{
	struct irq_owner o = { .kind = IRQ_OWNER_HYP, .handler = handler, .pcpu = pcpu };

	return set(pcpu, intid, &o);
}

int irq_owner_set_vm(unsigned int pcpu, u32 intid, struct vcpu *vcpu)
{
	struct irq_owner o = { .kind = IRQ_OWNER_VM, .vcpu = vcpu, .pcpu = pcpu };

	return set(pcpu, intid, &o);
}

void irq_owner_clear(unsigned int pcpu, u32 intid)
{
	struct irq_owner *s = slot(pcpu, intid);

	if (s)
		*s = nobody;
}

const struct irq_owner *irq_owner_get(unsigned int pcpu, u32 intid)
{
	const struct irq_owner *s = slot(pcpu, intid);

	return s ? s : &nobody;
}
