/*
 * stats.c: 数据统计, the figures of the user's scope (src/stats.h) as bar
 * charts (v: or as the whole table), by 院系, 专业, 学历层次, 性别, 生源地 or
 * 学校 (t), with the review queues under them.  The chart shows each
 * group's graduates and 毕业去向落实率, then the scope's graduates by
 * 毕业去向; every bar has its number beside it.  Ctrl-S exports the table
 * (CSV, XLSX) through the export dialog; R reads the figures again.
 *
 * For a school or department user the figures follow the school's items:
 * the screen listens on the school's channel (every decision and submission
 * is announced there) and reads them again by itself, at most once every
 * STATS_LIVE_MS however many come (live.h), keeping the breakdown, the view
 * and the place the user is at.  A province user's screen spans every school
 * of the province, one channel each: it reads again on R.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "export_dialog.h"
#include "live.h"
#include "shell.h"
#include "stats.h"
#include "str.h"
#include "ui.h"
#include "util.h"

struct stats_view {
	bool by_set;                  /* by chosen (else the user's default) */
	enum stats_by by;
	bool loaded;
	struct stats s;
	struct wq_rows *queues;
	bool table;                   /* the whole table, else the charts */
	int scroll;                   /* first line of the body */
	int hscroll;                  /* first column after the group shown in the table */
	char error[512];
	bool exporting;
	struct export_dialog export;
	struct chart_row *lines;      /* the charts, line by line */
	char **texts;                 /* what the lines point to */
	int nlines, ntexts;
	struct live live;             /* the school's items moved: read again, not too often */
};

/* A burst of decisions reads the figures again at most this often. */
#define STATS_LIVE_MS 3000

static void
lines_free(struct stats_view *v)
{
	int i;

	for (i = 0; i < v->ntexts; i++)
		free(v->texts[i]);
	free(v->texts);
	free(v->lines);
	v->texts = NULL;
	v->lines = NULL;
	v->nlines = v->ntexts = 0;
}

static char *
keep(struct stats_view *v, char *text)
{
	v->texts = xrealloc(v->texts, (size_t)(v->ntexts + 1) * sizeof(*v->texts));
	v->texts[v->ntexts++] = text;
	return text;
}

static void
add_line(struct stats_view *v, const char *label, const char *before, long value, const char *after, bool strong)
{
	v->lines = xrealloc(v->lines, (size_t)(v->nlines + 1) * sizeof(*v->lines));
	v->lines[v->nlines++] = (struct chart_row){ label, before, value, after, strong };
}

/* The charts: every group's graduates and rate (per mille out of 1000), then the total by 毕业去向. */
static void
build_lines(struct stats_view *v)
{
	const struct stats *s = &v->s;
	int r, c, total = s->nrows - 1;
	long grads = stats_value(s, total, STATS_COL_GRADUATES);
	char buf[32];

	lines_free(v);
	add_line(v, keep(v, xasprintf("%s", stats_by_labels[s->by])), "人数", 0, "落实率", true);
	for (r = 0; r < s->nrows; r++) {
		long g = stats_value(s, r, STATS_COL_GRADUATES);
		char pct[16];
		int pm = stats_rate(pct, sizeof(pct), s->placed[r], g);

		stats_thousands(buf, sizeof(buf), g);
		add_line(v, stats_cell(s, r, STATS_COL_GROUP), keep(v, xstrdup(buf)), pm < 0 ? 0 : pm,
			stats_cell(s, r, stats_col_rate(s)), r == total);
	}
	add_line(v, "", NULL, 0, NULL, false);
	add_line(v, "毕业去向", "人数", 0, "占比", true);
	for (c = STATS_COL_CODES; c <= stats_col_unregistered(s); c++) {
		long n = stats_value(s, total, c);
		char pct[16];
		int pm = stats_rate(pct, sizeof(pct), n, grads);

		stats_thousands(buf, sizeof(buf), n);
		add_line(v, s->headers[c], keep(v, xstrdup(buf)), pm < 0 ? 0 : pm, keep(v, xstrdup(pct)), false);
	}
	c = stats_col_terminated(s);
	stats_thousands(buf, sizeof(buf), stats_value(s, total, c));
	add_line(v, "解约", keep(v, xstrdup(buf)), 0, "", false);
}

