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
action_for_key(int key, int ctx)
{
	int i;
	const int *k;

	for (i = 0; i < action_count; i++) {
		if (!(actions[i].ctx & ctx))
			continue;
		for (k = actions[i].keys; *k; k++)
			if (*k == key)
				return actions[i].id;
	}
	return ACT_NONE;
}
