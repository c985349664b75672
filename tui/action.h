/*
 * action.h: the one table of what a key does.  The hint bar, the help screen,
 * key dispatch and the keys: section of the configuration all come from
 * ACTION_INFO; nothing else lists keys.
 */
#ifndef WQ_ACTION_H
#define WQ_ACTION_H

#include <stdbool.h>
#include <stddef.h>

struct wq_conf_map;

/* Where an action works: the module list, a view, or a dialog over one. */
enum {
	CTX_SIDEBAR  = 1 << 0,
	CTX_HOME     = 1 << 1,
	CTX_PENDING  = 1 << 2,   /* a module not built yet */
	CTX_STUDENTS = 1 << 3,
	CTX_DETAIL   = 1 << 4,   /* a detail page (one student) */
	CTX_SETTINGS = 1 << 5,
	CTX_ACCOUNTS = 1 << 6,
	CTX_PICKER   = 1 << 7,   /* a list's f pop-up: a column, then a value */
	CTX_COLUMNS  = 1 << 8,   /* a list's c pop-up */
	CTX_FILTER_EDIT = 1 << 9, /* typing in a list's / box */
	CTX_HELP     = 1 << 11,  /* the help screen */
	CTX_COMMAND_LINE = 1 << 12, /* typing after : */
	CTX_DIALOG   = 1 << 13,  /* the confirm dialog (y / n) */
	CTX_FORM     = 1 << 14,  /* a form, whichever field has the focus */
	CTX_FORM_LINE = 1 << 15, /* … a one-line field (text, choice, toggle) */
	CTX_FORM_MULTI = 1 << 16, /* … a multi-line text */
	CTX_FORM_CHOICE = 1 << 17, /* … a choice or a toggle */
	CTX_FORM_BUTTON = 1 << 18, /* … one of its two buttons */
	CTX_FORM_READ = 1 << 19, /* a form that only shows */
	CTX_REVIEW   = 1 << 10,  /* a review queue (在线签约管理, 补登管理) */
	CTX_REVIEW_DETAIL = 1 << 20, /* one item of a review queue */
	CTX_WARNING  = 1 << 21,  /* 预警单位管理: the school's marks, the national list */
	CTX_IMAGE    = 1 << 22,  /* an attachment shown in the terminal (image_view.h) */
	CTX_DEST_DETAIL = 1 << 23, /* one registration of 去向登记管理 */
	CTX_DEST_SCHOOL = 1 << 24, /* … as a school user sees it (修改去向) */
	CTX_STATS    = 1 << 25,  /* 数据统计: a chart or a table of the scope's figures */
	CTX_TERM_DETAIL = 1 << 26, /* one termination of 解约管理 */
	CTX_TERM_SCHOOL = 1 << 27, /* … while a school user may 强制解约 it */
	CTX_LIST     = CTX_STUDENTS | CTX_SETTINGS | CTX_ACCOUNTS | CTX_REVIEW | CTX_WARNING,
	CTX_PAGE     = CTX_DETAIL | CTX_REVIEW_DETAIL | CTX_DEST_DETAIL | CTX_TERM_DETAIL,   /* the detail pages */
	CTX_CONTENT  = CTX_HOME | CTX_PENDING | CTX_LIST | CTX_PAGE | CTX_IMAGE | CTX_STATS,
	CTX_GLOBAL   = CTX_SIDEBAR | CTX_CONTENT,
};

/* Flags of an action. */
enum {
	A_HINT     = 1 << 0,   /* listed in the hint bar */
	A_WRITES   = 1 << 1,   /* changes data (the database, or a file) */
	A_CONFIRMS = 1 << 2,   /* asks first (a dialog, a form or a y/n question) */
};

/*
 * _(id, key label, 中文说明, contexts, flags, keys...)
 * Keys end with 0.  Values below 256 are characters; KEY_* are curses key codes.
 * No key may name two actions of one context (tests/unit/test_keymap.c).
 */
