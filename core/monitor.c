/*
 * The monitor's commands, on the console (core/monitor.h). They run on
 * the CPU that takes the console's interrupt, one typed key at a time,
 * and only read what they show: counts and states another CPU may be
 * changing are a moment old, never torn (each is one aligned word).
 */
#include "core/monitor.h"

#include <string.h>

#include "core/monitor_cmd.h"
#include "core/vm_config.h"
#include "core/vm.h"
#include "lib/fmt.h"
#include "platform/console.h"

#define PROMPT "partita> "

static struct monitor_line line;

static void print(const char *text)
{
	console_write(text, strlen(text));
}

static void printf_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void printf_line(const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(text, sizeof(text), fmt, ap);
	va_end(ap);
	print(text);
}

static struct vm *vm_by_name(const char *name)
{
	for (unsigned int id = 0; id < vm_count(); id++) {
		struct vm *vm = vm_get(id);

		if (vm && !strcmp(vm->name, name))
			return vm;
	}
	return NULL;
}

static const char *state_name(enum vm_state s)
{
	switch (s) {
	case VM_RUNNING:
		return "running";
	case VM_STOPPING:
		return "stopping";
	default:
		return "stopped";
	}
}

/* "0,1": the physical CPUs of vm's vCPUs, in vCPU order. */
static void cpu_list(const struct vm *vm, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < vm->vcpu_count && len < size; i++)
		len += (size_t)fmt_format(buf + len, size - len, "%s%u", i ? "," : "",
					  vm->vcpus[i].pcpu);
}

static void cmd_list(unsigned int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf_line("vm  name             state     vcpus on  cpus      ram\n");
	for (unsigned int id = 0; id < vm_count(); id++) {
		const struct vm *vm = vm_get(id);
		unsigned int on = 0;
		char cpus[48];

		if (!vm)
			continue;
		for (unsigned int i = 0; i < vm->vcpu_count; i++)
			on += vm->vcpus[i].power == VCPU_ON;
		cpu_list(vm, cpus, sizeof(cpus));
		printf_line("%-3u %-16s %-9s %-5u %-3u %-9s %lu MiB at IPA 0x%lx (PA 0x%lx), boots "
			    "%lu\n",
			    vm->id, vm->name, state_name(vm->state), vm->vcpu_count, on, cpus,
			    vm->ram_size >> 20, vm->ram_ipa, pa_addr(vm->ram_pa), vm->boots);
	}
}

static const char *const reason_names[VCPU_EXIT_REASONS] = {
	[VCPU_EXIT_HVC] = "hvc",   [VCPU_EXIT_SMC] = "smc",	  [VCPU_EXIT_SYSREG] = "sysreg",
	[VCPU_EXIT_MMIO] = "mmio", [VCPU_EXIT_IABT] = "iabt",	  [VCPU_EXIT_WFX] = "wfx",
	[VCPU_EXIT_IRQ] = "irq",   [VCPU_EXIT_SERROR] = "serror", [VCPU_EXIT_OTHER] = "other",
};

static void cmd_stats(unsigned int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (unsigned int id = 0; id < vm_count(); id++) {
		const struct vm *vm = vm_get(id);
		u64 count[VCPU_EXIT_REASONS] = { 0 }, total = 0, injected = 0;
		char text[256];
		size_t len;

		if (!vm)
			continue;
		for (unsigned int i = 0; i < vm->vcpu_count; i++) {
			for (unsigned int r = 0; r < VCPU_EXIT_REASONS; r++)
				count[r] += vm->vcpus[i].exit_count[r];
			injected += vm->vcpus[i].irq_injected;
		}
		for (unsigned int r = 0; r < VCPU_EXIT_REASONS; r++)
			total += count[r];
		len = (size_t)fmt_format(text, sizeof(text), "vm %s: exits %lu:", vm->name, total);
		for (unsigned int r = 0; r < VCPU_EXIT_REASONS && len < sizeof(text); r++)
			len += (size_t)fmt_format(text + len, sizeof(text) - len, " %s %lu",
						  reason_names[r], count[r]);
		printf_line("%s; interrupts injected %lu\n", text, injected);
	}
}

static void cmd_help(unsigned int argc, char **argv);

/* The commands; restart and stop only ask: the VM's own CPUs carry them out (core/vm.h). */
static const struct monitor_cmd commands[] = {
	{ "help", "", "this list", cmd_help, NULL },
	{ "list", "", "the VMs: state, vCPUs (and how many are on), physical CPUs, RAM", cmd_list,
	  NULL },
	{ "stats", "", "each VM's exits by reason, and interrupts injected", cmd_stats, NULL },
	{ "restart", "NAME", "restarts a VM, running or stopped, from its images", NULL,
	  vm_restart },
	{ "stop", "NAME", "stops a VM, as if it powered off", NULL, vm_stop },
};

static void cmd_help(unsigned int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf_line("  %-7s %-4s %s\n", commands[i].name, commands[i].args,
			    commands[i].help);
	print("Ctrl-] three times in a row moves the input on to the next VM.\n");
}

static const struct monitor_env env = {
	.vm_by_name = vm_by_name,
	.print = print,
};

static void enter(void)
{
	line.len = 0;
	print(PROMPT);
}

static void key(u8 c)
{
	char echo[MONITOR_ECHO_MAX];
	size_t n;
	enum monitor_edit e = monitor_line_key(&line, c, echo, &n);

	if (n)
		console_write(echo, n);
	if (e == MONITOR_EDIT_MORE)
		return;
	if (e == MONITOR_EDIT_DONE)
		monitor_run(commands, sizeof(commands) / sizeof(commands[0]), line.buf, &env);
	enter();
}

const struct vuart_monitor monitor_console = {
	.enter = enter,
	.key = key,
};
