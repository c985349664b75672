/*
 * settings_form.c: 签约设置, the school's signing settings as a form.
 *
 * A school user moves between the nine fields of the four groups, toggles
 * switches and the review mode, edits the other fields in an inline input
 * checked on every keystroke (settings_check), and saves every change at
 * once after a confirmation that lists them.  The save carries the version
 * that was loaded; when someone else saved first, the settings are read
 * again and the user's changes are laid on top so they can save again.
 * A department user sees the same form read-only.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "shell.h"
#include "str.h"
#include "ui.h"
#include "util.h"

enum sf_mode {
	SF_NORMAL,
	SF_INPUT,      /* a text or number field is being typed */
	SF_CONFIRM,    /* the save confirmation dialog */
	SF_LEAVE,      /* leaving with unsaved changes: asks first */
};

struct settings_form {
	struct school_settings st;      /* as last loaded from the database */
	bool loaded;
	char *value[SETTING_COUNT];     /* the form's values, normalised; differ from st when changed */
	int sel;                        /* the selected field (enum settings_key) */
	enum sf_mode mode;
	struct ui_field input;
	char input_error[512];          /* settings_check's verdict on the input, or "" */
	bool confirm_on_save;           /* the dialog's focus: false 取消, true 确定 */
	char error[512];                /* the last load failure, or "" */
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

#define SF_LABEL_W 30     /* cells of the label column */
#define SF_VALUE_X 33     /* the value column, from the left of the area */

static bool
sf_read_only(struct shell *sh)
{
	const char *kind = shell_app(sh)->me.kind;

	return !kind || strcmp(kind, "school") != 0;
}

static bool
sf_changed(const struct settings_form *f, int k)
{
	return f->loaded && f->value[k] && f->st.value[k] && strcmp(f->value[k], f->st.value[k]) != 0;
}

static int
sf_change_count(const struct settings_form *f)
{
	int k, n = 0;

	for (k = 0; k < SETTING_COUNT; k++)
		n += sf_changed(f, k);
	return n;
}

static void
sf_set(struct settings_form *f, int k, const char *v)
{
	free(f->value[k]);
	f->value[k] = xstrdup(v);
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
	int k;

	wq_err_clear(&err);
	if (!settings_load(shell_app(sh)->db, &fresh, &err)) {
		snprintf(f->error, sizeof(f->error), "无法读取签约设置：%s", err.msg);
		return false;
	}
	f->error[0] = '\0';
	for (k = 0; k < SETTING_COUNT; k++) {
		if (keep && sf_changed(f, k) && strcmp(f->value[k], fresh.value[k]) != 0)
			continue;
		sf_set(f, k, fresh.value[k]);
	}
	if (f->loaded)
		settings_fini(&f->st);
	f->st = fresh;
	f->loaded = true;
	return true;
}

/* Closes the inline input without a trace of what was typed. */
static void
sf_input_close(struct settings_form *f)
{
	ui_field_clear(&f->input);
	f->input_error[0] = '\0';
	f->mode = SF_NORMAL;
}

/* Opening (and 刷新) reads the settings again, keeping the user's changes. */
static void
sf_open(struct shell *sh, void *priv)
{
	struct settings_form *f = priv;

	if (f->mode == SF_INPUT)
		sf_input_close(f);
	f->mode = SF_NORMAL;
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
 * One field's row: the selection marker, "*" when changed, the label, and
 * the value (with the old one after it), or the inline input and, when
 * the input is wrong, its message to the right or on the next row.
 * Returns the rows used.
 */
static int
sf_draw_field(struct settings_form *f, int k, int r, int x, int w, int bottom)
{
	bool selected = k == f->sel;
	bool changed = sf_changed(f, k);
	int vx = x + SF_VALUE_X, vw = w - SF_VALUE_X, fw, used;
	char buf[1024];

	ui_put(r, x, 1, selected ? ui_glyph_marker() : " ", UI_NORMAL, false);
	ui_put(r, x + 1, 1, changed ? "*" : " ", changed ? UI_ERROR : UI_NORMAL, false);
	ui_put(r, x + 3, SF_LABEL_W, settings_keys[k].label, selected ? UI_SELECTED : UI_NORMAL, true);
	if (selected && f->mode == SF_INPUT) {
		/* the field is as wide as its longest value allows, within the row */
		fw = settings_keys[k].max > 0 ? settings_keys[k].max * 2 + 2 : vw;
		if (fw < 8)
			fw = 8;
		if (fw > vw - 2)
			fw = vw - 2;
		ui_put(r, vx, 1, "[", UI_DIM, false);
		ui_put(r, vx + fw + 1, 1, "]", UI_DIM, false);
		used = 1;
		if (f->input_error[0]) {
			/* the message to the right of the field, or under it when too long */
			if (vx + fw + 3 + (int)str_width(f->input_error) <= x + w) {
				ui_put(r, vx + fw + 3, x + w - vx - fw - 3, f->input_error, UI_ERROR, false);
			} else if (r + 1 < bottom) {
				ui_put(r + 1, x + 3, w - 3, f->input_error, UI_ERROR, false);
				used = 2;
			}
		}
		/* last, so that the terminal cursor stays in the field */
		ui_field_draw(&f->input, r, vx + 1, fw, true);
		return used;
	}
	used = ui_put(r, vx, vw, sf_shown(k, f->value[k]),
		str_empty(f->value[k]) ? UI_DIM : changed ? UI_OK : UI_NORMAL, false);
	if (changed && used + 2 < vw) {
		snprintf(buf, sizeof(buf), "（原：%s）", sf_shown(k, f->st.value[k]));
		ui_put(r, vx + used + 2, vw - used - 2, buf, UI_DIM, false);
	}
	return 1;
}

/* The save confirmation: every change as 旧值 → 新值, focus on 取消. */
static void
sf_draw_confirm(struct settings_form *f, int y, int x, int h, int w)
{
	int n = sf_change_count(f), bw = w > 72 ? 72 : w, bh = n + 5, bx, by, r, k;
	char buf[1024];

	if (bh > h)
		bh = h;
	bx = x + (w - bw) / 2;
	by = y + (h - bh) / 2;
	ui_box(by, bx, bh, bw, " 保存签约设置 ");
	snprintf(buf, sizeof(buf), "确定保存以下 %d 项修改？", n);
	ui_put(by + 1, bx + 2, bw - 4, buf, UI_NORMAL, false);
	r = by + 2;
	for (k = 0; k < SETTING_COUNT && r < by + bh - 3; k++) {
		if (!sf_changed(f, k))
			continue;
		snprintf(buf, sizeof(buf), "%s：%s %s %s", settings_keys[k].label, sf_shown(k, f->st.value[k]),
			ui.ascii ? "->" : "→", sf_shown(k, f->value[k]));
		ui_put(r++, bx + 2, bw - 4, buf, UI_NORMAL, false);
	}
	ui_put(by + bh - 2, bx + 6, 8, "[ 取消 ]", f->confirm_on_save ? UI_NORMAL : UI_SELECTED, false);
	ui_put(by + bh - 2, bx + 20, 12, "[ 确定（y）]", f->confirm_on_save ? UI_SELECTED : UI_NORMAL, false);
}

/*
 * The screen: title (with the version and who saved last, when there is
 * room), the province's agreement type, the read-only notice or a load
 * error, the four groups, the count of unsaved changes, and the dialog.
 */
static void
sf_draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	struct settings_form *f = priv;
	const struct me *me = &shell_app(sh)->me;
	const char *type;
	char buf[512];
	int r = y, bottom = y + h, g = 0, k, n, tw;

	snprintf(buf, sizeof(buf), "签约设置 · %s", me->school_name ? me->school_name : "");
	tw = ui_put(r, x, w, buf, UI_NORMAL, false);
	if (f->loaded) {
		snprintf(buf, sizeof(buf), "版本 %d · %s 修改于 %s", f->st.version,
			f->st.updated_by ? f->st.updated_by : "", f->st.updated_at ? f->st.updated_at : "");
		n = (int)str_width(buf);
		if (tw + 2 + n <= w)
			ui_put(r, x + w - n, n, buf, UI_DIM, false);
	}
	r++;
	type = f->loaded && f->st.agreement_type ? f->st.agreement_type : me->agreement_type;
	snprintf(buf, sizeof(buf), "%s：学校、院系%s", agreement_label(type), agreement_verb(type));
	ui_put(r, x + 3, SF_LABEL_W, "协议类型（省级设置）", UI_DIM, true);
	ui_put(r++, x + SF_VALUE_X, w - SF_VALUE_X, buf, UI_NORMAL, false);
	if (f->error[0])
		ui_put(r, x, w, f->error, UI_ERROR, false);
	else if (sf_read_only(sh))
		ui_put(r, x, w, "院系用户只能查看签约设置", UI_DIM, false);
	r++;
	if (!f->loaded)
		return;
	for (k = 0; k < SETTING_COUNT && r < bottom; k++) {
		if (g < (int)(sizeof(sf_groups) / sizeof(sf_groups[0])) && sf_groups[g].first == (enum settings_key)k)
			ui_put(r++, x, w, sf_groups[g++].title, UI_TITLE, false);
		if (r < bottom)
			r += sf_draw_field(f, k, r, x, w, bottom);
	}
	n = sf_change_count(f);
	if (n && r + 1 < bottom) {
		snprintf(buf, sizeof(buf), "有 %d 项修改尚未保存（Ctrl-S 保存）", n);
		ui_put(r + 1, x, w, buf, UI_ERROR, false);
	}
	if (f->mode == SF_CONFIRM)
		sf_draw_confirm(f, y, x, h, w);
}

/* ---- editing and saving ------------------------------------------------- */

/* Runs settings_check on the input; its message, or "" when the value is good. */
static bool
sf_check_input(struct settings_form *f)
{
	struct wq_err err;
	char *out = NULL;
	bool ok;

	wq_err_clear(&err);
	ok = settings_check(f->sel, f->input.buf, &out, &err);
	free(out);
	if (ok)
		f->input_error[0] = '\0';
	else
		snprintf(f->input_error, sizeof(f->input_error), "%s", err.msg);
	return ok;
}

/* Takes the input into the form when it is valid; otherwise it stays open. */
static bool
sf_accept_input(struct settings_form *f)
{
	struct wq_err err;
	char *out = NULL;

	wq_err_clear(&err);
	if (!settings_check(f->sel, f->input.buf, &out, &err)) {
		snprintf(f->input_error, sizeof(f->input_error), "%s", err.msg);
		return false;
	}
	free(f->value[f->sel]);
	f->value[f->sel] = out;
	sf_input_close(f);
	return true;
}

/* Enter / e: a switch or the review mode toggles, other fields open the input. */
static void
sf_edit(struct shell *sh, struct settings_form *f)
{
	const char *v = f->value[f->sel];

	switch (settings_keys[f->sel].type) {
	case SET_SWITCH:
		if (strcmp(v, "on") == 0) {
			sf_set(f, f->sel, "off");
			/* undoing 在线签约 undoes the two switches it turned on */
			if (f->sel == SETTING_online_signing && !sf_changed(f, SETTING_online_signing)) {
				sf_set(f, SETTING_registration, f->st.value[SETTING_registration]);
				sf_set(f, SETTING_destination, f->st.value[SETTING_destination]);
			}
			shell_say(sh, false, "%s：关闭（Ctrl-S 保存）", settings_keys[f->sel].label);
			return;
		}
		sf_set(f, f->sel, "on");
		/* as the database does: turning 在线签约 on turns the other two on */
		if (f->sel == SETTING_online_signing) {
			sf_set(f, SETTING_registration, "on");
			sf_set(f, SETTING_destination, "on");
			shell_say(sh, false, "在线签约开关：开启，补登开关和填报去向登记开关随之开启（可分别关闭；Ctrl-S 保存）");
			return;
		}
		shell_say(sh, false, "%s：开启（Ctrl-S 保存）", settings_keys[f->sel].label);
		return;
	case SET_REVIEW_MODE:
		sf_set(f, f->sel, strcmp(v, "dept_then_school") == 0 ? "school" : "dept_then_school");
		shell_say(sh, false, "审核方式：%s（Ctrl-S 保存）", settings_value_label(f->sel, f->value[f->sel]));
		return;
	case SET_COUNT:
	case SET_TEXT:
	case SET_PHONE:
	case SET_POSTCODE:
		break;
	}
	if (strlen(v) >= sizeof(f->input.buf)) {
		shell_say(sh, true, "%s太长，无法在此修改，请用 wq settings set %s=…", settings_keys[f->sel].label,
			settings_keys[f->sel].key);
		return;
	}
	ui_field_clear(&f->input);
	snprintf(f->input.buf, sizeof(f->input.buf), "%s", v);
	f->input.len = f->input.cursor = strlen(f->input.buf);
	f->input_error[0] = '\0';
	f->mode = SF_INPUT;
	shell_say(sh, false, "%s", "");
}

/* Ctrl-S: opens the confirmation when there is something to save. */
static void
sf_ask_save(struct shell *sh, struct settings_form *f)
{
	if (!sf_change_count(f)) {
		shell_say(sh, false, "没有需要保存的修改");
		return;
	}
	f->confirm_on_save = false;
	f->mode = SF_CONFIRM;
	shell_say(sh, false, "%s", "");
}

/* Saves every change with the version loaded; see the banner for a stale one. */
static void
sf_save(struct shell *sh, struct settings_form *f)
{
	enum settings_key keys[SETTING_COUNT];
	const char *values[SETTING_COUNT];
	struct wq_err err;
	int k, n = 0;

	f->mode = SF_NORMAL;
	for (k = 0; k < SETTING_COUNT; k++) {
		/*
		 * Turning 在线签约 on turns the other two switches on in the
		 * database unless the change names them: name them as shown.
		 */
		if (!sf_changed(f, k) && !((k == SETTING_registration || k == SETTING_destination)
		    && sf_changed(f, SETTING_online_signing) && strcmp(f->value[SETTING_online_signing], "on") == 0))
			continue;
		keys[n] = k;
		values[n++] = f->value[k];
	}
	if (!n)
		return;
	wq_err_clear(&err);
	if (settings_save(shell_app(sh)->db, n, keys, values, f->st.version, NULL, &err)) {
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

/* ---- keys ---------------------------------------------------------------- */

/* Leaving without saving: the form goes back to what was loaded. */
static void
sf_discard(struct settings_form *f)
{
	int k;

	for (k = 0; k < SETTING_COUNT; k++)
		sf_set(f, k, f->st.value[k]);
}

static bool
is_enter(int rc, wint_t ch)
{
	return (rc == OK && (ch == '\r' || ch == '\n')) || (rc == KEY_CODE_YES && ch == KEY_ENTER);
}

/* Moves the selection, stopping at the first and last field. */
static void
sf_move(struct settings_form *f, int delta)
{
	f->sel += delta;
	if (f->sel < 0)
		f->sel = 0;
	if (f->sel >= SETTING_COUNT)
		f->sel = SETTING_COUNT - 1;
}

/* Keys of the inline input: typing, Enter to accept, Esc to cancel. */
static void
sf_input_key(struct shell *sh, struct settings_form *f, int rc, wint_t ch)
{
	if (is_enter(rc, ch)) {
		sf_accept_input(f);
	} else if (rc == OK && (ch == 27 || ch == 3)) {
		sf_input_close(f);
	} else if (rc == OK && ch == 19) {
		if (sf_accept_input(f))
			sf_ask_save(sh, f);
	} else if (rc == KEY_CODE_YES && (ch == KEY_UP || ch == KEY_DOWN)) {
		if (sf_accept_input(f))
			sf_move(f, ch == KEY_UP ? -1 : 1);
	} else if (ui_field_key(&f->input, rc == KEY_CODE_YES, (unsigned int)ch)) {
		sf_check_input(f);
	}
}

/*
 * Raw keys: the input, the dialogs, and q/Esc while there are unsaved
 * changes (asked first).  Everything else goes to the action table.
 */
static bool
sf_key(struct shell *sh, void *priv, int rc, wint_t ch)
{
	struct settings_form *f = priv;

	switch (f->mode) {
	case SF_INPUT:
		sf_input_key(sh, f, rc, ch);
		return true;
	case SF_CONFIRM:
		if (rc == OK && (ch == 'y' || ch == 'Y'))
			sf_save(sh, f);
		else if (rc == OK && (ch == 'n' || ch == 'N' || ch == 27 || ch == 'q' || ch == 3))
			f->mode = SF_NORMAL;
		else if ((rc == OK && ch == '\t') || (rc == KEY_CODE_YES && (ch == KEY_LEFT || ch == KEY_RIGHT
		         || ch == KEY_BTAB)) || (rc == OK && (ch == 'h' || ch == 'l')))
			f->confirm_on_save = !f->confirm_on_save;
		else if (is_enter(rc, ch) && f->confirm_on_save)
			sf_save(sh, f);
		else if (is_enter(rc, ch))
			f->mode = SF_NORMAL;
		return true;
	case SF_LEAVE:
		if (rc == OK && (ch == 'y' || ch == 'Y')) {
			sf_discard(f);
			f->mode = SF_NORMAL;
			shell_say(sh, false, "已放弃未保存的修改");
			shell_leave(sh);
		} else if (rc == OK && (ch == 'n' || ch == 'N' || ch == 27 || ch == 'q' || ch == 3)) {
			f->mode = SF_NORMAL;
			shell_say(sh, false, "%s", "");
		}
		return true;
	case SF_NORMAL:
		break;
	}
	if (rc == OK && (ch == 'q' || ch == 27 || ch == 3) && sf_change_count(f)) {
		f->mode = SF_LEAVE;
		shell_say(sh, true, "有未保存的修改，确定放弃？ y 放弃 n 返回");
		return true;
	}
	return false;
}

/* The table's actions: moving, and EDIT / SAVE for school users only. */
static void
sf_act(struct shell *sh, void *priv, enum action a)
{
	struct settings_form *f = priv;

	switch (a) {
	case ACT_MOVE_UP:
		sf_move(f, -1);
		break;
	case ACT_MOVE_DOWN:
		sf_move(f, 1);
		break;
	case ACT_TOP:
	case ACT_PAGE_UP:
		f->sel = 0;
		break;
	case ACT_BOTTOM:
	case ACT_PAGE_DOWN:
		f->sel = SETTING_COUNT - 1;
		break;
	case ACT_EDIT:
	case ACT_SAVE:
		if (sf_read_only(sh))
			shell_say(sh, true, "院系用户只能查看签约设置");
		else if (!f->loaded)
			shell_say(sh, true, "%s", f->error[0] ? f->error : "签约设置尚未读取，按 R 重试");
		else if (a == ACT_EDIT)
			sf_edit(sh, f);
		else
			sf_ask_save(sh, f);
		break;
	default:
		break;
	}
}

/* The keys of a dialog or the input; NULL lets the shell list the table's. */
static const char *
sf_hints(struct shell *sh, void *priv)
{
	struct settings_form *f = priv;

	switch (f->mode) {
	case SF_INPUT:
		return "Enter 确认   Esc 取消   ↑/↓ 确认并移动   Ctrl-S 确认并保存";
	case SF_CONFIRM:
		return "y 确定保存   n/Esc 取消   Tab 切换按钮";
	case SF_LEAVE:
		return "y 放弃修改   n/Esc 返回";
	case SF_NORMAL:
		break;
	}
	if (sf_read_only(sh))
		return "↑/↓ 移动   R 刷新   : 命令   ? 帮助   q 返回";
	return NULL;
}

static void
sf_fini(void *priv)
{
	struct settings_form *f = priv;
	int k;

	for (k = 0; k < SETTING_COUNT; k++)
		free(f->value[k]);
	if (f->loaded)
		settings_fini(&f->st);
	ui_field_clear(&f->input);
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
