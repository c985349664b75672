/* action.c: the action table, built from ACTION_INFO. */
#include <curses.h>

#include "action.h"

#define ACTION_KEYS(id, label, help, ctx, hint, ...) static const int keys_##id[] = { __VA_ARGS__ };
ACTION_INFO(ACTION_KEYS)
#undef ACTION_KEYS

const struct action_info actions[] = {
#define ACTION_ROW(id, label, help, ctx, hint, ...) { ACT_##id, #id, label, help, ctx, hint, keys_##id },
	ACTION_INFO(ACTION_ROW)
#undef ACTION_ROW
};

const int action_count = (int)(sizeof(actions) / sizeof(actions[0]));

enum action
action_for_key(bool is_keycode, int key, int ctx)
{
	int i;
	const int *k;

	/* characters beyond ASCII never name an action (and must not be taken for KEY_* codes) */
	if (!is_keycode && key >= 256)
		return ACT_NONE;
	for (i = 0; i < action_count; i++) {
		if (!(actions[i].ctx & ctx))
			continue;
		for (k = actions[i].keys; *k; k++)
			if (*k == key && (*k >= KEY_MIN) == is_keycode)
				return actions[i].id;
	}
	return ACT_NONE;
}
