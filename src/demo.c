/*
 * demo.c: deterministic synthetic graduate rosters.
 *
 * Every row is built from its index alone.  Two sources feed it:
 *
 *  - a slot, a pseudo-random bijection of the row index onto
 *    [0, SLOTS), SLOTS = regions x 365 days x 500 sequence numbers.  The
 *    slot gives 生源所在地, the day of the year of birth and the ID number's
 *    sequence number, so the 17 leading digits of 身份证号 never repeat,
 *    whatever the random parts are.  Two more bijections (other keys) give
 *    the unique tails of 考生号 and of QQ mail addresses.
 *  - a splitmix64 stream seeded from (seed, index) for everything else.
 *
 * The bijection is a four-round Feistel network on 24 bits, cycle-walked
 * down to [0, SLOTS).
 */
#include "demo.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

#define STR2(x) #x
#define STR(x) STR2(x)

/* ---------------------------------------------------------------------------
 * Tables
 * ------------------------------------------------------------------------- */

/* A piece of a name and its romanisation (for the e-mail address). */
struct demo_part {
	const char *s;
	const char *latin;
};

struct demo_surname {
	const char *s;
	const char *latin;
	unsigned weight;  /* about per ten thousand people */
};

/* Surnames by frequency (roughly the 2020 census), then compound ones. */
static const struct demo_surname surnames[] = {
	{ "王", "wang", 710 }, { "李", "li", 700 }, { "张", "zhang", 660 },
	{ "刘", "liu", 540 }, { "陈", "chen", 450 }, { "杨", "yang", 310 },
	{ "黄", "huang", 220 }, { "赵", "zhao", 200 }, { "吴", "wu", 190 },
	{ "周", "zhou", 180 }, { "徐", "xu", 150 }, { "孙", "sun", 140 },
	{ "马", "ma", 130 }, { "朱", "zhu", 120 }, { "胡", "hu", 120 },
	{ "郭", "guo", 110 }, { "何", "he", 110 }, { "林", "lin", 100 },
	{ "高", "gao", 100 }, { "罗", "luo", 90 }, { "郑", "zheng", 80 },
	{ "梁", "liang", 80 }, { "谢", "xie", 70 }, { "宋", "song", 60 },
	{ "唐", "tang", 60 }, { "许", "xu", 60 }, { "韩", "han", 60 },
	{ "邓", "deng", 50 }, { "冯", "feng", 50 }, { "曹", "cao", 50 },
	{ "彭", "peng", 50 }, { "曾", "zeng", 50 }, { "肖", "xiao", 50 },
	{ "田", "tian", 40 }, { "董", "dong", 40 }, { "潘", "pan", 40 },
	{ "袁", "yuan", 40 }, { "蔡", "cai", 40 }, { "蒋", "jiang", 40 },
	{ "余", "yu", 40 }, { "于", "yu", 40 }, { "杜", "du", 40 },
	{ "叶", "ye", 40 }, { "程", "cheng", 30 }, { "魏", "wei", 30 },
	{ "苏", "su", 30 }, { "吕", "lv", 30 }, { "丁", "ding", 30 },
	{ "任", "ren", 30 }, { "卢", "lu", 30 }, { "姚", "yao", 30 },
	{ "沈", "shen", 30 }, { "钟", "zhong", 30 }, { "姜", "jiang", 30 },
	{ "崔", "cui", 30 }, { "谭", "tan", 30 }, { "陆", "lu", 30 },
	{ "范", "fan", 20 }, { "汪", "wang", 20 }, { "廖", "liao", 20 },
	{ "石", "shi", 20 }, { "金", "jin", 20 }, { "韦", "wei", 20 },
	{ "贾", "jia", 20 }, { "夏", "xia", 20 }, { "付", "fu", 20 },
	{ "方", "fang", 20 }, { "邹", "zou", 20 }, { "熊", "xiong", 20 },
	{ "白", "bai", 20 }, { "孟", "meng", 20 }, { "秦", "qin", 20 },
	{ "邱", "qiu", 20 }, { "侯", "hou", 20 }, { "江", "jiang", 20 },
	{ "尹", "yin", 20 }, { "薛", "xue", 20 }, { "闫", "yan", 20 },
	{ "段", "duan", 20 }, { "雷", "lei", 20 }, { "龙", "long", 10 },
	{ "黎", "li", 10 }, { "史", "shi", 10 }, { "陶", "tao", 10 },
	{ "贺", "he", 10 }, { "毛", "mao", 10 }, { "郝", "hao", 10 },
	{ "顾", "gu", 10 }, { "龚", "gong", 10 }, { "邵", "shao", 10 },
	{ "万", "wan", 10 }, { "覃", "qin", 10 }, { "武", "wu", 10 },
	{ "钱", "qian", 10 }, { "戴", "dai", 10 }, { "严", "yan", 10 },
	{ "莫", "mo", 10 }, { "孔", "kong", 10 }, { "向", "xiang", 10 },
	{ "常", "chang", 10 }, { "汤", "tang", 10 }, { "康", "kang", 10 },
	{ "易", "yi", 10 }, { "乔", "qiao", 10 }, { "赖", "lai", 10 },
	{ "文", "wen", 10 },
	{ "欧阳", "ouyang", 4 }, { "司马", "sima", 2 }, { "上官", "shangguan", 2 },
	{ "诸葛", "zhuge", 1 }, { "司徒", "situ", 2 }, { "皇甫", "huangfu", 1 },
	{ "慕容", "murong", 1 }, { "东方", "dongfang", 1 }, { "令狐", "linghu", 1 },
};

