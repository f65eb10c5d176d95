#include "vcpu/emul.h"

#define IT_HI_MASK (0x3fUL << SPSR_A32_IT_HI_SHIFT)
#define IT_LO_MASK (0x3UL << SPSR_A32_IT_LO_SHIFT)

u64 emul_itstate(u64 spsr)
{
	return (((spsr & IT_HI_MASK) >> SPSR_A32_IT_HI_SHIFT) << 2) |
	       ((spsr & IT_LO_MASK) >> SPSR_A32_IT_LO_SHIFT);
}

/* ITAdvance(): the block ends after its last instruction, else the mask shifts up. */
static u64 it_advance(u64 spsr)
{
	u64 it = emul_itstate(spsr);

	if ((it & 7) == 0)
		it = 0;
	else
		it = (it & 0xe0) | ((it << 1) & 0x1f);
	spsr &= ~(IT_HI_MASK | IT_LO_MASK);
	return spsr | ((it >> 2) << SPSR_A32_IT_HI_SHIFT) | ((it & 3) << SPSR_A32_IT_LO_SHIFT);
}

u64 emul_pstate_after(u64 spsr)
{
	spsr &= ~SPSR_SS;
	if (!(spsr & SPSR_M_AARCH32))
		return spsr & ~SPSR_BTYPE_MASK;
	/* Bits 11:10 are IT[3:2] in AArch32, not BTYPE; A32 code has IT zero. */
	return (spsr & SPSR_A32_T) ? it_advance(spsr) : spsr;
}

bool emul_condition_holds(unsigned int cond, unsigned int nzcv)
{
	bool n = nzcv & 8, z = nzcv & 4, c = nzcv & 2, v = nzcv & 1, r;

	switch ((cond >> 1) & 7) {
	case 0:
		r = z; /* EQ */
		break;
	case 1:
		r = c; /* CS */
		break;
	case 2:
		r = n; /* MI */
		break;
	case 3:
		r = v; /* VS */
		break;
	case 4:
		r = c && !z; /* HI */
		break;
	case 5:
		r = n == v; /* GE */
		break;
	case 6:
		r = n == v && !z; /* GT */
		break;
	default:
		return true; /* AL, and 0b1111, which is "always" too */
	}
	return (cond & 1) ? !r : r;
}

bool emul_condition_passed(u64 esr, u64 spsr)
{
	unsigned int cond;

	if (!(spsr & SPSR_M_AARCH32) || !(ESR_ELx_EC_WITH_COND & BIT(esr_ec(esr))))
		return true;
	if (esr & ESR_ELx_CV) {
		cond = (unsigned int)(esr >> ESR_ELx_COND_SHIFT) & 0xf;
	} else {
		/* Only a T32 instruction may leave COND out: its IT state holds it. */
		u64 it = emul_itstate(spsr);

		if (it == 0)
			return true;
		cond = (unsigned int)(it >> 4);
	}
	return emul_condition_holds(cond, (unsigned int)(spsr >> SPSR_NZCV_SHIFT) & 0xf);
}

bool emul_big_endian(u64 spsr, u64 sctlr_el1)
{
	if (spsr & SPSR_M_AARCH32)
		return spsr & SPSR_A32_E;
	if ((spsr & SPSR_M_MASK) == 0) /* EL0t */
		return sctlr_el1 & SCTLR_EL1_E0E;
	return sctlr_el1 & SCTLR_ELx_EE;
}
