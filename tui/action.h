/*
 * action.h: the one table of what a key does.  The hint bar, the help screen
 * and key dispatch all come from ACTION_INFO; nothing else lists keys.
 */
#ifndef WQ_ACTION_H
#define WQ_ACTION_H

#include <stdbool.h>

/* Where an action works. */
enum {
	CTX_SIDEBAR = 1 << 0,   /* the module list has focus */
	CTX_CONTENT = 1 << 1,   /* a module has focus */
	CTX_GLOBAL  = CTX_SIDEBAR | CTX_CONTENT,
};

/* _(id, key label, 中文说明, contexts, shown in the hint bar, keys...) ; keys end with 0 */
#define ACTION_INFO(_) \
	_(MOVE_UP,   "↑/k",    "上移",         CTX_SIDEBAR, false, KEY_UP, 'k', 0) \
	_(MOVE_DOWN, "↓/j",    "下移",         CTX_SIDEBAR, false, KEY_DOWN, 'j', 0) \
	_(OPEN,      "Enter",  "打开模块",     CTX_SIDEBAR, true,  '\n', '\r', KEY_ENTER, 0) \
	_(NEXT,      "Tab",    "下一个模块",   CTX_GLOBAL,  false, '\t', 0) \
	_(PREV,      "S-Tab",  "上一个模块",   CTX_GLOBAL,  false, KEY_BTAB, 0) \
	_(REFRESH,   "R",      "刷新",         CTX_GLOBAL,  false, 'R', KEY_F(5), 0) \
	_(REDRAW,    "Ctrl-L", "重绘屏幕",     CTX_GLOBAL,  false, 12, 0) \
	_(COMMAND,   ":",      "命令",         CTX_GLOBAL,  true,  ':', 0) \
	_(HELP,      "?",      "帮助",         CTX_GLOBAL,  true,  '?', KEY_F(1), 0) \
	_(BACK,      "q",      "返回/退出",    CTX_GLOBAL,  true,  'q', 27, 0) \
	_(QUIT,      "Q",      "直接退出",     CTX_GLOBAL,  false, 'Q', KEY_F(10), 0)

enum action {
	ACT_NONE = 0,
#define ACTION_ENUM(id, label, help, ctx, hint, ...) ACT_##id,
	ACTION_INFO(ACTION_ENUM)
#undef ACTION_ENUM
	ACT_COUNT
};

struct action_info {
	enum action id;
	const char *name;       /* config-style name, e.g. "move-up" */
	const char *key_label;  /* as shown: "↑/k" */
	const char *help;       /* 中文说明 */
	int ctx;                /* CTX_* mask */
	bool hint;              /* listed in the hint bar */
	const int *keys;        /* key codes, ended by 0 */
};

/* The table, ACT_COUNT - 1 entries, in ACTION_INFO order. */
extern const struct action_info actions[];
extern const int action_count;

/* The action a key triggers in ctx, or ACT_NONE. */
enum action action_for_key(int key, int ctx);

#endif
