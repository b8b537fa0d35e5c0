/* kconfig.h - the running kernel's build options, for programs that explain why a feature is
 * missing ("not built in" is a different answer from "built in but not enabled at boot"). */
#ifndef CSECLAB_KCONFIG_H
#define CSECLAB_KCONFIG_H

/* The value of option NAME ("CONFIG_VETH"): "y", "m", "n" (not set), or "unknown" when no
 * configuration is readable. Read once, from /boot/config-RELEASE (Debian, Fedora, Ubuntu),
 * else /proc/config.gz (kernels built with CONFIG_IKCONFIG_PROC). */
const char *kconfig(const char *name);
/* Where the configuration came from, or NULL when none was readable. */
const char *kconfig_source(void);

#endif
