/*
 * action.h: the one table of what a key does.  The hint bar, the help screen
 * and key dispatch all come from ACTION_INFO; nothing else lists keys.
 */
#ifndef WQ_ACTION_H
#define WQ_ACTION_H

#include <stdbool.h>

/* Where an action works: the module list, or one module's screen. */
enum {
	CTX_SIDEBAR  = 1 << 0,
	CTX_HOME     = 1 << 1,
	CTX_PENDING  = 1 << 2,   /* a module not built yet */
	CTX_STUDENTS = 1 << 3,
	CTX_DETAIL   = 1 << 4,   /* one student */
	CTX_SETTINGS = 1 << 5,
	CTX_ACCOUNTS = 1 << 6,
	CTX_LIST     = CTX_STUDENTS | CTX_SETTINGS | CTX_ACCOUNTS,
	CTX_CONTENT  = CTX_HOME | CTX_PENDING | CTX_LIST | CTX_DETAIL,
	CTX_GLOBAL   = CTX_SIDEBAR | CTX_CONTENT,
};

/*
 * _(id, key label, 中文说明, contexts, shown in the hint bar, keys...)
 * Keys end with 0.  Values below 256 are characters; KEY_* are curses key codes.
 * The first entry that matches a key in the current context wins.
 */
#define ACTION_INFO(_) \
	_(MOVE_UP,      "↑/k",      "上移",             CTX_SIDEBAR | CTX_LIST, false, KEY_UP, 'k', 0) \
	_(MOVE_DOWN,    "↓/j",      "下移",             CTX_SIDEBAR | CTX_LIST, false, KEY_DOWN, 'j', 0) \
	_(OPEN,         "Enter",    "打开模块",         CTX_SIDEBAR,  true,  '\n', '\r', KEY_ENTER, 0) \
	_(DETAIL,       "Enter",    "查看详情",         CTX_STUDENTS, true,  '\n', '\r', KEY_ENTER, 0) \
	_(EDIT,         "Enter/e",  "修改",             CTX_SETTINGS, true,  '\n', '\r', KEY_ENTER, 'e', 0) \
	_(PAGE_DOWN,    "PgDn",     "下一页",           CTX_LIST | CTX_DETAIL, false, KEY_NPAGE, 6, ' ', 0) \
	_(PAGE_UP,      "PgUp",     "上一页",           CTX_LIST | CTX_DETAIL, false, KEY_PPAGE, 2, 0) \
	_(TOP,          "g/Home",   "首行",             CTX_LIST, false, 'g', KEY_HOME, 0) \
	_(BOTTOM,       "G/End",    "末行",             CTX_LIST, false, 'G', KEY_END, 0) \
	_(SCROLL_LEFT,  "h/←",      "向左滚动",         CTX_STUDENTS, false, 'h', KEY_LEFT, 0) \
	_(SCROLL_RIGHT, "l/→",      "向右滚动",         CTX_STUDENTS, false, 'l', KEY_RIGHT, 0) \
	_(FILTER,       "/",        "筛选",             CTX_STUDENTS, true,  '/', KEY_F(4), 0) \
	_(FIELD_FILTER, "f",        "条件筛选",         CTX_STUDENTS, true,  'f', 0) \
	_(SORT,         "s/>",      "排序",             CTX_STUDENTS, true,  's', '>', KEY_F(6), 0) \
	_(SORT_PREV,    "<",        "上一个排序列",     CTX_STUDENTS, false, '<', 0) \
	_(SORT_REVERSE, "I",        "反转排序",         CTX_STUDENTS, false, 'I', 0) \
	_(COLUMNS,      "c",        "列设置",           CTX_STUDENTS, false,  'c', 0) \
	_(EXPORT,       "Ctrl-S",   "导出",             CTX_STUDENTS, true,  19, 0) \
	_(SAVE,         "Ctrl-S",   "保存",             CTX_SETTINGS, true,  19, 0) \
	_(ADD,          "a",        "添加院系账号",     CTX_ACCOUNTS, true,  'a', 0) \
	_(LOCK,         "L",        "锁定/解锁",        CTX_ACCOUNTS, true,  'L', 0) \
	_(PASSWORD,     "p",        "重设密码",         CTX_ACCOUNTS, true,  'p', 0) \
	_(NEXT,         "Tab",      "下一个模块",       CTX_GLOBAL,   false, '\t', 0) \
	_(PREV,         "S-Tab",    "上一个模块",       CTX_GLOBAL,   false, KEY_BTAB, 0) \
	_(REFRESH,      "R",        "刷新",             CTX_GLOBAL,   false, 'R', KEY_F(5), 0) \
	_(REDRAW,       "Ctrl-L",   "重绘屏幕",         CTX_GLOBAL,   false, 12, 0) \
	_(COMMAND,      ":",        "命令",             CTX_GLOBAL,   true,  ':', 0) \
	_(HELP,         "?",        "帮助",             CTX_GLOBAL,   true,  '?', KEY_F(1), 0) \
	_(BACK,         "q",        "返回/退出",        CTX_GLOBAL,   true,  'q', 27, 0) \
	_(QUIT,         "Q",        "直接退出",         CTX_GLOBAL,   false, 'Q', KEY_F(10), 0)

enum action {
	ACT_NONE = 0,
#define ACTION_ENUM(id, label, help, ctx, hint, ...) ACT_##id,
	ACTION_INFO(ACTION_ENUM)
#undef ACTION_ENUM
	ACT_COUNT
};

struct action_info {
	enum action id;
	const char *name;       /* e.g. "MOVE_UP" */
	const char *key_label;  /* as shown: "↑/k" */
	const char *help;       /* 中文说明 */
	int ctx;                /* CTX_* mask */
	bool hint;              /* listed in the hint bar */
	const int *keys;        /* key codes, ended by 0 */
};

/* The table, ACT_COUNT - 1 entries, in ACTION_INFO order. */
extern const struct action_info actions[];
extern const int action_count;

/*
 * The action a key triggers in ctx, or ACT_NONE.  is_keycode: the key is a
 * curses KEY_* code (get_wch returned KEY_CODE_YES), else a character.
 */
enum action action_for_key(bool is_keycode, int key, int ctx);

#endif