static void
read_figures(struct shell *sh, struct stats_view *v)
{
	struct app *app = shell_app(sh);
	struct wq_err err;

	if (v->loaded)
		stats_fini(&v->s);
	rows_free(v->queues);
	v->queues = NULL;
	v->loaded = false;
	v->error[0] = '\0';
	if (!v->by_set) {
		v->by = stats_default_by(app->me.kind);
		v->by_set = true;
	}
	wq_err_clear(&err);
	if (!stats_load(app->db, v->by, &v->s, &err)) {
		snprintf(v->error, sizeof(v->error), "无法读取统计数据：%s", err.msg);
		lines_free(v);
		return;
	}
	v->loaded = true;
	v->queues = stats_queues(app->db, &err);
	build_lines(v);
	if (v->scroll > v->nlines)
		v->scroll = 0;
}

/* Reads the figures (opening, R, another breakdown, the school's items moved): as of now. */
static void
load(struct shell *sh, struct stats_view *v)
{
	read_figures(sh, v);
	live_read(&v->live, live_now_ms());
}

static void
sv_open(struct shell *sh, void *priv)
{
	struct stats_view *v = priv;
	const struct me *me = &shell_app(sh)->me;
	char channel[64];
	struct wq_err err;

	v->exporting = false;
	live_init(&v->live, STATS_LIVE_MS);
	if (me->school_code && me->kind && strcmp(me->kind, "province") != 0) {
		snprintf(channel, sizeof(channel), "wq_items_%s", me->school_code);
		wq_err_clear(&err);
		if (!shell_listen(sh, v, channel, &err))
			shell_say(sh, true, "无法接收实时更新：%s", err.msg);
	}
	load(sh, v);
}

/* A decision or a submission of the school: only a hint, the figures are read again (sv_idle). */
static void
sv_notify(struct shell *sh, void *priv, const char *channel, const char *payload)
{
	struct stats_view *v = priv;

	(void)sh;
	(void)channel;
	(void)payload;
	live_hint(&v->live);
}

/* The re-read, once it is due; not under the export dialog, which exports what is shown. */
static void
sv_idle(struct shell *sh, void *priv)
{
	struct stats_view *v = priv;

	if (!v->exporting && live_due(&v->live, live_now_ms()))
		load(sh, v);
}

static void
sv_fini(void *priv)
{
	struct stats_view *v = priv;

	if (v->loaded)
		stats_fini(&v->s);
	rows_free(v->queues);
	lines_free(v);
}

/* "北京甲大学 · 计算机学院", or the province's name. */
static void
scope_label(const struct me *me, char *buf, size_t size)
{
	if (me->kind && strcmp(me->kind, "province") == 0)
		snprintf(buf, size, "%s", me->province_name ? me->province_name : "");
	else if (me->dept)
		snprintf(buf, size, "%s · %s", me->school_name ? me->school_name : "", me->dept);
	else
		snprintf(buf, size, "%s", me->school_name ? me->school_name : "");
}

