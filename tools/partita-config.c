/*
 * partita-config: the build-time half of the VM configuration. It runs the
 * parser the hypervisor runs at boot (core/config.c), so a configuration
 * it accepts parses the same at boot, and one it refuses is refused with
 * the same line.
 *
 *   partita-config check FILE   exit status 0 if every VM of FILE is usable
 *   partita-config show FILE    each VM's CPUs, RAM, images and devices
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/vm_layout.h"
#include "lib/log.h"
#include "vcpu/testdev.h"

static const char *prog = "partita-config";

/* The parser's lines go to stderr, as the hypervisor's go to its console. */
void log_sink(int level, const char *line, size_t len)
{
	(void)level;
	fwrite(line, 1, len, stderr);
}

static void *read_file(const char *path, long *size)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;

	if (!f || fseek(f, 0, SEEK_END) || (*size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		perror(path);
		goto out;
	}
	buf = malloc((size_t)*size + 1);
	if (!buf || fread(buf, 1, (size_t)*size, f) != (size_t)*size) {
		fprintf(stderr, "%s: %s: cannot read\n", prog, path);
		free(buf);
		buf = NULL;
	}
out:
	if (f)
		fclose(f);
	return buf;
}

static void show_size(const char *what, u64 bytes)
{
	printf("  %-10s %lu bytes (%lu KiB)", what, (unsigned long)bytes,
	       (unsigned long)(bytes >> 10));
}

static void show_vm(const struct config *c, unsigned int v)
{
	const struct vm_config *cfg = &c->vm[v];
	struct config_layout l;
	unsigned int i;

	printf("vm %s%s\n", cfg->name, c->refused[v] ? " (refused: see above)" : "");
	printf("  %-10s ", "cpus");
	if (c->cpus_all[v])
		printf("all CPUs online at boot (up to %d)", VM_MAX_VCPUS);
	for (i = 0; i < cfg->cpu_count; i++)
		printf("%s%u", i ? " " : "", cfg->cpus[i]);
	printf("\n  %-10s %lu MiB at %s 0x%lx-0x%lx\n", "memory",
	       (unsigned long)(cfg->ram_size >> 20), cfg->ram_identity ? "PA = IPA" : "IPA",
	       (unsigned long)cfg->ram_ipa, (unsigned long)(cfg->ram_ipa + cfg->ram_size - 1));
	if (cfg->image) {
		show_size("kernel", cfg->image_size);
		printf(", %s", cfg->kernel_format == VM_KERNEL_RAW ? "raw" : "arm64 Image");
		if (!config_layout(cfg, &l))
			printf(", at RAM + 0x%lx", (unsigned long)l.kernel_offset);
		printf("\n");
	}
	if (cfg->initrd) {
		show_size("initrd", cfg->initrd_size);
		if (!config_layout(cfg, &l))
			printf(", at RAM + 0x%lx", (unsigned long)l.initrd_offset);
		printf("\n");
	}
	/* Where the guest DTB goes: make bench reads it back there (scripts/bench.sh). */
	if (cfg->image && !config_layout(cfg, &l))
		printf("  %-10s %lu KiB at RAM + 0x%lx\n", "dtb", VM_LAYOUT_DTB_MAX >> 10,
		       (unsigned long)l.dtb_offset);
	printf("  %-10s \"%s\"\n", "bootargs", cfg->bootargs ? cfg->bootargs : "");
	printf("  %-10s %s\n", "console",
	       cfg->console == VM_CONSOLE_PASSTHROUGH ? "passthrough" : "emulated");
	printf("  %-10s %s\n", "on-crash",
	       cfg->on_crash == VM_ON_CRASH_RESTART ? "restart" : "stop");
	for (i = 0; i < cfg->device_count; i++)
		printf("  %-10s %s\n", i ? "" : "devices", cfg->devices[i].path);
	if (cfg->test_device)
		printf("  %-10s at IPA 0x%lx\n", "test device", (unsigned long)TESTDEV_IPA);
}

int main(int argc, char **argv)
{
	static struct config c;
	long size = 0;
	void *blob;
	int bad;

	if (argc != 3 || (strcmp(argv[1], "check") && strcmp(argv[1], "show"))) {
		fprintf(stderr, "usage: %s check|show FILE\n", prog);
		return 2;
	}
	blob = read_file(argv[2], &size);
	if (!blob)
		return 2;
	if (config_parse(blob, (u64)size, &c)) {
		fprintf(stderr, "%s: %s: refused\n", prog, argv[2]);
		free(blob);
		return 1;
	}
	if (!strcmp(argv[1], "show")) {
		for (unsigned int v = 0; v < c.vm_count; v++)
			show_vm(&c, v);
	}
	bad = config_usable(&c) != c.vm_count;
	if (bad)
		fprintf(stderr, "%s: %s: %u of %u VMs refused\n", prog, argv[2],
			c.vm_count - config_usable(&c), c.vm_count);
	free(blob);
	return bad;
}
