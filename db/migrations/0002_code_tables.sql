SET LOCAL ROLE wq_owner;

-- 0002_code_tables.sql: the national code tables (毕业去向, 学历层次, 培养方式, 单位性质,
-- 单位行业, 工作职位类别, 政治面貌, 民族, 性别, 省级行政区).
--
-- Source: shared/reference/domain-research.md §3 (and §1.1), shared/spec/domain.md.
-- Rows the research marks UNVERIFIED or local are left out; each omission is listed, with
-- its source note, in a comment next to the list it belongs to.  Rows kept with a caveat
-- carry it in the note column.
--
-- Runs after 0001 (roles wq_owner, wq_province, wq_school, wq_dept, wq_portal; schemas wq
-- and wq_api) inside the runner's transaction.  Everything below is owned by wq_owner.
--
-- Row level security is switched on (ENABLE + FORCE) after the rows are loaded.  Only the
-- platform operator (the role that runs migrations) may change codes later.

-- ---------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------

CREATE TABLE wq.code_kind (
    kind text PRIMARY KEY
        CONSTRAINT code_kind_kind_format CHECK (kind ~ '^[a-z][a-z_]*$'),
    name text NOT NULL
        CONSTRAINT code_kind_name_nonempty CHECK (name <> '' AND name = btrim(name)),
    CONSTRAINT code_kind_name_unique UNIQUE (name)
);

COMMENT ON TABLE wq.code_kind IS '代码表的种类 (毕业去向, 学历层次, …); public reference data';

CREATE TABLE wq.code (
    kind       text NOT NULL REFERENCES wq.code_kind (kind),
    code       text NOT NULL,
    name       text NOT NULL,
    short_name text,
    parent     text,
    eligible   boolean,
    note       text,
    sort       int,
    PRIMARY KEY (kind, code),
    CONSTRAINT code_parent_fk FOREIGN KEY (kind, parent) REFERENCES wq.code (kind, code),

    CONSTRAINT code_code_nonempty CHECK (code <> ''),
    -- every list so far is numeric; the lengths are those of the research tables
    CONSTRAINT code_code_format CHECK (
        CASE kind
            WHEN 'destination'      THEN code ~ '^[0-9]{2,3}$'
            WHEN 'education_level'  THEN code ~ '^[0-9]{2}$'
            WHEN 'training_mode'    THEN code ~ '^[0-9]{1,2}$'
            WHEN 'unit_nature'      THEN code ~ '^[0-9]{2}$'
            WHEN 'industry'         THEN code ~ '^[0-9]{2}$'
            WHEN 'job_category'     THEN code ~ '^[0-9]{2}$'
            WHEN 'political_status' THEN code ~ '^[0-9]{2}$'   -- two digits: "01", not "1"
            WHEN 'ethnicity'        THEN code ~ '^[0-9]{2}$'   -- two digits: "01", not "1"
            WHEN 'sex'              THEN code ~ '^[0-9]$'
            WHEN 'province'         THEN code ~ '^[0-9]{2}$'
            ELSE code ~ '^[0-9A-Za-z]+$'
        END),
    CONSTRAINT code_name_nonempty CHECK (name <> '' AND name = btrim(name)),
    CONSTRAINT code_short_name_nonempty
        CHECK (short_name IS NULL OR (short_name <> '' AND short_name = btrim(short_name))),
    CONSTRAINT code_note_nonempty CHECK (note IS NULL OR note <> ''),
    -- a sub-code extends its parent's code: 502 under 50
    CONSTRAINT code_parent_prefix
        CHECK (parent IS NULL OR (parent <> code AND left(code, length(parent)) = parent)),
    -- 网签资格 exists for 培养方式 only, and there it is always known
    CONSTRAINT code_eligible_training_mode
        CHECK ((kind = 'training_mode') = (eligible IS NOT NULL))
);

COMMENT ON TABLE wq.code IS
    '全国代码表 rows, one generic table for every kind; public reference data';
