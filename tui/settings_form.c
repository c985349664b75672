/*
 * settings_form.c: 签约设置, the school's signing settings as a form.
 *
 * The nine settings of the four groups are the fields of one form
 * (form.h): switches are toggles, the review mode a choice, the others text
 * checked on every keystroke (settings_check), their message beside them.
 * Ctrl-S asks first, in the confirm dialog, listing every change as
 * 旧值 → 新值, and saves them at once.  The save carries the version that was
 * loaded; when someone else saved first, the settings are read again and
 * the user's changes are laid on top so they can save again.  Esc (or q)
 * with unsaved changes asks before they are dropped.  A department user
 * sees the same form read-only.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialog.h"
#include "form.h"
#include "settings.h"
#include "shell.h"
#include "str.h"
#include "ui.h"
#include "util.h"

struct settings_form {
	struct school_settings st;      /* as last loaded from the database */
	bool loaded;
	struct form form;               /* one field per setting, in enum settings_key order */
	bool built;
	struct dialog confirm;          /* the save confirmation */
	char error[512];                /* the last load failure, or "" */
	char title[256];
};

/* The four groups of domain.md, each a title before its first field. */
static const struct {
	enum settings_key first;
	const char *title;
} sf_groups[] = {
	{ SETTING_online_signing,   "1. 签约开关" },
	{ SETTING_review_mode,      "2. 审核设置" },
	{ SETTING_max_terminations, "3. 解约设置" },
	{ SETTING_handler,          "4. 就业协议书信息（打印在每份就业协议书上）" },
};

static const char *const review_values[] = { "school", "dept_then_school" };
static const char *const review_labels[] = { "仅校级审核", "先院系再校级审核" };

static bool
sf_read_only(struct shell *sh)
{
	const char *kind = shell_app(sh)->me.kind;

	return !kind || strcmp(kind, "school") != 0;
}

/* A text field's check: settings_check, the same rule the database has. */
static bool
sf_check(struct form *form, int field, const char *value, char *msg, size_t size)
{
	struct wq_err err;
	char *out = NULL;
	bool ok;

	(void)form;
	wq_err_clear(&err);
	ok = settings_check((enum settings_key)field, value, &out, &err);
	free(out);
	/* beside the field, "毕业生可提交解约申请最大次数应为…" would say the label twice */
	if (!ok)
		snprintf(msg, size, "%s", strncmp(err.msg, settings_keys[field].label,
			strlen(settings_keys[field].label)) == 0 ? err.msg + strlen(settings_keys[field].label) : err.msg);
	return ok;
}

/* The form's fields, made once. */
static void
sf_build(struct settings_form *f, bool read_only)
{
	struct form_field *fl;
	size_t g;
	int k;

	form_init(&f->form, f->title, "保存");
	f->form.mark_changes = true;
	f->form.read_only = read_only;
	for (k = 0; k < SETTING_COUNT; k++) {
		switch (settings_keys[k].type) {
		case SET_SWITCH:
			form_add(&f->form, FORM_TOGGLE, settings_keys[k].label);
			break;
		case SET_REVIEW_MODE:
			form_add(&f->form, FORM_CHOICE, settings_keys[k].label);
			f->form.field[k].values = review_values;
			f->form.field[k].labels = review_labels;
			f->form.field[k].nchoices = 2;
			break;
		case SET_COUNT:
		case SET_TEXT:
		case SET_PHONE:
		case SET_POSTCODE:
			form_add(&f->form, FORM_TEXT, settings_keys[k].label);
			fl = &f->form.field[k];
			fl->check = sf_check;
			fl->digits = settings_keys[k].type != SET_TEXT;
			fl->width = settings_keys[k].max * 2 + 2 > 12 ? settings_keys[k].max * 2 + 2 : 12;
			break;
		}
	}
	for (g = 0; g < sizeof(sf_groups) / sizeof(sf_groups[0]); g++)
		f->form.field[sf_groups[g].first].group = sf_groups[g].title;
	f->built = true;
}

