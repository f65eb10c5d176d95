/*
 * libFuzzer target: a mutated host device tree through machine discovery
 * (platform/fdt.c) and the placement checks that follow it at boot
 * (platform/layout.c), with Partita's image at a fixed place.
 */
#include <stdint.h>
#include <string.h>

#include "lib/log.h"
#include "platform/platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void log_sink(int level, const char *line, size_t len)
{
	(void)level;
	(void)line;
	(void)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct platform p;

	if (platform_discover(data, size, &p))
		return 0;
	if (platform_check_placement(&p, 0x40200000, 0x200000))
		return 0;
	platform_check_uart(&p, 0x40200000, 0x200000);
	return 0;
}
