/* password_form.c: the new-password form (see password_form.h). */
#include "password_form.h"

#include <stdio.h>
#include <string.h>

#include "account.h"
#include "err.h"

bool
password_check_new(struct form *form, int field, const char *value, char *msg, size_t size)
{
	struct wq_err err;

	(void)field;
	wq_err_clear(&err);
	/* checked on submit: no nagging about the length while it is typed */
	if (!form->submitting || account_password_check(value, &err))
		return true;
	snprintf(msg, size, "%s", err.msg);
	return false;
}

bool
password_check_again(struct form *form, int field, const char *value, char *msg, size_t size)
{
	const char *first = form_value(form, field - 1);

	/* while it is being typed, a beginning of 新密码 is no mistake yet */
	if (strcmp(value, first) == 0 || (!form->submitting && strncmp(value, first, strlen(value)) == 0))
		return true;
	snprintf(msg, size, "两次输入的密码不一致");
	return false;
}

void
password_form_open(struct password_form *p, const char *title, const char *account_label)
{
	snprintf(p->title, sizeof(p->title), " %s ", title);
	snprintf(p->account, sizeof(p->account), "%s", account_label);
	form_init(&p->form, p->title, "确定");
	p->form.ctx = p;
	p->f_account = form_add(&p->form, FORM_TEXT, "账号");
	form_set_text(&p->form, p->f_account, p->account);
	p->form.field[p->f_account].read_only = true;
	p->f_pw1 = form_add(&p->form, FORM_SECRET, "新密码");
	p->form.field[p->f_pw1].width = 32;
	p->form.field[p->f_pw1].check = password_check_new;
	p->f_pw2 = form_add(&p->form, FORM_SECRET, "确认新密码");
	p->form.field[p->f_pw2].width = 32;
	p->form.field[p->f_pw2].check = password_check_again;
	p->form.focus = p->f_pw1;
	snprintf(p->form.status, sizeof(p->form.status), "密码至少 %d 个字符", ACCOUNT_PASSWORD_MIN);
}

static void
empty(struct form *f, int i)
{
	struct form_field *fl = &f->field[i];

	explicit_bzero(fl->text, sizeof(fl->text));
	fl->len = fl->cursor = 0;
}

void
password_fields_after_key(struct form *f, int pw1, enum form_result r)
{
	/* the submit's first failing field has the focus: only when it is one of the pair */
	if (r == FORM_NONE && f->submitted && (f->focus == pw1 || f->focus == pw1 + 1)
	    && (f->field[pw1].msg[0] || f->field[pw1 + 1].msg[0])) {
		empty(f, pw1);
		empty(f, pw1 + 1);
		f->focus = pw1;
	}
}

enum form_result
password_form_key(struct password_form *p, bool is_keycode, unsigned int ch)
{
	enum form_result r = form_key(&p->form, is_keycode, ch);

	password_fields_after_key(&p->form, p->f_pw1, r);
	return r;
}

const char *
password_form_value(const struct password_form *p)
{
	return form_value(&p->form, p->f_pw1);
}

void
password_form_refused(struct password_form *p, const char *msg)
{
	empty(&p->form, p->f_pw1);
	empty(&p->form, p->f_pw2);
	p->form.field[p->f_pw2].msg[0] = '\0';
	snprintf(p->form.field[p->f_pw1].msg, sizeof(p->form.field[p->f_pw1].msg), "%s", msg);
	p->form.focus = p->f_pw1;
}

void
password_form_wipe(struct password_form *p)
{
	form_wipe(&p->form);
}
