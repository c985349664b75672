/*
 * test_form.c: unit tests for the form and the confirm dialog (tui/form.c,
 * tui/dialog.c): editing by code point, cursor moves, checks and their
 * messages, the dirty flag, values read again, full-width digits, focus,
 * submit and cancel.
 * Keys go through form_key as the screens send them; nothing is drawn.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "dialog.h"
#include "form.h"
#include "password_form.h"

/* Types UTF-8 text into the form, one code point at a time, as get_wch returns it. */
static void
type(struct form *f, const char *s)
{
	unsigned char c;
	unsigned int cp;
	int n, i;

	while (*s) {
		c = (unsigned char)*s;
		n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
		for (i = 1; i < n; i++)
			cp = (cp << 6) | ((unsigned char)s[i] & 0x3F);
		s += n;
		assert_int_equal(form_key(f, false, cp), FORM_NONE);
	}
}

static enum form_result
key(struct form *f, unsigned int code)
{
	return form_key(f, true, code);
}

static enum form_result
ch(struct form *f, unsigned int c)
{
	return form_key(f, false, c);
}

static bool
check_digits(struct form *form, int field, const char *value, char *msg, size_t size)
{
	const char *p;

	(void)form;
	(void)field;
	for (p = value; *p; p++)
		if (*p < '0' || *p > '9') {
			snprintf(msg, size, "只能填写数字");
			return false;
		}
	if (!*value) {
		snprintf(msg, size, "请填写次数");
		return false;
	}
	return true;
}

static struct form form;

/* 姓名 (text), 次数 (digits, checked), 地址 (multi-line), 审核方式 (choice), 开关 (toggle). */
static const char *const modes[] = { "school", "dept_then_school" };
enum { NAME, COUNT, ADDRESS, MODE, SWITCH };

static int
setup(void **state)
{
	(void)state;
	memset(&form, 0, sizeof(form));
	form_init(&form, " 测试 ", "保存");
	form_add(&form, FORM_TEXT, "姓名");
	form_add(&form, FORM_TEXT, "次数");
	form.field[COUNT].digits = true;
	form.field[COUNT].check = check_digits;
	form_set_text(&form, COUNT, "1");
	form_add(&form, FORM_MULTILINE, "地址");
	form_add(&form, FORM_CHOICE, "审核方式");
	form.field[MODE].values = modes;
	form.field[MODE].nchoices = 2;
	form_add(&form, FORM_TOGGLE, "开关");
	return 0;
}

static void
test_cjk_insert_and_backspace(void **state)
{
	struct form_field *fl = &form.field[NAME];

	(void)state;
	type(&form, "王堃");
	assert_string_equal(fl->text, "王堃");
	assert_int_equal(fl->len, 6);
	assert_int_equal(fl->cursor, 6);
	/* backspace removes the whole character, never a byte of it */
	assert_int_equal(key(&form, KEY_BACKSPACE), FORM_NONE);
	assert_string_equal(fl->text, "王");
	assert_int_equal(fl->cursor, 3);
	/* DEL (127) from the terminal does the same */
	assert_int_equal(ch(&form, 127), FORM_NONE);
	assert_string_equal(fl->text, "");
	assert_int_equal(fl->cursor, 0);
	assert_int_equal(ch(&form, 127), FORM_NONE);
	assert_int_equal(fl->len, 0);
}

static void
test_cursor_moves_by_character(void **state)
{
	struct form_field *fl = &form.field[NAME];

	(void)state;
	type(&form, "阿卜杜拉·艾力");
	key(&form, KEY_HOME);
	assert_int_equal(fl->cursor, 0);
	key(&form, KEY_RIGHT);
	assert_int_equal(fl->cursor, 3);
	key(&form, KEY_RIGHT);
	key(&form, KEY_RIGHT);
	key(&form, KEY_RIGHT);
	/* the middle dot is two bytes */
	key(&form, KEY_RIGHT);
	assert_int_equal(fl->cursor, 14);
	key(&form, KEY_LEFT);
	assert_int_equal(fl->cursor, 12);
	/* insert in the middle, delete under the cursor */
	type(&form, "x");
	assert_string_equal(fl->text, "阿卜杜拉x·艾力");
	key(&form, KEY_DC);
	assert_string_equal(fl->text, "阿卜杜拉x艾力");
	key(&form, KEY_END);
	assert_int_equal(fl->cursor, fl->len);
	key(&form, KEY_RIGHT);
	assert_int_equal(fl->cursor, fl->len);
	/* Ctrl-U empties the field */
	ch(&form, 21);
	assert_int_equal(fl->len, 0);
}

