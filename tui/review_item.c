/*
 * review_item.c: one item of a review queue (在线签约管理, 补登管理,
 * 去向登记管理, 解约管理), a view pushed over its queue: 协议信息, 单位信息,
 * 学生信息, 学校信息 (a registration's 去向信息 and 学生信息; a termination's
 * 解约信息, then its agreement's), its files and history; the decision (通过
 * in the confirm dialog, 退回修改 and 不通过 in a form with the reason
 * category and the text, then the dialog; the 通过 that approves an offline
 * termination asks for its 解约原因 first), after which the next item of the
 * queue opens; 下载就业协议书 (p), saving (o) and showing (v) a file; for a
 * school user, a registration's 修改去向 (e: the code and its fields, then a
 * question that it was agreed with the graduate) and a termination's 强制解约
 * (F: a note and the evidence, then a warning).  A refused decision, change
 * or 强制解约 keeps what was typed.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "destination.h"
#include "dialog.h"
#include "export_dialog.h"
#include "form.h"
#include "image_view.h"
#include "list.h"
#include "queue.h"
#include "review.h"
#include "shell.h"
#include "str.h"
#include "termination.h"
#include "ui.h"
#include "util.h"

enum rd_mode { RD_VIEW, RD_FORM, RD_CONFIRM, RD_PDF, RD_CHANGE, RD_CHANGE_CONFIRM, RD_CAUSE, RD_FORCE, RD_FORCE_CONFIRM };

/* What the dialog of a 强制解约 says before anything else (domain.md). */
#define FORCE_WARNING "特别提醒该功能请谨慎使用，使用前应与单位协商一致并注意留存相关材料以防出现纠纷"
/* … and the 解约原因 that only a school user may choose. */
#define UNILATERAL_WARNING "“学生单方面解约”只用于单位已注销、无法提供材料的情况，请谨慎使用"

struct rdetail {
	struct review *r;             /* the queue below, which outlives this view */
	char id[32];
	struct wq_rows *item, *detail, *history, *reasons, *files;
	int scroll;
	enum rd_mode mode;
	const char *action;           /* "pass", "return", "reject" */
	struct form form;
	int f_cat, f_text;
	const char *cat_values[16], *cat_labels[16];
	char form_for[48];            /* the item the form's text was typed for */
	char title[64];               /* the form's title, which form.title points at */
	bool relabel;                 /* the agreement type changed: read the item again back on the page */
	struct dialog ask;
	char request_id[WQ_REQUEST_ID_SIZE];   /* one decision, kept across a retry */
	struct export_dialog pdf;     /* 下载就业协议书 or 保存附件: where to */
	long saving_file;             /* the attachment being saved, 0: the 就业协议书 */
	/* 修改去向 (school users): the code and its fields, then the question */
	struct form change;
	int f_code, f_field[DF_COUNT];
	struct wq_rows *codes;
	const char *code_values[32], *code_labels[32];
	char change_for[32];          /* the registration the form was filled for */
	char change_request[WQ_REQUEST_ID_SIZE];
	/* a termination: the 解约原因 of the 通过 that approves it */
	struct form cause;
	struct wq_rows *causes;
	const char *cause_values[8], *cause_labels[8];
	char cause_for[32];
	char cause_title[64];         /* the form's title, which cause.title points at */
	/* 强制解约 (school users): the note and the evidence, then the warning */
	struct form force;
	int f_note, f_file;
	char force_for[32];
};

static const char *
item_get(const struct rdetail *d, const char *col)
{
	const char *v = d->item && d->item->nrows == 1 ? rows_getn(d->item, 0, col) : NULL;

	return v ? v : "";
}

