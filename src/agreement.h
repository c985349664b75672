/*
 * agreement.h: the client side of employment agreements (就业协议), for the
 * command line now and the screens later.  Inputs are parsed and checked here
 * before anything is sent (统一社会信用代码, 月薪, 有效天数, ...); then one
 * wq_api function is called with parameters.  Nothing here prints: errors are
 * Chinese, in struct wq_err, through the SQLSTATE gate (err.c).  A stale
 * version is WQ_ERR_STALE with the server's message, which names who acted
 * first.
 *
 * Ids of items are bigint; here a long (64 bits on every platform we build).
 */
#ifndef WQ_AGREEMENT_H
#define WQ_AGREEMENT_H

#include <stdbool.h>

#include "err.h"
#include "pg.h"
#include "query.h"
#include "util.h"

/* An employer as the portal adds or updates it (NULL: not given / unchanged). */
struct agreement_employer {
	const char *credit_code;   /* 统一社会信用代码, required */
	const char *name;          /* 单位名称, required */
	const char *nature;        /* 单位性质 code, 2 digits */
	const char *industry;      /* 单位行业 code, 2 digits */
	const char *location;      /* 单位所在地, 6-digit GB/T 2260 code */
	const char *status;        /* 存续 | 注销 | 吊销 | 停业 (or active, cancelled, revoked, suspended) */
	const char *contact_name;  /* 联系人 */
	const char *contact_phone; /* 联系电话 */
};

/* The job of an agreement (NULL: not given).  salary is text as typed: it must be an integer. */
struct agreement_job {
	const char *position;         /* 岗位名称 */
	const char *work_location;    /* 工作地点 */
	const char *salary;           /* 月薪 (元), 0..10000000 */
	const char *job_category;     /* 工作职位类别 code, 2 digits */
	const char *archive_unit;     /* 档案接收单位 */
	const char *archive_address;
	const char *archive_postcode; /* 6 digits */
	const char *hukou_unit;       /* 户口迁移单位 */
	const char *hukou_address;
};

/* Who starts an item: the school's code, the graduate's 学号 and the employer. */
struct agreement_party {
	const char *school;      /* 学校代码 */
	const char *student_no;  /* 学号 */
	const char *employer;    /* 统一社会信用代码 */
};

/* The outcome of an action on an item (wq.agreement_act's answer).  Owned strings. */
struct agreement_outcome {
	long id;
	char *state;        /* e.g. signed */
	char *label;        /* e.g. 签约成功 */
	char *level;        /* dept | school | NULL */
	char *level_label;  /* 院系审核中 ... under 先院系再校级审核, else NULL */
	int version;
	bool replayed;      /* a repeated request id: the first outcome, nothing changed */
};
void agreement_outcome_fini(struct agreement_outcome *o);

/*
 * The checks made before sending (each fills err with WQ_ERR_INPUT and a
 * Chinese message).  agreement_parse_* read what a user typed.
 */
bool agreement_check_employer(const struct agreement_employer *e, struct wq_err *err);
bool agreement_check_job(const struct agreement_job *job, struct wq_err *err);
/* An item's id: digits, 1 .. 2^63-1. */
bool agreement_parse_id(const char *s, long *id, struct wq_err *err);
/* An invitation's validity in days, 1..365. */
bool agreement_parse_valid_days(const char *s, int *days, struct wq_err *err);
/* A version the user saw: digits, 1 or more. */
bool agreement_parse_version(const char *s, int *version, struct wq_err *err);

/* ---- the portal's side (a portal account or the operator) ---- */

/* Adds or updates an employer (wq_api.employer_add). */
bool agreement_employer_add(struct wq_db *db, const struct agreement_employer *e, struct wq_err *err);

/* An invitation (线上签约); valid_days 0: the server's default (30).  *id gets the new item's id. */
bool agreement_invite(struct wq_db *db, const struct agreement_party *p, const struct agreement_job *job,
	int valid_days, long *id, struct wq_err *err);