/* A field's value from the database's text; also its initial value when initial. */
static void
sf_field_set(struct settings_form *f, int k, const char *v, bool initial)
{
	struct form_field *fl = &f->form.field[k];
	int i;

	switch (fl->kind) {
	case FORM_TOGGLE:
	case FORM_CHOICE:
		for (i = 0; i < fl->nchoices; i++)
			if (strcmp(fl->values[i], v) == 0)
				break;
		if (initial)
			fl->initial_choice = i < fl->nchoices ? i : 0;
		form_set_choice(&f->form, k, i < fl->nchoices ? i : 0, false);
		break;
	case FORM_TEXT:
	case FORM_SECRET:
	case FORM_MULTILINE:
		if (initial) {
			form_set_text(&f->form, k, v);
		} else {
			snprintf(fl->text, sizeof(fl->text), "%s", v);
			fl->len = fl->cursor = strlen(fl->text);
		}
		break;
	}
}

/*
 * Reads the settings again.  With keep, every field the user changed keeps
 * its value on top of what was read, unless the database now holds that
 * very value.  On failure the form keeps what it had and says why.
 */
static bool
sf_reload(struct shell *sh, struct settings_form *f, bool keep)
{
	struct school_settings fresh;
	struct wq_err err;
	char mine[FORM_TEXT_MAX];
	int k;

	wq_err_clear(&err);
	if (!settings_load(shell_app(sh)->db, &fresh, &err)) {
		snprintf(f->error, sizeof(f->error), "无法读取签约设置：%s", err.msg);
		return false;
	}
	f->error[0] = '\0';
	for (k = 0; k < SETTING_COUNT; k++) {
		snprintf(mine, sizeof(mine), "%s", form_value(&f->form, k));
		keep = keep && f->loaded;
		if (keep && form_field_changed(&f->form, k) && strcmp(mine, fresh.value[k]) != 0) {
			sf_field_set(f, k, fresh.value[k], true);
			sf_field_set(f, k, mine, false);
			form_check(&f->form, k);
		} else {
			sf_field_set(f, k, fresh.value[k], true);
		}
	}
	if (f->loaded)
		settings_fini(&f->st);
	f->st = fresh;
	f->loaded = true;
	return true;
}

/* Opening (and 刷新) reads the settings again, keeping the user's changes. */
static void
sf_open(struct shell *sh, void *priv)
{
	struct settings_form *f = priv;
	const struct me *me = &shell_app(sh)->me;

	if (!f->built) {
		snprintf(f->title, sizeof(f->title), " 签约设置 · %s ", me->school_name ? me->school_name : "");
		sf_build(f, sf_read_only(sh));
	}
	f->confirm.open = false;
	f->form.ask.open = false;
	sf_reload(sh, f, true);
}

/* ---- drawing ------------------------------------------------------------- */

/* An empty value is shown as such, never as a blank. */
static const char *
sf_shown(int k, const char *v)
{
	const char *s = settings_value_label(k, v);

	return str_empty(s) ? "（未填写）" : s;
}

/*
 * The screen: the province's agreement type and who saved last, then the
 * form (each changed field notes its old value), the count of unsaved
 * changes or the read-only notice under the fields, and the dialog.
 */