static const struct demo_part given_male[] = {
	{ "伟", "wei" }, { "强", "qiang" }, { "磊", "lei" }, { "军", "jun" },
	{ "勇", "yong" }, { "杰", "jie" }, { "涛", "tao" }, { "明", "ming" },
	{ "超", "chao" }, { "刚", "gang" }, { "辉", "hui" }, { "鹏", "peng" },
	{ "斌", "bin" }, { "宇", "yu" }, { "浩", "hao" }, { "凯", "kai" },
	{ "健", "jian" }, { "俊", "jun" }, { "帆", "fan" }, { "帅", "shuai" },
	{ "旭", "xu" }, { "阳", "yang" }, { "轩", "xuan" }, { "泽", "ze" },
	{ "博", "bo" }, { "远", "yuan" }, { "东", "dong" }, { "海", "hai" },
	{ "波", "bo" }, { "建", "jian" }, { "国", "guo" }, { "志", "zhi" },
	{ "成", "cheng" }, { "峰", "feng" }, { "龙", "long" }, { "毅", "yi" },
	{ "鑫", "xin" }, { "睿", "rui" }, { "航", "hang" }, { "天", "tian" },
	{ "翔", "xiang" }, { "亮", "liang" }, { "坤", "kun" }, { "豪", "hao" },
	{ "铭", "ming" }, { "皓", "hao" }, { "哲", "zhe" }, { "骏", "jun" },
	{ "彦", "yan" }, { "锦", "jin" }, { "钊", "zhao" }, { "昊", "hao" },
};

static const struct demo_part given_female[] = {
	{ "芳", "fang" }, { "娜", "na" }, { "秀", "xiu" }, { "英", "ying" },
	{ "敏", "min" }, { "静", "jing" }, { "丽", "li" }, { "艳", "yan" },
	{ "娟", "juan" }, { "霞", "xia" }, { "燕", "yan" }, { "玲", "ling" },
	{ "婷", "ting" }, { "雪", "xue" }, { "琳", "lin" }, { "欣", "xin" },
	{ "怡", "yi" }, { "涵", "han" }, { "琪", "qi" }, { "梦", "meng" },
	{ "瑶", "yao" }, { "雨", "yu" }, { "萱", "xuan" }, { "颖", "ying" },
	{ "倩", "qian" }, { "蕾", "lei" }, { "洁", "jie" }, { "晶", "jing" },
	{ "慧", "hui" }, { "璐", "lu" }, { "薇", "wei" }, { "悦", "yue" },
	{ "诗", "shi" }, { "语", "yu" }, { "桐", "tong" }, { "妍", "yan" },
	{ "彤", "tong" }, { "菲", "fei" }, { "莹", "ying" }, { "蓉", "rong" },
	{ "丹", "dan" }, { "月", "yue" }, { "露", "lu" }, { "雯", "wen" },
	{ "馨", "xin" }, { "婧", "jing" }, { "佳", "jia" }, { "萌", "meng" },
};

static const struct demo_part given_neutral[] = {
	{ "文", "wen" }, { "晨", "chen" }, { "子", "zi" }, { "嘉", "jia" },
	{ "晓", "xiao" }, { "一", "yi" }, { "思", "si" }, { "宁", "ning" },
	{ "安", "an" }, { "乐", "le" }, { "清", "qing" }, { "华", "hua" },
	{ "新", "xin" }, { "春", "chun" }, { "云", "yun" }, { "平", "ping" },
	{ "林", "lin" }, { "然", "ran" }, { "雅", "ya" }, { "可", "ke" },
};

/* Uncommon characters; the first three lie outside the BMP (4 bytes in UTF-8). */
static const struct demo_part given_rare[] = {
	{ "\xF0\xA0\xAE\xB7", "ji" },   /* U+20BB7 𠮷 */
	{ "\xF0\xAB\x96\xAF", "fu" },   /* U+2B5AF 𫖯 */
	{ "\xF0\xAC\xA3\x99", "xu" },   /* U+2C8D9 𬣙 */
	{ "䶮", "yan" }, { "堃", "kun" }, { "昇", "sheng" }, { "赟", "yun" },
	{ "龑", "yan" }, { "喆", "zhe" }, { "淼", "miao" }, { "珺", "jun" },
	{ "玥", "yue" }, { "翀", "chong" }, { "垚", "yao" }, { "燚", "yi" },
	{ "犇", "ben" }, { "甯", "ning" },
};

/* A minority naming tradition: own name, then (after "·") father's name or a second name. */
struct demo_people {
	const char *ethnicity;  /* code */
	const struct demo_part *male, *female;
	size_t nmale, nfemale;
	bool father;            /* second part is the father's (male) name */
	unsigned w_xinjiang;    /* share among students from Xinjiang */
	unsigned w_elsewhere;   /* share among those from other places outside Tibet */
};

