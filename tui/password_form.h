/*
 * password_form.h: 新密码 and 确认新密码, as a form.  One form for both
 * a school user resetting a department clerk's password (账号管理, p) and
 * a user changing their own (:passwd).  The two entries must match and be
 * at least ACCOUNT_PASSWORD_MIN characters; the database checks the rest.
 */
#ifndef WQ_PASSWORD_FORM_H
#define WQ_PASSWORD_FORM_H

#include "form.h"

struct password_form {
	struct form form;
	char title[64];
	char account[256];      /* whose password, as shown (read-only field) */
	int f_account, f_pw1, f_pw2;
};

/*
 * The checks of a password pair, for any form: password_check_new is the
 * length rule (account_password_check, on submit only); password_check_again
 * wants the field before it repeated (while typing, a beginning of it is accepted).
 */
bool password_check_new(struct form *form, int field, const char *value, char *msg, size_t size);
bool password_check_again(struct form *form, int field, const char *value, char *msg, size_t size);

/*
 * After form_key: when a submit found the pair (pw1, pw1 + 1) wrong (too
 * short, or different), both are emptied and the focus goes back to pw1.
 */
void password_fields_after_key(struct form *f, int pw1, enum form_result r);

/* Opens the form for the account shown as account_label. */
void password_form_open(struct password_form *p, const char *title, const char *account_label);

/*
 * A key; FORM_SUBMIT only when both entries match the length rule and
 * each other (otherwise the message is beside the field and both are
 * emptied when they differ).
 */
enum form_result password_form_key(struct password_form *p, bool is_keycode, unsigned int ch);

/* The password typed (borrowed; valid until password_form_wipe). */
const char *password_form_value(const struct password_form *p);

/* A refusal from the database: the message beside 新密码, both entries emptied. */
void password_form_refused(struct password_form *p, const char *msg);

/* Wipes both entries. */
void password_form_wipe(struct password_form *p);

#endif
