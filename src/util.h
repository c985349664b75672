/*
 * util.h: allocation that never returns NULL, and small string helpers.
 * An allocation failure aborts through wq_fatal_hook (which the TUI points at
 * its terminal-restoring exit).
 */
#ifndef WQ_UTIL_H
#define WQ_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

extern void (*wq_fatal_hook)(const char *msg);

void *xmalloc(size_t n) __attribute__((malloc, alloc_size(1)));
void *xcalloc(size_t n, size_t size) __attribute__((malloc, alloc_size(1, 2)));
void *xrealloc(void *p, size_t n) __attribute__((alloc_size(2)));
char *xstrdup(const char *s) __attribute__((malloc));
char *xstrndup(const char *s, size_t n) __attribute__((malloc));
/* printf into a new string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2), malloc));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0), malloc));

/*
 * Reads the whole file at path (at most max bytes) into a new NUL-terminated
 * block (*data, the caller frees) of *len bytes.  Returns 0, or -1 with
 * errno set (ENOENT, EISDIR, EFBIG when larger than max, ...).
 */
int read_whole_file(const char *path, size_t max, char **data, size_t *len);

/*
 * A request id: a random UUID (version 4, from getrandom) in its 36-character
 * text form.  Made once per user action and passed to the wq_api write
 * function's p_request_id, so that the same write sent again (after a lost
 * connection) carries the same id and the database can tell.
 */
#define WQ_REQUEST_ID_SIZE 37
void wq_request_id(char out[WQ_REQUEST_ID_SIZE]);

/*
 * Creates a new temporary file in the directory of path (to be renamed over
 * path once written), readable as a normal new file would be (0666 less the
 * umask).  Returns its name (the caller frees it) and the open descriptor in
 * *fd, or NULL with errno set.
 */
char *tmp_create(const char *path, int *fd);

/* name in the directory for temporary files ($TMPDIR, else /tmp); the caller frees it. */
char *tmpdir_path(const char *name);

/* True when s is NULL or "". */
static inline bool str_empty(const char *s) { return !s || !*s; }

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