static const struct demo_part uyghur_m[] = {
	{ "阿卜杜拉", "abdulla" }, { "买买提", "mamat" }, { "艾力", "ali" },
	{ "吐尔逊", "tursun" }, { "艾尔肯", "erkin" }, { "阿不都热合曼", "abdurahman" },
	{ "伊力哈木", "ilham" }, { "亚森", "yasin" }, { "艾合买提", "ahmat" },
	{ "热合曼", "rahman" }, { "玉素甫", "yusup" }, { "阿迪力", "adil" },
	{ "麦麦提敏", "memetmin" }, { "努尔买买提", "nurmamat" },
};
static const struct demo_part uyghur_f[] = {
	{ "古丽娜尔", "gulnar" }, { "阿依古丽", "aygul" }, { "帕提古丽", "patigul" },
	{ "迪丽努尔", "dilnur" }, { "热依拉", "reyila" }, { "米娜瓦尔", "minawar" },
	{ "祖丽菲亚", "zulfiya" }, { "阿依努尔", "aynur" }, { "努尔古丽", "nurgul" },
	{ "再努尔", "zaynur" },
};
static const struct demo_part kazakh_m[] = {
	{ "叶尔兰", "erlan" }, { "努尔兰", "nurlan" }, { "叶尔江", "erjan" },
	{ "哈力木", "halim" }, { "别克", "bek" }, { "阿斯哈尔", "askhar" },
	{ "达吾列提", "dawlet" }, { "木拉提", "murat" }, { "加纳提", "zhanat" },
};
static const struct demo_part kazakh_f[] = {
	{ "阿依达娜", "aidana" }, { "古丽米拉", "gulmira" }, { "加娜尔", "zhanar" },
	{ "阿依扎达", "aizada" }, { "玛依拉", "mayila" }, { "沙吾列", "saule" },
};
static const struct demo_part tibetan_m[] = {
	{ "扎西", "tashi" }, { "多吉", "dorje" }, { "平措", "phuntsok" },
	{ "旦增", "tenzin" }, { "尼玛", "nyima" }, { "洛桑", "lobsang" },
	{ "格桑", "kelsang" }, { "次仁", "tsering" }, { "顿珠", "dondrub" },
	{ "罗布", "norbu" }, { "普布", "phurbu" }, { "土登", "thubten" },
};
static const struct demo_part tibetan_f[] = {
	{ "卓玛", "drolma" }, { "央金", "yangchen" }, { "拉姆", "lhamo" },
	{ "德吉", "dekyi" }, { "白玛", "pema" }, { "曲珍", "chodron" },
	{ "次仁", "tsering" }, { "央宗", "yangdzom" }, { "措姆", "tsomo" },
};
static const struct demo_part kyrgyz_m[] = {
	{ "阿依别克", "aybek" }, { "努尔别克", "nurbek" }, { "吐尔洪", "turghun" },
	{ "阿斯卡尔", "askar" },
};
static const struct demo_part kyrgyz_f[] = {
	{ "阿依加马丽", "ayjamal" }, { "古丽巴哈尔", "gulbahar" }, { "阿依谢", "ayshe" },
};
static const struct demo_part tajik_m[] = {
	{ "阿力甫", "alip" }, { "热依木", "rahim" }, { "库尔班", "kurban" },
};
static const struct demo_part tajik_f[] = {
	{ "阿米娜", "amina" }, { "古丽斯坦", "gulistan" }, { "扎依然", "zayran" },
};

#define PEOPLE(eth, m, f, father, wx, we) \
	{ eth, m, f, ARRAY_SIZE(m), ARRAY_SIZE(f), father, wx, we }
enum { P_UYGHUR, P_KAZAKH, P_TIBETAN, P_KYRGYZ, P_TAJIK };
static const struct demo_people peoples[] = {
	[P_UYGHUR]  = PEOPLE("05", uyghur_m, uyghur_f, true, 65, 50),
	[P_KAZAKH]  = PEOPLE("17", kazakh_m, kazakh_f, true, 25, 15),
	[P_TIBETAN] = PEOPLE("04", tibetan_m, tibetan_f, false, 0, 30),
	[P_KYRGYZ]  = PEOPLE("29", kyrgyz_m, kyrgyz_f, true, 6, 3),
	[P_TAJIK]   = PEOPLE("41", tajik_m, tajik_f, true, 4, 2),
};

/* Mongolian names, written without a surname (民族 02). */
static const struct demo_part mongol_m[] = {
	{ "巴特尔", "bater" }, { "额尔敦", "erdun" }, { "朝鲁", "chaolu" },
	{ "阿拉坦", "alatan" }, { "哈斯", "hasi" }, { "那仁", "naren" },
	{ "巴雅尔", "bayar" }, { "毕力格", "bilige" },
};
static const struct demo_part mongol_f[] = {
	{ "其其格", "qiqige" }, { "乌兰", "wulan" }, { "斯琴", "siqin" },
	{ "苏日娜", "surina" }, { "乌日娜", "urina" }, { "图雅", "tuya" },
	{ "萨仁", "saren" }, { "高娃", "gaowa" },
};

/* Where a region's students come from, for the name and 民族 mix. */
enum demo_area { A_OTHER, A_XINJIANG, A_TIBET, A_QINGHAI, A_NEIMENG, A_GUANGXI };

struct demo_region {
	const char *code;  /* GB/T 2260 county-level code */
	const char *name;
	enum demo_area area;
};

