/*
 * province_form.c: 签约设置 of a province user: the agreement type of its
 * province (两方协议: every school and department of it 鉴证; 三方协议: they
 * 审核), one choice on the page of edit_page.h, which asks before saving
 * (旧值 → 新值), saves with the version read, reads again and names who saved
 * first when someone did, and asks before an unsaved change is dropped.
 * Every read also brings the app's own agreement type (me.agreement_type)
 * up to date, so the user's status bar and labels follow a save.  When
 * another user of the province changes the type (the shell hears it), a
 * page with nothing changed reads it again; one with a change keeps it,
 * and its save is refused naming who saved first.
 */
#include <stdio.h>
#include <string.h>

#include "edit_page.h"
#include "form.h"
#include "me.h"
#include "settings.h"
#include "shell.h"

struct province_form {
	struct edit_page page;          /* first: the page's callbacks get the form (edit_page.h) */
	struct province_settings ps;    /* as last loaded from the database */
	bool loaded;
	bool built;
	char title[256];
};

static const char *const type_values[] = { "two_party", "three_party" };
static const char *const type_labels[] = { "两方协议", "三方协议" };

static bool
pf_load(struct shell *sh, struct edit_page *p, struct wq_err *err)
{
	struct province_form *f = (struct province_form *)p;
	struct app *app = shell_app(sh);
	struct province_settings fresh;
	const char *values[1];

	if (!province_settings_load(app->db, &fresh, err))
		return false;
	values[0] = fresh.agreement_type;
	edit_page_take(p, values, fresh.version, fresh.updated_by, fresh.updated_at);
	if (f->loaded)
		province_settings_fini(&f->ps);
	f->ps = fresh;
	f->loaded = true;
	snprintf(f->title, sizeof(f->title), " 签约设置 · %s ", f->ps.name ? f->ps.name : "");
	/* the status bar's 两方协议/三方协议 is the province's: read it again too */
	me_reload_agreement_type(app->db, &app->me, NULL);
	return true;
}

static bool
pf_save(struct shell *sh, struct edit_page *p, struct wq_err *err)
{
	return province_agreement_type_set(shell_app(sh)->db, form_value(&p->form, 0), p->version, NULL, err);
}

static const struct edit_page_ops pf_ops = { .load = pf_load, .save = pf_save };

static void
pf_open(struct shell *sh, void *priv)
{
	struct province_form *f = priv;
	struct form *form = &f->page.form;

	if (!f->built) {
		snprintf(f->title, sizeof(f->title), " 签约设置 · %s ",
			shell_app(sh)->me.province_name ? shell_app(sh)->me.province_name : "");
		f->page.ops = &pf_ops;
		f->page.what = "签约设置";
		f->page.idle = "←/→ 或 Space 选择；本省各学校、院系随之显示鉴证或审核";
		form_init(form, f->title, "保存");
		form->mark_changes = true;
		form_add(form, FORM_CHOICE, "协议类型");
		form->field[0].values = type_values;
		form->field[0].labels = type_labels;
		form->field[0].nchoices = 2;
		f->built = true;
	}
	edit_page_open(sh, &f->page);
}

/* The province and what its type means now, over the page. */
static void
pf_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct province_form *f = priv;
	const char *type = f->loaded ? f->ps.agreement_type : shell_app(sh)->me.agreement_type;
	char buf[512];

	snprintf(buf, sizeof(buf), "%s（%s）· %s：本省学校、院系%s", f->loaded ? f->ps.name : "",
		f->loaded ? f->ps.code : "", agreement_label(type), agreement_verb(type));
	edit_page_draw(&f->page, f->loaded ? buf : "", y, x, h, w);
}

/* Another user of the province changed the type: follow it unless the user is changing it too. */
static void
pf_agreement_type(struct shell *sh, void *priv)
{
	struct province_form *f = priv;

	if (f->built)
		edit_page_follow(sh, &f->page);
}

static void
pf_fini(void *priv)
{
	struct province_form *f = priv;

	edit_page_fini(&f->page);
	if (f->loaded)
		province_settings_fini(&f->ps);
}

const struct module_ops province_settings_module = {
	.ctx = CTX_SETTINGS,
	.priv_size = sizeof(struct province_form),
	.open = pf_open,
	.draw = pf_draw,
	.key = edit_page_view_key,
	.act = edit_page_view_act,
	.on_agreement_type = pf_agreement_type,
	.fini = pf_fini,
	.hints = edit_page_view_hints,
};
