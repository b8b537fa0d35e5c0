/* term.c - colour only where it helps a human (see term.h). */
#include "term.h"

#include <stdlib.h>
#include <unistd.h>

bool term_color(FILE *f)
{
	const char *no = getenv("NO_COLOR");

	return isatty(fileno(f)) && !(no && *no);
}

const char *term_green(FILE *f)
{
	return term_color(f) ? "\033[32m" : "";
}

const char *term_red(FILE *f)
{
	return term_color(f) ? "\033[31m" : "";
}

const char *term_bold(FILE *f)
{
	return term_color(f) ? "\033[1m" : "";
}

const char *term_reset(FILE *f)
{
	return term_color(f) ? "\033[0m" : "";
}

void term_bar(FILE *f, double fraction, int width)
{
	int fill;

	if (fraction < 0)
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	fill = (int)(fraction * width + 0.5);
	for (int i = 0; i < width; i++)
		fputc(i < fill ? '#' : '.', f);
}