static const struct demo_region regions[] = {
	{ "110101", "北京市东城区", A_OTHER },
	{ "110102", "北京市西城区", A_OTHER },
	{ "110105", "北京市朝阳区", A_OTHER },
	{ "110108", "北京市海淀区", A_OTHER },
	{ "120101", "天津市和平区", A_OTHER },
	{ "120104", "天津市南开区", A_OTHER },
	{ "130102", "河北省石家庄市长安区", A_OTHER },
	{ "130104", "河北省石家庄市桥西区", A_OTHER },
	{ "131002", "河北省廊坊市安次区", A_OTHER },
	{ "140105", "山西省太原市小店区", A_OTHER },
	{ "140106", "山西省太原市迎泽区", A_OTHER },
	{ "150102", "内蒙古自治区呼和浩特市新城区", A_NEIMENG },
	{ "150203", "内蒙古自治区包头市昆都仑区", A_NEIMENG },
	{ "210102", "辽宁省沈阳市和平区", A_OTHER },
	{ "210202", "辽宁省大连市中山区", A_OTHER },
	{ "220102", "吉林省长春市南关区", A_OTHER },
	{ "220202", "吉林省吉林市昌邑区", A_OTHER },
	{ "230102", "黑龙江省哈尔滨市道里区", A_OTHER },
	{ "230103", "黑龙江省哈尔滨市南岗区", A_OTHER },
	{ "310101", "上海市黄浦区", A_OTHER },
	{ "310104", "上海市徐汇区", A_OTHER },
	{ "310115", "上海市浦东新区", A_OTHER },
	{ "320102", "江苏省南京市玄武区", A_OTHER },
	{ "320211", "江苏省无锡市滨湖区", A_OTHER },
	{ "320506", "江苏省苏州市吴中区", A_OTHER },
	{ "320583", "江苏省苏州市昆山市", A_OTHER },
	{ "321002", "江苏省扬州市广陵区", A_OTHER },
	{ "330106", "浙江省杭州市西湖区", A_OTHER },
	{ "330203", "浙江省宁波市海曙区", A_OTHER },
	{ "330302", "浙江省温州市鹿城区", A_OTHER },
	{ "330782", "浙江省金华市义乌市", A_OTHER },
	{ "340103", "安徽省合肥市庐阳区", A_OTHER },
	{ "340104", "安徽省合肥市蜀山区", A_OTHER },
	{ "350102", "福建省福州市鼓楼区", A_OTHER },
	{ "350203", "福建省厦门市思明区", A_OTHER },
	{ "360102", "江西省南昌市东湖区", A_OTHER },
	{ "360403", "江西省九江市浔阳区", A_OTHER },
	{ "370102", "山东省济南市历下区", A_OTHER },
	{ "370202", "山东省青岛市市南区", A_OTHER },
	{ "370683", "山东省烟台市莱州市", A_OTHER },
	{ "410105", "河南省郑州市金水区", A_OTHER },
	{ "410302", "河南省洛阳市老城区", A_OTHER },
	{ "411302", "河南省南阳市宛城区", A_OTHER },
	{ "420106", "湖北省武汉市武昌区", A_OTHER },
	{ "420111", "湖北省武汉市洪山区", A_OTHER },
	{ "420502", "湖北省宜昌市西陵区", A_OTHER },
	{ "430104", "湖南省长沙市岳麓区", A_OTHER },
	{ "430304", "湖南省湘潭市岳塘区", A_OTHER },
	{ "440106", "广东省广州市天河区", A_OTHER },
	{ "440305", "广东省深圳市南山区", A_OTHER },
	{ "440604", "广东省佛山市禅城区", A_OTHER },
	{ "441302", "广东省惠州市惠城区", A_OTHER },
	{ "450103", "广西壮族自治区南宁市青秀区", A_GUANGXI },
	{ "450304", "广西壮族自治区桂林市象山区", A_GUANGXI },
	{ "460106", "海南省海口市龙华区", A_OTHER },
	{ "500103", "重庆市渝中区", A_OTHER },
	{ "500106", "重庆市沙坪坝区", A_OTHER },
	{ "510104", "四川省成都市锦江区", A_OTHER },
	{ "510107", "四川省成都市武侯区", A_OTHER },
	{ "511302", "四川省南充市顺庆区", A_OTHER },
	{ "520102", "贵州省贵阳市南明区", A_OTHER },
	{ "520302", "贵州省遵义市红花岗区", A_OTHER },
	{ "530102", "云南省昆明市五华区", A_OTHER },
	{ "532901", "云南省大理白族自治州大理市", A_OTHER },
	{ "540102", "西藏自治区拉萨市城关区", A_TIBET },
	{ "540202", "西藏自治区日喀则市桑珠孜区", A_TIBET },
	{ "610102", "陕西省西安市新城区", A_OTHER },
	{ "610113", "陕西省西安市雁塔区", A_OTHER },
	{ "620102", "甘肃省兰州市城关区", A_OTHER },
	{ "620105", "甘肃省兰州市安宁区", A_OTHER },
	{ "630102", "青海省西宁市城东区", A_QINGHAI },
	{ "640104", "宁夏回族自治区银川市兴庆区", A_OTHER },
	{ "650102", "新疆维吾尔自治区乌鲁木齐市天山区", A_XINJIANG },
	{ "653101", "新疆维吾尔自治区喀什地区喀什市", A_XINJIANG },
	{ "654002", "新疆维吾尔自治区伊犁哈萨克自治州伊宁市", A_XINJIANG },
};

struct demo_dept {
	const char *name;
	unsigned weight;
	const char *majors[4];  /* 2 to 4; unused ones NULL */
};

static const struct demo_dept depts[] = {
	{ "计算机学院", 14, { "计算机科学与技术", "软件工程", "人工智能",
		"计算机科学与技术（图灵班,拔尖计划）" } },
	{ "信息与电子工程学院", 9, { "电子信息工程", "通信工程", "微电子科学与工程", NULL } },
	{ "化学与分子工程学院", 6, { "化学", "应用化学", "化学生物学", NULL } },
	{ "外国语学院", 7, { "英语", "日语", "法语", "俄语" } },
	{ "经济学院", 9, { "经济学", "金融学", "国际经济与贸易", "财政学" } },
	{ "光华管理学院", 7, { "工商管理", "会计学", "市场营销", NULL } },
	{ "法学院", 6, { "法学", "知识产权", NULL, NULL } },
	{ "数学科学学院", 6, { "数学与应用数学", "信息与计算科学", "统计学",
		"数学与应用数学（\"强基计划\"）" } },
	{ "物理学院", 5, { "物理学", "应用物理学", "天文学", NULL } },
	{ "生命科学学院", 5, { "生物科学", "生物技术", "生态学", NULL } },
	{ "新闻与传播学院", 4, { "新闻学", "广告学", "传播学", "网络与新媒体" } },
	{ "医学部", 10, { "临床医学", "基础医学", "药学", "护理学" } },
	{ "建筑学院", 4, { "建筑学", "城乡规划", "风景园林", NULL } },
	{ "历史学系", 3, { "历史学", "世界史", "考古学", NULL } },
	{ "环境科学与工程学院", 3, { "环境科学", "环境工程", NULL, NULL } },
	{ "马克思主义学院", 2, { "思想政治教育", "马克思主义理论", NULL, NULL } },
};

