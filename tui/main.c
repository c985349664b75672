/*
 * main.c: the binary's main().  Subcommands run without a screen; otherwise
 * the login screen, then the main screen.  The only place that exits.
 */
#include <curses.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "action.h"
#include "conf.h"
#include "ui.h"
#include "util.h"

static void
fatal_restore(const char *msg)
{
	ui_stop();
	fprintf(stderr, "wq: %s\n", msg);
	_exit(70);
}

static void
on_crash(int sig)
{
	ui_stop();
	signal(sig, SIG_DFL);
	raise(sig);
}

int
main(int argc, char **argv)
{
	struct wq_opts opts;
	struct wq_conf conf;
	struct wq_err err;
	struct app app;
	int rc = 0;

	setlocale(LC_ALL, "");
	wq_err_clear(&err);
	if (!cli_parse(argc, argv, &opts, &err)) {
		cli_print_err(&err);
		free(opts.argv);
		return WQ_EXIT_USAGE;
	}
	if (opts.help) {
		cli_usage(stdout);
		free(opts.argv);
		return 0;
	}
	if (opts.version) {
		puts("wq " WQ_VERSION);
		free(opts.argv);
		return 0;
	}
	conf_keys_check = action_check_binding;   /* the keys: section names actions of the screens */
	if (!conf_load(&conf, opts.config, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		conf_fini(&conf);
		free(opts.argv);
		return WQ_EXIT_CONFIG;
	}
	action_apply_bindings(&conf.keys);
	if (opts.print_config) {
		conf_print(&conf, stdout);
		conf_fini(&conf);
		free(opts.argv);
		return 0;
	}
	if (opts.argc > 0) {
		rc = cli_run(&opts, &conf);
		conf_fini(&conf);
		free(opts.argv);
		return rc;
	}

	memset(&app, 0, sizeof(app));
	app.conf = &conf;
	app.opts = &opts;
	wq_fatal_hook = fatal_restore;
	signal(SIGSEGV, on_crash);
	signal(SIGABRT, on_crash);
	signal(SIGPIPE, SIG_IGN);
	if (!ui_start(opts.ascii || conf.ui_ascii, conf.ui_color && !getenv("NO_COLOR"))) {
		conf_fini(&conf);
		free(opts.argv);
		return WQ_EXIT_FAIL;
	}
	if (login_run(&app))
		shell_run(&app);
	ui_stop();
	db_close(app.db);
	me_fini(&app.me);
	conf_fini(&conf);
	free(opts.argv);
	return rc;
}