COMMENT ON COLUMN wq.code.short_name IS '简称 (省级行政区: 江苏; 毕业去向子类: 三支一扶), NULL if none';
COMMENT ON COLUMN wq.code.parent IS '上级代码 within the same kind (毕业去向 three-digit sub-codes)';
COMMENT ON COLUMN wq.code.eligible IS '培养方式 only: 网签资格 (may use online signing and the other functions)';
COMMENT ON COLUMN wq.code.note IS 'aliases, older names and verification caveats from the research';

-- look-up by name (and by short name) within a kind; names are unique so the look-up
-- is deterministic
CREATE UNIQUE INDEX code_kind_name_idx ON wq.code (kind, name);
CREATE UNIQUE INDEX code_kind_short_name_idx ON wq.code (kind, short_name)
    WHERE short_name IS NOT NULL;
CREATE INDEX code_kind_parent_idx ON wq.code (kind, parent) WHERE parent IS NOT NULL;

-- ---------------------------------------------------------------------------------------
-- Kinds
-- ---------------------------------------------------------------------------------------

INSERT INTO wq.code_kind (kind, name) VALUES
    ('destination',      '毕业去向'),
    ('education_level',  '学历层次'),
    ('training_mode',    '培养方式'),
    ('unit_nature',      '单位性质'),
    ('industry',         '单位行业'),
    ('job_category',     '工作职位类别'),
    ('political_status', '政治面貌'),
    ('ethnicity',        '民族'),
    ('sex',              '性别'),
    ('province',         '省级行政区');

-- ---------------------------------------------------------------------------------------
-- 3.1 毕业去向代码 (就业管理系统)
-- Two-digit categories: agreement across >=3 independent code sources (gh-id 33335270828,
-- 22351747617, 47845293124, 15958554141) plus the seed's category list; verified by
-- consensus, not against an official PDF.
--   10 comes only from agreements (domain.md), never from 去向登记.
--   12 其他录用形式就业, 2021 definition (secondary, gh-id 59513890165): 用人单位不签协议/合同,
--      仅提供聘用证明、工资收入流水; pay >= local minimum wage.  domain.md lists as its forms:
--      聘用证明, 公招接收函, 士官, 医学规培, 国际组织, 出国出境工作.
--   70 is what a graduate's destination becomes after a successful termination.
-- Three-digit sub-codes: 2023/2024 export (gh-id 33740286327, 33355944707), names copied
-- verbatim ("类别—子类", U+2014).  The same export names 85 "境外留学" (noted on 85).
-- Left out:
--   501/504 特岗教师?, 803 专升本?, 70x 求职中/签约中/拟参加公招考试…: not found, UNVERIFIED.
--   待就业 sub-categories seen in school data (求职中, 拟参加公招考试, 签约中, 拟创业,
--     拟出国出境; gh-id 7807363820, 36085402286): codes unknown.
--   81 升学(非全日制), 82 升学(规陪): Anhui cloud app only (gh-id 22351747617), local.
--   65 留级休学续读: one source only (gh-id 33335270828), regional variant.
--   77 其他灵活就业, 99 其他: an older combined table only (gh-id 47845293124).
-- ---------------------------------------------------------------------------------------

-- categories
INSERT INTO wq.code (kind, code, name, short_name, note, sort) VALUES
    ('destination', '10', '签就业协议形式就业', NULL,       NULL, 1),
    ('destination', '11', '签劳动合同形式就业', NULL,       NULL, 2),
    ('destination', '12', '其他录用形式就业',   NULL,       NULL, 3),
    ('destination', '27', '科研助理、管理助理', '科研助理', '旧表名称: 科研助理', 4),
    ('destination', '46', '应征义务兵',         NULL,       '旧表名称: 预征入伍', 6),
    ('destination', '50', '国家基层项目',       NULL,       NULL, 7),
    ('destination', '51', '地方基层项目',       NULL,       NULL, 10),
    ('destination', '70', '待就业',             NULL,       NULL, 13),
    ('destination', '71', '不就业拟升学',       NULL,       NULL, 14),
    ('destination', '72', '其他暂不就业',       NULL,       NULL, 15),
    ('destination', '75', '自主创业',           NULL,       NULL, 16),
    ('destination', '76', '自由职业',           NULL,       NULL, 17),
    ('destination', '80', '升学',               NULL,
        '境内升学 (专升本, 第二学位, 研究生); 导出表类别名: 境内升学', 18),
    ('destination', '85', '出国、出境',         NULL,
        '境外留学 (深造); 导出表名称: 境外留学', 21);

