/*
 * chart.h: horizontal bar charts (the statistics screen).  A bar is made of
 * block characters, a full block █ per whole cell and one of ▏▎▍▌▋▊▉ for
 * the eighths left (so a bar has eight steps per cell), or of '#' per cell
 * under --ascii.  A value above zero shows at least its smallest mark; the
 * number is always printed beside the bar by the caller, so the bar never
 * carries the meaning alone.
 */
#ifndef WQ_CHART_H
#define WQ_CHART_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The bar of value out of max in at most width cells, into buf (UTF-8, no
 * padding).  Returns the cells the bar takes (0 for value <= 0 or max <= 0;
 * value above max is drawn as max).
 */
int chart_bar(char *buf, size_t size, long value, long max, int width, bool ascii);

/* One row of a chart: a label, a number before the bar, the bar's value out of max, the text after it. */
struct chart_row {
	const char *label;
	const char *before;   /* e.g. the group's graduates, right-aligned */
	long value;
	const char *after;    /* e.g. "78.4%" */
	bool strong;          /* drawn as a title (合计) */
};

/*
 * Draws rows[first …] from (y, x) in h lines and w cells: the label in
 * label_w cells, the number right-aligned in num_w, the bar (out of max)
 * in what is left but the text after it.  Returns the rows drawn.
 */
int chart_draw(int y, int x, int h, int w, const struct chart_row *rows, int nrows, int first,
	long max, int label_w, int num_w);

#endif