static void
sf_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct settings_form *f = priv;
	const struct me *me = &shell_app(sh)->me;
	const char *type;
	char buf[512];
	int k, n, tw;

	type = f->loaded && f->st.agreement_type ? f->st.agreement_type : me->agreement_type;
	snprintf(buf, sizeof(buf), "%s：学校、院系%s（省级设置）", agreement_label(type), agreement_verb(type));
	tw = ui_put(y, x, w, buf, UI_NORMAL, false);
	if (f->loaded) {
		snprintf(buf, sizeof(buf), "版本 %d · %s 修改于 %s", f->st.version,
			f->st.updated_by ? f->st.updated_by : "", f->st.updated_at ? f->st.updated_at : "");
		n = (int)str_width(buf);
		if (tw + 2 + n <= w)
			ui_put(y, x + w - n, n, buf, UI_DIM, false);
	}
	if (!f->loaded) {
		ui_put(y + 2, x, w, f->error, UI_ERROR, false);
		return;
	}
	for (k = 0; k < SETTING_COUNT; k++) {
		if (form_field_changed(&f->form, k))
			snprintf(f->form.field[k].note, sizeof(f->form.field[k].note), "（原：%s）",
				sf_shown(k, f->st.value[k]));
		else
			f->form.field[k].note[0] = '\0';
	}
	n = form_change_count(&f->form);
	f->form.status_error = n > 0 || f->error[0];
	if (f->error[0])
		snprintf(f->form.status, sizeof(f->form.status), "%s", f->error);
	else if (sf_read_only(sh))
		snprintf(f->form.status, sizeof(f->form.status), "院系用户只能查看签约设置");
	else if (n)
		snprintf(f->form.status, sizeof(f->form.status), "有 %d 项修改尚未保存（Ctrl-S 保存）", n);
	else
		snprintf(f->form.status, sizeof(f->form.status), "Space 切换开关，←/→ 选择，直接输入修改文字");
	form_draw(&f->form, y + 1, x, h - 1, w);
	dialog_draw(&f->confirm, y, x, h, w);
}

/* ---- editing and saving ------------------------------------------------- */

/* Ctrl-S: the confirmation, listing every change, when there is something to save. */
static void
sf_ask_save(struct shell *sh, struct settings_form *f)
{
	int k, n = form_change_count(&f->form);

	if (!n) {
		shell_say(sh, false, "没有需要保存的修改");
		return;
	}
	dialog_open(&f->confirm, " 保存签约设置 ", "保存");
	dialog_add(&f->confirm, "确定保存以下 %d 项修改？", n);
	for (k = 0; k < SETTING_COUNT; k++)
		if (form_field_changed(&f->form, k))
			dialog_add(&f->confirm, "%s：%s %s %s", settings_keys[k].label, sf_shown(k, f->st.value[k]),
				ui.ascii ? "->" : "→", sf_shown(k, form_value(&f->form, k)));
	shell_say(sh, false, "%s", "");
}

/* Saves every change with the version loaded; see the banner for a stale one. */
static void
sf_save(struct shell *sh, struct settings_form *f)
{
	enum settings_key keys[SETTING_COUNT];
	char *values[SETTING_COUNT];
	struct wq_err err;
	int k, n = 0;
	bool ok;

	for (k = 0; k < SETTING_COUNT; k++) {
		/*
		 * Turning 在线签约 on turns the other two switches on in the
		 * database unless the change names them: name them as shown.
		 */
		if (!form_field_changed(&f->form, k) && !((k == SETTING_registration || k == SETTING_destination)
		    && form_field_changed(&f->form, SETTING_online_signing)
		    && strcmp(form_value(&f->form, SETTING_online_signing), "on") == 0))
			continue;
		wq_err_clear(&err);
		if (!settings_check(k, form_value(&f->form, k), &values[n], &err)) {
			shell_say(sh, true, "%s", err.msg);
			while (n > 0)
				free(values[--n]);
			return;
		}
		keys[n++] = k;
	}
	if (!n)
		return;
	wq_err_clear(&err);
	ok = settings_save(shell_app(sh)->db, n, keys, (const char *const *)values, f->st.version, NULL, &err);
	while (n > 0)
		free(values[--n]);
	if (ok) {
		if (sf_reload(sh, f, false))
			shell_say(sh, false, "已保存签约设置");
		else
			shell_say(sh, true, "已保存签约设置，但%s", f->error);
		return;
	}
	if (err.code == WQ_ERR_STALE) {
		/* someone saved first: show who, read theirs, keep ours on top */
		sf_reload(sh, f, true);
		shell_say(sh, true, "%s", err.msg);
		return;
	}
	shell_say(sh, true, "保存失败：%s", err.msg);
}

