/* doctor-facts.h - the machine as "key: value" facts. A part of doctor (doctor.c lists them all);
 * it uses the probes, the host part and the small readers of doctor-read.h, never the reverse. */
#ifndef CSECLAB_DOCTOR_FACTS_H
#define CSECLAB_DOCTOR_FACTS_H

/* Every fact, section by section: machine, namespaces, cgroups, seccomp, capabilities, LSMs,
 * kernel config, sysctls, mounts, tools. */
void facts(void);

#endif