static void
test_fullwidth_digits_become_ascii(void **state)
{
	struct form_field *fl = &form.field[COUNT];

	(void)state;
	form.focus = COUNT;
	ch(&form, 21);
	type(&form, "１２");
	assert_string_equal(fl->text, "12");
	assert_int_equal(fl->len, 2);
	assert_string_equal(fl->msg, "");
	/* a field without the flag keeps what was typed */
	form.focus = NAME;
	type(&form, "１");
	assert_string_equal(form.field[NAME].text, "１");
}

static void
test_check_message_while_typing(void **state)
{
	struct form_field *fl = &form.field[COUNT];

	(void)state;
	form.focus = COUNT;
	type(&form, "x");
	assert_string_equal(fl->msg, "只能填写数字");
	key(&form, KEY_BACKSPACE);
	assert_string_equal(fl->msg, "");
	ch(&form, 21);
	assert_string_equal(fl->msg, "请填写次数");
	/* submit refuses and puts the focus on the field that is wrong */
	form.focus = NAME;
	assert_int_equal(ch(&form, 19), FORM_NONE);
	assert_int_equal(form.focus, COUNT);
	type(&form, "3");
	assert_int_equal(ch(&form, 19), FORM_SUBMIT);
	assert_string_equal(form_value(&form, COUNT), "3");
}

static void
test_dirty_flag(void **state)
{
	(void)state;
	assert_false(form_dirty(&form));
	form.focus = COUNT;
	type(&form, "0");
	assert_true(form_field_changed(&form, COUNT));
	assert_int_equal(form_change_count(&form), 1);
	key(&form, KEY_BACKSPACE);
	/* back to what it was: not changed */
	assert_false(form_dirty(&form));
	/* choices and toggles count too */
	form.focus = MODE;
	ch(&form, ' ');
	assert_string_equal(form_value(&form, MODE), "dept_then_school");
	form.focus = SWITCH;
	assert_string_equal(form_value(&form, SWITCH), "off");
	ch(&form, ' ');
	assert_string_equal(form_value(&form, SWITCH), "on");
	assert_int_equal(form_change_count(&form), 2);
	/* form_set_text makes a new starting point */
	form_set_text(&form, NAME, "李四");
	assert_false(form_field_changed(&form, NAME));
}

static void
test_values_read_again(void **state)
{
	static const char *const labels[] = { "仅校级审核", "先院系再校级审核" };

	(void)state;
	/* form_set_value takes the values form_value gives, for every kind */
	form_set_value(&form, MODE, "dept_then_school", true);
	form_set_value(&form, SWITCH, "on", true);
	form_set_value(&form, NAME, "张三", true);
	assert_false(form_dirty(&form));
	assert_string_equal(form_value(&form, MODE), "dept_then_school");
	assert_string_equal(form_value(&form, SWITCH), "on");
	form_set_value(&form, MODE, "school", false);
	assert_true(form_field_changed(&form, MODE));
	form_set_value(&form, MODE, "dept_then_school", false);
	assert_false(form_field_changed(&form, MODE));
	/* read again with keep: a change stays on top of the new value... */
	form_set_value(&form, NAME, "李四", false);
	form_reload_value(&form, NAME, "王五", true);
	assert_string_equal(form_value(&form, NAME), "李四");
	assert_string_equal(form.field[NAME].initial, "王五");
	assert_true(form_field_changed(&form, NAME));
	/* ...unless the database now holds that very value */
	form_reload_value(&form, NAME, "李四", true);
	assert_false(form_field_changed(&form, NAME));
	/* an unchanged field, or without keep, takes the value read */
	form_reload_value(&form, MODE, "school", true);
	assert_string_equal(form_value(&form, MODE), "school");
	assert_false(form_field_changed(&form, MODE));
	form_set_value(&form, SWITCH, "off", false);
	form_reload_value(&form, SWITCH, "on", false);
	assert_string_equal(form_value(&form, SWITCH), "on");
	assert_false(form_dirty(&form));
	/* a kept change is checked again */
	form_set_value(&form, COUNT, "x", false);
	form_reload_value(&form, COUNT, "2", true);
	assert_string_equal(form.field[COUNT].msg, "只能填写数字");
	/* values as users read them */
	assert_string_equal(form_value_label(&form, SWITCH, "on"), "开启");
	assert_string_equal(form_value_label(&form, SWITCH, "off"), "关闭");
	assert_string_equal(form_value_label(&form, MODE, "dept_then_school"), "dept_then_school");
	form.field[MODE].labels = labels;
	assert_string_equal(form_value_label(&form, MODE, "dept_then_school"), "先院系再校级审核");
	assert_string_equal(form_value_label(&form, NAME, "李四"), "李四");
}