/* The whole table: the group frozen on the left, the other columns from hscroll on. */
static void
draw_table(struct stats_view *v, int y, int x, int h, int w)
{
	const struct stats *s = &v->s;
	int gw = (int)str_width(s->headers[0]), r, c, cx, line;

	for (r = 0; r < s->nrows; r++) {
		int cw = (int)str_width(stats_cell(s, r, 0));

		if (cw > gw)
			gw = cw;
	}
	if (gw > 24)
		gw = 24;
	ui_put(y, x, gw, s->headers[0], UI_TITLE, true);
	for (line = 0; line + 1 < h && v->scroll + line < s->nrows; line++)
		ui_put(y + 1 + line, x, gw, stats_cell(s, v->scroll + line, 0),
			v->scroll + line == s->nrows - 1 ? UI_TITLE : UI_NORMAL, true);
	cx = x + gw + 1;
	for (c = 1 + v->hscroll; c < s->ncols && cx < x + w; c++) {
		int cw = (int)str_width(s->headers[c]), room;
		char cell[64];

		for (r = 0; r < s->nrows; r++) {
			int n = (int)str_width(stats_cell(s, r, c));

			if (n > cw)
				cw = n;
		}
		room = x + w - cx;
		if (cw > room)
			break;
		snprintf(cell, sizeof(cell), "%*s%s", cw - (int)str_width(s->headers[c]), "", s->headers[c]);
		ui_put(y, cx, cw, cell, UI_TITLE, true);
		for (line = 0; line + 1 < h && v->scroll + line < s->nrows; line++) {
			const char *t = stats_cell(s, v->scroll + line, c);

			snprintf(cell, sizeof(cell), "%*s%s", cw - (int)str_width(t), "", t);
			ui_put(y + 1 + line, cx, cw, cell, v->scroll + line == s->nrows - 1 ? UI_TITLE : UI_NORMAL, true);
		}
		cx += cw + 2;
	}
}

/* The charts' label column: the widest label, 8 to 24 cells. */
static int
label_width(const struct stats_view *v)
{
	int i, lw = 8;

	for (i = 0; i < v->nlines; i++) {
		int n = (int)str_width(v->lines[i].label);

		if (n > lw)
			lw = n;
	}
	return lw > 24 ? 24 : lw;
}

/* The queues on one line: "待审核  在线签约 3 件（最早 5 天前） · …" (待鉴证 under 两方协议). */
static void
draw_queues(struct stats_view *v, const char *verb, int y, int x, int w)
{
	char buf[512];
	size_t len;
	int i;

	if (!v->queues)
		return;
	len = (size_t)snprintf(buf, sizeof(buf), "待%s ", verb);
	for (i = 0; i < v->queues->nrows && len < sizeof(buf); i++) {
		const char *oldest = rows_getn(v->queues, i, "oldest");

		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s %s %s 件", i ? " ·" : "",
			rows_getn(v->queues, i, "label"), rows_getn(v->queues, i, "waiting"));
		if (oldest && len < sizeof(buf))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "（最早 %s 天）", rows_getn(v->queues, i, "days"));
	}
	ui_put(y, x, w, buf, UI_DIM, true);
}

static void
sv_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct stats_view *v = priv;
	const struct me *me = &shell_app(sh)->me;
	char buf[512], scope[256], n[32];
	size_t len;
	int i, body = h - 4;

	if (!v->loaded) {
		ui_put(y, x, w, v->error[0] ? v->error : "正在读取…", v->error[0] ? UI_ERROR : UI_NORMAL, false);
		return;
	}
	scope_label(me, scope, sizeof(scope));
	stats_thousands(n, sizeof(n), stats_value(&v->s, v->s.nrows - 1, STATS_COL_GRADUATES));
	snprintf(buf, sizeof(buf), "数据统计 · %s · 毕业生 %s 人 · 毕业去向落实率 %s", scope, n,
		stats_cell(&v->s, v->s.nrows - 1, stats_col_rate(&v->s)));
	ui_put(y, x, w, buf, UI_TITLE, true);
	len = (size_t)snprintf(buf, sizeof(buf), "分组：");
	for (i = 0; i < STATS_BY_COUNT && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, i == (int)v->by ? "[%s] " : " %s  ",
			stats_by_labels[i]);
	ui_put(y + 1, x, w, buf, UI_NORMAL, true);
	if (v->table)
		draw_table(v, y + 3, x, body - 1, w);
	else
		chart_draw(y + 3, x, body - 1, w, v->lines, v->nlines, v->scroll, 1000, label_width(v), 8);
	draw_queues(v, agreement_verb(me->agreement_type), y + h - 1, x, w);
	if (v->exporting)
		export_dialog_draw(&v->export, y, x, h, w);
}

