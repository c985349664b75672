/*
 * form.h: the one form widget.
 *
 * A form is a framed list of fields with a 保存/提交 and a 取消 button.
 * Field kinds: text, secret (drawn as *), multi-line text, choice (one of a
 * list, ←/→ or Space) and toggle (Space).  Text is edited by code point:
 * the cursor moves over a CJK character in one step, backspace removes the
 * whole character, Enter in a multi-line field breaks the line.  A digits
 * field takes full-width digits (and letters) as their ASCII forms.
 *
 * Each field may have a check, run on every edit of the field and on
 * submit; its message is drawn beside the field (or under it when there is
 * no room).  Keys: Tab / ↓ next field, Shift-Tab / ↑ previous, Ctrl-S
 * submits, Enter on the last field or on the submit button submits, Esc
 * cancels, asking first (the confirm dialog) when anything was changed.
 *
 * The editing logic (form_key and the form_text_* calls) draws nothing and
 * needs no terminal, so it is unit-tested on its own (tests/unit/test_form.c).
 * Fields hold their text in place; secret fields are wiped by form_wipe.
 */
#ifndef WQ_FORM_H
#define WQ_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "dialog.h"

#define FORM_TEXT_MAX 1024     /* bytes of a field's text, NUL included */
#define FORM_FIELDS_MAX 16

enum form_kind {
	FORM_TEXT,
	FORM_SECRET,
	FORM_MULTILINE,
	FORM_CHOICE,
	FORM_TOGGLE,
};

struct form;

/*
 * A field's check: true when value (the field's text, or the choice's or
 * toggle's value) is good; otherwise writes a Chinese message into msg.
 */
typedef bool (*form_check_fn)(struct form *form, int field, const char *value, char *msg, size_t size);

struct form_field {
	enum form_kind kind;
	const char *label;
	const char *group;               /* a title drawn before this field, or NULL */
	bool digits;                     /* full-width digits and letters become ASCII */
	bool read_only;
	int width;                       /* cells of the input (0: as wide as there is room) */
	int rows;                        /* rows shown (0: 1, a multi-line field 3); long text wraps */
	size_t max_chars;                /* code points allowed (0: as the buffer allows) */
	form_check_fn check;
	/* text kinds */
	char text[FORM_TEXT_MAX];
	size_t len;                      /* bytes */
	size_t cursor;                   /* byte offset, on a code point boundary */
	char initial[FORM_TEXT_MAX];     /* the text as opened, for the dirty flag */
	/* choice and toggle */
	const char *const *values;       /* a choice's values (borrowed), nchoices of them */
	const char *const *labels;       /* as shown; NULL: the values */
	int nchoices;
	int choice, initial_choice;      /* a toggle: 1 on, 0 off */
	const char *on_label, *off_label;/* a toggle's words (default 开启 / 关闭) */
	/* shown */
	char msg[256];                   /* the check's message, or "" */
	char note[256];                  /* a dim note after the value when there is no message, or "" */
	bool msg_under;                  /* the message took a row of its own, as last drawn */
};

/* What a key did. */
enum form_result {
	FORM_NONE,       /* used (or ignored); the form stays */
	FORM_UNUSED,     /* not a key of the form: the caller may use it */
	FORM_SUBMIT,     /* every check passed: take the values */
	FORM_CANCEL,     /* leave the form (asked first when it had changes) */
};

struct form {
	const char *title;
	const char *submit_label;        /* e.g. 保存, 添加 (default 确定) */
	struct form_field field[FORM_FIELDS_MAX];
	int nfields;
	int focus;                       /* a field, or nfields (submit) / nfields + 1 (取消) */
	bool read_only;                  /* no buttons, nothing editable */
	bool mark_changes;               /* draw * before changed fields */
	char status[256];                /* a line under the fields (an error or a count), or "" */
	bool status_error;
	struct dialog ask;               /* the "discard changes?" question */
	void *ctx;                       /* the owner's, for checks */
	bool submitting;                 /* the checks run for a submit (not for a keystroke) */
	bool submitted;                  /* the last key tried to submit */
	int scroll;                      /* first row drawn, as last drawn */
	char hint[320];
};

/* Empties the form (wiping any secret) and sets its title and submit label. */
void form_init(struct form *f, const char *title, const char *submit_label);

/* Adds a field of a kind and returns its index (the caller fills the rest). */
int form_add(struct form *f, enum form_kind kind, const char *label);

/* Sets a text field's text and its initial text (the field is not changed). */
void form_set_text(struct form *f, int i, const char *text);
/* Sets a text field's initial text only (the dirty flag compares to it). */
void form_set_initial(struct form *f, int i, const char *text);
/* A choice's or toggle's value: index (a toggle: 0 off, 1 on); initial too when also_initial. */
void form_set_choice(struct form *f, int i, int choice, bool also_initial);

/* A field's value: its text, or the chosen value ("on"/"off" for a toggle). Borrowed. */
const char *form_value(const struct form *f, int i);

/*
 * Sets a field from a value as form_value gives it (a choice's or toggle's
 * value, a text): also its initial value when initial, else the field is
 * changed when the value differs.  A value that is not one of a choice's
 * picks the first.
 */
void form_set_value(struct form *f, int i, const char *value, bool initial);

/*
 * The field's value was read again: it becomes the initial value.  With
 * keep, a field the user changed keeps the user's value on top (checked
 * again), unless the value read is that very value.
 */
void form_reload_value(struct form *f, int i, const char *value, bool keep);

/* A value of the field as users read it: a choice's label, 开启/关闭 (a toggle's words), or the text. Borrowed. */
const char *form_value_label(const struct form *f, int i, const char *value);

bool form_field_changed(const struct form *f, int i);
/* Any field changed since it was set. */
bool form_dirty(const struct form *f);
int form_change_count(const struct form *f);

/* Runs every check; focuses the first failing field. True when all pass. */
bool form_check_all(struct form *f);
/* Runs one field's check, leaving its message. */
bool form_check(struct form *f, int i);

/* Applies a key: see form_result.  is_keycode: a curses KEY_* code. */
enum form_result form_key(struct form *f, bool is_keycode, unsigned int ch);

/* Focus moves (wrapping over the fields and buttons). */
void form_next(struct form *f);
void form_prev(struct form *f);

/* Editing the focused text field (form_key uses these); false when nothing changed. */
bool form_text_insert(struct form *f, unsigned int cp);
bool form_text_backspace(struct form *f);
bool form_text_delete(struct form *f);
void form_text_left(struct form *f);
void form_text_right(struct form *f);
void form_text_home(struct form *f);
void form_text_end(struct form *f);
/* A multi-line field: to the line above/below at the same cell column; false on the first/last line. */
bool form_text_up(struct form *f);
bool form_text_down(struct form *f);

/* Wipes every field (secrets first) and closes the question. */
void form_wipe(struct form *f);

/* The action contexts of the form's keys where its focus is (CTX_FORM …, or CTX_DIALOG while it asks). */
int form_context(const struct form *f);

/* Draws the form framed in the area (y, x, h, w), the question over it; places the cursor. */
void form_draw(struct form *f, int y, int x, int h, int w);
/* The rows the form would like (frame included). */
int form_height(const struct form *f);

/* The hint bar text for the focused field. */
const char *form_hints(struct form *f);

#endif
