/*
 * core/config.c and core/config_machine.c: the VM configuration, from .dts
 * sources that dtc compiles as the test runs, checked alone and against a
 * machine discovered from tests/unit/dts/config-host.dts. Every refusal
 * must come with one error line naming the VM and the property.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/vm_layout.h"
#include "core/guest_fdt.h"
#include "lib/log.h"
#include "log_capture.h"

#ifndef DTB_DIR
#error "DTB_DIR must name the directory of the compiled host trees"
#endif
#ifndef CONFIG_INPUT_DIR
#error "CONFIG_INPUT_DIR must name the directory of the images the configurations embed"
#endif

#define BLOB_MAX (1 << 20)

static _Alignas(8) unsigned char blob[BLOB_MAX];
static size_t blob_size;
static _Alignas(8) unsigned char host_fdt[64 * 1024];
static struct config cfg;
static struct platform plat;

#define MEM64 "memory = <0x0 0x40000000 0x0 0x4000000>;"
#define IMAGE "kernel = /incbin/(\"image.bin\");"
/* A VM that is fine on its own: node name, CPUs, then whatever else. */
#define VM(node, cpus, ...) node " { cpus = <" cpus ">; " MEM64 " " IMAGE " " __VA_ARGS__ " };\n"

/* Compiles a whole .dts source with dtc into blob. */
static void compile_dts(const char *src)
{
	char in[] = "/tmp/partita-config-test-XXXXXX", out[64], cmd[512];
	int fd = mkstemp(in);
	FILE *f;

	assert_true(fd >= 0);
	assert_true(write(fd, src, strlen(src)) == (ssize_t)strlen(src));
	close(fd);
	snprintf(out, sizeof(out), "%s.dtb", in);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb -i %s -o %s %s", CONFIG_INPUT_DIR, out,
		 in);
	if (system(cmd))
		fail_msg("dtc failed on:\n%s", src);
	f = fopen(out, "rb");
	assert_non_null(f);
	blob_size = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	unlink(in);
	unlink(out);
}

/* Compiles a configuration whose root holds body, and parses it with a clean log. */
static int parse(const char *body)
{
	char src[8192];

	snprintf(src, sizeof(src), "/dts-v1/;\n/ {\n\tcompatible = \"partita,config\";\n%s};\n",
		 body);
	compile_dts(src);
	log_capture_reset();
	return config_parse(blob, blob_size, &cfg);
}

