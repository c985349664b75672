/* cli_args.c: the options and positional words of one subcommand. */
#include "cli_args.h"

#include <string.h>

#include "util.h"

const char *
arg_value(struct args *a, const char *name)
{
	int i;
	size_t n = strlen(name);

	for (i = 0; i < a->argc && i < 64; i++) {
		if (strcmp(a->argv[i], name) == 0 && i + 1 < a->argc) {
			a->used[i] = a->used[i + 1] = true;
			return a->argv[i + 1];
		}
		if (strncmp(a->argv[i], name, n) == 0 && a->argv[i][n] == '=') {
			a->used[i] = true;
			return a->argv[i] + n + 1;
		}
	}
	return NULL;
}

bool
arg_flag(struct args *a, const char *name)
{
	int i;

	for (i = 0; i < a->argc && i < 64; i++)
		if (strcmp(a->argv[i], name) == 0)
			return a->used[i] = true;
	return false;
}

/* Flags that take no value. */
static bool
is_flag(const char *w)
{
	return strcmp(w, "--password-stdin") == 0 || strcmp(w, "--dry-run") == 0 || strcmp(w, "--waiting") == 0
	       || strcmp(w, "--national") == 0;
}

/* The next positional argument: not an option and not an option's value. */
const char *
arg_next(struct args *a)
{
	int i;

	for (i = 0; i < a->argc && i < 64; i++) {
		if (a->used[i] || (a->argv[i][0] == '-' && a->argv[i][1] != '\0'))
			continue;
		if (i > 0 && strncmp(a->argv[i - 1], "--", 2) == 0 && !strchr(a->argv[i - 1], '=')
		    && !is_flag(a->argv[i - 1]))
			continue;
		a->used[i] = true;
		return a->argv[i];
	}
	return NULL;
}

/* Every word was understood; otherwise says which was not. */
bool
args_done(struct args *a, struct wq_err *err)
{
	int i;

	for (i = 0; i < a->argc && i < 64; i++)
		if (!a->used[i])
			return wq_err_set(err, WQ_ERR_USAGE, "无法理解的参数 %s（见 wq --help）", a->argv[i]);
	return true;
}

const char *
required(struct args *a, const char *name, struct wq_err *err)
{
	const char *v = arg_value(a, name);

	if (str_empty(v))
		wq_err_set(err, WQ_ERR_USAGE, "缺少 %s", name);
	return v;
}