#define ACTION_INFO(_) \
	_(MOVE_UP,      "↑/k",      "上移",             CTX_SIDEBAR | CTX_LIST | CTX_PAGE | CTX_IMAGE | CTX_STATS | CTX_PICKER | CTX_COLUMNS | CTX_HELP, 0, KEY_UP, 'k', 0) \
	_(MOVE_DOWN,    "↓/j",      "下移",             CTX_SIDEBAR | CTX_LIST | CTX_PAGE | CTX_IMAGE | CTX_STATS | CTX_PICKER | CTX_COLUMNS | CTX_HELP, 0, KEY_DOWN, 'j', 0) \
	_(OPEN,         "Enter",    "打开模块",         CTX_SIDEBAR,  A_HINT, '\n', '\r', KEY_ENTER, 0) \
	_(DETAIL,       "Enter",    "查看详情",         CTX_STUDENTS | CTX_REVIEW, A_HINT, '\n', '\r', KEY_ENTER, 0) \
	_(PAGE_DOWN,    "PgDn/Ctrl-F", "下一页",        CTX_LIST | CTX_PAGE | CTX_STATS | CTX_HELP, 0, KEY_NPAGE, 6, 0) \
	_(PAGE_UP,      "PgUp/Ctrl-B", "上一页",        CTX_LIST | CTX_PAGE | CTX_STATS | CTX_HELP, 0, KEY_PPAGE, 2, 0) \
	_(SPACE_PAGE,   "Space",    "下一页",           CTX_ACCOUNTS | CTX_WARNING | CTX_PAGE | CTX_HELP, 0, ' ', 0) \
	_(HALF_DOWN,    "Ctrl-D",   "下半页",           CTX_STUDENTS | CTX_REVIEW | CTX_ACCOUNTS | CTX_WARNING | CTX_PAGE, 0, 4, 0) \
	_(HALF_UP,      "Ctrl-U",   "上半页",           CTX_STUDENTS | CTX_REVIEW | CTX_ACCOUNTS | CTX_WARNING | CTX_PAGE, 0, 21, 0) \
	_(TOP,          "g/Home",   "首行",             CTX_LIST | CTX_PICKER | CTX_COLUMNS, 0, 'g', KEY_HOME, 0) \
	_(BOTTOM,       "G/End",    "末行",             CTX_LIST | CTX_PICKER | CTX_COLUMNS, 0, 'G', KEY_END, 0) \
	_(SCROLL_LEFT,  "h/←",      "向左滚动",         CTX_STUDENTS | CTX_REVIEW | CTX_WARNING | CTX_IMAGE | CTX_STATS, 0, 'h', KEY_LEFT, 0) \
	_(SCROLL_RIGHT, "l/→",      "向右滚动",         CTX_STUDENTS | CTX_REVIEW | CTX_WARNING | CTX_IMAGE | CTX_STATS, 0, 'l', KEY_RIGHT, 0) \
	_(FILTER,       "/",        "筛选",             CTX_STUDENTS | CTX_REVIEW, A_HINT, '/', KEY_F(4), 0) \
	_(FIELD_FILTER, "f",        "条件筛选",         CTX_STUDENTS | CTX_REVIEW, A_HINT, 'f', 0) \
	_(SORT,         "s/>",      "排序",             CTX_STUDENTS | CTX_REVIEW, A_HINT, 's', '>', KEY_F(6), 0) \
	_(SORT_PREV,    "<",        "上一个排序列",     CTX_STUDENTS | CTX_REVIEW, 0, '<', 0) \
	_(SORT_REVERSE, "I",        "反转排序",         CTX_STUDENTS | CTX_REVIEW, 0, 'I', 0) \
	_(COLUMNS,      "c",        "列设置",           CTX_STUDENTS | CTX_REVIEW | CTX_WARNING, 0, 'c', 0) \
	_(MARK,         "Space",    "标记/取消标记",    CTX_STUDENTS | CTX_REVIEW, A_HINT, ' ', 0) \
	_(MARK_ALL,     "A",        "标记已载入的全部行", CTX_STUDENTS | CTX_REVIEW, 0, 'A', 0) \
	_(UNMARK_ALL,   "U",        "取消全部标记",     CTX_STUDENTS | CTX_REVIEW, 0, 'U', 0) \
	_(EXPORT,       "Ctrl-S",   "导出",             CTX_STUDENTS | CTX_STATS, A_HINT | A_WRITES | A_CONFIRMS, 19, 0) \
	_(SAVE,         "Ctrl-S",   "保存",             CTX_SETTINGS, A_HINT | A_WRITES | A_CONFIRMS, 19, 0) \
	_(ADD,          "a",        "添加院系账号",     CTX_ACCOUNTS, A_HINT | A_WRITES | A_CONFIRMS, 'a', 0) \
	_(LOCK,         "L",        "锁定/解锁",        CTX_ACCOUNTS, A_HINT | A_WRITES | A_CONFIRMS, 'L', 0) \
	_(PASSWORD,     "p",        "重设密码",         CTX_ACCOUNTS, A_HINT | A_WRITES | A_CONFIRMS, 'p', 0) \
	_(REVIEW_PASS,  "a",        "通过",             CTX_REVIEW | CTX_REVIEW_DETAIL | CTX_DEST_DETAIL | CTX_TERM_DETAIL, A_HINT | A_WRITES | A_CONFIRMS, 'a', 0) \
	_(REVIEW_RETURN, "r",       "退回修改",         CTX_REVIEW | CTX_REVIEW_DETAIL | CTX_DEST_DETAIL | CTX_TERM_DETAIL, A_HINT | A_WRITES | A_CONFIRMS, 'r', 0) \
	_(REVIEW_REJECT, "x",       "不通过",           CTX_REVIEW | CTX_REVIEW_DETAIL | CTX_DEST_DETAIL | CTX_TERM_DETAIL, A_HINT | A_WRITES | A_CONFIRMS, 'x', 0) \
	_(DEST_CHANGE,  "e",        "修改去向",         CTX_DEST_SCHOOL, A_HINT | A_WRITES | A_CONFIRMS, 'e', 0) \
	_(TERM_FORCE,   "F",        "强制解约",         CTX_TERM_SCHOOL, A_HINT | A_WRITES | A_CONFIRMS, 'F', 0) \
	_(REVIEW_PDF,   "p",        "下载就业协议书",   CTX_REVIEW_DETAIL, A_HINT | A_WRITES | A_CONFIRMS, 'p', 0) \
	_(REVIEW_VIEW,  "v",        "查看附件",         CTX_REVIEW_DETAIL | CTX_DEST_DETAIL | CTX_TERM_DETAIL, A_HINT, 'v', 0) \
	_(REVIEW_FILE,  "o",        "保存附件",         CTX_REVIEW_DETAIL | CTX_DEST_DETAIL | CTX_TERM_DETAIL, A_HINT | A_WRITES | A_CONFIRMS, 'o', 0) \
	_(REVIEW_WAITING, "w",      "只看待我审核/全部", CTX_REVIEW, A_HINT, 'w', 0) \
	_(REVIEW_TAB,   "t",        "切换标签",         CTX_REVIEW, 0, 't', 0) \
	_(WARNING_ADD,  "a",        "标记预警单位",     CTX_WARNING, A_HINT | A_WRITES | A_CONFIRMS, 'a', 0) \
	_(WARNING_REMOVE, "d",      "取消本校标记",     CTX_WARNING, A_HINT | A_WRITES | A_CONFIRMS, 'd', KEY_DC, 0) \
	_(WARNING_SWITCH, "t",      "切换本校/全国",  CTX_WARNING, A_HINT, 't', 0) \
	_(STATS_BY,     "t",        "切换分组",         CTX_STATS,  A_HINT, 't', 0) \
	_(STATS_VIEW,   "v",        "图表/表格",        CTX_STATS,  A_HINT, 'v', 0) \
	_(IMAGE_ZOOM_IN, "+",       "放大",             CTX_IMAGE,  A_HINT, '+', '=', 0) \
	_(IMAGE_ZOOM_OUT, "-",      "缩小",             CTX_IMAGE,  A_HINT, '-', '_', 0) \
	_(IMAGE_ZOOM_RESET, "0",    "整页显示",         CTX_IMAGE,  A_HINT, '0', 0) \
	_(NEXT_ITEM,    "]",        "下一条",           CTX_PAGE,   A_HINT, ']', 0) \
	_(PREV_ITEM,    "[",        "上一条",           CTX_PAGE,   A_HINT, '[', 0) \
	_(PICK,         "Enter",    "选择",             CTX_PICKER,   A_HINT, '\n', '\r', KEY_ENTER, 0) \
	_(TOGGLE_COLUMN, "Space",   "显示/隐藏",        CTX_COLUMNS,  A_HINT, ' ', 0) \
	_(COLUMN_DOWN,  "J",        "下移该列",         CTX_COLUMNS,  A_HINT, 'J', 0) \
	_(COLUMN_UP,    "K",        "上移该列",         CTX_COLUMNS,  A_HINT, 'K', 0) \
	_(DIALOG_DONE,  "Enter/Esc", "完成",            CTX_COLUMNS,  A_HINT, '\n', '\r', KEY_ENTER, 27, 'q', 0) \
	_(FILTER_DONE,  "Enter",    "完成",             CTX_FILTER_EDIT, A_HINT, '\n', '\r', KEY_ENTER, KEY_UP, KEY_DOWN, 0) \
	_(FILTER_CLEAR, "Esc",      "清除筛选",         CTX_FILTER_EDIT, A_HINT, 27, 0) \
	_(DIALOG_CANCEL, "Esc",     "取消",             CTX_PICKER,   A_HINT, 27, 0) \
	_(COMMAND_RUN,  "Enter",    "执行",             CTX_COMMAND_LINE, A_HINT, '\n', '\r', KEY_ENTER, 0) \
	_(COMMAND_COMPLETE, "Tab",  "补全",             CTX_COMMAND_LINE, A_HINT, '\t', 0) \
	_(COMMAND_CANCEL, "Esc",    "取消",             CTX_COMMAND_LINE, A_HINT, 27, 0) \
	_(HELP_CLOSE,   "q/Esc/?",  "关闭帮助",         CTX_HELP,     A_HINT, 'q', 27, '?', KEY_F(1), 0) \
	_(FORM_NEXT,    "Tab/↓",    "下一项",           CTX_FORM | CTX_FORM_READ, A_HINT, '\t', KEY_DOWN, 0) \
	_(FORM_PREV,    "S-Tab/↑",  "上一项",           CTX_FORM | CTX_FORM_READ, A_HINT, KEY_BTAB, KEY_UP, 0) \
	_(FORM_ENTER,   "Enter",    "下一项",           CTX_FORM_LINE, A_HINT, '\n', '\r', KEY_ENTER, 0) \
	_(FORM_NEWLINE, "Enter",    "换行",             CTX_FORM_MULTI, A_HINT, '\n', '\r', KEY_ENTER, 0) \
	_(FORM_CHOOSE,  "←/→/Space", "选择",            CTX_FORM_CHOICE, A_HINT, KEY_LEFT, KEY_RIGHT, ' ', 0) \
	_(FORM_PRESS,   "Enter",    "按下所选按钮",     CTX_FORM_BUTTON, A_HINT, '\n', '\r', KEY_ENTER, 0) \
	_(FORM_BUTTONS, "←/→",      "切换按钮",         CTX_FORM_BUTTON, A_HINT, KEY_LEFT, KEY_RIGHT, 0) \
	_(FORM_SUBMIT,  "Ctrl-S",   "提交",             CTX_FORM,     A_HINT, 19, 0) \
	_(FORM_CANCEL,  "Esc",      "取消",             CTX_FORM,     A_HINT, 27, 3, 0) \
	_(DIALOG_YES,   "y",        "确定",             CTX_DIALOG,   A_HINT, 'y', 'Y', 0) \
	_(DIALOG_NO,    "n/Esc",    "取消",             CTX_DIALOG,   A_HINT, 'n', 'N', 27, 'q', 3, 0) \
	_(DIALOG_SWITCH, "Tab/←/→", "切换按钮",         CTX_DIALOG,   A_HINT, '\t', 'h', 'l', KEY_LEFT, KEY_RIGHT, KEY_BTAB, 0) \
	_(DIALOG_PRESS, "Enter",    "按下所选按钮",     CTX_DIALOG,   A_HINT, '\n', '\r', KEY_ENTER, 0) \
	_(NEXT,         "Tab",      "下一个模块",       CTX_GLOBAL,   0, '\t', 0) \
	_(PREV,         "S-Tab",    "上一个模块",       CTX_GLOBAL,   0, KEY_BTAB, 0) \
	_(REFRESH,      "R",        "刷新",             CTX_GLOBAL,   0, 'R', KEY_F(5), 0) \
	_(REDRAW,       "Ctrl-L",   "重绘屏幕",         CTX_GLOBAL | CTX_HELP, 0, 12, 0) \
	_(COMMAND,      ":",        "命令",             CTX_GLOBAL,   A_HINT, ':', 0) \
	_(HELP,         "?",        "帮助",             CTX_GLOBAL,   A_HINT, '?', KEY_F(1), 0) \
	_(BACK,         "q",        "返回/退出",        CTX_GLOBAL,   A_HINT, 'q', 27, 0) \
	_(QUIT,         "Q",        "直接退出",         CTX_GLOBAL | CTX_HELP, 0, 'Q', KEY_F(10), 0)