#define EXPECT_ONE_ERROR(...)                                                        \
	do {                                                                         \
		if (log_capture_count(LOG_ERROR) != 1 ||                             \
		    !log_capture_has(LOG_ERROR, __VA_ARGS__, NULL)) {                \
			log_capture_dump();                                          \
			fail_msg("expected one error line naming %s", #__VA_ARGS__); \
		}                                                                    \
	} while (0)

/* The configuration parses, VM vm is refused with one line holding every needle. */
#define EXPECT_VM_REFUSED(body, vm, ...)          \
	do {                                      \
		assert_int_equal(parse(body), 0); \
		assert_true(cfg.refused[vm]);     \
		EXPECT_ONE_ERROR(__VA_ARGS__);    \
	} while (0)

/* The whole blob is refused, with one line holding every needle. */
#define EXPECT_BLOB_REFUSED(body, ...)                   \
	do {                                             \
		assert_int_equal(parse(body), -E_INVAL); \
		EXPECT_ONE_ERROR(__VA_ARGS__);           \
	} while (0)

static void expect_clean(const char *body)
{
	int rc = parse(body);

	if (rc || log_capture_count(LOG_ERROR))
		log_capture_dump();
	assert_int_equal(rc, 0);
	assert_int_equal(log_capture_count(LOG_ERROR), 0);
	assert_int_equal(config_usable(&cfg), cfg.vm_count);
}

/* -- good configurations ---------------------------------------------------------- */

static void test_full_config(void **state)
{
	const struct vm_config *a = &cfg.vm[0], *b = &cfg.vm[1];

	(void)state;
	expect_clean("linux0 { cpus = <0 1>; "
		     "memory = <0x0 0x40000000 0x0 0x10000000>; " IMAGE
		     " initrd = /incbin/(\"initrd.bin\"); bootargs = \"console=ttyAMA0\";"
		     " console = \"emulated\"; devices = \"/pl031@9010000\";"
		     " kernel-format = \"image\"; };\n"
		     "rtos { cpus = <2>; memory-identity = <0x0 0x60000000 0x0 0x200000>;"
		     " kernel = /incbin/(\"raw.bin\"); kernel-format = \"raw\";"
		     " console = \"passthrough\"; partita,test-device;"
		     " on-crash = \"restart\"; };\n");
	assert_int_equal(cfg.vm_count, 2);
	assert_string_equal(a->name, "linux0");
	assert_int_equal(a->cpu_count, 2);
	assert_int_equal(a->cpus[1], 1);
	assert_int_equal(a->ram_ipa, 0x40000000);
	assert_int_equal(a->ram_size, 0x10000000);
	assert_false(a->ram_identity);
	assert_int_equal(a->image_size, 64);
	assert_int_equal(a->initrd_size, 4096);
	assert_string_equal(a->bootargs, "console=ttyAMA0");
	assert_int_equal(a->console, VM_CONSOLE_EMULATED);
	assert_int_equal(a->device_count, 1);
	assert_string_equal(a->devices[0].path, "/pl031@9010000");
	assert_false(a->test_device);
	assert_int_equal(a->on_crash, VM_ON_CRASH_STOP);
	assert_string_equal(b->name, "rtos");
	assert_true(b->ram_identity);
	assert_int_equal(b->kernel_format, VM_KERNEL_RAW);
	assert_int_equal(b->console, VM_CONSOLE_PASSTHROUGH);
	assert_true(b->test_device);
	assert_int_equal(b->on_crash, VM_ON_CRASH_RESTART);
	assert_null(b->initrd);
}

/* A .vmimg: the 16-byte header U-Boot needs, then the same device tree. */
static void test_header(void **state)
{
	(void)state;
	assert_int_equal(parse(VM("a", "0")), 0);
	memmove(blob + CONFIG_HEADER_SIZE, blob, blob_size);
	memcpy(blob, "partita,config\0\0", CONFIG_HEADER_SIZE);
	log_capture_reset();
	assert_int_equal(config_parse(blob, blob_size + CONFIG_HEADER_SIZE, &cfg), 0);
	assert_int_equal(log_capture_count(LOG_ERROR), 0);
	assert_int_equal(config_usable(&cfg), 1);
	/* Only the whole header counts. */
	blob[15] = 'x';
	log_capture_reset();
	assert_int_equal(config_parse(blob, blob_size + CONFIG_HEADER_SIZE, &cfg), -E_INVAL);
	EXPECT_ONE_ERROR("no device-tree magic");
}

/* RAM at an IPA is each VM's own: two VMs may use the same IPA range. */
static void test_same_ipa_allowed(void **state)
{
	(void)state;
	expect_clean(VM("a", "0") VM("b", "1"));
}

/* -- the blob --------------------------------------------------------------------- */

static void test_not_fdt(void **state)
{
	static const char junk[64] = "this is not a device tree";

	(void)state;
	log_capture_reset();
	assert_int_equal(config_parse(junk, sizeof(junk), &cfg), -E_INVAL);
	EXPECT_ONE_ERROR("config: not a Partita configuration: no device-tree magic");
}

static void test_not_partita(void **state)
{
	(void)state;
	compile_dts("/dts-v1/;\n/ { compatible = \"linux,dummy-virt\"; };\n");
	log_capture_reset();
	assert_int_equal(config_parse(blob, blob_size, &cfg), -E_INVAL);
	EXPECT_ONE_ERROR("config: a device tree, but not a Partita configuration");
}

static void test_truncated(void **state)
{
	(void)state;
	assert_int_equal(parse(VM("a", "0")), 0);
	log_capture_reset();
	assert_int_equal(config_parse(blob, blob_size - 1, &cfg), -E_INVAL);
	EXPECT_ONE_ERROR("config: the device tree says", "bytes, but only");
}

/*
 * Found by make fuzz: before version 16, Debian's libfdt 1.6.1
 * fdt_check_full() follows a NULL pointer; the version is refused first.
 */
static void test_old_version(void **state)
{
	char path[512];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/fdt-version14-check-full.dtb", CRASH_DIR);
	f = fopen(path, "rb");
	assert_non_null(f);
	blob_size = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	log_capture_reset();
	assert_int_equal(config_parse(blob, blob_size, &cfg), -E_INVAL);
	EXPECT_ONE_ERROR("config: device-tree version 14; Partita reads version 16 and later");
}

static void test_vm_count(void **state)
{
	(void)state;
	EXPECT_BLOB_REFUSED("", "config: 0 VMs: a configuration has 1 to 4");
	EXPECT_BLOB_REFUSED(VM("a", "0") VM("b", "1") VM("c", "2") VM("d", "3") VM("e", "4"),
			    "config: 5 VMs");
}

static void test_unknown_root_property(void **state)
{
	(void)state;
	EXPECT_BLOB_REFUSED("colour = \"blue\";\n" VM("a", "0"), "config: /: colour: unknown");
}

/* -- one VM ----------------------------------------------------------------------- */

static void test_unknown_property(void **state)
{
	(void)state;
	EXPECT_VM_REFUSED(VM("a", "0", "colour = \"blue\";"), 0, "vm a: colour: unknown property");
}

static void test_child_node(void **state)
{
	(void)state;
	EXPECT_VM_REFUSED(VM("a", "0", "sub { };"), 0, "vm a: sub: a VM node has properties");
}

static void test_name(void **state)
{
	(void)state;
	/* dtc refuses two nodes of one name, but a blob may come from elsewhere. */
	assert_int_equal(parse(VM("a", "0") VM("b", "1")), 0);
	((char *)fdt_get_name(blob, fdt_path_offset(blob, "/b"), NULL))[0] = 'a';
	log_capture_reset();
	assert_int_equal(config_parse(blob, blob_size, &cfg), 0);
	assert_true(cfg.refused[1]);
	EXPECT_ONE_ERROR("vm a: name: two VMs have this name");
	EXPECT_VM_REFUSED(VM("a012345678901234567890123456789012", "0"), 0,
			  "name: the node name is not a usable VM name");
}

static void test_cpus_malformed(void **state)
{
	(void)state;
	EXPECT_VM_REFUSED("a { cpus = \"some\"; " MEM64 IMAGE " };", 0,
			  "vm a: cpus: must be a list of physical CPU numbers");
	EXPECT_VM_REFUSED("a { cpus = [00 01]; " MEM64 IMAGE " };", 0, "vm a: cpus: must be");
	EXPECT_VM_REFUSED("a { cpus = <>; " MEM64 IMAGE " };", 0, "vm a: cpus: must be");
}

static void test_cpus_limits(void **state)
{
	(void)state;
	EXPECT_VM_REFUSED(VM("a", "0 1 2 3 4 5 6 7 8"), 0,
			  "vm a: cpus: 9 vCPUs, more than the 8 a VM can have");
	EXPECT_VM_REFUSED(VM("a", "16"), 0, "vm a: cpus: physical CPU 16: Partita supports");
	EXPECT_VM_REFUSED(VM("a", "1 1"), 0, "vm a: cpus: physical CPU 1 is listed twice");
	EXPECT_VM_REFUSED("a { " MEM64 IMAGE " };", 0, "vm a: cpus: missing");
}

static void test_cpu_given_twice(void **state)
{
	(void)state;
	EXPECT_VM_REFUSED(VM("linux0", "0 3") VM("linux1", "3"), 1,
			  "vm linux1: cpus: physical CPU 3 is given to vm linux0 too");
	assert_false(cfg.refused[0]);
}

static void test_cpus_all(void **state)
{
	(void)state;
	expect_clean("a { cpus = \"all\"; " MEM64 IMAGE " };");
	assert_true(cfg.cpus_all[0]);
	EXPECT_VM_REFUSED("a { cpus = \"all\"; " MEM64 IMAGE " };" VM("b", "1"), 1,
			  "vm a: cpus: \"all\" is for a configuration of one VM");
}

static void test_memory_malformed(void **state)
{
	(void)state;
	EXPECT_VM_REFUSED("a { cpus = <0>; memory = <0x40000000 0x4000000>; " IMAGE " };", 0,
			  "vm a: memory: must be a 64-bit base and a 64-bit size");
	EXPECT_VM_REFUSED("a { cpus = <0>; memory = <0x0 0x40100000 0x0 0x4000000>; " IMAGE " };",
			  0, "vm a: memory: base 0x40100000", "multiples of 2 MiB");
	EXPECT_VM_REFUSED("a { cpus = <0>; memory = <0x0 0x40000000 0x0 0x0>; " IMAGE " };", 0,
			  "vm a: memory: base 0x40000000 and size 0x0");
	EXPECT_VM_REFUSED("a { cpus = <0>; memory = <0xff 0xffe00000 0x0 0x400000>; " IMAGE " };",
			  0, "vm a: memory: 0xffffe00000+0x400000 reaches beyond 2^40");
	EXPECT_VM_REFUSED("a { cpus = <0>; memory = <0xffffffff 0xffe00000 0x0 0x400000>; " IMAGE
			  " };",
			  0, "vm a: memory:", "beyond 2^40");
	EXPECT_VM_REFUSED(VM("a", "0", "memory-identity = <0x0 0x60000000 0x0 0x200000>;"), 0,
			  "vm a: memory-identity: a VM has either memory or memory-identity");
	EXPECT_VM_REFUSED("a { cpus = <0>; " IMAGE " };", 0, "vm a: memory: missing");
}

static void test_identity_overlap(void **state)
{
	(void)state;
	EXPECT_VM_REFUSED(
		"a { cpus = <0>; memory-identity = <0x0 0x60000000 0x0 0x400000>; " IMAGE " };"
		"b { cpus = <1>; memory-identity = <0x0 0x60200000 0x0 0x400000>; " IMAGE " };",
		1, "vm b: memory-identity: 0x60200000-0x605fffff overlaps vm a's");
}

static void test_kernel(void **state)
{
	(void)state;
	EXPECT_VM_REFUSED("a { cpus = <0>; " MEM64 " };", 0, "vm a: kernel: missing");
	EXPECT_VM_REFUSED("a { cpus = <0>; " MEM64 " kernel; };", 0, "vm a: kernel: is empty");
	EXPECT_VM_REFUSED("a { cpus = <0>; " MEM64 " kernel = /incbin/(\"raw.bin\"); };", 0,
			  "vm a: kernel: not an arm64 Image", "kernel-format = \"raw\"");
	expect_clean("a { cpus = <0>; " MEM64 " kernel = /incbin/(\"raw.bin\");"
		     " kernel-format = \"raw\"; };");
	EXPECT_VM_REFUSED(VM("a", "0", "kernel-format = \"elf\";"), 0,
			  "vm a: kernel-format: must be \"image\" or \"raw\"");
}

static void test_too_small(void **state)
{
	(void)state;
	/* The header's image_size fills 66 MiB but for the DTB at the top. */
	EXPECT_VM_REFUSED("a { cpus = <0>; " MEM64 " kernel = /incbin/(\"image-big.bin\"); };", 0,
			  "vm a: memory: 65536 KiB cannot hold the kernel (0 KiB in its file, more "
			  "if its header asks), the initrd (0 KiB) and the device tree (64 KiB); "
			  "67584 KiB would");
	expect_clean("a { cpus = <0>; memory = <0x0 0x40000000 0x0 0x4200000>;"
		     " kernel = /incbin/(\"image-big.bin\"); };");
	EXPECT_VM_REFUSED(
		"a { cpus = <0>; memory = <0x0 0x40000000 0x0 0x4200000>;"
		" kernel = /incbin/(\"image-big.bin\"); initrd = /incbin/(\"initrd.bin\");"
		" };",
		0, "vm a: memory:", "the initrd (4 KiB)");
}

static void test_other_values(void **state)
{
	(void)state;
	EXPECT_VM_REFUSED(VM("a", "0", "initrd;"), 0, "vm a: initrd: is empty");
	EXPECT_VM_REFUSED(VM("a", "0", "bootargs = \"a\", \"b\";"), 0,
			  "vm a: bootargs: must be one string");
	EXPECT_VM_REFUSED(VM("a", "0", "console = \"serial\";"), 0,
			  "vm a: console: must be \"emulated\" or \"passthrough\"");
	EXPECT_VM_REFUSED(VM("a", "0", "on-crash = \"reboot\";"), 0,
			  "vm a: on-crash: must be \"stop\" or \"restart\"");
	EXPECT_VM_REFUSED(VM("a", "0", "on-crash = <1>;"), 0,
			  "vm a: on-crash: must be \"stop\" or \"restart\"");
	EXPECT_VM_REFUSED(VM("a", "0", "partita,test-device = <1>;"), 0,
			  "vm a: partita,test-device: is a flag");
	EXPECT_VM_REFUSED(VM("a", "0", "devices = <1>;"), 0,
			  "vm a: devices: must be a list of host device-tree paths");
	EXPECT_VM_REFUSED(VM("a", "0", "devices = \"/x\", \"/x\";"), 0,
			  "vm a: devices: /x is listed twice");
	EXPECT_VM_REFUSED(VM("a", "0", "devices = \"/x\";") VM("b", "1", "devices = \"/x\";"), 1,
			  "vm b: devices: /x is given to vm a too");
	EXPECT_VM_REFUSED(VM("a", "0", "console = \"passthrough\";")
				  VM("b", "1", "console = \"passthrough\";"),
			  1, "vm b: console: the UART is passed through to vm a already");
	EXPECT_VM_REFUSED("a { cpus = <0>; memory = <0x0 0x0 0x0 0x10000000>; " IMAGE
			  " partita,test-device; };",
			  0, "vm a: memory: 0x0+0x10000000 covers the test device");
}

/* Every error of a VM is said, not just the first. */
static void test_all_errors_said(void **state)
{
	(void)state;
	assert_int_equal(parse("a { cpus = <0 0>; colour; };"), 0);
	assert_true(cfg.refused[0]);
	assert_true(log_capture_has(LOG_ERROR, "vm a: cpus: physical CPU 0 is listed twice", NULL));
	assert_true(log_capture_has(LOG_ERROR, "vm a: colour: unknown property", NULL));
}

/* -- the layout -------------------------------------------------------------------- */

static u8 header[64];

static struct vm_config image_vm(u64 text_offset, u64 image_size, u64 ram)
{
	struct vm_config c = { .ram_size = ram, .image = header, .image_size = sizeof(header) };

	memset(header, 0, sizeof(header));
	memcpy(header + 8, &text_offset, 8);
	memcpy(header + 16, &image_size, 8);
	memcpy(header + 56, "ARM\x64", 4);
	return c;
}

static void test_layout(void **state)
{
	struct vm_config c = image_vm(0x80000, 0x200000, 0x4000000);
	struct config_layout l;

	(void)state;
	assert_int_equal(config_layout(&c, &l), 0);
	assert_int_equal(l.kernel_offset, 0x80000);
	assert_int_equal(l.kernel_footprint, 0x200000);
	assert_int_equal(l.dtb_offset, 0x4000000 - GUEST_FDT_MAX);
	assert_int_equal(l.initrd_offset, 0);
	/* image_size 0: an old kernel, at 0x80000 whatever text_offset says. */
	c = image_vm(0x1234, 0, 0x4000000);
	assert_int_equal(config_layout(&c, &l), 0);
	assert_int_equal(l.kernel_offset, 0x80000);
	/* A raw kernel goes where QEMU puts one. */
	c = image_vm(0, 0x200000, 0x4000000);
	c.kernel_format = VM_KERNEL_RAW;
	assert_int_equal(config_layout(&c, &l), 0);
	assert_int_equal(l.kernel_offset, VM_LAYOUT_RAW_OFFSET);
	assert_int_equal(l.kernel_footprint, 64);
	/* The initrd, page-aligned, right under the DTB. */
	c = image_vm(0, 0x200000, 0x4000000);
	c.initrd = header;
	c.initrd_size = 0x1800;
	assert_int_equal(config_layout(&c, &l), 0);
	assert_int_equal(l.initrd_offset, 0x4000000 - GUEST_FDT_MAX - 0x2000);
	/* Exactly full, and one page too many. */
	c.initrd_size = 0x4000000 - GUEST_FDT_MAX - 0x200000;
	assert_int_equal(config_layout(&c, &l), 0);
	assert_int_equal(l.initrd_offset, 0x200000);
	c.initrd_size += PAGE_SIZE;
	assert_int_equal(config_layout(&c, &l), -E_INVAL);
	/* Header values that would wrap a sum. */
	c = image_vm(~0UL - 0x1000, 0x2000, 0x4000000);
	assert_int_equal(config_layout(&c, &l), -E_INVAL);
	c = image_vm(0x1000, ~0UL, 0x4000000);
	assert_int_equal(config_layout(&c, &l), -E_INVAL);
	c = image_vm(0, 0x1000, GUEST_FDT_MAX - 1);
	assert_int_equal(config_layout(&c, &l), -E_INVAL);
}

/* -- against the machine ----------------------------------------------------------- */

#define HYP_BASE 0x40200000UL
#define HYP_SIZE 0x200000UL

static struct config_machine machine(u32 online)
{
	FILE *f;
	size_t n;
	char path[512];

	snprintf(path, sizeof(path), "%s/config-host.dtb", DTB_DIR);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(host_fdt, 1, sizeof(host_fdt), f);
	fclose(f);
	log_capture_reset();
	assert_int_equal(platform_discover(host_fdt, n, &plat), 0);
	/* Where a boot loader would have put it, rather than where the test read it. */
	plat.fdt.base = 0x48000000;
	plat.fdt.size = 0x100000;
	return (struct config_machine){
		.plat = &plat, .fdt = host_fdt, .hyp = { HYP_BASE, HYP_SIZE }, .online = online
	};
}

/* Parses body cleanly, checks it against the machine; VM vm is refused with one line. */
#define EXPECT_MACHINE_REFUSED(online, body, vm, ...)       \
	do {                                                \
		struct config_machine m_ = machine(online); \
		expect_clean(body);                         \
		log_capture_reset();                        \
		config_check_machine(&cfg, &m_);            \
		assert_true(cfg.refused[vm]);               \
		EXPECT_ONE_ERROR(__VA_ARGS__);              \
	} while (0)

static void expect_machine_clean(u32 online, const char *body)
{
	struct config_machine m = machine(online);

	expect_clean(body);
	log_capture_reset();
	config_check_machine(&cfg, &m);
	if (log_capture_count(LOG_ERROR))
		log_capture_dump();
	assert_int_equal(config_usable(&cfg), cfg.vm_count);
}

static void test_machine_cpus(void **state)
{
	(void)state;
	EXPECT_MACHINE_REFUSED(0xf, VM("a", "0") VM("b", "4"), 1,
			       "vm b: cpus: physical CPU 4 is not in this machine, which has 4");
	assert_false(cfg.refused[0]);
	expect_machine_clean(0xb, "a { cpus = \"all\"; " MEM64 IMAGE " };");
	assert_int_equal(cfg.vm[0].cpu_count, 3);
	assert_int_equal(cfg.vm[0].cpus[2], 3);
}

#define IDENTITY(base, size) \
	"a { cpus = <0>; memory-identity = <0x0 " base " 0x0 " size ">; " IMAGE " };"

static void test_machine_identity(void **state)
{
	(void)state;
	expect_machine_clean(0xf, IDENTITY("0x60000000", "0x400000"));
	EXPECT_MACHINE_REFUSED(0xf, IDENTITY("0x20000000", "0x400000"), 0,
			       "vm a: memory-identity: 0x20000000-0x203fffff is not RAM");
	/* Across the end of the first bank. */
	EXPECT_MACHINE_REFUSED(0xf, IDENTITY("0x7fe00000", "0x400000"), 0,
			       "vm a: memory-identity:", "is not RAM");
	EXPECT_MACHINE_REFUSED(0xf, IDENTITY("0x40000000", "0x400000"), 0,
			       "vm a: memory-identity: 0x40000000-0x403fffff overlaps Partita's "
			       "own image at 0x40200000-0x403fffff");
	EXPECT_MACHINE_REFUSED(0xf, IDENTITY("0x48000000", "0x200000"), 0,
			       "vm a: memory-identity:", "overlaps the host device tree");
	EXPECT_MACHINE_REFUSED(0xf, IDENTITY("0x48400000", "0x200000"), 0,
			       "vm a: memory-identity:", "overlaps the configuration (the initrd)");
	EXPECT_MACHINE_REFUSED(0xf, IDENTITY("0x7fc00000", "0x400000"), 0,
			       "vm a: memory-identity:", "overlaps reserved memory");
}

static void test_machine_ram(void **state)
{
	(void)state;
	EXPECT_MACHINE_REFUSED(
		0xf, "a { cpus = <0>; memory = <0x0 0x40000000 0x0 0x80000000>; " IMAGE " };", 0,
		"vm a: memory: 2048 MiB, more than this machine's 1536 MiB");
	EXPECT_MACHINE_REFUSED(
		0xf, "a { cpus = <0>; memory = <0x0 0x8000000 0x0 0x200000>; " IMAGE " };", 0,
		"vm a: memory: 0x8000000-0x81fffff overlaps the GIC");
	EXPECT_MACHINE_REFUSED(
		0xf, "a { cpus = <0>; memory = <0x0 0x9000000 0x0 0x200000>; " IMAGE " };", 0,
		"vm a: memory: 0x9000000-0x91fffff overlaps the console UART");
}

static void test_machine_devices(void **state)
{
	const struct vm_device *d;

	(void)state;
	expect_machine_clean(0xf, VM("a", "0", "devices = \"/pl031@9010000\";"));
	d = &cfg.vm[0].devices[0];
	assert_int_equal(d->reg_count, 1);
	assert_int_equal(d->reg_base[0], 0x9010000);
	assert_int_equal(d->reg_size[0], 0x1000);
	assert_int_equal(d->irq_count, 1);
	assert_int_equal(d->intid[0], 34);
	EXPECT_MACHINE_REFUSED(0xf, VM("a", "0", "devices = \"/rtc@1\";"), 0,
			       "vm a: devices: /rtc@1: no such node in the host device tree");
	EXPECT_MACHINE_REFUSED(0xf, VM("a", "0", "devices = \"/intc@8000000\";"), 0,
			       "vm a: devices: /intc@8000000: is the GIC");
	EXPECT_MACHINE_REFUSED(0xf, VM("a", "0", "devices = \"/pl011@9000000\";"), 0,
			       "vm a: devices: /pl011@9000000: is Partita's console UART");
	expect_machine_clean(0xf, VM("a", "0",
				     "devices = \"/pl011@9000000\";"
				     " console = \"passthrough\";"));
	EXPECT_MACHINE_REFUSED(0xf, VM("a", "0", "devices = \"/ppi-dev@9020000\";"), 0,
			       "vm a: devices: /ppi-dev@9020000: interrupt 0 is not an SPI");
	EXPECT_MACHINE_REFUSED(0xf, VM("a", "0", "devices = \"/key@9040000\";"), 0,
			       "vm a: devices: /key@9040000: its interrupts are not GIC");
	EXPECT_MACHINE_REFUSED(0xf, VM("a", "0", "devices = \"/noreg\";"), 0,
			       "vm a: devices: /noreg: has no reg");
	EXPECT_MACHINE_REFUSED(0xf, VM("a", "0", "devices = \"/ramdev@40001000\";"), 0,
			       "vm a: devices: /ramdev@40001000: reg 0x40001000+0x1000 is RAM");
	EXPECT_MACHINE_REFUSED(0xf,
			       "a { cpus = <0>; memory = <0x0 0xc000000 0x0 0x4000000>; " IMAGE
			       " devices = \"/big@c000000\"; };",
			       0,
			       "vm a: devices: /big@c000000: reg 0xc000000+0x4000000 lies under "
			       "the VM's memory");
	/* One node by two paths is still one device. */
	EXPECT_MACHINE_REFUSED(0xf,
			       VM("a", "0", "devices = \"/pl031@9010000\";")
				       VM("b", "1", "devices = \"/pl031@9010000/\";"),
			       1, "vm b: devices: /pl031@9010000/: is given to vm a already");
}

/* A reg need not be page-aligned: the VM gets the page(s) around it, kept as the host DT says. */
static void test_machine_device_pages(void **state)
{
	const struct vm_device *d;

	(void)state;
	expect_machine_clean(0xf, VM("a", "0", "devices = \"/virtio_mmio@a000200\";"));
	d = &cfg.vm[0].devices[0];
	assert_int_equal(d->reg_count, 1);
	assert_int_equal(d->reg_base[0], 0xa000200);
	assert_int_equal(d->reg_size[0], 0x200);
	assert_int_equal(d->intid[0], 32 + 17);
	/* One VM may have several devices of one page. */
	expect_machine_clean(0xf, VM("a", "0",
				     "devices = \"/virtio_mmio@a000200\", "
				     "\"/virtio_mmio@a000000\";"));
	/* Two VMs may not: each would reach the other's device. */
	EXPECT_MACHINE_REFUSED(0xf,
			       VM("a", "0", "devices = \"/virtio_mmio@a000200\";")
				       VM("b", "1", "devices = \"/virtio_mmio@a000000\";"),
			       1,
			       "vm b: devices: /virtio_mmio@a000000: page(s) 0xa000000-0xa000fff "
			       "also hold /virtio_mmio@a000200 (0xa000200+0x200) of vm a");
	/* Nor Partita and a VM. */
	EXPECT_MACHINE_REFUSED(0xf, VM("a", "0", "devices = \"/uart-neighbour@9000800\";"), 0,
			       "vm a: devices: /uart-neighbour@9000800: page(s) "
			       "0x9000000-0x9000fff hold Partita's console UART at 0x9000000");
	expect_machine_clean(0xf, VM("a", "0",
				     "devices = \"/uart-neighbour@9000800\";"
				     " console = \"passthrough\";"));
	EXPECT_MACHINE_REFUSED(0xf, VM("a", "0", "devices = \"/gic-neighbour@800f000\";"), 0,
			       "vm a: devices: /gic-neighbour@800f000: page(s) "
			       "0x800f000-0x800ffff hold the GIC's distributor");
	EXPECT_MACHINE_REFUSED(
		0xf, VM("a", "0", "partita,test-device; devices = \"/virtio_mmio@a000200\";"), 0,
		"vm a: devices: /virtio_mmio@a000200: page(s) 0xa000000-0xa000fff "
		"hold the VM's emulated test device at 0xa000000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_config),
		cmocka_unit_test(test_same_ipa_allowed),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_not_fdt),
		cmocka_unit_test(test_not_partita),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_old_version),
		cmocka_unit_test(test_vm_count),
		cmocka_unit_test(test_unknown_root_property),
		cmocka_unit_test(test_unknown_property),
		cmocka_unit_test(test_child_node),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_cpus_malformed),
		cmocka_unit_test(test_cpus_limits),
		cmocka_unit_test(test_cpu_given_twice),
		cmocka_unit_test(test_cpus_all),
		cmocka_unit_test(test_memory_malformed),
		cmocka_unit_test(test_identity_overlap),
		cmocka_unit_test(test_kernel),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_other_values),
		cmocka_unit_test(test_all_errors_said),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_machine_cpus),
		cmocka_unit_test(test_machine_identity),
		cmocka_unit_test(test_machine_ram),
		cmocka_unit_test(test_machine_devices),
		cmocka_unit_test(test_machine_device_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