/* Which political-status mix a level gets. */
enum demo_stage { S_COLLEGE, S_MASTER, S_DOCTOR };

struct demo_level {
	const char *code;
	unsigned weight;     /* per ten thousand */
	const char *years;   /* 学制 */
	int age_min, age_max;  /* age in DEMO_GRAD_YEAR: born DEMO_GRAD_YEAR - age */
	enum demo_stage stage;
};

/* Every code of the 学历层次 table. */
static const struct demo_level levels[] = {
	{ "01",  700, "4", 27, 31, S_DOCTOR },   /* 博士生毕业 */
	{ "03",   60, "4", 27, 31, S_DOCTOR },   /* 博士生结业 */
	{ "11", 2500, "3", 24, 26, S_MASTER },   /* 硕士生毕业 */
	{ "13",  100, "3", 24, 26, S_MASTER },   /* 硕士生结业 */
	{ "19",   50, "3", 24, 26, S_MASTER },   /* 硕士生肄业 */
	{ "21",   60, "2", 25, 28, S_MASTER },   /* 硕班毕业 */
	{ "25",  100, "2", 23, 25, S_COLLEGE },  /* 二学位毕业 */
	{ "26",   50, "2", 23, 25, S_COLLEGE },  /* 二学位结业 */
	{ "31", 5300, "4", 21, 23, S_COLLEGE },  /* 本科生毕业 */
	{ "33",  120, "4", 21, 23, S_COLLEGE },  /* 本科生结业 */
	{ "39",   60, "4", 21, 23, S_COLLEGE },  /* 本科生肄业 */
	{ "41",  600, "3", 20, 22, S_COLLEGE },  /* 专科生毕业 */
	{ "43",   60, "3", 20, 22, S_COLLEGE },  /* 专科生结业 */
	{ "49",   40, "3", 20, 22, S_COLLEGE },  /* 专科生肄业 */
	{ "61",  200, "3", 20, 22, S_COLLEGE },  /* 高职 */
};

struct demo_code {
	const char *code;
	unsigned weight;
};

/* 政治面貌: 01 中共党员, 02 预备党员, 03 共青团员, 04..12 民主党派/无党派, 13 群众. */
static const struct demo_code political[][13] = {
	[S_COLLEGE] = {
		{ "03", 720 }, { "01", 60 }, { "02", 50 }, { "13", 160 }, { "04", 1 },
		{ "05", 1 }, { "06", 1 }, { "07", 1 }, { "08", 1 }, { "09", 1 },
		{ "10", 1 }, { "11", 1 }, { "12", 2 },
	},
	[S_MASTER] = {
		{ "03", 480 }, { "01", 300 }, { "02", 60 }, { "13", 140 }, { "04", 2 },
		{ "05", 3 }, { "06", 2 }, { "07", 2 }, { "08", 2 }, { "09", 2 },
		{ "10", 3 }, { "11", 1 }, { "12", 3 },
	},
	[S_DOCTOR] = {
		{ "03", 250 }, { "01", 520 }, { "02", 30 }, { "13", 170 }, { "04", 3 },
		{ "05", 5 }, { "06", 3 }, { "07", 3 }, { "08", 3 }, { "09", 3 },
		{ "10", 5 }, { "11", 1 }, { "12", 4 },
	},
};

/* 培养方式 (在职 only for postgraduates). */
static const struct demo_code training[][7] = {
	[S_COLLEGE] = {
		{ "1", 900 }, { "21", 20 }, { "22", 30 }, { "3", 0 },
		{ "41", 10 }, { "42", 20 }, { "5", 20 },
	},
	[S_MASTER] = {
		{ "1", 840 }, { "21", 20 }, { "22", 30 }, { "3", 40 },
		{ "41", 10 }, { "42", 20 }, { "5", 40 },
	},
	[S_DOCTOR] = {
		{ "1", 860 }, { "21", 20 }, { "22", 30 }, { "3", 40 },
		{ "41", 10 }, { "42", 20 }, { "5", 20 },
	},
};

/* 民族 of a Han-style name (minorities that mostly use Han names). */
static const struct demo_code han_style_ethnicity[] = {
	{ "01", 9300 }, { "08", 130 }, { "03", 100 }, { "11", 80 }, { "06", 60 },
	{ "15", 60 }, { "07", 40 }, { "02", 40 }, { "10", 30 }, { "12", 20 },
	{ "13", 20 }, { "14", 20 }, { "09", 20 }, { "22", 10 }, { "19", 10 },
	{ "16", 10 }, { "27", 5 }, { "18", 5 }, { "33", 5 }, { "38", 5 },
	{ "31", 5 }, { "26", 5 }, { "30", 5 }, { "37", 5 }, { "32", 5 },
};

static const char *const mobile_prefixes[] = {
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"150", "151", "152", "153", "155", "156", "157", "158", "159",
	"180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
	"191", "193", "195", "196", "197", "198", "199",
};

static const unsigned char month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

/* ---------------------------------------------------------------------------
 * Randomness
 * ------------------------------------------------------------------------- */

#define SEQS 500u  /* ID sequence numbers per sex: 000..999, parity = sex */
#define DAYS 365u
#define SLOTS ((uint32_t)ARRAY_SIZE(regions) * DAYS * SEQS)

_Static_assert(ARRAY_SIZE(regions) * DAYS * SEQS <= (1u << 24), "slots must fit in 24 bits");
_Static_assert(ARRAY_SIZE(regions) * DAYS * SEQS >= DEMO_ROWS_MAX, "DEMO_ROWS_MAX too big");
_Static_assert(ARRAY_SIZE(depts) >= 12, "at least 12 departments");

