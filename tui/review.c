/*
 * review.c: the review queues, 在线签约管理, 补登管理, 去向登记管理 and 解约管理: a
 * queue of the user's items as a source for the list widget (each queue's
 * columns and tabs are src/queue.c's queue_kind), with the tabs; Enter
 * (or a, r, x) opens the item's page (review_item.c) over it.  Marked rows
 * are passed together after one confirmation that lists them.
 *
 * A queue opens on what waits for the user (w shows everything), the longest
 * waiting first, and listens on the school's channel: another clerk's
 * decision or a new submission reloads it without a key press.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "dialog.h"
#include "list.h"
#include "queue.h"
#include "review.h"
#include "shell.h"
#include "str.h"
#include "ui.h"
#include "util.h"

#define BATCH_MAX 500   /* marked rows passed in one go */


static const char *const queue_col_ids[QC_COUNT] = {
#define QUEUE_COL_ID(id, label, expr, dest_expr, term_expr, sort, filterable) [QC_##id] = #id,
	QUEUE_COLS(QUEUE_COL_ID)
#undef QUEUE_COL_ID
};

static const int queue_col_width[QC_COUNT] = {
	[QC_WAITED] = 8, [QC_STUDENT_NO] = 16, [QC_NAME] = 10, [QC_DEPT] = 18, [QC_EMPLOYER] = 24,
	[QC_DEST] = -40, [QC_WARNING] = 16, [QC_INITIATOR] = 7, [QC_KIND] = 9, [QC_STATE] = -36, [QC_LEVEL] = 24,
	[QC_SOURCE] = 9, [QC_PROTOCOL] = 20, [QC_STATUS] = 9, [QC_TERM_KIND] = 9, [QC_CAUSE] = 14,
};

/* What each queue's list says of itself. */
static const struct {
	const char *queue, *title, *noun, *empty;
} queue_words[] = {
	{ "signing", "在线签约管理", "签约", "没有签约：单位发起的签约邀请、学生提交的线下签约申请会出现在这里" },
	{ "registration", "补登管理", "补登", "没有补登：学生提交的已签就业协议登记信息会出现在这里" },
	{ "destination", "去向登记管理", "去向登记", "没有去向登记：毕业生提交的毕业去向登记会出现在这里" },
	{ "termination", "解约管理", "解约", "没有解约申请：毕业生或单位发起的解约、毕业生提交的线下解约会出现在这里" },
};

/* The cell of column col in a row of the queue ("" when the queue has no such column). */
const char *
review_cell(const struct review *r, const struct list_row *row, enum queue_col col)
{
	int i = queue_kind_index(r->kind, col);

	return i >= 0 ? row->cell[i] : "";
}

/* ---- the source ---------------------------------------------------------------- */

static void
sync_query(struct review *r, const struct list *l)
{
	int c;

	snprintf(r->q.text, sizeof(r->q.text), "%s", l->filter.buf);
	r->q.sort = r->kind->cols[l->sort];
	r->q.desc = l->desc;
	for (c = 0; c < r->kind->ncols; c++)
		queue_query_set_field(&r->q, r->kind->cols[c], l->field[c]);
	r->q.tab = r->kind->ntabs ? r->kind->tabs[r->tab] : NULL;
}

static void
take_sql(struct review *r, struct list_sql *out)
{
	out->sql = r->sql.sql;
	out->params = r->sql.params;
	out->nparams = r->sql.nparams;
}

static bool
src_page(void *ctx, const struct list *l, const char *key_sort, const char *key_id, bool backward,
	int limit, struct list_sql *out)
{
	struct review *r = ctx;

	sync_query(r, l);
	query_fini(&r->sql);
	queue_page_sql(&r->q, key_sort, key_id, backward, limit, &r->sql);
	take_sql(r, out);
	return true;
}

static bool
src_count(void *ctx, const struct list *l, bool total, struct list_sql *out)
{
	struct review *r = ctx;
	struct queue_query all;

	sync_query(r, l);
	query_fini(&r->sql);
	if (total) {
		/* the same queue and tab, with no filter */
		queue_query_init(&all, r->queue);
		all.tab = r->q.tab;
		all.waiting = r->q.waiting;
		queue_count_sql(&all, &r->sql);
		queue_query_fini(&all);
	} else {
		queue_count_sql(&r->q, &r->sql);
	}
	take_sql(r, out);
	return true;
}

static struct wq_rows *
src_values(void *ctx, struct shell *sh, const struct list *l, int col, struct wq_err *err)
{
	struct review *r = ctx;

	(void)l;
	return queue_values(shell_app(sh)->db, &r->q, r->kind->cols[col], err);
}

