/*
 * pg.h: the database session.  src/pg.c is the only file that includes
 * <libpq-fe.h>; everything else sees an opaque struct wq_db and rows copied
 * out of the result (struct wq_rows), never a PGresult.
 */
#ifndef WQ_PG_H
#define WQ_PG_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "err.h"

struct wq_db;

/* Rows copied out of a result; values are NUL-terminated UTF-8 or NULL for SQL NULL. */
struct wq_rows {
	int nrows;
	int ncols;
	char **names;   /* ncols column names */
	char **values;  /* nrows * ncols, row-major; NULL = SQL NULL */
};

/* Where to connect: the configuration, then --dsn over it, then what the user typed. */
struct wq_conn_spec {
	const struct wq_conf *conf;  /* may be NULL: libpq's environment only */
	const char *dsn;             /* --dsn CONNINFO, or NULL */
	const char *user;            /* typed at the login screen, or NULL */
	const char *password;        /* typed at the login screen, or NULL; never stored */
};

/*
 * Connects.  Keywords are merged in this order, later winning: the
 * configuration's dsn, its parts, --dsn, the typed user and password; libpq
 * fills what is still unset from PG* variables and the service file.
 * client_encoding is always UTF8.  On failure returns NULL and fills err with
 * a Chinese message and one of WQ_ERR_PG_AUTH (wrong user or password),
 * WQ_ERR_PG_LOCKED (role may not log in), WQ_ERR_PG_CONN (anything else).
 * *needs_password (may be NULL) tells whether the server asked for a
 * password that was not given.  Free with db_close().
 */
struct wq_db *db_connect(const struct wq_conn_spec *spec, bool *needs_password, struct wq_err *err);

void db_close(struct wq_db *db);

/* "host:port/dbname" as the connection spec describes it (before connecting). */
char *db_describe_target(const struct wq_conn_spec *spec);

/* The connected user (session_user as libpq knows it). Borrowed. */
const char *db_user(const struct wq_db *db);

/* "host:port/dbname" of the live connection; the caller frees it. */
char *db_describe(const struct wq_db *db);

/* True while the connection is usable; tries one reset when it is not. */
bool db_check(struct wq_db *db);

/*
 * Runs one statement with text parameters (no SQL is ever built from user
 * text) and copies the rows out.  Returns NULL on failure with err filled
 * from the server's SQLSTATE, message, detail and hint.  Free with rows_free().
 */
struct wq_rows *db_query(struct wq_db *db, const char *sql, int nparams,
	const char *const *params, struct wq_err *err);

/* Like db_query for statements whose rows are not wanted. */
bool db_exec(struct wq_db *db, const char *sql, int nparams,
	const char *const *params, struct wq_err *err);

/* A statement without parameters that may hold several commands (migrations). */
bool db_exec_script(struct wq_db *db, const char *sql, struct wq_err *err);

/*
 * COPY ... FROM STDIN: begin with the COPY statement, send data (text
 * format), end.  db_copy_end reports the server's verdict; on any failure the
 * COPY is ended and the caller's transaction is in error.
 */
bool db_copy_begin(struct wq_db *db, const char *sql, struct wq_err *err);
bool db_copy_put(struct wq_db *db, const char *buf, size_t len, struct wq_err *err);
bool db_copy_end(struct wq_db *db, struct wq_err *err);

/*
 * Asynchronous queries, for screens that must not wait: db_send starts one
 * query; when db_socket() is readable, db_poll returns 1 with the rows (or
 * the error) once the whole result is in, 0 while it is still coming.
 * db_cancel asks the server to stop the running query and discards its
 * result; with none running it reads what the server sent meanwhile (so a
 * session the server ended is known by its SQLSTATE).  One query at a time.
 */
bool db_send(struct wq_db *db, const char *sql, int nparams, const char *const *params, struct wq_err *err);
int db_poll(struct wq_db *db, struct wq_rows **rows, struct wq_err *err);
bool db_busy(const struct wq_db *db);
/* A notification (NOTIFY channel, payload) as it arrives. */
typedef void (*wq_notify_fn)(void *arg, const char *channel, const char *payload);

/*
 * With no query running: reads what the server sent on its own (a
 * notification, handed to fn when it is not NULL, or the notice that it is
 * ending the session) and returns false when the session is gone.  Call it
 * when db_socket() is readable, and after a result (notifications may have
 * come with it).  Never blocks.
 */
bool db_idle_check(struct wq_db *db, wq_notify_fn fn, void *arg);

/* LISTEN (on) or UNLISTEN (off) channel. */
bool db_listen(struct wq_db *db, const char *channel, bool on, struct wq_err *err);
int db_socket(const struct wq_db *db);
void db_cancel(struct wq_db *db);

/* An identifier or literal quoted for this connection; the caller frees it. */
char *db_quote_ident(struct wq_db *db, const char *s);
char *db_quote_literal(struct wq_db *db, const char *s);

/*
 * The SCRAM-SHA-256 verifier of password for role, computed here so the
 * clear password never travels to the server or its logs.  Caller frees.
 */
char *db_password_verifier(struct wq_db *db, const char *role, const char *password, struct wq_err *err);

void rows_free(struct wq_rows *rows);

/* Value at (row, col); NULL for SQL NULL.  Borrowed. */
const char *rows_get(const struct wq_rows *rows, int row, int col);

/* Column index by name, or -1. */
int rows_col(const struct wq_rows *rows, const char *name);

/*
 * Value at (row, column name): the way to read a result.  NULL for SQL NULL
 * or a row out of range; a column the result does not have is a bug, and
 * stops the program with its name (through wq_fatal_hook).  Borrowed.
 */
const char *rows_getn(const struct wq_rows *rows, int row, const char *name);

#endif