-- three-digit sub-codes, sorted right after their category
INSERT INTO wq.code (kind, code, name, short_name, parent, note, sort) VALUES
    ('destination', '271', '科研助理、管理助理—科研助理、管理助理', NULL, '27',
        '2023/2024 导出表子类代码', 5),
    ('destination', '502', '国家基层项目—三支一扶',         '三支一扶',         '50',
        '2023/2024 导出表子类代码', 8),
    ('destination', '503', '国家基层项目—西部计划',         '西部计划',         '50',
        '2023/2024 导出表子类代码', 9),
    ('destination', '512', '地方基层项目—地方选调生',       '地方选调生',       '51',
        '2023/2024 导出表子类代码', 11),
    ('destination', '519', '地方基层项目—其他地方基层项目', '其他地方基层项目', '51',
        '2023/2024 导出表子类代码', 12),
    ('destination', '801', '境内升学—研究生',               '研究生',           '80',
        '2023/2024 导出表子类代码', 19),
    ('destination', '802', '境内升学—第二学士学位',         '第二学士学位',     '80',
        '2023/2024 导出表子类代码', 20);

-- ---------------------------------------------------------------------------------------
-- 3.2 学历层次 / 学历代码 (xldm, 就业管理系统)
-- Consistent across gh-id 29105087400 and gh-id 396443415/939482718; verified by consensus.
-- Left out:
--   09 博士生肄业: follows the pattern but was not seen, UNVERIFIED.
--   Anhui cloud app's local scheme 101 博士研究生, 111 硕士研究生, 231 本科, 341 专科,
--     361 高职（专科） (gh-id 22351747617): local.
-- ---------------------------------------------------------------------------------------

INSERT INTO wq.code (kind, code, name, note, sort) VALUES
    ('education_level', '01', '博士生毕业',   NULL, 1),
    ('education_level', '03', '博士生结业',   NULL, 2),
    ('education_level', '11', '硕士生毕业',   NULL, 3),
    ('education_level', '13', '硕士生结业',   NULL, 4),
    ('education_level', '19', '硕士生肄业',   NULL, 5),
    ('education_level', '21', '硕班毕业',     '研究生班', 6),
    ('education_level', '25', '二学位毕业',   '又称: 双学位毕业', 7),
    ('education_level', '26', '二学位结业',   NULL, 8),
    ('education_level', '31', '本科生毕业',   NULL, 9),
    ('education_level', '33', '本科生结业',   NULL, 10),
    ('education_level', '39', '本科生肄业',   NULL, 11),
    ('education_level', '41', '专科生毕业',   NULL, 12),
    ('education_level', '43', '专科生结业',   NULL, 13),
    ('education_level', '49', '专科生肄业',   NULL, 14),
    ('education_level', '61', '高职',         NULL, 15);

-- ---------------------------------------------------------------------------------------
-- 3.3 培养方式代码 (pyfsdm): current wq/就业管理系统 scheme, VERBATIM from [SEED §4].
-- 网签资格: 21 and 41 may not use online signing or any other function (§1.1: 定向/委培
-- students are excluded unless their code is 22 or 42).
-- Left out: the older scheme 1 非定向, 2 定向, 3 在职, 4 委培, 5 自筹 (gh-id 13763351182,
-- 22351747617): superseded; its 2 and 4 do not say whether 网签 is allowed.
-- ---------------------------------------------------------------------------------------

