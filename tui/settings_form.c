/*
 * settings_form.c: 签约设置, the school's signing settings as a form.
 *
 * The nine settings of the four groups are the fields of one form
 * (form.h): switches are toggles, the review mode a choice, the others text
 * checked on every keystroke (settings_check), their message beside them.
 * The page (edit_page.h) asks before saving, listing every change as
 * 旧值 → 新值, saves them at once with the version that was loaded, reads
 * them again when someone else saved first (the user's changes on top), and
 * asks before unsaved changes are dropped.  A department user sees the same
 * form read-only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit_page.h"
#include "form.h"
#include "settings.h"
#include "shell.h"

struct settings_form {
	struct edit_page page;          /* first: the page's callbacks get the form (edit_page.h) */
	struct school_settings st;      /* as last loaded from the database */
	bool loaded;
	bool built;
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
	struct form *form = &f->page.form;
	struct form_field *fl;
	size_t g;
	int k;

	form_init(form, f->title, "保存");
	form->mark_changes = true;
	form->read_only = read_only;
	for (k = 0; k < SETTING_COUNT; k++) {
		switch (settings_keys[k].type) {
		case SET_SWITCH:
			form_add(form, FORM_TOGGLE, settings_keys[k].label);
			break;
		case SET_REVIEW_MODE:
			form_add(form, FORM_CHOICE, settings_keys[k].label);
			form->field[k].values = review_values;
			form->field[k].labels = review_labels;
			form->field[k].nchoices = 2;
			break;
		case SET_COUNT:
		case SET_TEXT:
		case SET_PHONE:
		case SET_POSTCODE:
			form_add(form, FORM_TEXT, settings_keys[k].label);
			fl = &form->field[k];
			fl->check = sf_check;
			fl->digits = settings_keys[k].type != SET_TEXT;
			fl->width = settings_keys[k].max * 2 + 2 > 12 ? settings_keys[k].max * 2 + 2 : 12;
			break;
		}
	}
	for (g = 0; g < sizeof(sf_groups) / sizeof(sf_groups[0]); g++)
		form->field[sf_groups[g].first].group = sf_groups[g].title;
	f->page.idle = read_only ? "院系用户只能查看签约设置" : "Space 切换开关，←/→ 选择，直接输入修改文字";
	f->built = true;
}

/* The page's reading: the school's settings, one value per field. */
static bool
sf_load(struct shell *sh, struct edit_page *p, struct wq_err *err)
{
	struct settings_form *f = (struct settings_form *)p;
	struct school_settings fresh;

	if (!settings_load(shell_app(sh)->db, &fresh, err))
		return false;
	edit_page_take(p, (const char *const *)fresh.value, fresh.version, fresh.updated_by, fresh.updated_at);
	if (f->loaded)
		settings_fini(&f->st);
	f->st = fresh;
	f->loaded = true;
	return true;
}

/* The page's saving: every change at once, with the version loaded. */
static bool
sf_save(struct shell *sh, struct edit_page *p, struct wq_err *err)
{
	const struct form *form = &p->form;
	enum settings_key keys[SETTING_COUNT];
	char *values[SETTING_COUNT];
	int k, n = 0;
	bool ok;

	for (k = 0; k < SETTING_COUNT; k++) {
		/*
		 * Turning 在线签约 on turns the other two switches on in the
		 * database unless the change names them: name them as shown.
		 */
		if (!form_field_changed(form, k) && !((k == SETTING_registration || k == SETTING_destination)
		    && form_field_changed(form, SETTING_online_signing)
		    && strcmp(form_value(form, SETTING_online_signing), "on") == 0))
			continue;
		if (!settings_check(k, form_value(form, k), &values[n], err)) {
			while (n > 0)
				free(values[--n]);
			return false;
		}
		keys[n++] = k;
	}
	ok = !n || settings_save(shell_app(sh)->db, n, keys, (const char *const *)values, p->version, NULL, err);
	while (n > 0)
		free(values[--n]);
	return ok;
}

static const struct edit_page_ops sf_ops = { .load = sf_load, .save = sf_save };

/* Opening (and 刷新) reads the settings again, keeping the user's changes. */
static void
sf_open(struct shell *sh, void *priv)
{
	struct settings_form *f = priv;
	const struct me *me = &shell_app(sh)->me;

	if (!f->built) {
		snprintf(f->title, sizeof(f->title), " 签约设置 · %s ", me->school_name ? me->school_name : "");
		f->page.ops = &sf_ops;
		f->page.what = "签约设置";
		sf_build(f, sf_read_only(sh));
	}
	edit_page_open(sh, &f->page);
}

/*
 * The screen: the province's agreement type over the page (edit_page_draw),
 * as the shell keeps it (me.agreement_type, read again when the province
 * changes it), not as it was when the page was read.
 */
static void
sf_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct settings_form *f = priv;
	const char *type = shell_app(sh)->me.agreement_type;
	char buf[512];

	snprintf(buf, sizeof(buf), "%s：学校、院系%s（省级设置）", agreement_label(type), agreement_verb(type));
	edit_page_draw(&f->page, buf, y, x, h, w);
}

/* As the database does: 在线签约 on turns the other two on; undoing it undoes them. */
static void
sf_online_signing(struct shell *sh, struct settings_form *f, bool was_on)
{
	struct form *form = &f->page.form;
	bool on = strcmp(form_value(form, SETTING_online_signing), "on") == 0;

	if (on == was_on)
		return;
	if (on) {
		form_set_choice(form, SETTING_registration, 1, false);
		form_set_choice(form, SETTING_destination, 1, false);
		shell_say(sh, false, "在线签约开关：开启，补登开关和填报去向登记开关随之开启（可分别关闭；Ctrl-S 保存）");
	} else if (!form_field_changed(form, SETTING_online_signing)) {
		form_set_value(form, SETTING_registration, f->st.value[SETTING_registration], false);
		form_set_value(form, SETTING_destination, f->st.value[SETTING_destination], false);
		shell_say(sh, false, "在线签约开关：关闭（Ctrl-S 保存）");
	}
}

/* Raw keys: the page's (edit_page_key), then what 在线签约开关 turns with it. */
static bool
sf_key(struct shell *sh, void *priv, int rc, wint_t ch)
{
	struct settings_form *f = priv;
	bool was_on = f->loaded && strcmp(form_value(&f->page.form, SETTING_online_signing), "on") == 0;

	switch (edit_page_key(sh, &f->page, rc, ch)) {
	case EDIT_PAGE_EDITED:
		sf_online_signing(sh, f, was_on);
		return true;
	case EDIT_PAGE_USED:
		return true;
	case EDIT_PAGE_UNUSED:
		break;
	}
	return false;
}

static void
sf_fini(void *priv)
{
	struct settings_form *f = priv;

	edit_page_fini(&f->page);
	if (f->loaded)
		settings_fini(&f->st);
}

const struct module_ops settings_module = {
	.ctx = CTX_SETTINGS,
	.priv_size = sizeof(struct settings_form),
	.open = sf_open,
	.draw = sf_draw,
	.key = sf_key,
	.act = edit_page_view_act,
	.fini = sf_fini,
	.hints = edit_page_view_hints,
};