static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

struct rng {
	uint64_t s;
};

static uint64_t
rng_next(struct rng *r)
{
	r->s += 0x9E3779B97F4A7C15u;
	return mix64(r->s);
}

/* Uniform in [0, n), n > 0 (multiply-shift; the bias is below 2^-32 * n). */
static unsigned
rng_below(struct rng *r, unsigned n)
{
	return (unsigned)(((rng_next(r) >> 32) * n) >> 32);
}

/* True with probability per_mille / 1000. */
static bool
rng_chance(struct rng *r, unsigned per_mille)
{
	return rng_below(r, 1000) < per_mille;
}

/*
 * Index of an entry of a table of n entries, stride bytes apart, picked with
 * the unsigned weight found off bytes into each entry.
 */
static size_t
pick_weighted(struct rng *r, const void *table, size_t n, size_t stride, size_t off)
{
	const char *base = table;
	unsigned total = 0, x, w;
	size_t k;

	for (k = 0; k < n; k++) {
		memcpy(&w, base + k * stride + off, sizeof(w));
		total += w;
	}
	x = rng_below(r, total);
	for (k = 0; k + 1 < n; k++) {
		memcpy(&w, base + k * stride + off, sizeof(w));
		if (x < w)
			return k;
		x -= w;
	}
	return n - 1;
}

/* An entry of table (an array of n struct type with an unsigned weight) by weight. */
#define PICK(r, type, table, n) \
	pick_weighted((r), (table), (n), sizeof(type), offsetof(type, weight))

static size_t
pick_code(struct rng *r, const struct demo_code *t, size_t n)
{
	return PICK(r, struct demo_code, t, n);
}

static const struct demo_part *
pick_part(struct rng *r, const struct demo_part *t, size_t n)
{
	return &t[rng_below(r, (unsigned)n)];
}

/* One round-keyed 24-bit Feistel permutation. */
static uint32_t
feistel24(uint32_t x, uint64_t key)
{
	uint32_t l = x >> 12, rr = x & 0xFFFu;
	unsigned round;

	for (round = 0; round < 4; round++) {
		uint32_t t = l ^ (uint32_t)(mix64(key + ((uint64_t)round << 32) + rr) & 0xFFFu);
		l = rr;
		rr = t;
	}
	return (l << 12) | rr;
}

/* A bijection of [0, SLOTS) onto itself (cycle walking keeps it inside). */
static uint32_t
slot_of(uint32_t u, uint64_t key)
{
	do
		u = feistel24(u, key);
	while (u >= SLOTS);
	return u;
}

/* ---------------------------------------------------------------------------
 * Building a row
 * ------------------------------------------------------------------------- */

/* Appends to a fixed buffer; never overruns it (a value that does not fit is cut). */
struct put {
	char *p, *end;  /* end leaves room for the final NUL */
};

static void
put_mem(struct put *o, const char *s, size_t n)
{
	if (n > (size_t)(o->end - o->p))
		n = (size_t)(o->end - o->p);
	memcpy(o->p, s, n);
	o->p += n;
}

static void
put_str(struct put *o, const char *s)
{
	put_mem(o, s, strlen(s));
}

/* v in decimal, zero-padded to at least width digits. */
static void
put_uint(struct put *o, unsigned long long v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width && n < (int)sizeof(tmp))
		tmp[sizeof(tmp) - 1 - n++] = '0';
	put_mem(o, tmp + sizeof(tmp) - n, (size_t)n);
}

/* Starts a value: returns where it begins. */
static const char *
put_begin(struct put *o)
{
	return o->p;
}

/* Ends a value with NUL (the buffer always keeps room for one). */
static void
put_end(struct put *o)
{
	*o->p++ = '\0';
	if (o->p > o->end)
		o->p = o->end;
}