enum action {
	ACT_NONE = 0,
#define ACTION_ENUM(id, label, help, ctx, flags, ...) ACT_##id,
	ACTION_INFO(ACTION_ENUM)
#undef ACTION_ENUM
	ACT_COUNT
};

#define ACTION_MAX_KEYS 8

struct action_info {
	enum action id;
	const char *name;       /* e.g. "MOVE_UP" */
	char key_label[48];     /* as shown: "↑/k"; the keys: section may change it */
	const char *help;       /* 中文说明 */
	int ctx;                /* CTX_* mask */
	int flags;              /* A_* */
	bool hint;              /* listed in the hint bar (flags & A_HINT) */
	int keys[ACTION_MAX_KEYS + 1];  /* key codes, ended by 0 */
};

/* The table, ACT_COUNT - 1 entries, in ACTION_INFO order (index = id - 1). */
extern struct action_info actions[];
extern const int action_count;

/*
 * The action a key triggers in ctx, or ACT_NONE.  is_keycode: the key is a
 * curses KEY_* code (get_wch returned KEY_CODE_YES), else a character.
 */
enum action action_for_key(bool is_keycode, int key, int ctx);

/*
 * The hint line of the actions of ctx that are shown in the hint bar, as
 * "key help   key help", into buf.  label, when not NULL, may give another
 * help text for an action (the form's submit button says what it does);
 * it returns NULL to keep the table's.
 */
