/*
 * termination.h: 解约 (migration 0022) from the client: the portal's request
 * and answer, the graduate's resubmission, 强制解约, and the reviewers' list.
 * Decisions go through agreement_decide (wq_api.review_decide, the same for
 * every kind of item); an offline termination's 通过 carries its 解约原因 as
 * the category.  Each sends a fresh request id.
 */
#ifndef WQ_TERMINATION_H
#define WQ_TERMINATION_H

#include <stdbool.h>

#include "agreement.h"
#include "err.h"
#include "pg.h"

/*
 * as ("student" or "employer") asks to terminate agreement agreement_id,
 * with a reason (may be NULL) and a file (the 解约函: required for an
 * offline signing or a 补登; may be NULL otherwise).  *id: the termination's.
 */
bool termination_start(struct wq_db *db, long agreement_id, const char *as, const char *reason, const char *file,
	long *id, struct wq_err *err);

/* The other side of an online termination agrees (agree) or refuses. */
bool termination_answer(struct wq_db *db, long id, const char *as, bool agree, struct agreement_outcome *out,
	struct wq_err *err);

/* 强制解约 by a school user: a note (required) and evidence (may be NULL). */
bool termination_force(struct wq_db *db, long id, const char *note, const char *file, struct agreement_outcome *out,
	struct wq_err *err);

/* The caller's terminations (wq_api.terminations): state one state or NULL; waiting: what the caller may decide. */
struct wq_rows *termination_list(struct wq_db *db, const char *state, bool waiting, long after_id, int limit,
	struct wq_err *err);

/* One termination of the caller's, or NULL (and err) when it is not one. */
struct wq_rows *termination_get(struct wq_db *db, long id, struct wq_err *err);

#endif