static enum ui_style
src_style(void *ctx, const struct list_row *row, int col)
{
	struct review *r = ctx;
	enum queue_col c = r->kind->cols[col];

	if (c == QC_WARNING && row->cell[col][0])
		return UI_ERROR;
	if (c == QC_STATE && (strstr(row->cell[col], "不通过") || strstr(row->cell[col], "失败")
	    || strstr(row->cell[col], "不同意") || strstr(row->cell[col], "强制")
	    || strstr(row->cell[col], "作废") || strstr(row->cell[col], "退回")))
		return UI_ERROR;
	if (c == QC_STATUS && strcmp(row->cell[col], "存续") != 0)
		return UI_ERROR;
	return UI_NORMAL;
}

/* The list's source for the queue: its columns, words and the functions above. */
static void
source_init(struct review *r)
{
	size_t w;
	int i;

	for (i = 0; i < r->kind->ncols; i++) {
		enum queue_col c = r->kind->cols[i];

		r->cols[i].id = queue_col_ids[c];
		r->cols[i].label = queue_cols[c].label;
		r->cols[i].width = queue_col_width[c];
		r->cols[i].sortable = queue_cols[c].sort[0] != '\0';
		r->cols[i].filterable = queue_cols[c].filterable;
		r->cols[i].hidden = c == QC_PROTOCOL || c == QC_STATUS || c == QC_KIND || c == QC_LEVEL;
		if (r->kind->source == QS_TERMINATION) {
			/* the state takes the room it needs; 院系, 解约原因 and 解约方式 wait behind c */
			if (c == QC_STATE)
				r->cols[i].width = 30;
			r->cols[i].hidden = r->cols[i].hidden || c == QC_CAUSE || c == QC_TERM_KIND || c == QC_DEPT;
		}
		if (r->kind->source == QS_DESTINATION) {
			/* the 毕业去向 takes the room (one flexible column): the states
			 * are short, and 院系 and 来源 wait behind c */
			if (c == QC_STATE)
				r->cols[i].width = 18;
			r->cols[i].hidden = r->cols[i].hidden || c == QC_DEPT || c == QC_SOURCE;
		}
	}
	memset(&r->src, 0, sizeof(r->src));
	r->src.name = r->kind->queue;
	r->src.cols = r->cols;
	r->src.ncols = r->kind->ncols;
	r->src.frozen = 1;
	r->src.markable = true;
	r->src.page = src_page;
	r->src.count = src_count;
	r->src.values = src_values;
	r->src.style = src_style;
	for (w = 0; w < ARRAY_SIZE(queue_words); w++)
		if (strcmp(queue_words[w].queue, r->kind->queue) == 0) {
			r->src.title = queue_words[w].title;
			r->src.noun = queue_words[w].noun;
			r->src.empty = queue_words[w].empty;
		}
}

/* ---- the queue ------------------------------------------------------------------------ */

static void
rv_open(struct shell *sh, void *priv, const char *queue)
{
	struct review *r = priv;
	const struct me *me = &shell_app(sh)->me;
	char channel[64];
	struct wq_err err;

	if (!r->ready) {
		r->queue = queue;
		r->kind = queue_kind_of(queue);
		source_init(r);
		queue_query_init(&r->q, queue);
		r->q.waiting = true;   /* what waits for the user, the longest waiting first */
		list_init(&r->list, &r->src, r, r);
		r->list.sort = queue_kind_index(r->kind, QC_WAITED);
		r->ready = true;
	}
	r->batch = r->report = false;
	snprintf(channel, sizeof(channel), "wq_items_%s", me->school_code ? me->school_code : "");
	wq_err_clear(&err);
	if (!shell_listen(sh, r, channel, &err))
		shell_say(sh, true, "无法接收实时更新：%s", err.msg);
	list_open(sh, &r->list, me->login);
}

static void
rv_open_signing(struct shell *sh, void *priv)
{
	rv_open(sh, priv, "signing");
}

static void
rv_open_registration(struct shell *sh, void *priv)
{
	rv_open(sh, priv, "registration");
}

static void
rv_open_destination(struct shell *sh, void *priv)
{
	rv_open(sh, priv, "destination");
}

static void
rv_open_termination(struct shell *sh, void *priv)
{
	rv_open(sh, priv, "termination");
}

static void
rv_fini(void *priv)
{
	struct review *r = priv;

	if (!r->ready)
		return;
	list_fini(&r->list);
	query_fini(&r->sql);
	queue_query_fini(&r->q);
}

