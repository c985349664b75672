/* home.c: 首页, who is logged in, the school's settings and its students at a glance. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "shell.h"
#include "ui.h"
#include "util.h"

struct home {
	struct school_settings settings;
	bool loaded;
	struct me_counts counts;
	bool counted;
	char error[512];
};

static void
home_open(struct shell *sh, void *priv)
{
	struct home *h = priv;
	struct app *app = shell_app(sh);
	struct wq_err err;

	if (h->loaded)
		settings_fini(&h->settings);
	h->loaded = false;
	h->error[0] = '\0';
	if (!app->me.school_code)
		return;
	wq_err_clear(&err);
	if (!settings_load(app->db, &h->settings, &err)) {
		snprintf(h->error, sizeof(h->error), "无法读取签约设置：%s", err.msg);
		return;
	}
	h->loaded = true;
	h->counted = me_counts(app->db, &h->counts, &err);
	if (!h->counted)
		snprintf(h->error, sizeof(h->error), "无法读取学生人数：%s", err.msg);
}

static void
home_row(int y, int x, int w, const char *label, const char *value)
{
	ui_put(y, x, 30, label, UI_DIM, true);
	ui_put(y, x + 30, w - 30, value, UI_NORMAL, false);
}

static void
home_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct home *hm = priv;
	const struct me *me = &shell_app(sh)->me;
	char buf[512];
	int r = y, k;

	snprintf(buf, sizeof(buf), "欢迎，%s（%s）", str_empty(me->name) ? me->login : me->name,
		kind_label(me->kind));
	ui_put(r++, x, w, buf, UI_NORMAL, false);
	r++;
	if (me->school_name) {
		snprintf(buf, sizeof(buf), "%s（%s）", me->school_name, me->school_code);
		home_row(r++, x, w, "学校", buf);
	}
	if (me->dept)
		home_row(r++, x, w, "院系", me->dept);
	if (me->province_name)
		home_row(r++, x, w, "省份", me->province_name);
	snprintf(buf, sizeof(buf), "%s：学校、院系%s", agreement_label(me->agreement_type),
		agreement_verb(me->agreement_type));
	home_row(r++, x, w, "协议类型", buf);
	r++;
	if (hm->error[0] && !hm->loaded) {
		ui_put(r, x, w, hm->error, UI_ERROR, false);
		return;
	}
	if (!hm->loaded || r + 8 > y + h)
		return;
	ui_put(r++, x, w, "签约设置", UI_TITLE, false);
	for (k = 0; k < SETTING_COUNT && r < y + h; k++) {
		const char *v = settings_value_label(k, hm->settings.value[k]);

		if (k == SETTING_address || k == SETTING_phone || k == SETTING_postcode)
			continue;
		home_row(r++, x + 2, w - 2, settings_keys[k].label, str_empty(v) ? "（未填写）" : v);
	}
	r++;
	if (!hm->counted) {
		if (r < y + h)
			ui_put(r, x, w, hm->error, UI_ERROR, false);
		return;
	}
	if (r + 6 > y + h)
		return;
	ui_put(r++, x, w, me->dept ? "本院系学生" : "本校学生", UI_TITLE, false);
	snprintf(buf, sizeof(buf), "%ld", hm->counts.students);
	home_row(r++, x + 2, w - 2, "学生人数", buf);
	snprintf(buf, sizeof(buf), "%ld", hm->counts.eligible);
	home_row(r++, x + 2, w - 2, "有网签资格", buf);
	snprintf(buf, sizeof(buf), "%ld", hm->counts.unverified);
	home_row(r++, x + 2, w - 2, "未核对", buf);
	snprintf(buf, sizeof(buf), "%ld", hm->counts.verified);
	home_row(r++, x + 2, w - 2, "已核对", buf);
	snprintf(buf, sizeof(buf), "%ld", hm->counts.mismatch);
	home_row(r++, x + 2, w - 2, "信息不一致", buf);
}

static void
home_fini(void *priv)
{
	struct home *h = priv;

	if (h->loaded)
		settings_fini(&h->settings);
}

const struct module_ops home_module = {
	.ctx = CTX_HOME,
	.priv_size = sizeof(struct home),
	.open = home_open,
	.draw = home_draw,
	.fini = home_fini,
};
