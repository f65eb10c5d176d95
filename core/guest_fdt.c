#include "core/guest_fdt.h"

#include <libfdt.h>

#include "lib/fmt.h"
#include "vcpu/testdev.h"

static int prop_cells(void *fdt, const char *name, u64 a, u64 b)
{
	fdt32_t v[4] = { cpu_to_fdt32((u32)(a >> 32)), cpu_to_fdt32((u32)a),
			 cpu_to_fdt32((u32)(b >> 32)), cpu_to_fdt32((u32)b) };

	return fdt_property(fdt, name, v, sizeof(v));
}

static int begin_node_at(void *fdt, const char *name, u64 addr)
{
	char n[48];

	fmt_format(n, sizeof(n), "%s@%lx", name, addr);
	return fdt_begin_node(fdt, n);
}

static int add_cpus(void *fdt, const struct vm_config *cfg)
{
	unsigned int i;
	int err = fdt_begin_node(fdt, "cpus");

	err = err ?: fdt_property_u32(fdt, "#address-cells", 1);
	err = err ?: fdt_property_u32(fdt, "#size-cells", 0);
	for (i = 0; i < cfg->cpu_count && !err; i++) {
		err = begin_node_at(fdt, "cpu", i);
		err = err ?: fdt_property_string(fdt, "device_type", "cpu");
		err = err ?: fdt_property_string(fdt, "compatible", "arm,armv8");
		err = err ?: fdt_property_u32(fdt, "reg", i);
		err = err ?: fdt_property_string(fdt, "enable-method", "psci");
		err = err ?: fdt_end_node(fdt);
	}
	return err ?: fdt_end_node(fdt);
}

static int add_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int err = fdt_begin_node(fdt, "psci");

	err = err ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
	err = err ?: fdt_property_string(fdt, "method", "hvc");
	return err ?: fdt_end_node(fdt);
}

static int add_testdev(void *fdt)
{
	int err = begin_node_at(fdt, "test", TESTDEV_IPA);

	err = err ?: fdt_property_string(fdt, "compatible", "partita,test-device");
	err = err ?: prop_cells(fdt, "reg", TESTDEV_IPA, TESTDEV_SIZE);
	return err ?: fdt_end_node(fdt);
}

int guest_fdt_build(const struct vm_config *cfg, void *buf, size_t size)
{
	int err = fdt_create(buf, (int)size);

	err = err ?: fdt_finish_reservemap(buf);
	err = err ?: fdt_begin_node(buf, "");
	err = err ?: fdt_property_u32(buf, "#address-cells", 2);
	err = err ?: fdt_property_u32(buf, "#size-cells", 2);
	err = err ?: fdt_property_string(buf, "compatible", "partita,vm");
	err = err ?: fdt_property_string(buf, "model", cfg->name);
	err = err ?: fdt_begin_node(buf, "chosen");
	err = err ?: fdt_property_string(buf, "bootargs", cfg->bootargs ? cfg->bootargs : "");
	err = err ?: fdt_end_node(buf);
	err = err ?: begin_node_at(buf, "memory", cfg->ram_ipa);
	err = err ?: fdt_property_string(buf, "device_type", "memory");
	err = err ?: prop_cells(buf, "reg", cfg->ram_ipa, cfg->ram_size);
	err = err ?: fdt_end_node(buf);
	err = err ?: add_cpus(buf, cfg);
	err = err ?: add_psci(buf);
	if (cfg->test_device)
		err = err ?: add_testdev(buf);
	err = err ?: fdt_end_node(buf);
	err = err ?: fdt_finish(buf);
	return err ? -E_NOMEM : 0;
}
