/* chart.c: horizontal bar charts (see chart.h). */
#include "chart.h"

#include <stdio.h>
#include <string.h>

#include "str.h"
#include "ui.h"

/* U+2588 full block, then U+258F … U+2589: one to seven eighths */
static const char *const eighths[8] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };

int
chart_bar(char *buf, size_t size, long value, long max, int width, bool ascii)
{
	long steps, units;
	size_t len = 0;
	int cells = 0, i, per = ascii ? 1 : 8;

	if (size)
		buf[0] = '\0';
	if (value <= 0 || max <= 0 || width <= 0 || size == 0)
		return 0;
	if (value > max)
		value = max;
	steps = (long)width * per;
	units = (value * steps * 2 + max) / (2 * max);   /* rounded half up */
	if (units < 1)
		units = 1;
	for (i = 0; i < units / per; i++) {
		const char *g = ascii ? "#" : "█";
		size_t n = strlen(g);

		if (len + n >= size)
			break;
		memcpy(buf + len, g, n);
		len += n;
		cells++;
	}
	if (units % per && len + strlen(eighths[units % per]) < size) {
		memcpy(buf + len, eighths[units % per], strlen(eighths[units % per]));
		len += strlen(eighths[units % per]);
		cells++;
	}
	buf[len] = '\0';
	return cells;
}

int
chart_draw(int y, int x, int h, int w, const struct chart_row *rows, int nrows, int first,
	long max, int label_w, int num_w)
{
	char bar[1024];
	int r, after_w = 8, bar_w = w - label_w - num_w - after_w - 4;

	if (bar_w < 4)
		bar_w = 4;
	for (r = 0; r < h && first + r < nrows; r++) {
		const struct chart_row *row = &rows[first + r];
		enum ui_style st = row->strong ? UI_TITLE : UI_NORMAL;
		char num[32];
		int cells, nw;

		ui_put(y + r, x, label_w, row->label, st, true);
		nw = (int)str_width(row->before ? row->before : "");
		snprintf(num, sizeof(num), "%*s%s", nw < num_w ? num_w - nw : 0, "", row->before ? row->before : "");
		ui_put(y + r, x + label_w + 1, num_w, num, st, true);
		cells = chart_bar(bar, sizeof(bar), row->value, max, bar_w, ui.ascii);
		ui_put(y + r, x + label_w + num_w + 3, bar_w, bar, UI_OK, true);
		(void)cells;
		ui_put(y + r, x + label_w + num_w + 4 + bar_w, after_w, row->after ? row->after : "", st, false);
	}
	return r;
}
