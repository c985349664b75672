/*
 * agreement_pdf.h: 下载就业协议书, the employment agreement as a PDF.
 *
 * An A4 document drawn with cairo and pango in the WenQuanYi Micro Hei font
 * (Debian's fonts-wqy-microhei; nothing is downloaded): the title, 协议书编号
 * and a QR code of it at the top, then the sections 学生信息, 用人单位信息,
 * 协议内容, 学校信息 and 审核记录 (鉴证记录 for a 两方协议) as labelled
 * fields, and a footer with the number and 第 N 页，共 M 页 on every page.
 * Values are wrapped, never cut; a long review record goes on to more pages.
 * Control characters (C0, DEL, C1) and bidi controls in any value are
 * dropped, and bytes that are not UTF-8 become U+FFFD, so neither reaches
 * the PDF.
 */
#ifndef WQ_AGREEMENT_PDF_H
#define WQ_AGREEMENT_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* The font family the document is set in. */
#define AGREEMENT_PDF_FONT "WenQuanYi Micro Hei"

/*
 * What the document shows.  Every field is borrowed (the caller keeps it),
 * and any may be NULL or "", which prints as an empty value.
 */
struct agreement_doc {
	const char *protocol_no;        /* 协议书编号, also the QR code's text */
	const char *verb;               /* "鉴证" (两方协议) or "审核" (三方协议, and anything else) */
	const char *title;              /* e.g. "全国普通高等学校毕业生就业协议书" */

	/* 学生信息 */
	const char *name;               /* 姓名 */
	const char *sex;                /* 性别 */
	const char *student_no;         /* 学号 */
	const char *id_number;          /* 身份证号 */
	const char *school_name;        /* 学校名称 */
	const char *dept;               /* 院系 */
	const char *major;              /* 专业 */
	const char *level;              /* 学历层次 */
	const char *training_mode;      /* 培养方式 */
	const char *mobile;             /* 手机号码 */
	const char *email;              /* 电子邮箱 */

	/* 用人单位信息 */
	const char *employer_name;      /* 单位名称 */
	const char *uscc;               /* 统一社会信用代码 */
	const char *nature;             /* 单位性质 */
	const char *industry;           /* 单位行业 */
	const char *location;           /* 单位所在地 */
	const char *contact_name;       /* 联系人 */
	const char *contact_phone;      /* 联系电话 */

	/* 协议内容 */
	const char *position_category;  /* 工作职位类别 */
	const char *position;           /* 岗位名称 */
	const char *work_location;      /* 工作地点 */
	const char *salary;             /* 月薪 */
	const char *archive_unit;       /* 档案转寄单位 */
	const char *archive_address;    /* 档案转寄地址 */
	const char *archive_postcode;   /* 档案转寄邮政编码 */
	const char *hukou_unit;         /* 户口迁移单位 */
	const char *hukou_address;      /* 户口迁移地址 */

	/* 学校信息 */
	const char *handler;            /* 就业协议经办人 */
	const char *phone;              /* 联系电话 */
	const char *address;            /* 学校通讯地址 */
	const char *postcode;           /* 邮政编码 */

	/* 审核记录 (鉴证记录): one line per event, oldest first */
	const char *const *review_lines; /* e.g. "2026-11-30 10:02 计算机学院 李四：审核通过" */
	size_t n_review_lines;
};

/*
 * The QR code's text for a protocol number: the number itself, with control
 * characters dropped as everywhere in the document (NULL gives "").  Writes
 * at most n bytes with the NUL into buf, never cutting a character, and
 * returns buf ("" when buf is NULL or n is 0).
 */
const char *agreement_qr_payload(const char *protocol_no, char *buf, size_t n);

/*
 * Writes the document d to the PDF file path.  The pages go to a temporary
 * file next to path that replaces path only when complete, so a failure
 * leaves no half-written PDF (and an existing file as it was).
 * Returns false with err (a Chinese message naming path): WQ_ERR_IO when
 * the file cannot be created or written (the cause from wq_errno_text),
 * the font is not installed, or cairo fails; WQ_ERR_INPUT when the
 * protocol number is too long for a QR code; WQ_ERR_USAGE for a NULL d or
 * an empty path.
 */
bool agreement_pdf_write(const struct agreement_doc *d, const char *path, struct wq_err *err);

#endif
