/*
 * libFuzzer target: a mutated configuration blob through the whole parser,
 * then, for what parses, the checks against a fixed machine (the host tree
 * tests/unit/dts/config-host.dts, compiled by make) and the image layout.
 * Every pointer the parser hands out (kernel, initrd, bootargs, device
 * paths) is read to its end, so one that strays outside the input is
 * caught by AddressSanitizer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "lib/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct platform plat;
static void *host_fdt;

void log_sink(int level, const char *line, size_t len)
{
	(void)level;
	(void)line;
	(void)len;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *f = fopen(FUZZ_HOST_DTB, "rb");
	long n;

	(void)argc;
	(void)argv;
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET))
		abort();
	host_fdt = malloc((size_t)n);
	if (!host_fdt || fread(host_fdt, 1, (size_t)n, f) != (size_t)n ||
	    platform_discover(host_fdt, (u64)n, &plat))
		abort();
	fclose(f);
	return 0;
}

static volatile u64 sink;

static void touch(const void *p, u64 size)
{
	const u8 *b = p;
	u64 i, sum = 0;

	for (i = 0; p && i < size; i++)
		sum += b[i];
	sink += sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config c;
	struct config_machine m = {
		.plat = &plat, .fdt = host_fdt, .hyp = { 0x40200000, 0x200000 }, .online = 0x5
	};
	struct config_layout l;
	unsigned int v, k;

	if (config_parse(data, size, &c))
		return 0;
	config_check_machine(&c, &m);
	for (v = 0; v < c.vm_count; v++) {
		const struct vm_config *cfg = &c.vm[v];

		touch(cfg->image, cfg->image_size);
		touch(cfg->initrd, cfg->initrd_size);
		if (cfg->bootargs)
			sink += strlen(cfg->bootargs);
		for (k = 0; k < cfg->device_count; k++)
			sink += strlen(cfg->devices[k].path);
		if (!c.refused[v])
			sink += (u64)config_layout(cfg, &l);
	}
	return 0;
}
