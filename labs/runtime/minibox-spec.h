/* minibox-spec.h - write a starter config.json (`minibox spec`). */
#ifndef MINIBOX_SPEC_H
#define MINIBOX_SPEC_H

/* BUNDLE/config.json, never over an existing one. 0 ok; -1 after a message on stderr. */
int spec_write(const char *bundle);

#endif