INSERT INTO wq.code (kind, code, name, eligible, note, sort) VALUES
    ('training_mode', '1',  '非定向',           true,  NULL, 1),
    ('training_mode', '21', '定向（不可网签）', false, NULL, 2),
    ('training_mode', '22', '定向（可网签）',   true,  NULL, 3),
    ('training_mode', '3',  '在职',             true,  '网签资格: 默认为是', 4),
    ('training_mode', '41', '委培（不可网签）', false, NULL, 5),
    ('training_mode', '42', '委培（可网签）',   true,  NULL, 6),
    ('training_mode', '5',  '自筹',             true,  NULL, 7);

-- ---------------------------------------------------------------------------------------
-- 3.4 单位性质代码 (dwxzdm)
-- Consistent in gh-id 22143622144, 22351747617 and 30786459367; verified by consensus.
-- 99 其他 was seen in gh-id 30786459367 only (kept, with a note).
-- Left out: 25 艰苦事业单位, 35 艰苦行业企业 and the 27/46/50/51/70–85 destination codes of
-- an older combined table (gh-id 47845293124), where 单位性质 doubled as destination.
-- ---------------------------------------------------------------------------------------

INSERT INTO wq.code (kind, code, name, note, sort) VALUES
    ('unit_nature', '10', '机关',         NULL, 1),
    ('unit_nature', '20', '科研设计单位', NULL, 2),
    ('unit_nature', '21', '高等教育单位', NULL, 3),
    ('unit_nature', '22', '中初教育单位', NULL, 4),
    ('unit_nature', '23', '医疗卫生单位', NULL, 5),
    ('unit_nature', '29', '其他事业单位', NULL, 6),
    ('unit_nature', '31', '国有企业',     NULL, 7),
    ('unit_nature', '32', '三资企业',     NULL, 8),
    ('unit_nature', '39', '其他企业',     NULL, 9),
    ('unit_nature', '40', '部队',         NULL, 10),
    ('unit_nature', '55', '农村建制村',   NULL, 11),
    ('unit_nature', '56', '城镇社区',     NULL, 12),
    ('unit_nature', '99', '其他',         '仅见于一个来源 (gh-id 30786459367)', 13);

-- ---------------------------------------------------------------------------------------
-- 3.5 单位行业代码 (就业管理系统); maps 1:1 to GB/T 4754-2017 门类 A–T (the letter is in
-- the note; some systems use the letters as codes, gh-id 30786459367).
-- Consistent in gh-id 22143622144 and 22351747617.
-- ---------------------------------------------------------------------------------------

INSERT INTO wq.code (kind, code, name, note, sort) VALUES
    ('industry', '11', '农、林、牧、渔业',                   'GB/T 4754-2017 门类 A', 1),
    ('industry', '21', '采矿业',                             'GB/T 4754-2017 门类 B', 2),
    ('industry', '22', '制造业',                             'GB/T 4754-2017 门类 C', 3),
    ('industry', '23', '电力、热力、燃气及水生产和供应业',   'GB/T 4754-2017 门类 D', 4),
    ('industry', '24', '建筑业',                             'GB/T 4754-2017 门类 E', 5),
    ('industry', '31', '批发和零售业',                       'GB/T 4754-2017 门类 F', 6),
    ('industry', '32', '交通运输、仓储和邮政业',             'GB/T 4754-2017 门类 G', 7),
    ('industry', '33', '住宿和餐饮业',                       'GB/T 4754-2017 门类 H', 8),
    ('industry', '34', '信息传输、软件和信息技术服务业',     'GB/T 4754-2017 门类 I', 9),
    ('industry', '35', '金融业',                             'GB/T 4754-2017 门类 J', 10),
    ('industry', '36', '房地产业',                           'GB/T 4754-2017 门类 K', 11),
    ('industry', '37', '租赁和商务服务业',                   'GB/T 4754-2017 门类 L', 12),
    ('industry', '38', '科学研究和技术服务业',               'GB/T 4754-2017 门类 M', 13),
    ('industry', '39', '水利、环境和公共设施管理业',         'GB/T 4754-2017 门类 N', 14),
    ('industry', '41', '居民服务、修理和其他服务业',         'GB/T 4754-2017 门类 O', 15),
    ('industry', '42', '教育',                               'GB/T 4754-2017 门类 P', 16),
    ('industry', '43', '卫生和社会工作',                     'GB/T 4754-2017 门类 Q', 17),
    ('industry', '44', '文化、体育和娱乐业',                 'GB/T 4754-2017 门类 R', 18),
    ('industry', '45', '公共管理、社会保障和社会组织',       'GB/T 4754-2017 门类 S', 19),
    ('industry', '46', '国际组织',                           'GB/T 4754-2017 门类 T', 20),
    ('industry', '80', '军队',                               '无对应 GB/T 4754 门类', 21);