/* 线下签约: the graduate's application. */
bool agreement_offline_apply(struct wq_db *db, const struct agreement_party *p,
	const struct agreement_job *job, long *id, struct wq_err *err);

/* 补登: an agreement signed on paper already. */
bool agreement_registration_submit(struct wq_db *db, const struct agreement_party *p,
	const struct agreement_job *job, long *id, struct wq_err *err);

/*
 * A graduate's ("student": accept, decline, resubmit, upload) or employer's
 * ("employer": withdraw, upload) action on item id.  changes: for resubmit
 * only, the fields that change (position, work_location, salary,
 * job_category; NULL: none).  request_id: the caller's, kept across a retry
 * (NULL: one is made).  An accept or decline that finds the invitation past
 * its validity turns it 签约邀请已失效 and fails with that message (*out is
 * filled still).  out may be NULL.
 */
bool agreement_portal_act(struct wq_db *db, long id, const char *action, const char *as,
	const struct agreement_job *changes, const char *request_id, struct agreement_outcome *out,
	struct wq_err *err);

/* Invitations past their validity turn 签约邀请已失效; *count gets how many. */
bool agreement_invitations_expire(struct wq_db *db, int *count, struct wq_err *err);

/* ---- the school's and the departments' side ---- */

/*
 * 通过 ("pass"), 退回修改 ("return") or 不通过 ("reject") of item id at the
 * caller's level.  version: the one the user saw.  request_id: made once per
 * user action with wq_request_id and passed again on the user's retry (NULL:
 * one is made here); a lost connection is retried once with the same id, and
 * a request the server has seen returns its first outcome (out->replayed).
 * category (a code of wq_api.review_reasons) and reason (具体问题) are needed
 * for return and reject; a category given for a pass is ignored.
 */
bool agreement_decide(struct wq_db *db, long id, const char *action, int version, const char *request_id,
	const char *category, const char *reason, struct agreement_outcome *out, struct wq_err *err);

/*
 * The category code for what a user typed (a code or its Chinese label) among
 * the reasons of kind (online | offline | registration): *code gets an owned
 * copy.  An unknown one fails listing the labels.
 */
bool agreement_reason_code(struct wq_db *db, const char *kind, const char *typed, char **code,
	struct wq_err *err);

/* The reasons of kind: rows (code, label), in order. */
struct wq_rows *agreement_reasons(struct wq_db *db, const char *kind, struct wq_err *err);

struct agreement_filter {
	const char *queue;      /* signing (线上 and 线下签约, the default) | registration (补登) */
	const char *state;      /* one state code, or NULL */
	const char *initiator;  /* employer | student (or 单位 | 学生), or NULL */
	bool waiting;           /* only those the caller may decide now */
	long after_id;          /* 0: from the first */
	int limit;              /* 0: 200 */
};

/*
 * The caller's agreements (wq_api.agreements), by id: columns id, kind,
 * initiator, state, state_label, review_level, level_label, version,
 * protocol_no, student_no, student_name, dept, employer_code, employer_name,
 * employer_status, updated_at (text, YYYY-MM-DD HH24:MI:SS), actions (the
 * caller's actions, comma-separated).  Caller frees.
 */
struct wq_rows *agreement_list(struct wq_db *db, const struct agreement_filter *f, struct wq_err *err);

/* One item as the reviewer sees it: every string owned. */
struct agreement_item {
	long id;
	char *kind, *initiator, *state, *state_label, *review_level, *level_label;
	int version;
	char *protocol_no, *student_no, *student_name, *dept;
	char *employer_code, *employer_name, *employer_status;
	char *updated_at;
	int nactions;
	char **actions;     /* pass, return, reject: what the caller may do now */
};
void agreement_item_fini(struct agreement_item *it);

/*
 * Item id as the caller sees it, in either queue; history (may be NULL) gets
 * wq_api.agreement_history's rows, oldest first: at (text), actor_name,
 * actor_kind, action, from_state, to_state, to_label, category, reason.  An
 * item out of the caller's scope (or none) fails with WQ_ERR_INPUT.
 */
