/*
 * roster.h: the graduate roster (学生名单) as the 就业管理系统 exports it.
 *
 * ROSTER_FIELDS is the one list of the 19 fields: the Chinese header that
 * names the column in a file, the database column, and whether a value is
 * required.  Everything else (the importer, validation, export, the screen)
 * takes its columns from here.
 */
#ifndef WQ_ROSTER_H
#define WQ_ROSTER_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"

/* _(id, header, column, required) */
#define ROSTER_FIELDS(_) \
	_(EXAM_NO,    "考生号",     "exam_no",          false) \
	_(NAME,       "姓名",       "name",             true)  \
	_(SEX,        "性别",       "sex",              true)  \
	_(ID_NUMBER,  "身份证号",   "id_number",        true)  \
	_(ETHNICITY,  "民族",       "ethnicity",        true)  \
	_(POLITICAL,  "政治面貌",   "political_status", true)  \
	_(BIRTH_DATE, "出生日期",   "birth_date",       true)  \
	_(SCHOOL,     "毕业院校",   "school_name",      true)  \
	_(DEPT,       "院系",       "dept",             true)  \
	_(LEVEL,      "学历层次",   "level",            true)  \
	_(MAJOR,      "专业",       "major",            true)  \
	_(TRAINING,   "培养方式",   "training_mode",    true)  \
	_(ORIGIN,     "生源所在地", "origin",           true)  \
	_(STUDENT_NO, "学号",       "student_no",       true)  \
	_(YEARS,      "学制",       "years",            false) \
	_(ENTRY_DATE, "入学时间",   "entry_date",       false) \
	_(GRAD_DATE,  "毕业时间",   "grad_date",        false) \
	_(MOBILE,     "手机号码",   "mobile",           false) \
	_(EMAIL,      "电子邮箱",   "email",            false)

enum roster_field {
#define ROSTER_ENUM(id, header, column, required) RF_##id,
	ROSTER_FIELDS(ROSTER_ENUM)
#undef ROSTER_ENUM
	RF_COUNT
};

struct roster_field_info {
	enum roster_field id;
	const char *header;    /* 中文列名, as in the export file */
	const char *column;    /* wq.student column (normalised value) */
	bool required;
};

extern const struct roster_field_info roster_fields[RF_COUNT];

/* The field whose header is name, or -1. */
int roster_field_by_header(const char *name);

#endif