static void
rv_close(struct shell *sh, void *priv)
{
	struct review *r = priv;

	(void)sh;
	if (r->ready)
		list_close(&r->list);
}

static void
rv_on_result(struct shell *sh, void *priv, int tag, const struct wq_rows *rows, const struct wq_err *err)
{
	struct review *r = priv;

	list_on_result(sh, &r->list, tag, rows, err);
}

/*
 * The queue as it is now, unless the batch question is open (it lists the
 * marked rows, which must stay): then once it closes.
 */
static void
rv_reread(struct shell *sh, struct review *r)
{
	r->stale = r->batch;
	if (!r->batch)
		list_requery(sh, &r->list);
}

static void
rv_notify(struct shell *sh, void *priv, const char *channel, const char *payload)
{
	(void)channel;
	(void)payload;
	rv_reread(sh, priv);
}

/* The province changed its agreement type: the states the database labels carry the new verb. */
static void
rv_agreement_type(struct shell *sh, void *priv)
{
	struct review *r = priv;

	if (r->ready)
		rv_reread(sh, r);
}

/* The tabs (补登管理, 去向登记管理) and what the queue shows, then the list. */
static void
rv_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct review *r = priv;
	char buf[256];
	int i, cx = x;

	for (i = 0; i < r->kind->ntabs; i++) {
		/* 签约审核中 is 签约鉴证中 under 两方协议, as the states in the rows are */
		char *label = agreement_verb_text(r->kind->tab_labels[i], shell_app(sh)->me.agreement_type);

		snprintf(buf, sizeof(buf), " %s ", label);
		free(label);
		ui_put(y, cx, w - (cx - x), buf, i == r->tab ? UI_SELECTED : UI_DIM, i == r->tab);
		cx += (int)str_width(buf) + 1;
	}
	snprintf(buf, sizeof(buf), "%s（w 切换）", r->q.waiting ? "只显示待我审核的" : "显示全部");
	if (strcmp(agreement_verb(shell_app(sh)->me.agreement_type), "鉴证") == 0)
		snprintf(buf, sizeof(buf), "%s（w 切换）", r->q.waiting ? "只显示待我鉴证的" : "显示全部");
	ui_put(y, cx + 1, w - (cx - x) - 1, buf, UI_DIM, false);
	list_draw(sh, &r->list, y + 1, x, h - 1, w);
	if (r->batch || r->report)
		dialog_draw(&r->ask, y, x, h, w);
}

static int
rv_context(struct shell *sh, void *priv)
{
	struct review *r = priv;

	(void)sh;
	return r->batch || r->report ? CTX_DIALOG : list_context(&r->list);
}

static const char *
rv_hints(struct shell *sh, void *priv)
{
	struct review *r = priv;

	(void)sh;
	return r->batch || r->report ? dialog_hints(&r->ask) : NULL;
}

/* 通过 for every marked row: one question that lists them. */
static void
rv_start_batch(struct shell *sh, struct review *r)
{
	char title[64];
	int i, shown = 0;

	snprintf(title, sizeof(title), " 批量%s：通过 ", agreement_verb(shell_app(sh)->me.agreement_type));
	dialog_open(&r->ask, title, "全部通过");
	dialog_add(&r->ask, "将通过已标记的 %d 项：", r->list.nmarks);
	for (i = 0; i < r->list.nrows && shown < DIALOG_LINES - 3; i++)
		if (list_is_marked(&r->list, r->list.rows[i].id)) {
			dialog_add(&r->ask, "  %s（%s） · %s", review_cell(r, &r->list.rows[i], QC_NAME),
				review_cell(r, &r->list.rows[i], QC_STUDENT_NO),
				review_cell(r, &r->list.rows[i], r->kind->source == QS_DESTINATION ? QC_DEST : QC_EMPLOYER));
			shown++;
		}
	if (shown < r->list.nmarks)
		dialog_add(&r->ask, "  ……另有 %d 项", r->list.nmarks - shown);
	r->batch = true;
}

