/* action.c: the action table, built from ACTION_INFO, and the keys: section. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "conf.h"
#include "util.h"

struct action_info actions[] = {
#define ACTION_ROW(id, label, help, ctx, flags, ...) \
	{ ACT_##id, #id, label, help, ctx, flags, ((flags) & A_HINT) != 0, { __VA_ARGS__ } },
	ACTION_INFO(ACTION_ROW)
#undef ACTION_ROW
};

const int action_count = (int)(sizeof(actions) / sizeof(actions[0]));

static enum action
lookup(const struct action_info *table, int n, bool is_keycode, int key, int ctx)
{
	int i;
	const int *k;

	/* characters beyond ASCII never name an action (and must not be taken for KEY_* codes) */
	if (!is_keycode && key >= 256)
		return ACT_NONE;
	for (i = 0; i < n; i++) {
		if (!(table[i].ctx & ctx))
			continue;
		for (k = table[i].keys; *k; k++)
			if (*k == key && (*k >= KEY_MIN) == is_keycode)
				return table[i].id;
	}
	return ACT_NONE;
}

enum action
action_for_key(bool is_keycode, int key, int ctx)
{
	return lookup(actions, action_count, is_keycode, key, ctx);
}

void
action_hint_line(int ctx, const char *(*label)(enum action a, void *arg), void *arg, char *buf, size_t size)
{
	size_t n = 0;
	const char *help;
	int i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < action_count && n < size; i++) {
		if (!actions[i].hint || !(actions[i].ctx & ctx))
			continue;
		help = label ? label(actions[i].id, arg) : NULL;
		n += (size_t)snprintf(buf + n, size - n, "%s%s %s", n ? "   " : "", actions[i].key_label,
			help ? help : actions[i].help);
	}
}

enum action
action_by_name(const char *name)
{
	int i;

	for (i = 0; name && i < action_count; i++)
		if (strcmp(actions[i].name, name) == 0)
			return actions[i].id;
	return ACT_NONE;
}

static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Enter", '\r' }, { "Esc", 27 }, { "Tab", '\t' }, { "S-Tab", KEY_BTAB }, { "Space", ' ' },
	{ "PgDn", KEY_NPAGE }, { "PgUp", KEY_PPAGE }, { "Home", KEY_HOME }, { "End", KEY_END },
	{ "Up", KEY_UP }, { "Down", KEY_DOWN }, { "Left", KEY_LEFT }, { "Right", KEY_RIGHT },
	{ "Backspace", KEY_BACKSPACE },
};

/* One key name; 0 when unknown. */
static int
parse_key(const char *s)
{
	size_t i;
	int n;
	char *end;

	if (strlen(s) == 1 && s[0] > ' ' && s[0] < 127)
		return s[0];
	for (i = 0; i < ARRAY_SIZE(key_names); i++)
		if (strcasecmp(s, key_names[i].name) == 0)
			return key_names[i].key;
	if (strncasecmp(s, "Ctrl-", 5) == 0 && strlen(s) == 6) {
		char c = s[5];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c >= 'A' && c <= 'Z' && c != 'M' && c != 'I' && c != 'H' && c != '[')
			return c - 'A' + 1;
		return 0;
	}
	if ((s[0] == 'F' || s[0] == 'f') && s[1] >= '1' && s[1] <= '9') {
		n = (int)strtol(s + 1, &end, 10);
		if (*end == '\0' && n >= 1 && n <= 12)
			return KEY_F(n);
	}
	return 0;
}

bool
action_parse_keys(const char *spec, int *keys, int max)
{
	char buf[128], *tok, *save = NULL;
	int n = 0, k;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		k = parse_key(tok);
		if (!k || n >= max)
			return false;
		keys[n++] = k;
		if (k == '\r')   /* Enter arrives as either */
			keys[n < max ? n++ : n - 1] = '\n';
	}
	keys[n] = 0;
	return n > 0;
}

/* Sets one action's keys and label in table. */
static void
bind(struct action_info *table, enum action a, const int *keys, const char *spec)
{
	struct action_info *ai = &table[a - 1];
	int i;

	for (i = 0; keys[i] && i < ACTION_MAX_KEYS; i++)
		ai->keys[i] = keys[i];
	ai->keys[i] = 0;
	snprintf(ai->key_label, sizeof(ai->key_label), "%s", spec);
	for (i = 0; ai->key_label[i]; i++)
		if (ai->key_label[i] == ' ')
			ai->key_label[i] = '/';
}

char *
action_find_conflict(const struct action_info *table, int n)
{
	int i, j, bit;
	const int *k, *l;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			if (!(table[i].ctx & table[j].ctx))
				continue;
			for (k = table[i].keys; *k; k++)
				for (l = table[j].keys; *l; l++)
					if (*k == *l) {
						bit = table[i].ctx & table[j].ctx;
						return xasprintf("%s/%s (context 0x%x)", table[i].name, table[j].name, bit);
					}
		}
	return NULL;
}

char *
action_check_binding(const struct wq_conf_map *map, int upto)
{
	struct action_info table[ACT_COUNT];
	int keys[ACTION_MAX_KEYS + 1], i, j;
	enum action a;
	const int *k, *l;

	memcpy(table, actions, sizeof(table[0]) * (size_t)action_count);
	for (i = 0; i <= upto && i < map->n; i++) {
		a = action_by_name(map->from[i]);
		if (a == ACT_NONE) {
			if (i == upto)
				return xasprintf("未知的操作 %s（可用的操作名见 conf/wq.yaml 的 keys: 一节）", map->from[i]);
			continue;
		}
		if (!map->to[i] || !action_parse_keys(map->to[i], keys, ACTION_MAX_KEYS)) {
			if (i == upto)
				return xasprintf("%s: 无法识别的按键 “%s”（例如 F、Ctrl-F、F4、Enter、Esc、Space、PgDn）",
					map->from[i], map->to[i] ? map->to[i] : "");
			continue;
		}
		bind(table, a, keys, map->to[i]);
	}
	a = action_by_name(map->from[upto]);
	/* a key of this action that names another action of a context they share */
	for (j = 0; j < action_count; j++) {
		if (table[j].id == a || !(table[j].ctx & table[a - 1].ctx))
			continue;
		for (k = table[a - 1].keys; *k; k++)
			for (l = table[j].keys; *l; l++)
				if (*k == *l)
					return xasprintf("%s 的按键 “%s” 已用于 %s（%s）", map->from[upto], map->to[upto],
						table[j].name, table[j].help);
	}
	return NULL;
}

void
action_apply_bindings(const struct wq_conf_map *map)
{
	int keys[ACTION_MAX_KEYS + 1], i;
	enum action a;

	for (i = 0; map && i < map->n; i++) {
		a = action_by_name(map->from[i]);
		if (a != ACT_NONE && map->to[i] && action_parse_keys(map->to[i], keys, ACTION_MAX_KEYS))
			bind(actions, a, keys, map->to[i]);
	}
}

bool
action_scroll(enum action a, int *scroll)
{
	switch (a) {
	case ACT_MOVE_DOWN:
		*scroll += 1;
		return true;
	case ACT_PAGE_DOWN:
	case ACT_SPACE_PAGE:
		*scroll += 10;
		return true;
	case ACT_HALF_DOWN:
		*scroll += 5;
		return true;
	case ACT_MOVE_UP:
	case ACT_PAGE_UP:
	case ACT_HALF_UP:
		*scroll -= a == ACT_MOVE_UP ? 1 : a == ACT_HALF_UP ? 5 : 10;
		if (*scroll < 0)
			*scroll = 0;
		return true;
	default:
		return false;
	}
}