static void
test_multiline_breaks_and_moves(void **state)
{
	struct form_field *fl = &form.field[ADDRESS];

	(void)state;
	form.focus = ADDRESS;
	type(&form, "北京市海淀区");
	assert_int_equal(ch(&form, '\r'), FORM_NONE);
	type(&form, "颐和园路5号");
	assert_string_equal(fl->text, "北京市海淀区\n颐和园路5号");
	/* ↑ goes to the same column of the line above: 4 cells = after 北京 */
	key(&form, KEY_HOME);
	key(&form, KEY_RIGHT);
	key(&form, KEY_RIGHT);
	assert_int_equal(key(&form, KEY_UP), FORM_NONE);
	assert_int_equal(form.focus, ADDRESS);
	assert_int_equal(fl->cursor, 6);
	/* on the first line ↑ leaves the field */
	assert_int_equal(key(&form, KEY_UP), FORM_NONE);
	assert_int_equal(form.focus, COUNT);
	form.focus = ADDRESS;
	assert_int_equal(key(&form, KEY_DOWN), FORM_NONE);
	assert_int_equal(form.focus, ADDRESS);
	assert_int_equal(fl->cursor, strlen("北京市海淀区\n颐和"));
	/* backspace at a line start joins the lines */
	key(&form, KEY_HOME);
	key(&form, KEY_BACKSPACE);
	assert_string_equal(fl->text, "北京市海淀区颐和园路5号");
	/* a one-line field takes no line break: Enter moves on */
	form.focus = NAME;
	assert_int_equal(ch(&form, '\r'), FORM_NONE);
	assert_int_equal(form.focus, COUNT);
	assert_null(strchr(form.field[NAME].text, '\n'));
}

static void
test_focus_moves(void **state)
{
	(void)state;
	form.focus = NAME;
	ch(&form, '\t');
	assert_int_equal(form.focus, COUNT);
	key(&form, KEY_BTAB);
	assert_int_equal(form.focus, NAME);
	/* Shift-Tab from the first field goes round to the 取消 button */
	key(&form, KEY_BTAB);
	assert_int_equal(form.focus, form.nfields + 1);
	key(&form, KEY_BTAB);
	assert_int_equal(form.focus, form.nfields);
	/* Enter on the submit button submits */
	assert_int_equal(ch(&form, '\r'), FORM_SUBMIT);
	/* on a choice ←/→ choose, they do not move the focus */
	form.focus = MODE;
	key(&form, KEY_RIGHT);
	assert_int_equal(form.focus, MODE);
	assert_int_equal(form.field[MODE].choice, 1);
	key(&form, KEY_LEFT);
	assert_int_equal(form.field[MODE].choice, 0);
	/* letters on a choice are not the form's: the caller may use them */
	assert_int_equal(ch(&form, 'q'), FORM_UNUSED);
}

static void
test_cancel_asks_when_changed(void **state)
{
	(void)state;
	/* nothing changed: Esc leaves at once */
	assert_int_equal(ch(&form, 27), FORM_CANCEL);
	form.focus = NAME;
	type(&form, "张");
	assert_int_equal(ch(&form, 27), FORM_NONE);
	assert_true(form.ask.open);
	assert_true(strstr(form.ask.lines[0], "有 1 项修改尚未保存") != NULL);
	/* Esc again (the key that asked) cancels the question, not the form */
	assert_int_equal(ch(&form, 27), FORM_NONE);
	assert_false(form.ask.open);
	assert_string_equal(form.field[NAME].text, "张");
	ch(&form, 27);
	assert_int_equal(ch(&form, 'y'), FORM_CANCEL);
}

