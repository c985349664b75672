/*
 * conf.h: the configuration, read with libyaml.
 *
 * Layers, lowest first: the built-in defaults (conf/wq.yaml, compiled in),
 * /etc/wq/wq.yaml, $XDG_CONFIG_HOME/wq/wq.yaml (or ~/.config/wq/wq.yaml),
 * $WQ_CONFIG, --config FILE.  Each file that exists is merged over the ones
 * before it; a file named by $WQ_CONFIG or --config must exist.  Every value
 * remembers where it came from ("built-in", or "FILE:LINE").
 *
 * The system directory is WQ_SYSCONFDIR (a macro, "/etc" unless the build
 * defines it); a non-empty $WQ_SYSCONFDIR in the environment replaces it, so
 * the system file is $WQ_SYSCONFDIR/wq/wq.yaml (tests point it at a scratch
 * directory).  An empty or relative $XDG_CONFIG_HOME counts as unset.
 *
 * Problems are reported as "FILE:LINE:COL: message" (1-based), all of them,
 * one per line in err->msg, with err->code WQ_ERR_CONF (WQ_ERR_IO when a file
 * cannot be read).  Strings in struct wq_conf are never NULL after a load.
 *
 * A MAP key whose section and key are the same word (keys) is written at the
 * top level: `keys: { FILTER: "F" }`.
 *
 * A MAP key (a mapping of strings to strings) is one value: a layer that sets
 * it replaces the whole mapping of the layers below, it is not merged entry by
 * entry.  Entries keep the order of the file.
 */
#ifndef WQ_CONF_H
#define WQ_CONF_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"

/* One row per configuration key: X(section, key, type, field) */
#define WQ_CONF_KEYS(X) \
	X(connection, dsn,                  STR,  conn_dsn) \
	X(connection, host,                 STR,  conn_host) \
	X(connection, port,                 STR,  conn_port) \
	X(connection, dbname,               STR,  conn_dbname) \
	X(connection, user,                 STR,  conn_user) \
	X(connection, service,              STR,  conn_service) \
	X(connection, sslmode,              STR,  conn_sslmode) \
	X(connection, target_session_attrs, STR,  conn_target_session_attrs) \
	X(connection, connect_timeout,      INT,  conn_connect_timeout) \
	X(connection, application_name,     STR,  conn_application_name) \
	X(ui,         ascii,                BOOL, ui_ascii) \
	X(ui,         color,                BOOL, ui_color) \
	X(ui,         sixel,                BOOL, ui_sixel) \
	X(ui,         login_notice,         STR,  ui_login_notice) \
	X(ui,         login_delay_after,    INT,  ui_login_delay_after) \
	X(roster,     headers,              MAP,  roster_headers) \
	X(keys,       keys,                 MAP,  keys)

enum wq_conf_key {
#define WQ_CONF_ENUM(section, key, type, field) WQ_CONF_##field,
	WQ_CONF_KEYS(WQ_CONF_ENUM)
#undef WQ_CONF_ENUM
	WQ_CONF_NKEYS
};

/* The value of a MAP key: n entries from[i] -> to[i], in file order. */
struct wq_conf_map {
	char **from;                     /* NULL when n == 0 */
	char **to;
	int n;
};

struct wq_conf {
	char *conn_dsn;                  /* libpq conninfo or URI; may be multi-host */
	char *conn_host;                 /* parts, used when set; "" = unset */
	char *conn_port;
	char *conn_dbname;
	char *conn_user;
	char *conn_service;
	char *conn_sslmode;
	char *conn_target_session_attrs;
	int conn_connect_timeout;        /* seconds, 0 = libpq default */
	char *conn_application_name;
	bool ui_ascii;                   /* draw with ASCII only */
	bool ui_color;                   /* NO_COLOR in the environment turns it off too */
	bool ui_sixel;                   /* the terminal shows sixel images (attachments) */
	char *ui_login_notice;           /* text under the login form (e.g. the demo accounts) */
	int ui_login_delay_after;        /* failed logins before the screen makes the user wait */
	struct wq_conf_map roster_headers; /* a roster file's header -> standard header (roster.h) */
	struct wq_conf_map keys;         /* top-level keys: action name -> key list (tui/action.h) */
	char *origin[WQ_CONF_NKEYS];     /* where each value came from: "built-in" or "FILE:LINE" */
};

/*
 * Loads the defaults, then every layer in order (see above).  explicit_path is
 * --config's argument or NULL.  On failure err->msg holds every problem found,
 * one per line, as "FILE:LINE:COL: message", and conf is left at the defaults.
 * Free with conf_fini().
 */
bool conf_load(struct wq_conf *conf, const char *explicit_path, struct wq_err *err);

/* Fills conf (uninitialised, or after conf_fini) with the built-in defaults only. */
void conf_init_defaults(struct wq_conf *conf);

/*
 * Merges one YAML document (text, with name used in messages and origins)
 * over conf.  Unknown keys, wrong types, YAML aliases and anchors, and any key
 * named "password" are refused.  All problems are collected into err, which
 * is cleared first; on any problem conf is left exactly as it was.
 */
bool conf_merge_string(struct wq_conf *conf, const char *name, const char *text, struct wq_err *err);

/*
 * Writes the merged configuration as YAML, each value with a trailing comment
 * saying where it came from ("# built-in" or "# FILE:LINE").  Reading the
 * output back with conf_merge_string gives the same values.
 */
void conf_print(const struct wq_conf *conf, FILE *out);

/* Frees every string, mapping and origin and zeroes conf; calling it twice is harmless. */
void conf_fini(struct wq_conf *conf);

/*
 * Checks entry upto of the keys mapping (the entries before it already in
 * map), returning NULL or a message to free.  The screens set it (the action
 * names live there); unset, every entry is taken as it is.
 */
extern char *(*conf_keys_check)(const struct wq_conf_map *map, int upto);

#endif
