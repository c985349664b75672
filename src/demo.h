/*
 * demo.h: deterministic synthetic graduate rosters (学生名单) for demos,
 * tests and benchmarks.
 *
 * A roster is a function of (school, seed, row index): row i is the same
 * whether it is written to a file with demo_write_roster() or built alone
 * with demo_roster_row(), so a benchmark can rebuild any row from its
 * index.  Nothing is random across runs.
 *
 * The values are what the 就业管理系统 export carries: 性别 as 男/女;
 * 民族, 政治面貌, 学历层次 and 培养方式 as the codes of the national code
 * tables (db/migrations/0002_code_tables.sql: "01", "03", "31", "1");
 * 生源所在地 as a six-digit county-level GB/T 2260 code; dates as
 * YYYY-MM-DD.  The mix:
 *
 *  - 姓名: Han names from about 110 surnames weighted by frequency (a few
 *    compound ones: 欧阳, 司马, 诸葛, 上官, ...) and one or two given-name
 *    characters that suit the sex; about 2% carry a rare character (堃,
 *    喆, 䶮, and some outside the BMP: 𠮷, 𫖯, 𬣙); about 3% are
 *    Uyghur, Kazakh, Tibetan, Kyrgyz or Tajik names joined with U+00B7
 *    (阿卜杜拉·艾力), with the matching 民族, more often from Xinjiang
 *    and Tibet; a few Mongolian names without a surname.
 *  - 身份证号: valid (GB 11643 check character); address code = 生源所在地,
 *    birth date = 出生日期, sequence parity = 性别.  The 17 leading digits
 *    are a bijection of the row index, so they never repeat below
 *    DEMO_ROWS_MAX rows.
 *  - 学号: school code + entry year + the row number (i + 1, at least five
 *    digits); 考生号: 14 digits, unique.
 *  - every 学历层次 code, mostly 31, then 11, 01, 41; 培养方式 mostly 1,
 *    about 2% 21 and 1% 41; birth year, 学制, 入学时间 follow the level;
 *    毕业时间 is DEMO_GRAD_YEAR-06-30.
 *  - two majors carry an ASCII comma or double quotes, so a reader's CSV
 *    quoting is exercised.
 */
#ifndef WQ_DEMO_H
#define WQ_DEMO_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"
#include "roster.h"

/* Rows below this count have distinct 身份证号, 学号 and 考生号. */
#define DEMO_ROWS_MAX 10000000

/* The year every generated student graduates. */
#define DEMO_GRAD_YEAR 2026

/* Longest school code used (in 学号); a longer one is cut to this many bytes. */
#define DEMO_SCHOOL_CODE_MAX 20

struct demo_school {
	const char *code;  /* 院校代码, e.g. "10001"; the start of every 学号 */
	const char *name;  /* 毕业院校 of every row */
};

/* One generated row. */
struct demo_row {
	/*
	 * The value of each field, indexed by enum roster_field, NUL-terminated,
	 * never NULL.  Each points into buf, into the generator's static tables,
	 * or (RF_SCHOOL) at school->name: valid while the row and the school are.
	 */
	const char *v[RF_COUNT];
	char buf[512];
};

/*
 * Fills row with the values of row i (0-based, 0 <= i < DEMO_ROWS_MAX) of
 * the roster of school for seed: exactly what demo_write_roster() writes on
 * line i + 2 (before CSV quoting).  No allocation; row is owned by the
 * caller, who may reuse it for the next row.
 */
void demo_roster_row(const struct demo_school *school, unsigned seed, int i,
	struct demo_row *row);

/*
 * Writes a roster CSV to out: UTF-8 without BOM, LF line ends, a header row
 * of the 19 Chinese headers in ROSTER_FIELDS order, then n rows
 * (demo_roster_row 0 .. n - 1), each field quoted when it holds a comma, a
 * double quote, CR or LF.  out is borrowed and flushed, not closed.
 * Returns false with err WQ_ERR_USAGE when n is not in 0..DEMO_ROWS_MAX or
 * the school's code or name is empty, WQ_ERR_IO on a write error (what was
 * written stays in the file).
 */
bool demo_write_roster(FILE *out, const struct demo_school *school, int n,
	unsigned seed, struct wq_err *err);

#endif