bool agreement_show(struct wq_db *db, long id, struct agreement_item *it, struct wq_rows **history,
	struct wq_err *err);

/* ---- labels ---- */

/* 线上签约 / 线下签约 / 补登 */
const char *agreement_kind_label(const char *kind);
/* 单位 / 学生 */
const char *agreement_initiator_label(const char *initiator);
/* 通过, 退回修改, 不通过, 同意签约, 拒绝签约, 撤回, 失效, 重新提交, 上传协议书, 提交 (create) */
const char *agreement_action_label(const char *action);

/*
 * label with the verb of the province's agreement type (me.agreement_type:
 * two_party | three_party): under 两方协议 every 审核 reads 鉴证
 * ("签约审核中" -> "签约鉴证中").  Caller frees.
 */
char *agreement_verb_text(const char *label, const char *agreement_type);

/*
 * The graduate (as "student") or employer sends the file at path (JPEG, PNG
 * or PDF, at most 10 MiB, checked here and by the database): an offline
 * signing's stamped agreement, which starts its signing review, or a 补登's
 * paper agreement.
 */
bool agreement_portal_upload(struct wq_db *db, long id, const char *as, const char *path, const char *request_id,
	struct agreement_outcome *out, struct wq_err *err);

/* An item's files, for its reviewers: id, role_label, file_name, mime, size, sha256, uploaded_at, uploaded_by. */
struct wq_rows *agreement_attachments(struct wq_db *db, long id, struct wq_err *err);

/* An attachment's bytes (the caller frees *data). */
bool agreement_attachment_read(struct wq_db *db, long attachment, unsigned char **data, size_t *n,
	struct wq_err *err);

/* Writes attachment's bytes to path. */
bool agreement_attachment_save(struct wq_db *db, long attachment, const char *path, struct wq_err *err);

/*
 * Writes item id's 就业协议书 as a PDF at path (src/agreement_pdf.h): every
 * field, the school's details, the 协议书编号 and its QR code, and the review
 * record, with the verb of agreement_type (me.agreement_type).  Refused while
 * the item's queue row says it has none yet (wq.agreement_pdf_allowed).
 */
bool agreement_pdf_save(struct wq_db *db, long id, const char *agreement_type, const char *path,
	struct wq_err *err);

/* ---- shared with the other items' clients (destination.c) ---- */

/* The outcome columns of an item_act answer named r (a jsonb). */
#define AGREEMENT_OUTCOME_COLS "(r->>'id')::bigint AS id, r->>'state' AS state, r->>'label' AS label, " \
	"r->>'level' AS level, r->>'level_label' AS level_label, (r->>'version')::int AS version, " \
	"CASE WHEN (r->>'replayed')::boolean THEN 't' ELSE 'f' END AS replayed"

/* An outcome from the first row of a query that selects AGREEMENT_OUTCOME_COLS. */
void agreement_outcome_from(const struct wq_rows *rows, struct agreement_outcome *o);

/*
 * Runs q; with retry, a statement that carries a request id is sent once
 * more, with the same id, when the connection was lost and comes back.  A
 * stale version becomes WQ_ERR_STALE, a refused value WQ_ERR_INPUT.
 */
struct wq_rows *agreement_run(struct wq_db *db, const struct query *q, bool retry, struct wq_err *err);

/* agreement_run (with retry) of a query of AGREEMENT_OUTCOME_COLS, into out (may be NULL). */
bool agreement_run_outcome(struct wq_db *db, const struct query *q, struct agreement_outcome *out,
	struct wq_err *err);

/*
 * The file at path as the parameters of an upload: *bytes its bytea text
 * (\x and hex), *name its name without folders; both owned.  The checks of
 * attach_read (JPEG, PNG or PDF, at most 10 MiB).
 */
bool agreement_file_param(const char *path, char **bytes, char **name, struct wq_err *err);

#endif