static void
do_export(struct shell *sh, struct stats_view *v)
{
	struct wq_err err;
	const char *path = export_dialog_path(&v->export);

	wq_err_clear(&err);
	if (stats_export(&v->s, path, export_dialog_format(&v->export), &err))
		shell_say(sh, false, "已导出数据统计（按%s，%d 行）到 %s", stats_by_labels[v->by], v->s.nrows, path);
	else
		shell_say(sh, true, "导出失败：%s", err.msg);
}

static void
sv_act(struct shell *sh, void *priv, enum action a)
{
	struct stats_view *v = priv;
	int rows = v->table ? (v->loaded ? v->s.nrows : 0) : v->nlines;

	if (v->exporting)
		return;   /* the dialog takes every key (sv_key) */
	switch (a) {
	case ACT_STATS_BY:
		v->by = (enum stats_by)((v->by + 1) % STATS_BY_COUNT);
		v->scroll = 0;
		load(sh, v);
		break;
	case ACT_STATS_VIEW:
		v->table = !v->table;
		v->scroll = 0;
		break;
	case ACT_EXPORT:
		if (!v->loaded)
			return;
		export_dialog_open_named(&v->export, " 导出数据统计 ", "数据统计", shell_app(sh)->me.login,
			"新导出的统计表", "导出当前分组的统计表；相对路径从启动 wq 的文件夹算起");
		v->exporting = true;
		break;
	case ACT_MOVE_DOWN:
		if (v->scroll + 1 < rows)
			v->scroll++;
		break;
	case ACT_MOVE_UP:
		if (v->scroll > 0)
			v->scroll--;
		break;
	case ACT_PAGE_DOWN:
		v->scroll = v->scroll + 10 < rows ? v->scroll + 10 : (rows > 0 ? rows - 1 : 0);
		break;
	case ACT_PAGE_UP:
		v->scroll = v->scroll > 10 ? v->scroll - 10 : 0;
		break;
	case ACT_SCROLL_RIGHT:
		if (v->table && v->loaded && v->hscroll + 2 < v->s.ncols)
			v->hscroll++;
		break;
	case ACT_SCROLL_LEFT:
		if (v->hscroll > 0)
			v->hscroll--;
		break;
	default:
		break;
	}
}

static bool
sv_key(struct shell *sh, void *priv, int rc, wint_t ch)
{
	struct stats_view *v = priv;

	if (!v->exporting)
		return false;
	switch (export_dialog_key(&v->export, rc == KEY_CODE_YES, (unsigned int)ch)) {
	case EXPORT_GO:
		v->exporting = false;
		do_export(sh, v);
		break;
	case EXPORT_CANCEL:
		v->exporting = false;
		break;
	case EXPORT_OPEN:
		break;
	}
	return true;
}

static int
sv_context(struct shell *sh, void *priv)
{
	struct stats_view *v = priv;

	(void)sh;
	return v->exporting ? export_dialog_context(&v->export) : CTX_STATS;
}

static const char *
sv_hints(struct shell *sh, void *priv)
{
	struct stats_view *v = priv;

	(void)sh;
	return v->exporting ? export_dialog_hints(&v->export) : NULL;
}

const struct module_ops stats_module = {
	.ctx = CTX_STATS,
	.priv_size = sizeof(struct stats_view),
	.open = sv_open,
	.draw = sv_draw,
	.key = sv_key,
	.act = sv_act,
	.on_notify = sv_notify,
	.idle = sv_idle,
	.fini = sv_fini,
	.context = sv_context,
	.hints = sv_hints,
};