/* Each marked item passed in turn; the outcome of each is reported. */
static void
rv_batch(struct shell *sh, struct review *r)
{
	struct app *app = shell_app(sh);
	int i, ok = 0, failed = 0, n = r->list.nmarks < BATCH_MAX ? r->list.nmarks : BATCH_MAX;
	char **ids = xcalloc((size_t)n + 1, sizeof(*ids));
	char first_error[600] = "";

	for (i = 0; i < n; i++)
		ids[i] = xstrdup(r->list.marks[i]);
	dialog_open(&r->ask, " 批量通过的结果 ", "确定");
	for (i = 0; i < n; i++) {
		struct wq_rows *item;
		struct agreement_outcome out = { 0 };
		struct wq_err err;
		char request_id[WQ_REQUEST_ID_SIZE];
		bool done = false;

		wq_err_clear(&err);
		wq_request_id(request_id);
		item = queue_item(app->db, r->kind->source, ids[i], &err);
		if (item && item->nrows == 1)
			done = agreement_decide(app->db, atol(ids[i]), "pass", atoi(rows_getn(item, 0, "version")),
				request_id, NULL, NULL, &out, &err);
		else if (item)
			wq_err_set(&err, WQ_ERR_INPUT, "已不在你的范围内");
		agreement_outcome_fini(&out);
		if (done) {
			ok++;
			list_mark(&r->list, ids[i], false);
		} else {
			failed++;
			if (failed <= DIALOG_LINES - 3)
				dialog_add(&r->ask, "%s %s：%s", item && item->nrows == 1 ? rows_getn(item, 0, "student_name") : "",
					item && item->nrows == 1 ? rows_getn(item, 0, "student_no") : ids[i], err.msg);
			if (!first_error[0])
				snprintf(first_error, sizeof(first_error), "%s", err.msg);
		}
		rows_free(item);
		free(ids[i]);
	}
	free(ids);
	if (failed == 0)
		dialog_add(&r->ask, "已通过 %d 项", ok);
	else
		dialog_add(&r->ask, "已通过 %d 项，%d 项未通过（见上）；未通过的仍保持标记", ok, failed);
	r->batch = false;
	r->report = true;
	r->stale = false;   /* read again just below */
	shell_say(sh, failed > 0, "批量通过：成功 %d 项，失败 %d 项%s%s", ok, failed, failed ? "：" : "", first_error);
	list_requery(sh, &r->list);
}

static bool
rv_key(struct shell *sh, void *priv, int rc, wint_t ch)
{
	struct review *r = priv;
	bool kc = rc == KEY_CODE_YES;

	if (r->batch) {
		switch (dialog_key(&r->ask, kc, (unsigned int)ch)) {
		case DIALOG_YES:
			rv_batch(sh, r);
			break;
		case DIALOG_NO:
			r->batch = false;
			shell_say(sh, false, "已取消");
			if (r->stale)
				rv_reread(sh, r);
			break;
		case DIALOG_OPEN:
			break;
		}
		return true;
	}
	if (r->report) {
		if (dialog_key(&r->ask, kc, (unsigned int)ch) != DIALOG_OPEN)
			r->report = false;
		return true;
	}
	return list_key(sh, &r->list, rc, ch);
}

static void
rv_act(struct shell *sh, void *priv, enum action a)
{
	struct review *r = priv;

	if (list_context(&r->list) != 0) {
		list_act(sh, &r->list, a);
		return;
	}
	switch (a) {
	case ACT_DETAIL:
	case ACT_REVIEW_PASS:
	case ACT_REVIEW_RETURN:
	case ACT_REVIEW_REJECT:
		if (a == ACT_REVIEW_PASS && r->list.nmarks > 0) {
			rv_start_batch(sh, r);
			return;
		}
		if (list_current(&r->list))
			review_item_push(sh, r, a);
		return;
	case ACT_REVIEW_WAITING:
		r->q.waiting = !r->q.waiting;
		list_requery(sh, &r->list);
		return;
	case ACT_REVIEW_TAB:
		if (r->kind->ntabs) {
			r->tab = (r->tab + 1) % r->kind->ntabs;
			list_requery(sh, &r->list);
		}
		return;
	default:
		list_act(sh, &r->list, a);
		return;
	}
}

#define QUEUE_MODULE(name, opener) \
	const struct module_ops name = { \
		.ctx = CTX_REVIEW, \
		.priv_size = sizeof(struct review), \
		.open = opener, \
		.draw = rv_draw, \
		.key = rv_key, \
		.act = rv_act, \
		.on_result = rv_on_result, \
		.on_notify = rv_notify, \
		.on_agreement_type = rv_agreement_type, \
		.close = rv_close, \
		.fini = rv_fini, \
		.context = rv_context, \
		.hints = rv_hints, \
	}
QUEUE_MODULE(signing_module, rv_open_signing);
QUEUE_MODULE(registration_module, rv_open_registration);
QUEUE_MODULE(destination_module, rv_open_destination);
QUEUE_MODULE(termination_module, rv_open_termination);
#undef QUEUE_MODULE
