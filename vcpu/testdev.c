#include "vcpu/testdev.h"

#include <string.h>

#include "vcpu/mmio.h"

struct testdev {
	u8 scratch[TESTDEV_SCRATCH_SIZE];
};

static struct testdev devs[4];

static bool in_scratch(u64 off, unsigned int size)
{
	return off + size <= TESTDEV_SCRATCH_SIZE;
}

/* Little-endian scratch bytes; EL2 maps them Normal, so any alignment works. */
static enum vcpu_stop td_read(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a)
{
	const u8 *p = &((const struct testdev *)d->priv)->scratch[a.off];
	unsigned int size = mmio_size(a);

	if (!in_scratch(a.off, size)) {
		if (a.off == TESTDEV_ID && size == 4)
			return mmio_read_done(v, a, TESTDEV_ID_VALUE);
		return mmio_refuse(v, a);
	}
	switch (size) {
	case 1:
		return mmio_read_done(v, a, *p);
	case 2:
		return mmio_read_done(v, a, *(const u16 *)(const void *)p);
	case 4:
		return mmio_read_done(v, a, *(const u32 *)(const void *)p);
	default:
		return mmio_read_done(v, a, *(const u64 *)(const void *)p);
	}
}

static enum vcpu_stop td_write(struct vcpu *v, const struct mmio_dev *d, struct mmio_access a,
			       u64 val)
{
	u8 *p = &((struct testdev *)d->priv)->scratch[a.off];

	if (!in_scratch(a.off, mmio_size(a)))
		return mmio_refuse(v, a);
	switch (mmio_size(a)) {
	case 1:
		*p = (u8)val;
		break;
	case 2:
		*(u16 *)(void *)p = (u16)val;
		break;
	case 4:
		*(u32 *)(void *)p = (u32)val;
		break;
	default:
		*(u64 *)(void *)p = val;
		break;
	}
	return mmio_write_done(v, a);
}

int testdev_attach(struct vm *vm)
{
	struct mmio_dev d = {
		.name = "test device",
		.base = TESTDEV_IPA,
		.size = TESTDEV_SIZE,
		.read = td_read,
		.write = td_write,
	};

	if (vm->id >= sizeof(devs) / sizeof(devs[0]))
		return -E_NOMEM;
	memset(&devs[vm->id], 0, sizeof(devs[vm->id]));
	d.priv = &devs[vm->id];
	return mmio_register(vm, &d);
}