/* Writes the name and its romanisation; returns the 民族 code. */
static const char *
make_name(struct rng *r, const struct demo_region *reg, bool male, struct put *o,
	char *latin, size_t latin_size)
{
	unsigned dot_pm, mongol_pm;
	const char *eth;

	latin[0] = '\0';
	switch (reg->area) {
	case A_XINJIANG: dot_pm = 250; mongol_pm = 0; break;
	case A_TIBET: dot_pm = 350; mongol_pm = 0; break;
	case A_QINGHAI: dot_pm = 100; mongol_pm = 0; break;
	case A_NEIMENG: dot_pm = 0; mongol_pm = 80; break;
	default: dot_pm = 8; mongol_pm = 2; break;
	}

	if (rng_chance(r, dot_pm)) {
		const struct demo_people *pp;
		const struct demo_part *a, *b;

		if (reg->area == A_TIBET || reg->area == A_QINGHAI)
			pp = &peoples[P_TIBETAN];
		else if (reg->area == A_XINJIANG)
			pp = &peoples[pick_weighted(r, peoples, ARRAY_SIZE(peoples),
				sizeof(peoples[0]), offsetof(struct demo_people, w_xinjiang))];
		else
			pp = &peoples[pick_weighted(r, peoples, ARRAY_SIZE(peoples),
				sizeof(peoples[0]), offsetof(struct demo_people, w_elsewhere))];
		a = male ? pick_part(r, pp->male, pp->nmale) : pick_part(r, pp->female, pp->nfemale);
		do {  /* 扎西·扎西 is not a name; every list has two parts or more */
			if (pp->father || male)
				b = pick_part(r, pp->male, pp->nmale);
			else
				b = pick_part(r, pp->female, pp->nfemale);
		} while (strcmp(a->s, b->s) == 0);
		put_str(o, a->s);
		put_str(o, "\xC2\xB7");  /* U+00B7 MIDDLE DOT */
		put_str(o, b->s);
		snprintf(latin, latin_size, "%s.%s", a->latin, b->latin);
		return pp->ethnicity;
	}

	if (rng_chance(r, mongol_pm)) {
		const struct demo_part *a = male ? pick_part(r, mongol_m, ARRAY_SIZE(mongol_m))
			: pick_part(r, mongol_f, ARRAY_SIZE(mongol_f));
		put_str(o, a->s);
		snprintf(latin, latin_size, "%s", a->latin);
		return "02";
	}

	/* a Han-style name */
	{
		const struct demo_surname *sn =
			&surnames[PICK(r, struct demo_surname, surnames, ARRAY_SIZE(surnames))];
		const struct demo_part *g[2];
		size_t ng = rng_chance(r, 200) ? 1 : 2, k;
		size_t len;

		for (k = 0; k < ng; k++) {
			if (rng_below(r, 10) < 3)
				g[k] = pick_part(r, given_neutral, ARRAY_SIZE(given_neutral));
			else if (male)
				g[k] = pick_part(r, given_male, ARRAY_SIZE(given_male));
			else
				g[k] = pick_part(r, given_female, ARRAY_SIZE(given_female));
		}
		if (rng_chance(r, 20))
			g[rng_below(r, (unsigned)ng)] = pick_part(r, given_rare, ARRAY_SIZE(given_rare));
		put_str(o, sn->s);
		snprintf(latin, latin_size, "%s", sn->latin);
		for (k = 0; k < ng; k++) {
			put_str(o, g[k]->s);
			len = strlen(latin);
			snprintf(latin + len, latin_size - len, "%s", g[k]->latin);
		}
	}

	switch (reg->area) {
	case A_XINJIANG: eth = rng_chance(r, 100) ? "03" : NULL; break;
	case A_NEIMENG: eth = rng_chance(r, 150) ? "02" : NULL; break;
	case A_GUANGXI: eth = rng_chance(r, 300) ? "08" : NULL; break;
	default: eth = NULL; break;
	}
	if (!eth)
		eth = han_style_ethnicity[pick_code(r, han_style_ethnicity,
			ARRAY_SIZE(han_style_ethnicity))].code;
	return eth;
}

/*
 * demo_roster_row: the slot gives 生源所在地, the day of birth and the ID
 * sequence; the random stream gives the rest, drawn in a fixed order.
 */
void
demo_roster_row(const struct demo_school *school, unsigned seed, int i,
	struct demo_row *row)
{
	uint64_t key = mix64(((uint64_t)seed << 1) ^ 0x5DEECE66Du);
	uint32_t u = (uint32_t)i % SLOTS;
	uint32_t slot = slot_of(u, key);
	uint32_t exam_slot = slot_of(u, key ^ 0xE7A3u);  /* two more bijections, so that */
	uint32_t qq_slot = slot_of(u, key ^ 0x99u);       /* 考生号 and QQ look unrelated */
	uint32_t seq = slot % SEQS;
	uint32_t day = slot / SEQS % DAYS;
	const struct demo_region *reg = &regions[slot / SEQS / DAYS];
	struct rng r = { mix64(key ^ ((uint64_t)(uint32_t)i * 0xD1B54A32D192ED03u)) };
	struct put o = { row->buf, row->buf + sizeof(row->buf) - 1 };
	const struct demo_level *lv;
	const struct demo_dept *dept;
	char latin[96], ymd[9];
	unsigned month, mday, year, entry_year, nmajors, x;
	bool male;
	char *p;

	memset(row->v, 0, sizeof(row->v));

	/* level, sex, birth date */
	lv = &levels[PICK(&r, struct demo_level, levels, ARRAY_SIZE(levels))];
	male = rng_below(&r, 2) == 0;
	year = DEMO_GRAD_YEAR - (unsigned)lv->age_min
		- rng_below(&r, (unsigned)(lv->age_max - lv->age_min + 1));
	for (month = 0, mday = day; mday >= month_days[month]; month++)
		mday -= month_days[month];
	month++;
	mday++;
	entry_year = DEMO_GRAD_YEAR - (unsigned)(lv->years[0] - '0');

	/* 姓名, 民族 */
	row->v[RF_NAME] = put_begin(&o);
	row->v[RF_ETHNICITY] = make_name(&r, reg, male, &o, latin, sizeof(latin));
	put_end(&o);
	row->v[RF_SEX] = male ? "男" : "女";

	/* 出生日期 */
	p = (char *)put_begin(&o);
	row->v[RF_BIRTH_DATE] = p;
	put_uint(&o, year, 4);
	put_str(&o, "-");
	put_uint(&o, month, 2);
	put_str(&o, "-");
	put_uint(&o, mday, 2);
	put_end(&o);
	memcpy(ymd, p, 4);
	memcpy(ymd + 4, p + 5, 2);
	memcpy(ymd + 6, p + 8, 2);
	ymd[8] = '\0';

	/* 身份证号: address, birth date, sequence (parity = sex), check character */
	p = (char *)put_begin(&o);
	row->v[RF_ID_NUMBER] = p;
	put_str(&o, reg->code);
	put_str(&o, ymd);
	put_uint(&o, seq * 2 + (male ? 1 : 0), 3);
	*o.p = '\0';
	{
		char c = check_id_number_char(p);
		put_mem(&o, &c, 1);
	}
	put_end(&o);

	/* 考生号: entry year, the origin's city, the slot */
	row->v[RF_EXAM_NO] = put_begin(&o);
	put_uint(&o, entry_year % 100, 2);
	put_mem(&o, reg->code, 4);
	put_uint(&o, exam_slot, 8);
	put_end(&o);

