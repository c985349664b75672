/*
 * destination.h: the client side of destination registrations (去向登记):
 * the portal's submission and resubmission, the school's change (修改去向),
 * and the reviewers' list and item.  Decisions are agreement_decide's
 * (wq_api.review_decide decides items of every kind), reasons
 * agreement_reasons("destination").  Nothing here prints; the database
 * checks the fields each 毕业去向 code needs and names a missing or an
 * unexpected one.
 */
#ifndef WQ_DESTINATION_H
#define WQ_DESTINATION_H

#include <stdbool.h>

#include "agreement.h"
#include "err.h"
#include "pg.h"

/*
 * The fields of a registration (NULL: not given), as wq.destination_fields
 * names them: employer (统一社会信用代码) or unit_name for 11 12 27 50 51,
 * subtype for 12, enterprise and uscc for 75, description for 76,
 * institution and study_level for 80, country and institution for 85.
 */
#define DESTINATION_FIELDS(_) \
	_(employer,    "--employer",    "用人单位统一社会信用代码", "11 12 27 50 51，或填单位名称") \
	_(unit_name,   "--unit-name",   "单位名称",                 "11 12 27 50 51，或填统一社会信用代码") \
	_(subtype,     "--subtype",     "类别",                     "12：聘用证明 公招接收函 士官 医学规培 国际组织 出国出境工作") \
	_(enterprise,  "--enterprise",  "创业企业名称",             "75") \
	_(uscc,        "--uscc",        "创业企业统一社会信用代码", "75") \
	_(description, "--description", "自由职业说明",             "76") \
	_(institution, "--institution", "学校或机构",               "80 85") \
	_(study_level, "--study-level", "升学层次",                 "80：专升本 第二学位 研究生") \
	_(country,     "--country",     "国家或地区",               "85")

enum destination_field {
#define DEST_FIELD_ENUM(key, option, label, codes) DF_##key,
	DESTINATION_FIELDS(DEST_FIELD_ENUM)
#undef DEST_FIELD_ENUM
	DF_COUNT
};

struct destination_field_info {
	const char *key;       /* the key of the fields' jsonb */
	const char *option;    /* the command line's */
	const char *label;     /* as the screens show it */
	const char *codes;     /* the codes that need it, as a form's note says */
};
extern const struct destination_field_info destination_fields[DF_COUNT];

struct destination_input {
	const char *code;              /* 毕业去向代码; NULL on a resubmission that keeps it */
	const char *field[DF_COUNT];   /* NULL or "": not given */
};

/* True when any field (or the code) is given. */
bool destination_input_given(const struct destination_input *in);

/*
 * A graduate's registration (for a portal account): the school's code, the
 * graduate's 学号, the input, and optionally a proof file (JPEG, PNG or PDF).
 * *id gets the new registration's id.
 */
bool destination_submit(struct wq_db *db, const char *school, const char *student_no,
	const struct destination_input *in, const char *file, long *id, struct wq_err *err);

/*
 * The graduate resubmits returned registration id with the input (its code
 * when it changes; no field given: the registration's own) and optionally
 * another proof file.  request_id NULL: one is made.  out may be NULL.
 */
bool destination_resubmit(struct wq_db *db, long id, const struct destination_input *in, const char *file,
	const char *request_id, struct agreement_outcome *out, struct wq_err *err);

/*
 * 修改去向 (school users): graduate student_no's 毕业去向 becomes the input's,
 * agreed with the graduate (agreed must be true).  *id gets the new
 * registration's id.
 */
bool destination_change(struct wq_db *db, const char *student_no, const struct destination_input *in,
	bool agreed, const char *request_id, long *id, struct wq_err *err);

/* The codes a registration may have (not 10, which comes from agreements): rows (code, label "11 签劳动合同形式就业"). */
struct wq_rows *destination_codes(struct wq_db *db, struct wq_err *err);

/*
 * The caller's registrations (wq_api.destinations), by id: columns id,
 * state, state_label, review_level, level_label, version, code, code_name,
 * what, student_no, student_name, dept, source, updated_at (text),
 * actions (comma-separated).  state: one state or NULL.  Caller frees.
 */
struct wq_rows *destination_list(struct wq_db *db, const char *state, bool waiting, long after_id, int limit,
	struct wq_err *err);

/*
 * Registration id as the caller sees it (one row of destination_list's
 * columns), and its history (may be NULL; wq_api.item_history's rows as
 * agreement_show gives them).  None in scope: WQ_ERR_INPUT.
 */
bool destination_show(struct wq_db *db, long id, struct wq_rows **item, struct wq_rows **history,
	struct wq_err *err);

#endif
