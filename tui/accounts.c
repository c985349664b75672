/* accounts.c: being written. */
#include "shell.h"
#include "ui.h"

static void
draw(struct shell *sh, void *priv, int y, int x, int h, int w)
{
	ui_put(y, x, w, "…", UI_NORMAL, false);
}

const struct module_ops accounts_module = {
	.ctx = CTX_PENDING,
	.draw = draw,
};
