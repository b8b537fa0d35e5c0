/* screcord.h - what screcord's two halves agree on: how the kernel side files its counters.
 *
 * screcord.bpf.c (run by the kernel) counts each call in the slot CLASS * NR_SLOTS + NUMBER of
 * a per-CPU array when its number is below NR_SLOTS, else in a hash keyed CLASS << 32 | NUMBER;
 * screcord.c reads both back. The class says through which entry the call came in.
 */
#ifndef CSECLAB_SCRECORD_H
#define CSECLAB_SCRECORD_H

#define NR_SLOTS 1024 /* call numbers 0..1023 of each class go to the array */

enum call_class {
	CLASS_NATIVE, /* the machine's own entry (syscall on x86_64) */
	CLASS_COMPAT, /* x86_64: a 32-bit call (int $0x80, sysenter), i386's numbers */
	CLASS_X32,    /* x86_64: the x32 ABI, the number with its 0x40000000 bit taken off */
	CLASSES
};

#endif