static void
test_dialog_focus_and_keys(void **state)
{
	struct dialog d;

	(void)state;
	dialog_open(&d, " 锁定院系账号 ", "锁定");
	dialog_add(&d, "确定锁定 %s？", "zhou");
	assert_string_equal(d.lines[0], "确定锁定 zhou？");
	/* the focus is on 取消: Enter cancels */
	assert_false(d.on_ok);
	assert_int_equal(dialog_key(&d, false, '\r'), DIALOG_NO);
	assert_false(d.open);
	/* the key that opened it (L) does nothing; y confirms */
	dialog_open(&d, " 锁定院系账号 ", "锁定");
	assert_int_equal(dialog_key(&d, false, 'L'), DIALOG_OPEN);
	assert_int_equal(dialog_key(&d, false, 19), DIALOG_OPEN);
	assert_int_equal(dialog_key(&d, false, 'y'), DIALOG_YES);
	/* q cancels (it opened the quit question: it must not confirm) */
	dialog_open(&d, " 退出 ", "退出");
	assert_int_equal(dialog_key(&d, false, 'q'), DIALOG_NO);
	/* Tab moves the focus to the confirming button; Enter there confirms */
	dialog_open(&d, " 退出 ", "退出");
	assert_int_equal(dialog_key(&d, false, '\t'), DIALOG_OPEN);
	assert_true(d.on_ok);
	assert_int_equal(dialog_key(&d, true, KEY_ENTER), DIALOG_YES);
}

static void
test_password_form(void **state)
{
	static struct password_form p;
	struct form *f = &p.form;

	(void)state;
	memset(&p, 0, sizeof(p));
	password_form_open(&p, "修改本人密码", "lisi（李四，本人）");
	assert_int_equal(f->focus, p.f_pw1);
	/* too short: refused on submit, both emptied, focus on 新密码 */
	type(f, "short");
	assert_string_equal(f->field[p.f_pw1].msg, "");
	assert_int_equal(password_form_key(&p, false, '\r'), FORM_NONE);
	type(f, "short");
	assert_int_equal(password_form_key(&p, false, '\r'), FORM_NONE);
	assert_string_equal(f->field[p.f_pw1].msg, "密码至少 8 个字符");
	assert_int_equal(f->field[p.f_pw1].len, 0);
	assert_int_equal(f->field[p.f_pw2].len, 0);
	assert_int_equal(f->focus, p.f_pw1);
	/* different: the message is beside 确认新密码 */
	type(f, "pw-new-1");
	password_form_key(&p, false, '\t');
	type(f, "pw-new");
	/* a beginning of 新密码 is no mistake while it is typed */
	assert_string_equal(f->field[p.f_pw2].msg, "");
	type(f, "-2");
	assert_int_equal(password_form_key(&p, false, 19), FORM_NONE);
	assert_string_equal(f->field[p.f_pw2].msg, "两次输入的密码不一致");
	assert_int_equal(f->focus, p.f_pw1);
	type(f, "pw-new-1");
	password_form_key(&p, false, '\t');
	type(f, "pw-new-1");
	assert_int_equal(password_form_key(&p, false, '\r'), FORM_SUBMIT);
	assert_string_equal(password_form_value(&p), "pw-new-1");
	password_form_wipe(&p);
	assert_int_equal(f->field[p.f_pw1].len, 0);
	assert_string_equal(f->field[p.f_pw1].text, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_cjk_insert_and_backspace, setup),
		cmocka_unit_test_setup(test_cursor_moves_by_character, setup),
		cmocka_unit_test_setup(test_fullwidth_digits_become_ascii, setup),
		cmocka_unit_test_setup(test_check_message_while_typing, setup),
		cmocka_unit_test_setup(test_dirty_flag, setup),
		cmocka_unit_test_setup(test_values_read_again, setup),
		cmocka_unit_test_setup(test_multiline_breaks_and_moves, setup),
		cmocka_unit_test_setup(test_focus_moves, setup),
		cmocka_unit_test_setup(test_cancel_asks_when_changed, setup),
		cmocka_unit_test(test_dialog_focus_and_keys),
		cmocka_unit_test(test_password_form),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
