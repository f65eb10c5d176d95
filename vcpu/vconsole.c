#include "vcpu/vconsole.h"

#include "lib/fmt.h"
#include "platform/console.h"
#include "vcpu/serror.h"

void vconsole_flush(struct vcpu *v, char *line, unsigned int *len)
{
	if (!*len)
		return;
	/* The UART is a device: its errors are Partita's, not the guest's (vcpu/serror.h). */
	serror_collect_guest(v);
	console_put_text(vconsole_src(v->vm), v->vm->name, line, *len);
	serror_collect_hyp(v, "wrote its console line");
	*len = 0;
}

void vconsole_flush_idle(struct vcpu *v, char *line, unsigned int *len)
{
	if (!*len)
		return;
	/* No guest runs here: whatever error comes of the UART is Partita's. */
	console_put_text(vconsole_src(v->vm), v->vm->name, line, *len);
	serror_collect_hyp(v, "wrote its console line while idle");
	*len = 0;
}

void vconsole_put(struct vcpu *v, char *line, unsigned int *len, unsigned char c)
{
	char esc[FMT_ESCAPE_MAX];
	size_t i, n;

	if (c == '\r')
		return;
	if (c == '\n') {
		line[(*len)++] = '\n';
		vconsole_flush(v, line, len);
		return;
	}
	n = fmt_escape(esc, c);
	if (*len + n > VCONSOLE_LINE_MAX - 1) {
		line[(*len)++] = '\n';
		vconsole_flush(v, line, len);
	}
	for (i = 0; i < n; i++)
		line[(*len)++] = esc[i];
}