	row->v[RF_POLITICAL] = political[lv->stage][pick_code(&r, political[lv->stage],
		ARRAY_SIZE(political[0]))].code;
	row->v[RF_SCHOOL] = school->name;

	/* 院系, 专业 */
	dept = &depts[PICK(&r, struct demo_dept, depts, ARRAY_SIZE(depts))];
	for (nmajors = 0; nmajors < 4 && dept->majors[nmajors]; nmajors++)
		;
	row->v[RF_DEPT] = dept->name;
	row->v[RF_MAJOR] = dept->majors[rng_below(&r, nmajors)];
	row->v[RF_LEVEL] = lv->code;
	row->v[RF_TRAINING] = training[lv->stage][pick_code(&r, training[lv->stage],
		ARRAY_SIZE(training[0]))].code;
	row->v[RF_ORIGIN] = reg->code;

	/* 学号: school code, entry year, row number */
	row->v[RF_STUDENT_NO] = put_begin(&o);
	put_mem(&o, school->code, strnlen(school->code, DEMO_SCHOOL_CODE_MAX));
	put_uint(&o, entry_year, 4);
	put_uint(&o, (unsigned long long)i + 1, 5);
	put_end(&o);

	row->v[RF_YEARS] = lv->years;
	row->v[RF_ENTRY_DATE] = put_begin(&o);
	put_uint(&o, entry_year, 4);
	put_str(&o, "-09-01");
	put_end(&o);
	row->v[RF_GRAD_DATE] = STR(DEMO_GRAD_YEAR) "-06-30";

	/* 手机号码 */
	row->v[RF_MOBILE] = put_begin(&o);
	put_str(&o, mobile_prefixes[rng_below(&r, ARRAY_SIZE(mobile_prefixes))]);
	put_uint(&o, rng_below(&r, 100000000u), 8);
	put_end(&o);

	/* 电子邮箱: school mail, 163 or QQ (a QQ number, unique through its slot) */
	row->v[RF_EMAIL] = put_begin(&o);
	x = rng_below(&r, 100);
	if (x < 25) {
		put_uint(&o, (1 + rng_below(&r, 9)) * 100000000ull + qq_slot, 9);
		put_str(&o, "@qq.com");
	} else {
		put_str(&o, latin);
		put_uint(&o, (unsigned long long)i + 1, 1);
		put_str(&o, x < 45 ? "@163.com" : "@example.edu.cn");
	}
	put_end(&o);
}

/* ---------------------------------------------------------------------------
 * Writing
 * ------------------------------------------------------------------------- */

/* A growing line buffer, reused for every line. */
struct line {
	char *s;
	size_t len, cap;
};

static void
line_reserve(struct line *l, size_t more)
{
	if (l->len + more <= l->cap)
		return;
	while (l->len + more > l->cap)
		l->cap = l->cap ? l->cap * 2 : 1024;
	l->s = xrealloc(l->s, l->cap);
}

/* Appends s as one CSV field: quoted (quotes doubled) when it holds , " CR or LF. */
static void
line_field(struct line *l, const char *s)
{
	size_t n = strlen(s);
	const char *q;

	if (!strpbrk(s, ",\"\r\n")) {
		line_reserve(l, n);
		memcpy(l->s + l->len, s, n);
		l->len += n;
		return;
	}
	line_reserve(l, 2 * n + 2);
	l->s[l->len++] = '"';
	for (q = s; *q; q++) {
		if (*q == '"')
			l->s[l->len++] = '"';
		l->s[l->len++] = *q;
	}
	l->s[l->len++] = '"';
}

static void
line_char(struct line *l, char c)
{
	line_reserve(l, 1);
	l->s[l->len++] = c;
}

static bool
write_error(struct wq_err *err, int e)
{
	return wq_err_set(err, WQ_ERR_IO, "写入学生名单失败：%s",
		e ? wq_errno_text(e) : "未知原因");
}

/* Writes the line and empties it. */
static bool
line_flush(struct line *l, FILE *out, struct wq_err *err)
{
	errno = 0;
	if (fwrite(l->s, 1, l->len, out) != l->len)
		return write_error(err, errno);
	l->len = 0;
	return true;
}

/*
 * demo_write_roster: the header, then each row through demo_roster_row,
 * one line at a time; a flush at the end so a full disk shows up here.
 */
bool
demo_write_roster(FILE *out, const struct demo_school *school, int n,
	unsigned seed, struct wq_err *err)
{
	struct line l = { NULL, 0, 0 };
	struct demo_row row;
	bool ok = true;
	int i, f;

	wq_err_clear(err);
	if (n < 0 || n > DEMO_ROWS_MAX)
		return wq_err_set(err, WQ_ERR_USAGE, "名单行数应在 0 到 %d 之间，实际为 %d",
			DEMO_ROWS_MAX, n);
	if (!school || str_empty(school->code) || str_empty(school->name))
		return wq_err_set(err, WQ_ERR_USAGE, "缺少院校代码或院校名称");

	for (f = 0; f < RF_COUNT; f++) {
		if (f)
			line_char(&l, ',');
		line_field(&l, roster_fields[f].header);
	}
	line_char(&l, '\n');
	ok = line_flush(&l, out, err);

	for (i = 0; ok && i < n; i++) {
		demo_roster_row(school, seed, i, &row);
		for (f = 0; f < RF_COUNT; f++) {
			if (f)
				line_char(&l, ',');
			line_field(&l, row.v[f]);
		}
		line_char(&l, '\n');
		/* write in chunks of about 64 KiB */
		if (l.len >= 65536 || i == n - 1)
			ok = line_flush(&l, out, err);
	}
	free(l.s);
	if (!ok)
		return false;
	errno = 0;
	if (fflush(out) != 0 || ferror(out))
		return write_error(err, errno);
	return true;
}
