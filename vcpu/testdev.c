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

static bool td_read(struct vcpu *v, const struct mmio_dev *d, u64 off, unsigned int size,
		    u64 *val)
{
	const struct testdev *t = d->priv;

	(void)v;
	if (off == TESTDEV_ID && size == 4) {
		*val = TESTDEV_ID_VALUE;
		return true;
	}
	if (!in_scratch(off, size))
		return false;
	*val = 0;
	memcpy(val, &t->scratch[off], size);
	return true;
}

static bool td_write(struct vcpu *v, const struct mmio_dev *d, u64 off, unsigned int size, u64 val)
{
	struct testdev *t = d->priv;

	(void)v;
	if (!in_scratch(off, size))
		return false;
	memcpy(&t->scratch[off], &val, size);
	return true;
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