/* Leaving without saving: the form goes back to what was loaded. */
static void
sf_discard(struct settings_form *f)
{
	int k;

	for (k = 0; k < SETTING_COUNT; k++)
		sf_field_set(f, k, f->st.value[k], true);
}

/* As the database does: 在线签约 on turns the other two on; undoing it undoes them. */
static void
sf_online_signing(struct shell *sh, struct settings_form *f, bool was_on)
{
	bool on = strcmp(form_value(&f->form, SETTING_online_signing), "on") == 0;

	if (on == was_on)
		return;
	if (on) {
		form_set_choice(&f->form, SETTING_registration, 1, false);
		form_set_choice(&f->form, SETTING_destination, 1, false);
		shell_say(sh, false, "在线签约开关：开启，补登开关和填报去向登记开关随之开启（可分别关闭；Ctrl-S 保存）");
	} else if (!form_field_changed(&f->form, SETTING_online_signing)) {
		sf_field_set(f, SETTING_registration, f->st.value[SETTING_registration], false);
		sf_field_set(f, SETTING_destination, f->st.value[SETTING_destination], false);
		shell_say(sh, false, "在线签约开关：关闭（Ctrl-S 保存）");
	}
}

/* ---- keys ---------------------------------------------------------------- */

/*
 * Raw keys: the confirmation, then the form.  Keys the form does not use
 * (q, ?, :, R on a switch...) go on to the shell, except q with unsaved
 * changes, which asks first like Esc.
 */
static bool
sf_key(struct shell *sh, void *priv, int rc, wint_t ch)
{
	struct settings_form *f = priv;
	bool kc = rc == KEY_CODE_YES, was_on, dirty;

	if (f->confirm.open) {
		if (dialog_key(&f->confirm, kc, (unsigned int)ch) == DIALOG_YES)
			sf_save(sh, f);
		return true;
	}
	if (!f->loaded)
		return false;
	was_on = strcmp(form_value(&f->form, SETTING_online_signing), "on") == 0;
	dirty = form_dirty(&f->form);
	switch (form_key(&f->form, kc, (unsigned int)ch)) {
	case FORM_SUBMIT:
		sf_ask_save(sh, f);
		return true;
	case FORM_CANCEL:
		if (dirty) {
			sf_discard(f);
			shell_say(sh, false, "已放弃未保存的修改");
		}
		shell_leave(sh);
		return true;
	case FORM_NONE:
		sf_online_signing(sh, f, was_on);
		return true;
	case FORM_UNUSED:
		break;
	}
	if (!kc && ch == 'q' && dirty) {
		form_key(&f->form, false, 27);   /* the same question as Esc */
		return true;
	}
	return false;
}

/* The table's actions that reach the form: j/k move. */
static void
sf_act(struct shell *sh, void *priv, enum action a)
{
	struct settings_form *f = priv;

	(void)sh;
	switch (a) {
	case ACT_MOVE_UP:
		form_prev(&f->form);
		break;
	case ACT_MOVE_DOWN:
		form_next(&f->form);
		break;
	default:
		break;
	}
}

/* The keys of the dialog or the form's focused field. */
static const char *
sf_hints(struct shell *sh, void *priv)
{
	struct settings_form *f = priv;

	if (f->confirm.open)
		return dialog_hints(&f->confirm);
	if (sf_read_only(sh) || !f->loaded)
		return "↑/↓ 移动   R 刷新   : 命令   ? 帮助   q 返回";
	return form_hints(&f->form);
}

static void
sf_fini(void *priv)
{
	struct settings_form *f = priv;

	form_wipe(&f->form);
	if (f->loaded)
		settings_fini(&f->st);
}

const struct module_ops settings_module = {
	.ctx = CTX_SETTINGS,
	.priv_size = sizeof(struct settings_form),
	.open = sf_open,
	.draw = sf_draw,
	.key = sf_key,
	.act = sf_act,
	.fini = sf_fini,
	.hints = sf_hints,
};