-- ---------------------------------------------------------------------------------------
-- 3.6 工作职位类别代码 (gzzwlb)
-- Consistent in gh-id 22351747617, 26893205412 and 21456301905.
-- Left out: a variant list (gh-id 69280385539) that adds 09 博士后研究人员 and
-- 18 飞机和船舶技术人员 and uses 31 / 49 for 办事人员 / 商业和服务业人员: UNVERIFIED.
-- (One school's audit rule rejects 90 其他人员, gh-id 68869009060: a local rule, not a code.)
-- ---------------------------------------------------------------------------------------

INSERT INTO wq.code (kind, code, name, sort) VALUES
    ('job_category', '10', '公务员',               1),
    ('job_category', '11', '科学研究人员',         2),
    ('job_category', '13', '工程技术人员',         3),
    ('job_category', '17', '农林牧渔业技术人员',   4),
    ('job_category', '19', '卫生专业技术人员',     5),
    ('job_category', '21', '经济业务人员',         6),
    ('job_category', '22', '金融业务人员',         7),
    ('job_category', '23', '法律专业人员',         8),
    ('job_category', '24', '教学人员',             9),
    ('job_category', '25', '文学艺术工作人员',     10),
    ('job_category', '26', '体育工作人员',         11),
    ('job_category', '27', '新闻出版和文化工作人员', 12),
    ('job_category', '29', '其他专业技术人员',     13),
    ('job_category', '30', '办事人员和有关人员',   14),
    ('job_category', '40', '商业和服务业人员',     15),
    ('job_category', '60', '生产和运输设备操作人员', 16),
    ('job_category', '80', '军人',                 17),
    ('job_category', '90', '其他人员',             18);

-- ---------------------------------------------------------------------------------------
-- 3.7 政治面貌代码 (GB/T 4762-1984)
-- Consistent in gh-id 34619006947 and 40466050327, and in the code repo that cites
-- "GB/T 4762-1984 政治面貌代码".  The 就业 data spec requires two digits ("01", not "1"):
-- http://china-audit.com/lhd_45bgp8ptka8qp201384f_1.html
-- ---------------------------------------------------------------------------------------

INSERT INTO wq.code (kind, code, name, note, sort) VALUES
    ('political_status', '01', '中共党员',     NULL, 1),
    ('political_status', '02', '中共预备党员', NULL, 2),
    ('political_status', '03', '共青团员',     NULL, 3),
    ('political_status', '04', '民革党员',     '又称: 民革会员', 4),
    ('political_status', '05', '民盟盟员',     NULL, 5),
    ('political_status', '06', '民建会员',     NULL, 6),
    ('political_status', '07', '民进会员',     NULL, 7),
    ('political_status', '08', '农工党党员',   NULL, 8),
    ('political_status', '09', '致公党党员',   NULL, 9),
    ('political_status', '10', '九三学社社员', NULL, 10),
    ('political_status', '11', '台盟盟员',     NULL, 11),
    ('political_status', '12', '无党派人士',   '又称: 无党派民主人士', 12),
    ('political_status', '13', '群众',         NULL, 13);

-- ---------------------------------------------------------------------------------------
-- 3.8 民族代码 (GB/T 3304-1991)
-- Consistent in gh-id 22351747617, 58030683051 and 8774408586, and in A-sorrow/superstar
-- vue_admin/src/utils/Dictionaries.js.  The 56 民族 plus 97 其他 and 98 外国血统中国籍人士.
-- Older lists use 46 崩龙族 (old name of 德昂族) and 36 毛难族 (noted on those rows).
-- Left out: 99 未说明民族, one source only (gh-id 58030683051), UNVERIFIED.
-- ---------------------------------------------------------------------------------------

INSERT INTO wq.code (kind, code, name, note, sort) VALUES
    ('ethnicity', '01', '汉族',       NULL, 1),
    ('ethnicity', '02', '蒙古族',     NULL, 2),
    ('ethnicity', '03', '回族',       NULL, 3),
    ('ethnicity', '04', '藏族',       NULL, 4),
    ('ethnicity', '05', '维吾尔族',   NULL, 5),
    ('ethnicity', '06', '苗族',       NULL, 6),
    ('ethnicity', '07', '彝族',       NULL, 7),
    ('ethnicity', '08', '壮族',       NULL, 8),
    ('ethnicity', '09', '布依族',     NULL, 9),
    ('ethnicity', '10', '朝鲜族',     NULL, 10),
    ('ethnicity', '11', '满族',       NULL, 11),
    ('ethnicity', '12', '侗族',       NULL, 12),
    ('ethnicity', '13', '瑶族',       NULL, 13),
    ('ethnicity', '14', '白族',       NULL, 14),
    ('ethnicity', '15', '土家族',     NULL, 15),
    ('ethnicity', '16', '哈尼族',     NULL, 16),
    ('ethnicity', '17', '哈萨克族',   NULL, 17),
    ('ethnicity', '18', '傣族',       NULL, 18),
    ('ethnicity', '19', '黎族',       NULL, 19),
    ('ethnicity', '20', '傈僳族',     NULL, 20),
    ('ethnicity', '21', '佤族',       NULL, 21),
    ('ethnicity', '22', '畲族',       NULL, 22),
    ('ethnicity', '23', '高山族',     NULL, 23),
    ('ethnicity', '24', '拉祜族',     NULL, 24),
    ('ethnicity', '25', '水族',       NULL, 25),
    ('ethnicity', '26', '东乡族',     NULL, 26),
    ('ethnicity', '27', '纳西族',     NULL, 27),
    ('ethnicity', '28', '景颇族',     NULL, 28),
    ('ethnicity', '29', '柯尔克孜族', NULL, 29),
    ('ethnicity', '30', '土族',       NULL, 30),
    ('ethnicity', '31', '达斡尔族',   NULL, 31),
    ('ethnicity', '32', '仫佬族',     NULL, 32),
    ('ethnicity', '33', '羌族',       NULL, 33),
    ('ethnicity', '34', '布朗族',     NULL, 34),
    ('ethnicity', '35', '撒拉族',     NULL, 35),
    ('ethnicity', '36', '毛南族',     '旧称: 毛难族', 36),
    ('ethnicity', '37', '仡佬族',     NULL, 37),
    ('ethnicity', '38', '锡伯族',     NULL, 38),
    ('ethnicity', '39', '阿昌族',     NULL, 39),
    ('ethnicity', '40', '普米族',     NULL, 40),
    ('ethnicity', '41', '塔吉克族',   NULL, 41),
    ('ethnicity', '42', '怒族',       NULL, 42),
    ('ethnicity', '43', '乌孜别克族', NULL, 43),
    ('ethnicity', '44', '俄罗斯族',   NULL, 44),
    ('ethnicity', '45', '鄂温克族',   NULL, 45),
    ('ethnicity', '46', '德昂族',     '旧称: 崩龙族', 46),
    ('ethnicity', '47', '保安族',     NULL, 47),
    ('ethnicity', '48', '裕固族',     NULL, 48),
    ('ethnicity', '49', '京族',       NULL, 49),
    ('ethnicity', '50', '塔塔尔族',   NULL, 50),
    ('ethnicity', '51', '独龙族',     NULL, 51),
    ('ethnicity', '52', '鄂伦春族',   NULL, 52),
    ('ethnicity', '53', '赫哲族',     NULL, 53),
    ('ethnicity', '54', '门巴族',     NULL, 54),
    ('ethnicity', '55', '珞巴族',     NULL, 55),
    ('ethnicity', '56', '基诺族',     NULL, 56),
    ('ethnicity', '97', '其他',       NULL, 97),
    ('ethnicity', '98', '外国血统中国籍人士', NULL, 98);

-- ---------------------------------------------------------------------------------------
-- 3.9 性别代码 (GB/T 2261.1-2003)
-- Sources: gh-id 6601304558, 10297014518, 58354259213; the 学位 data manual cites
-- GB/T 2261-1981《人的性别代码》 (https://wenku.minyifei.cn/archives/m9dz347o8n5zjobw65ex.html).
-- Which codes the 就业管理系统 uses for xbdm is UNVERIFIED: 1/2 is assumed; one student
-- project uses 01/02 (gh-id 33335270828).  An importer meeting "01"/"02" must normalise.
-- ---------------------------------------------------------------------------------------

INSERT INTO wq.code (kind, code, name, note, sort) VALUES
    ('sex', '0', '未知的性别',   NULL, 3),
    ('sex', '1', '男',           'GB/T 2261.1 名称: 男性', 1),
    ('sex', '2', '女',           'GB/T 2261.1 名称: 女性', 2),
    ('sex', '9', '未说明的性别', NULL, 4);

-- ---------------------------------------------------------------------------------------
-- 3.10 省级行政区 (GB/T 2260 行政区划代码, province prefix = first two of the six digits,
-- the same as the first two digits of a 身份证号; gh-id 54535410039,
-- jayknoxqu/id-number-util README.md).  name is the official full name, so that a place
-- name such as 江苏省南京市玄武区 begins with it; short_name is the research's short form.
-- Left out: the Anhui employment app's pseudo-codes 70 港澳台区, 99 海外 for 工作地点
-- (gh-id 22143622144): local.  County-level codes change yearly and are not stored here.
-- ---------------------------------------------------------------------------------------

INSERT INTO wq.code (kind, code, name, short_name, sort) VALUES
    ('province', '11', '北京市',           '北京',   1),
    ('province', '12', '天津市',           '天津',   2),
    ('province', '13', '河北省',           '河北',   3),
    ('province', '14', '山西省',           '山西',   4),
    ('province', '15', '内蒙古自治区',     '内蒙古', 5),
    ('province', '21', '辽宁省',           '辽宁',   6),
    ('province', '22', '吉林省',           '吉林',   7),
    ('province', '23', '黑龙江省',         '黑龙江', 8),
    ('province', '31', '上海市',           '上海',   9),
    ('province', '32', '江苏省',           '江苏',   10),
    ('province', '33', '浙江省',           '浙江',   11),
    ('province', '34', '安徽省',           '安徽',   12),
    ('province', '35', '福建省',           '福建',   13),
    ('province', '36', '江西省',           '江西',   14),
    ('province', '37', '山东省',           '山东',   15),
    ('province', '41', '河南省',           '河南',   16),
    ('province', '42', '湖北省',           '湖北',   17),
    ('province', '43', '湖南省',           '湖南',   18),
    ('province', '44', '广东省',           '广东',   19),
    ('province', '45', '广西壮族自治区',   '广西',   20),
    ('province', '46', '海南省',           '海南',   21),
    ('province', '50', '重庆市',           '重庆',   22),
    ('province', '51', '四川省',           '四川',   23),
    ('province', '52', '贵州省',           '贵州',   24),
    ('province', '53', '云南省',           '云南',   25),
    ('province', '54', '西藏自治区',       '西藏',   26),
    ('province', '61', '陕西省',           '陕西',   27),
    ('province', '62', '甘肃省',           '甘肃',   28),
    ('province', '63', '青海省',           '青海',   29),
    ('province', '64', '宁夏回族自治区',   '宁夏',   30),
    ('province', '65', '新疆维吾尔自治区', '新疆',   31),
    ('province', '71', '台湾省',           '台湾',   32),
    ('province', '81', '香港特别行政区',   '香港',   33),
    ('province', '82', '澳门特别行政区',   '澳门',   34);

-- ---------------------------------------------------------------------------------------
-- Row level security: public reference data, readable, never written through a policy
-- ---------------------------------------------------------------------------------------

ALTER TABLE wq.code_kind ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.code_kind FORCE ROW LEVEL SECURITY;
CREATE POLICY code_kind_read ON wq.code_kind FOR SELECT USING (true);
CREATE POLICY operator_write ON wq.code_kind FOR ALL TO wq_owner
	USING ((SELECT wq.is_operator())) WITH CHECK ((SELECT wq.is_operator()));

ALTER TABLE wq.code ENABLE ROW LEVEL SECURITY;
ALTER TABLE wq.code FORCE ROW LEVEL SECURITY;
CREATE POLICY code_read ON wq.code FOR SELECT USING (true);
CREATE POLICY operator_write ON wq.code FOR ALL TO wq_owner
	USING ((SELECT wq.is_operator())) WITH CHECK ((SELECT wq.is_operator()));

-- nothing on wq tables is granted to anyone
REVOKE ALL ON wq.code_kind, wq.code FROM PUBLIC;

-- ---------------------------------------------------------------------------------------
-- Client read access
-- ---------------------------------------------------------------------------------------

CREATE VIEW wq_api.code_kinds AS
    SELECT k.kind, k.name
    FROM wq.code_kind k;

CREATE VIEW wq_api.codes AS
    SELECT c.kind, c.code, c.name, c.short_name, c.parent, c.eligible, c.note, c.sort
    FROM wq.code c;

COMMENT ON VIEW wq_api.code_kinds IS '代码表种类 (read-only)';
COMMENT ON VIEW wq_api.codes IS '全国代码表 rows (read-only); order by kind, sort';

REVOKE ALL ON wq_api.code_kinds, wq_api.codes FROM PUBLIC;
GRANT SELECT ON wq_api.code_kinds, wq_api.codes TO wq_operator, wq_province, wq_school, wq_dept, wq_portal;

-- ---------------------------------------------------------------------------------------
-- wq.code_find(kind, value): the code for a value that is the code itself, the exact
-- name or the exact short name; NULL if unknown.  A code wins over a name, a name over
-- a short name (each unique within a kind, so the answer is deterministic).
-- ---------------------------------------------------------------------------------------

CREATE FUNCTION wq.code_find(p_kind text, p_value text) RETURNS text
    LANGUAGE sql
    STABLE
    PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT c.code
    FROM wq.code AS c
    WHERE c.kind OPERATOR(pg_catalog.=) p_kind
      AND (c.code OPERATOR(pg_catalog.=) p_value
           OR c.name OPERATOR(pg_catalog.=) p_value
           OR c.short_name OPERATOR(pg_catalog.=) p_value)
    ORDER BY (c.code OPERATOR(pg_catalog.=) p_value) DESC,
             (c.name OPERATOR(pg_catalog.=) p_value) DESC
    LIMIT 1
$$;
REVOKE ALL ON FUNCTION wq.code_find(text, text) FROM PUBLIC;

COMMENT ON FUNCTION wq.code_find(text, text) IS
    'code of kind p_kind whose code, name or short_name equals p_value; NULL if none';