void action_hint_line(int ctx, const char *(*label)(enum action a, void *arg), void *arg,
	char *buf, size_t size);

/*
 * The moving actions on a page that scrolls by lines (a detail page): moves
 * *scroll (never below 0) and returns true, or false for any other action.
 */
bool action_scroll(enum action a, int *scroll);

/* The action named name ("FILTER"), or ACT_NONE. */
enum action action_by_name(const char *name);

/*
 * Parses a key list as the keys: section writes it: names separated by
 * spaces, each a single character ("F", "/"), "Ctrl-X", "F1".."F12",
 * "Enter", "Esc", "Tab", "S-Tab", "Space", "PgDn", "PgUp", "Home", "End",
 * "Up", "Down", "Left", "Right", "Backspace".  Fills keys (ended by 0);
 * false on a name it does not know.
 */
bool action_parse_keys(const char *spec, int *keys, int max);

/*
 * Checks one entry of the keys: section (action name -> key list) against
 * the table with the entries before it applied.  Returns NULL, or a message
 * the caller frees (the action is unknown, a key is unknown, a key already
 * names another action of the same context).
 */
char *action_check_binding(const struct wq_conf_map *map, int upto);

/* Applies the keys: section to the table (checked before: see conf.c). */
void action_apply_bindings(const struct wq_conf_map *map);

/*
 * The first key bound twice in one context, as "ACTION/ACTION", or NULL
 * when there is none (the table is consistent).  Caller frees.
 */
char *action_find_conflict(const struct action_info *table, int n);

#endif