/* May the user take action a on the item now (the database says which)? */
static bool
item_allows(const struct rdetail *d, const char *action)
{
	const char *acts = item_get(d, "actions");
	size_t n = strlen(action);
	const char *p;

	for (p = acts; (p = strstr(p, action)); p += n)
		if ((p == acts || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* Is the item a registration (去向登记)? */
static bool
is_destination(const struct rdetail *d)
{
	return d->r->kind->source == QS_DESTINATION;
}

/* Is the item a termination (解约)? */
static bool
is_termination(const struct rdetail *d)
{
	return d->r->kind->source == QS_TERMINATION;
}

/* Does this 通过 approve an offline termination, and so carry its 解约原因? */
static bool
pass_needs_cause(const struct rdetail *d)
{
	return d->action && strcmp(d->action, "pass") == 0 && strcmp(item_get(d, "needs_cause"), "t") == 0;
}

/* The 解约原因 chosen (its code), or NULL. */
static const char *
cause_value(const struct rdetail *d)
{
	return d->cause.nfields ? form_value(&d->cause, 0) : NULL;
}

/* What the item is about, as a line says it: 单位：… or 毕业去向：… */
static const char *
what_label(const struct rdetail *d)
{
	return is_destination(d) ? "毕业去向" : "单位";
}

/* Reads the item d->id (its rows, detail, history and files) again. */
static void
rd_read(struct shell *sh, struct rdetail *d)
{
	struct app *app = shell_app(sh);
	struct wq_err err;

	rows_free(d->item);
	rows_free(d->detail);
	rows_free(d->history);
	rows_free(d->files);
	d->item = d->detail = d->history = d->files = NULL;
	d->relabel = false;
	if (!d->id[0])
		return;
	wq_err_clear(&err);
	if (!(d->item = queue_item(app->db, d->r->kind->source, d->id, &err))
	    || !(d->detail = queue_detail(app->db, d->id, &err))
	    || !(d->history = queue_history(app->db, d->id, &err))
	    || !(d->files = agreement_attachments(app->db, atol(d->id), &err)))
		shell_say(sh, true, "无法读取：%s", err.msg);
}

/* The queue's current item, from its top. */
static void
rd_load(struct shell *sh, struct rdetail *d)
{
	const struct list_row *cur = list_current(&d->r->list);

	d->scroll = 0;
	if (cur)
		snprintf(d->id, sizeof(d->id), "%s", cur->id);
	rd_read(sh, d);
}

static void
rd_open(struct shell *sh, void *priv)
{
	rd_load(sh, priv);
}

static void
rd_fini(void *priv)
{
	struct rdetail *d = priv;

	rows_free(d->item);
	rows_free(d->detail);
	rows_free(d->history);
	rows_free(d->reasons);
	rows_free(d->files);
	rows_free(d->codes);
	rows_free(d->causes);
	form_wipe(&d->change);
	form_wipe(&d->force);
}

/* A form of the page, centred, at most maxw wide, under the title row. */
static void
draw_form(struct form *f, int y, int x, int h, int w, int maxw)
{
	int bw = w > maxw ? maxw : w, bh = form_height(f);

	form_draw(f, y + 1, x + (w - bw) / 2, bh < h - 1 ? bh : h - 1, bw);
}

/* The sections (协议信息, 单位信息, 学生信息), then the history. */
static void
rd_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct rdetail *d = priv;
	const char *section = "";
	char buf[1024];
	int line = 0, r, lw = 18;

	if (!d->detail || d->detail->nrows == 0) {
		ui_put(y, x, w, "找不到这一项（可能已不在你的范围内）", UI_ERROR, false);
		return;
	}
	snprintf(buf, sizeof(buf), "%s › %s（%s） · %s", d->r->list.src->title, item_get(d, "student_name"),
		item_get(d, "student_no"), item_get(d, "what"));
	ui_put(y, x, w, buf, UI_TITLE, true);
#define PUT(text, style, bold) do { \
		if (line - d->scroll >= 0 && 1 + line - d->scroll < h) \
			ui_put(y + 1 + line - d->scroll, x, w, text, style, bold); \
		line++; \
	} while (0)
	for (r = 0; r < d->detail->nrows; r++) {
		const char *sec = rows_get(d->detail, r, 0), *label = rows_get(d->detail, r, 1),
			*value = rows_get(d->detail, r, 2);

		if (strcmp(sec, section) != 0) {
			if (line)
				PUT("", UI_NORMAL, false);
			PUT(sec, UI_TITLE, true);
			section = sec;
		}
		if (!value || !*value)
			continue;
		if (line - d->scroll >= 0 && 1 + line - d->scroll < h) {
			ui_put(y + 1 + line - d->scroll, x + 2, lw, label, UI_DIM, false);
			/* what a reviewer must see before deciding stands out: an employer
			 * not 存续, a 预警 mark of this school, a national warning unit */
			bool alarm = (strcmp(label, "经营状态") == 0 && strcmp(value, "存续") != 0)
				|| strcmp(label, "本校预警") == 0 || strcmp(label, "全国预警单位") == 0;

			ui_put(y + 1 + line - d->scroll, x + 2 + lw, w - lw - 2, value, alarm ? UI_ERROR : UI_NORMAL, alarm);
		}
		line++;
	}
	/* the files: what each is, newest last (o saves the newest) */
	if (d->files && d->files->nrows > 0) {
		PUT("", UI_NORMAL, false);
		PUT("附件", UI_TITLE, true);
		for (r = 0; r < d->files->nrows; r++) {
			long size = atol(rows_getn(d->files, r, "size"));

			snprintf(buf, sizeof(buf), "  %s  %s  %s  %.1f KB  SHA-256 %.16s…  %s %s",
				rows_getn(d->files, r, "role_label"), rows_getn(d->files, r, "file_name"),
				rows_getn(d->files, r, "mime"), (double)size / 1024.0, rows_getn(d->files, r, "sha256"),
				rows_getn(d->files, r, "uploaded_by"), rows_getn(d->files, r, "uploaded_at"));
			PUT(buf, UI_NORMAL, false);
		}
	}
	PUT("", UI_NORMAL, false);
	snprintf(buf, sizeof(buf), "%s记录", agreement_verb(shell_app(sh)->me.agreement_type));
	PUT(buf, UI_TITLE, true);
	if (!d->history || d->history->nrows == 0)
		PUT("（暂无记录）", UI_DIM, false);
	for (r = 0; d->history && r < d->history->nrows; r++) {
		const char *cat = rows_getn(d->history, r, "category"), *why = rows_getn(d->history, r, "reason");

		snprintf(buf, sizeof(buf), "  %s  %s（%s）  %s → %s%s%s%s%s", rows_getn(d->history, r, "at"),
			rows_getn(d->history, r, "actor_name"), rows_getn(d->history, r, "actor_kind"),
			agreement_action_label(rows_getn(d->history, r, "action")),
			rows_getn(d->history, r, "to_label"), *cat || *why ? "  原因：" : "", cat,
			*cat && *why ? "，" : "", why);
		PUT(buf, UI_NORMAL, false);
	}
#undef PUT
	if (d->mode == RD_FORM) {
		draw_form(&d->form, y, x, h, w, 72);
	} else if (d->mode == RD_CONFIRM) {
		dialog_draw(&d->ask, y, x, h, w);
	} else if (d->mode == RD_PDF) {
		export_dialog_draw(&d->pdf, y, x, h, w);
	} else if (d->mode == RD_CHANGE || d->mode == RD_CHANGE_CONFIRM) {
		draw_form(&d->change, y, x, h, w, 76);
		if (d->mode == RD_CHANGE_CONFIRM)
			dialog_draw(&d->ask, y, x, h, w);
	} else if (d->mode == RD_CAUSE) {
		draw_form(&d->cause, y, x, h, w, 76);
	} else if (d->mode == RD_FORCE || d->mode == RD_FORCE_CONFIRM) {
		draw_form(&d->force, y, x, h, w, 76);
		if (d->mode == RD_FORCE_CONFIRM)
			dialog_draw(&d->ask, y, x, h, w);
	}
}

/* 下载就业协议书: where to save it (协议书编号.pdf in the current folder by default). */
static void
rd_start_pdf(struct shell *sh, struct rdetail *d)
{
	char name[128];

	if (!d->item || d->item->nrows != 1)
		return;
	if (strcmp(item_get(d, "pdf"), "t") != 0) {   /* the database says when it exists */
		shell_say(sh, true, "当前状态（%s）还不能下载就业协议书", item_get(d, "state_label"));
		return;
	}
	snprintf(name, sizeof(name), "就业协议书-%s.pdf", item_get(d, "protocol_no"));
	export_dialog_open_file(&d->pdf, " 下载就业协议书 ", "保存", name, "新的就业协议书",
		"相对路径从启动 wq 的文件夹算起");
	d->saving_file = 0;
	d->mode = RD_PDF;
}

/* 查看附件: the newest file of the item, drawn in the terminal (a stamp can be checked over SSH). */
static void
rd_view_file(struct shell *sh, struct rdetail *d)
{
	struct wq_err err;
	unsigned char *data = NULL;
	size_t n = 0;
	char title[300];
	int last;

	if (!d->files || d->files->nrows == 0) {
		shell_say(sh, true, "这一项没有附件");
		return;
	}
	last = d->files->nrows - 1;
	wq_err_clear(&err);
	if (!agreement_attachment_read(shell_app(sh)->db, atol(rows_getn(d->files, last, "id")), &data, &n, &err)) {
		shell_say(sh, true, "无法读取附件：%s", err.msg);
		return;
	}
	snprintf(title, sizeof(title), "%s · %s", rows_getn(d->files, last, "role_label"),
		rows_getn(d->files, last, "file_name"));
	if (!image_view_push(sh, data, n, title, &err))
		shell_say(sh, true, "%s", err.msg);
	free(data);
}

/* 保存附件: the newest file of the item, under its own name by default. */
static void
rd_start_file(struct shell *sh, struct rdetail *d)
{
	char name[256];
	int last;

	if (!d->files || d->files->nrows == 0) {
		shell_say(sh, true, "这一项没有附件");
		return;
	}
	last = d->files->nrows - 1;
	if (*item_get(d, "protocol_no"))
		snprintf(name, sizeof(name), "%s-%s", item_get(d, "protocol_no"), rows_getn(d->files, last, "file_name"));
	else   /* a registration has no 协议书编号: its id */
		snprintf(name, sizeof(name), "去向登记%s-%s", d->id, rows_getn(d->files, last, "file_name"));
	export_dialog_open_file(&d->pdf, " 保存附件 ", "保存", name, "这个附件", rows_getn(d->files, last, "role_label"));
	d->saving_file = atol(rows_getn(d->files, last, "id"));
	d->mode = RD_PDF;
}

static void
rd_save_pdf(struct shell *sh, struct rdetail *d)
{
	struct app *app = shell_app(sh);
	struct wq_err err;

	wq_err_clear(&err);
	if (d->saving_file) {
		if (agreement_attachment_save(app->db, d->saving_file, export_dialog_path(&d->pdf), &err))
			shell_say(sh, false, "已保存附件：%s", export_dialog_path(&d->pdf));
		else
			shell_say(sh, true, "无法保存附件：%s", err.msg);
		return;
	}
	if (agreement_pdf_save(app->db, atol(d->id), app->me.agreement_type, export_dialog_path(&d->pdf), &err))
		shell_say(sh, false, "已保存就业协议书：%s", export_dialog_path(&d->pdf));
	else
		shell_say(sh, true, "无法保存就业协议书：%s", err.msg);
}

static const char *
action_label(const char *action)
{
	return strcmp(action, "pass") == 0 ? "通过" : strcmp(action, "return") == 0 ? "退回修改" : "不通过";
}

/* Asks before the decision: who, which employer, what happens. */
static void
rd_ask(struct shell *sh, struct rdetail *d)
{
	char title[64];

	snprintf(title, sizeof(title), " %s：%s ", agreement_verb(shell_app(sh)->me.agreement_type), action_label(d->action));
	dialog_open(&d->ask, title, action_label(d->action));
	dialog_add(&d->ask, "%s（%s）", item_get(d, "student_name"), item_get(d, "student_no"));
	dialog_add(&d->ask, "%s：%s", what_label(d), item_get(d, "what"));
	dialog_add(&d->ask, "当前状态：%s%s%s", item_get(d, "state_label"),
		*item_get(d, "level_label") ? " · " : "", item_get(d, "level_label"));
	if (d->mode == RD_FORM && strcmp(d->action, "pass") != 0) {
		dialog_add(&d->ask, "原因：%s", form_value(&d->form, d->f_cat) ? d->cat_labels[d->form.field[d->f_cat].choice] : "");
		dialog_add(&d->ask, "具体问题：%s", form_value(&d->form, d->f_text));
	}
	if (pass_needs_cause(d)) {
		dialog_add(&d->ask, "解约原因：%s", d->cause_labels[d->cause.field[0].choice]);
		if (strcmp(cause_value(d), "unilateral") == 0)
			dialog_add(&d->ask, "%s", UNILATERAL_WARNING);
		dialog_add(&d->ask, "通过后协议解除，毕业生的毕业去向变为待就业");
	}
	d->mode = RD_CONFIRM;
}

static bool
check_reason(struct form *f, int field, const char *value, char *msg, size_t size)
{
	(void)f;
	(void)field;
	if (str_empty(value)) {
		snprintf(msg, size, "请填写具体问题");
		return false;
	}
	return true;
}

/* 退回修改 or 不通过: the form, keeping what was typed for this item and action. */
static void
rd_start_form(struct shell *sh, struct rdetail *d)
{
	char key[48], title[64];
	struct wq_err err;
	int i;

	snprintf(key, sizeof(key), "%s", d->id);
	snprintf(title, sizeof(title), " %s：%s ", agreement_verb(shell_app(sh)->me.agreement_type), action_label(d->action));
	if (strcmp(key, d->form_for) == 0) {
		/* this item again (退回修改 or 不通过): as it was left */
		snprintf(d->title, sizeof(d->title), "%s", title);
		d->form.title = d->title;
		d->form.submit_label = action_label(d->action);
		d->mode = RD_FORM;
		return;
	}
	rows_free(d->reasons);
	wq_err_clear(&err);
	d->reasons = agreement_reasons(shell_app(sh)->db, item_get(d, "kind"), &err);
	if (!d->reasons || d->reasons->nrows == 0) {
		shell_say(sh, true, "无法读取原因类别：%s", err.msg);
		return;
	}
	for (i = 0; i < d->reasons->nrows && i < 16; i++) {
		d->cat_values[i] = rows_get(d->reasons, i, 0);
		d->cat_labels[i] = rows_get(d->reasons, i, 1);
	}
	snprintf(d->title, sizeof(d->title), "%s", title);
	form_init(&d->form, d->title, action_label(d->action));
	d->f_cat = form_add(&d->form, FORM_CHOICE, "原因类别");
	d->form.field[d->f_cat].values = d->cat_values;
	d->form.field[d->f_cat].labels = d->cat_labels;
	d->form.field[d->f_cat].nchoices = i;
	d->f_text = form_add(&d->form, FORM_MULTILINE, "具体问题");
	d->form.field[d->f_text].max_chars = 500;
	d->form.field[d->f_text].check = check_reason;
	snprintf(d->form_for, sizeof(d->form_for), "%s", key);
	d->mode = RD_FORM;
}

/* The note of the 解约原因 follows the choice: 学生单方面解约 warns. */
static bool
check_cause(struct form *f, int field, const char *value, char *msg, size_t size)
{
	(void)msg;
	(void)size;
	snprintf(f->field[field].note, sizeof(f->field[field].note), "%s",
		value && strcmp(value, "unilateral") == 0 ? UNILATERAL_WARNING : "");
	return true;
}

/*
 * The 通过 that approves an offline termination: its 解约原因 first (a
 * choice; 学生单方面解约 only for a school user), kept for this item.
 */
static void
rd_start_cause(struct shell *sh, struct rdetail *d)
{
	bool school = strcmp(shell_app(sh)->me.kind ? shell_app(sh)->me.kind : "", "school") == 0;
	struct wq_err err;
	int i, n = 0;

	/* the title with the verb of now, for this item again too */
	snprintf(d->cause_title, sizeof(d->cause_title), " 解约%s：通过 ", agreement_verb(shell_app(sh)->me.agreement_type));
	if (strcmp(d->cause_for, d->id) == 0) {
		d->mode = RD_CAUSE;
		return;
	}
	rows_free(d->causes);
	wq_err_clear(&err);
	d->causes = agreement_reasons(shell_app(sh)->db, "term_cause", &err);
	if (!d->causes || d->causes->nrows == 0) {
		shell_say(sh, true, "无法读取解约原因：%s", err.msg);
		return;
	}
	for (i = 0; i < d->causes->nrows && n < 8; i++) {
		if (!school && strcmp(rows_get(d->causes, i, 0), "unilateral") == 0)
			continue;   /* a 院系 clerk never sees it */
		d->cause_values[n] = rows_get(d->causes, i, 0);
		d->cause_labels[n++] = rows_get(d->causes, i, 1);
	}
	form_init(&d->cause, d->cause_title, "下一步");
	form_add(&d->cause, FORM_CHOICE, "解约原因");
	d->cause.field[0].values = d->cause_values;
	d->cause.field[0].labels = d->cause_labels;
	d->cause.field[0].nchoices = n;
	d->cause.field[0].check = check_cause;
	d->cause.field[0].group = "通过即解约成功：请选择解约原因（←/→ 切换）";
	snprintf(d->cause_for, sizeof(d->cause_for), "%s", d->id);
	d->mode = RD_CAUSE;
}

static void
rd_start(struct shell *sh, struct rdetail *d, const char *action)
{
	if (!d->item || d->item->nrows != 1)
		return;
	if (!item_allows(d, action)) {
		shell_say(sh, true, "当前状态（%s%s%s）下你不能%s", item_get(d, "state_label"),
			*item_get(d, "level_label") ? " · " : "", item_get(d, "level_label"), action_label(action));
		return;
	}
	if (strcmp(d->action ? d->action : "", action) != 0 || !d->request_id[0])
		wq_request_id(d->request_id);
	d->action = action;
	if (pass_needs_cause(d))
		rd_start_cause(sh, d);
	else if (strcmp(action, "pass") == 0)
		rd_ask(sh, d);
	else
		rd_start_form(sh, d);
}

/* The decision, then the next item of the queue. */
static void
rd_decide(struct shell *sh, struct rdetail *d)
{
	struct app *app = shell_app(sh);
	bool reason = strcmp(d->action, "pass") != 0;
	struct review *r;
	char msg[512];
	struct agreement_outcome out = { 0 };
	struct wq_err err;
	char who[160];

	wq_err_clear(&err);
	snprintf(who, sizeof(who), "%s（%s）", item_get(d, "student_name"), item_get(d, "student_no"));
	if (!agreement_decide(app->db, atol(d->id), d->action, atoi(item_get(d, "version")), d->request_id,
		    reason ? d->cat_values[d->form.field[d->f_cat].choice] : pass_needs_cause(d) ? cause_value(d) : NULL,
		    reason ? form_value(&d->form, d->f_text) : NULL, &out, &err)) {
		agreement_outcome_fini(&out);
		/* refused (another clerk first, or the state moved on): the item again,
		 * and what the user typed stays for another try */
		d->mode = RD_VIEW;
		rd_load(sh, d);
		if (reason)
			shell_say(sh, true, "（填写的具体问题已保留）%s", err.msg);
		else
			shell_say(sh, true, "%s：%s", who, err.msg);
		if (err.code == WQ_ERR_STALE || strcmp(err.sqlstate, "22023") == 0)
			d->request_id[0] = '\0';   /* a new decision from now on */
		return;
	}
	d->mode = RD_VIEW;
	d->request_id[0] = '\0';
	d->form_for[0] = '\0';
	d->cause_for[0] = '\0';
	form_wipe(&d->form);
	snprintf(msg, sizeof(msg), "%s：已%s，%s%s%s", who, action_label(d->action), out.label ? out.label : "",
		out.level_label ? " · " : "", out.level_label ? out.level_label : "");
	agreement_outcome_fini(&out);
	/* the next item of the queue, or back to it at its end (popping frees d) */
	r = d->r;
	if (list_step(sh, &r->list, 1)) {
		rd_load(sh, d);
		shell_say(sh, false, "%s", msg);
	} else {
		shell_pop(sh);
		shell_say(sh, false, "%s；后面没有了", msg);
	}
	list_requery(sh, &r->list);
}

/* ---- 修改去向 (school users) ---------------------------------------------------- */

/*
 * The form: the code, then every field with the codes that need it; only
 * what is filled in is sent, and the database names a field that is missing
 * or not wanted for the code.  What was typed stays for this registration.
 */
static void
rd_start_change(struct shell *sh, struct rdetail *d)
{
	struct wq_err err;
	int i, n;

	if (!d->item || d->item->nrows != 1)
		return;
	if (strcmp(d->change_for, d->id) == 0) {
		d->mode = RD_CHANGE;
		return;
	}
	rows_free(d->codes);
	wq_err_clear(&err);
	if (!(d->codes = destination_codes(shell_app(sh)->db, &err)) || d->codes->nrows == 0) {
		shell_say(sh, true, "无法读取毕业去向代码：%s", err.msg);
		return;
	}
	for (n = 0; n < d->codes->nrows && n < 32; n++) {
		d->code_values[n] = rows_get(d->codes, n, 0);
		d->code_labels[n] = rows_get(d->codes, n, 1);
	}
	form_init(&d->change, " 修改去向 ", "下一步");
	d->f_code = form_add(&d->change, FORM_CHOICE, "毕业去向");
	d->change.field[d->f_code].values = d->code_values;
	d->change.field[d->f_code].labels = d->code_labels;
	d->change.field[d->f_code].nchoices = n;
	d->change.field[d->f_code].group = "只填所选毕业去向需要的字段（见各项说明）";
	for (i = 0; i < n; i++)   /* the code the registration has now */
		if (strncmp(item_get(d, "what"), d->code_values[i], strlen(d->code_values[i])) == 0
		    && item_get(d, "what")[strlen(d->code_values[i])] == ' ')
			form_set_choice(&d->change, d->f_code, i, true);
	for (i = 0; i < DF_COUNT; i++) {
		d->f_field[i] = form_add(&d->change, FORM_TEXT, destination_fields[i].label);
		d->change.field[d->f_field[i]].max_chars = i == DF_description ? 500 : 100;
		snprintf(d->change.field[d->f_field[i]].note, sizeof(d->change.field[0].note), "%s",
			destination_fields[i].codes);
	}
	snprintf(d->change_for, sizeof(d->change_for), "%s", d->id);
	wq_request_id(d->change_request);
	d->mode = RD_CHANGE;
}

/* The question: it must have been agreed with the graduate. */
static void
rd_change_ask(struct shell *sh, struct rdetail *d)
{
	int i;

	(void)sh;
	dialog_open(&d->ask, " 修改去向 ", "已协商一致，修改");
	dialog_add(&d->ask, "%s（%s）", item_get(d, "student_name"), item_get(d, "student_no"));
	dialog_add(&d->ask, "现在：%s（%s）", item_get(d, "what"), item_get(d, "state_label"));
	dialog_add(&d->ask, "修改为：%s", d->code_labels[d->change.field[d->f_code].choice]);
	for (i = 0; i < DF_COUNT; i++)
		if (!str_empty(form_value(&d->change, d->f_field[i])))
			dialog_add(&d->ask, "  %s：%s", destination_fields[i].label, form_value(&d->change, d->f_field[i]));
	dialog_add(&d->ask, "请确认已与毕业生协商一致；修改会记录修改前后，并通知毕业生。");
	d->mode = RD_CHANGE_CONFIRM;
}

static void
rd_change(struct shell *sh, struct rdetail *d)
{
	struct destination_input in;
	struct wq_err err;
	long id;
	int i;

	memset(&in, 0, sizeof(in));
	in.code = form_value(&d->change, d->f_code);
	for (i = 0; i < DF_COUNT; i++)
		in.field[i] = form_value(&d->change, d->f_field[i]);
	wq_err_clear(&err);
	if (!destination_change(shell_app(sh)->db, item_get(d, "student_no"), &in, true, d->change_request, &id,
		    &err)) {
		/* the form again, as it was typed, with the database's word */
		d->mode = RD_CHANGE;
		snprintf(d->change.status, sizeof(d->change.status), "%s", err.msg);
		d->change.status_error = true;
		shell_say(sh, true, "无法修改毕业去向：%s", err.msg);
		if (strcmp(err.sqlstate, "22023") == 0 || strcmp(err.sqlstate, "23514") == 0)
			wq_request_id(d->change_request);   /* refused: a new request from now on */
		return;
	}
	shell_say(sh, false, "%s（%s）：已修改毕业去向为 %s（去向登记 %ld，去向登记%s通过）", item_get(d, "student_name"),
		item_get(d, "student_no"), d->code_labels[d->change.field[d->f_code].choice], id,
		agreement_verb(shell_app(sh)->me.agreement_type));
	d->mode = RD_VIEW;
	d->change_for[0] = '\0';
	form_wipe(&d->change);
	rd_load(sh, d);
	list_requery(sh, &d->r->list);
}

/* ---- 强制解约 (school users) --------------------------------------------------- */

static bool
check_note(struct form *f, int field, const char *value, char *msg, size_t size)
{
	(void)f;
	(void)field;
	if (str_empty(value) || strspn(value, " \t\n") == strlen(value)) {
		snprintf(msg, size, "请填写强制解约的说明");
		return false;
	}
	return true;
}

/* The form: the note (required) and the evidence's path (may be empty), kept for this termination. */
static void
rd_start_force(struct shell *sh, struct rdetail *d)
{
	if (!d->item || d->item->nrows != 1)
		return;
	if (!item_allows(d, "force")) {
		shell_say(sh, true, "当前状态（%s）下不能强制解约：只在学生发起解约等待单位应约时可以", item_get(d, "state_label"));
		return;
	}
	if (strcmp(d->force_for, d->id) == 0) {
		d->mode = RD_FORCE;
		return;
	}
	form_init(&d->force, " 强制解约 ", "下一步");
	d->f_note = form_add(&d->force, FORM_MULTILINE, "说明");
	d->force.field[d->f_note].max_chars = 500;
	d->force.field[d->f_note].check = check_note;
	d->force.field[d->f_note].group = "单位未应约的解约申请，由学校直接解除协议";
	d->f_file = form_add(&d->force, FORM_TEXT, "证明材料");
	snprintf(d->force.field[d->f_file].note, sizeof(d->force.field[0].note), "%s",
		"文件路径，可不填；相对路径从启动 wq 的文件夹算起");
	snprintf(d->force_for, sizeof(d->force_for), "%s", d->id);
	d->mode = RD_FORCE;
}

/* The warning, with what will happen; the focus on 取消, y confirms. */
static void
rd_force_ask(struct shell *sh, struct rdetail *d)
{
	const char *file = form_value(&d->force, d->f_file);

	(void)sh;
	dialog_open(&d->ask, " 强制解约 ", "强制解约");
	dialog_add(&d->ask, "%s", FORCE_WARNING);
	dialog_add(&d->ask, "%s（%s） · 单位：%s", item_get(d, "student_name"), item_get(d, "student_no"), item_get(d, "what"));
	dialog_add(&d->ask, "协议书编号：%s", item_get(d, "protocol_no"));
	dialog_add(&d->ask, "说明：%s", form_value(&d->force, d->f_note));
	dialog_add(&d->ask, "证明材料：%s", str_empty(file) ? "（无）" : file);
	dialog_add(&d->ask, "强制解约后协议解除，毕业生的毕业去向变为待就业");
	d->mode = RD_FORCE_CONFIRM;
}

static void
rd_force(struct shell *sh, struct rdetail *d)
{
	const char *file = form_value(&d->force, d->f_file);
	struct agreement_outcome out = { 0 };
	struct wq_err err;

	wq_err_clear(&err);
	if (!termination_force(shell_app(sh)->db, atol(d->id), form_value(&d->force, d->f_note),
		    str_empty(file) ? NULL : file, &out, &err)) {
		/* the form again, as it was typed, with the database's word */
		agreement_outcome_fini(&out);
		d->mode = RD_FORCE;
		snprintf(d->force.status, sizeof(d->force.status), "%s", err.msg);
		d->force.status_error = true;
		shell_say(sh, true, "无法强制解约：%s", err.msg);
		return;
	}
	shell_say(sh, false, "%s（%s）：已强制解约，%s", item_get(d, "student_name"), item_get(d, "student_no"),
		out.label ? out.label : "");
	agreement_outcome_fini(&out);
	d->mode = RD_VIEW;
	d->force_for[0] = '\0';
	form_wipe(&d->force);
	rd_load(sh, d);
	list_requery(sh, &d->r->list);
}

/* A key in one of the page's forms: a submit goes on to next, 取消 back to the page. */
static void
form_mode_key(struct shell *sh, struct rdetail *d, struct form *f, bool kc, wint_t ch,
	void (*next)(struct shell *, struct rdetail *), bool kept)
{
	switch (form_key(f, kc, (unsigned int)ch)) {
	case FORM_SUBMIT:
		next(sh, d);
		break;
	case FORM_CANCEL:
		d->mode = RD_VIEW;
		shell_say(sh, false, kept ? "已取消（填写的内容已保留）" : "已取消");
		break;
	default:
		break;
	}
}

/* A key in the page's confirm dialog: y goes on to yes, 取消 back to the mode it came from. */
static void
dialog_mode_key(struct shell *sh, struct rdetail *d, bool kc, wint_t ch,
	void (*yes)(struct shell *, struct rdetail *), enum rd_mode back)
{
	switch (dialog_key(&d->ask, kc, (unsigned int)ch)) {
	case DIALOG_YES:
		yes(sh, d);
		break;
	case DIALOG_NO:
		d->mode = back;
		shell_say(sh, false, "已取消");
		break;
	case DIALOG_OPEN:
		break;
	}
}

static bool
rd_key(struct shell *sh, void *priv, int rc, wint_t ch)
{
	struct rdetail *d = priv;
	bool kc = rc == KEY_CODE_YES;

	switch (d->mode) {
	case RD_PDF:
		switch (export_dialog_key(&d->pdf, kc, (unsigned int)ch)) {
		case EXPORT_GO:
			d->mode = RD_VIEW;
			rd_save_pdf(sh, d);
			break;
		case EXPORT_CANCEL:
			d->mode = RD_VIEW;
			shell_say(sh, false, "已取消");
			break;
		case EXPORT_OPEN:
			break;
		}
		return true;
	case RD_FORM:
		form_mode_key(sh, d, &d->form, kc, ch, rd_ask, true);
		return true;
	case RD_CONFIRM:
		dialog_mode_key(sh, d, kc, ch, rd_decide,
			pass_needs_cause(d) ? RD_CAUSE : strcmp(d->action, "pass") == 0 ? RD_VIEW : RD_FORM);
		return true;
	case RD_CHANGE:
		form_mode_key(sh, d, &d->change, kc, ch, rd_change_ask, true);
		return true;
	case RD_CHANGE_CONFIRM:
		dialog_mode_key(sh, d, kc, ch, rd_change, RD_CHANGE);
		return true;
	case RD_CAUSE:
		form_mode_key(sh, d, &d->cause, kc, ch, rd_ask, false);
		return true;
	case RD_FORCE:
		form_mode_key(sh, d, &d->force, kc, ch, rd_force_ask, true);
		return true;
	case RD_FORCE_CONFIRM:
		dialog_mode_key(sh, d, kc, ch, rd_force, RD_FORCE);
		return true;
	case RD_VIEW:
		break;
	}
	return false;
}

static void
rd_act(struct shell *sh, void *priv, enum action a)
{
	struct rdetail *d = priv;

	if (action_scroll(a, &d->scroll))
		return;
	switch (a) {
	case ACT_NEXT_ITEM:
	case ACT_PREV_ITEM:
		if (list_step(sh, &d->r->list, a == ACT_NEXT_ITEM ? 1 : -1))
			rd_load(sh, d);
		break;
	case ACT_REVIEW_PASS:
		rd_start(sh, d, "pass");
		break;
	case ACT_REVIEW_RETURN:
		rd_start(sh, d, "return");
		break;
	case ACT_REVIEW_REJECT:
		rd_start(sh, d, "reject");
		break;
	case ACT_REVIEW_PDF:
		rd_start_pdf(sh, d);
		break;
	case ACT_REVIEW_FILE:
		rd_start_file(sh, d);
		break;
	case ACT_REVIEW_VIEW:
		rd_view_file(sh, d);
		break;
	case ACT_DEST_CHANGE:
		if (is_destination(d))
			rd_start_change(sh, d);
		break;
	case ACT_TERM_FORCE:
		if (is_termination(d))
			rd_start_force(sh, d);
		break;
	default:
		break;
	}
}

static int
rd_context(struct shell *sh, void *priv)
{
	struct rdetail *d = priv;

	(void)sh;
	return d->mode == RD_FORM ? form_context(&d->form) : d->mode == RD_CONFIRM ? CTX_DIALOG
		: d->mode == RD_PDF ? export_dialog_context(&d->pdf) : d->mode == RD_CHANGE ? form_context(&d->change)
		: d->mode == RD_CHANGE_CONFIRM || d->mode == RD_FORCE_CONFIRM ? CTX_DIALOG
		: d->mode == RD_CAUSE ? form_context(&d->cause) : d->mode == RD_FORCE ? form_context(&d->force)
		/* a termination's page: 强制解约 (F) only while the database offers it */
		: is_termination(d) ? CTX_TERM_DETAIL | (item_allows(d, "force") ? CTX_TERM_SCHOOL : 0) : 0;
}

static const char *
rd_hints(struct shell *sh, void *priv)
{
	struct rdetail *d = priv;

	(void)sh;
	return d->mode == RD_FORM ? form_hints(&d->form) : d->mode == RD_CONFIRM ? dialog_hints(&d->ask)
		: d->mode == RD_PDF ? export_dialog_hints(&d->pdf) : d->mode == RD_CHANGE ? form_hints(&d->change)
		: d->mode == RD_CHANGE_CONFIRM || d->mode == RD_FORCE_CONFIRM ? dialog_hints(&d->ask)
		: d->mode == RD_CAUSE ? form_hints(&d->cause) : d->mode == RD_FORCE ? form_hints(&d->force) : NULL;
}

/* Another clerk acted or something came in: the item as it is now. */
static void
rd_notify(struct shell *sh, void *priv, const char *channel, const char *payload)
{
	struct rdetail *d = priv;

	(void)channel;
	(void)payload;
	if (d->mode == RD_VIEW)
		rd_load(sh, d);
}

/*
 * The province changed its agreement type: the item's states and history
 * read from the database carry the old verb.  The item (the same one,
 * where the page was scrolled) is read again now when the page is shown,
 * else once the form or question open on it closes: what it asks was asked
 * of the item as read, and its version stays the one the clerk saw.
 */
static void
rd_agreement_type(struct shell *sh, void *priv)
{
	struct rdetail *d = priv;

	d->relabel = true;
	if (d->mode == RD_VIEW)
		rd_read(sh, d);
}

/* Back on the page from a form or a question that was open when the type changed. */
static void
rd_idle(struct shell *sh, void *priv)
{
	struct rdetail *d = priv;

	if (d->relabel && d->mode == RD_VIEW)
		rd_read(sh, d);
}

#define DETAIL_VIEW(name, contexts) \
	static const struct module_ops name = { \
		.ctx = contexts, \
		.priv_size = sizeof(struct rdetail), \
		.open = rd_open, \
		.draw = rd_draw, \
		.key = rd_key, \
		.act = rd_act, \
		.on_notify = rd_notify, \
		.on_agreement_type = rd_agreement_type, \
		.idle = rd_idle, \
		.fini = rd_fini, \
		.context = rd_context, \
		.hints = rd_hints, \
	}
/* an agreement's page; a registration's, for a 院系 and for the school (修改去向) */
DETAIL_VIEW(review_detail_view, CTX_REVIEW_DETAIL);
DETAIL_VIEW(destination_detail_view, CTX_DEST_DETAIL);
DETAIL_VIEW(destination_school_view, CTX_DEST_DETAIL | CTX_DEST_SCHOOL);
/* a termination's (its context says when 强制解约 may be taken: rd_context) */
DETAIL_VIEW(termination_detail_view, CTX_TERM_DETAIL);
#undef DETAIL_VIEW

void
review_item_push(struct shell *sh, struct review *r, enum action a)
{
	bool school = strcmp(shell_app(sh)->me.kind ? shell_app(sh)->me.kind : "", "school") == 0;
	struct rdetail *d = shell_push(sh, r->kind->source == QS_DESTINATION
		? (school ? &destination_school_view : &destination_detail_view)
		: r->kind->source == QS_TERMINATION ? &termination_detail_view
		: &review_detail_view);

	if (!d)
		return;
	d->r = r;
	if (a != ACT_DETAIL) {
		/* straight to the decision, from the item's page */
		rd_load(sh, d);
		rd_act(sh, d, a);
	}
}
