"""Keyword search ranks by evidence: what a teacher or parent types finds the article they mean.

The pairs were written by reading the statute texts in content/law/*.md: each keyword is something a
teacher or parent would type, and the article is the one that answers them. At most 10 of the 30 may be
answered through a curated topic (content/law/topics.yaml); the rest must be found in the texts.
"""

from __future__ import annotations

import pytest
import yaml

from bot.chinese import simplified
from bot.config import ROOT
from bot.content.bundle import Content

PAIRS = [
    ("监护", "civil_code", 27),  # 父母是未成年子女的监护人
    ("体罚", "teachers_law", 37),  # 体罚学生，经教育不改的: 处分或者解聘
    ("开除", "compulsory_education", 27),  # 学校应当予以批评教育，不得开除
    ("学生在学校受伤", "civil_code", 1200),  # 学校未尽到教育、管理职责的，应当承担侵权责任
    ("成年人", "civil_code", 17),  # 十八周岁以上的自然人为成年人
    ("无民事行为能力", "civil_code", 20),  # 不满八周岁的未成年人为无民事行为能力人
    ("限制民事行为能力", "civil_code", 19),  # 八周岁以上的未成年人为限制民事行为能力人
    ("肖像权", "civil_code", 1019),  # 未经肖像权人同意，不得制作、使用、公开
    ("童工", "minors_protection", 61),  # 不得招用未满十六周岁未成年人 (the text never says 童工)
    ("欺凌", "minors_protection", 39),  # 学校应当建立学生欺凌防控工作制度
    ("性侵害", "minors_protection", 40),  # 学校、幼儿园应当建立预防性侵害、性骚扰未成年人工作制度
    ("网吧", "minors_protection", 58),  # 学校周边不得设置互联网上网服务营业场所 (the text never says 网吧)
    ("吸烟", "minors_protection", 59),  # 任何人不得在学校、幼儿园……吸烟、饮酒
    ("学费", "compulsory_education", 2),  # 实施义务教育，不收学费、杂费
    ("入学年龄", "compulsory_education", 11),  # 凡年满六周岁的儿童……送其入学
    ("就近入学", "compulsory_education", 12),  # 在户籍所在地学校就近入学
    ("教师资格", "teachers_law", 10),  # 国家实行教师资格制度
    ("教师工资", "teachers_law", 25),  # 平均工资水平应当不低于或者高于国家公务员
    ("寒暑假补课", "minors_protection", 33),  # 不得占用……寒暑假期，组织……集体补课
    ("隐私权", "civil_code", 1032),  # 自然人享有隐私权
    ("日记", "minors_protection", 63),  # 不得开拆、查阅未成年人的信件、日记
    ("心理健康教育", "juvenile_delinquency_prevention", 19),  # 配备专职或者兼职的心理健康教育教师
    ("禁毒教育", "anti_drug", 13),  # 学校应当将禁毒知识纳入教育、教学内容
    ("专门学校", "juvenile_delinquency_prevention", 6),  # 国家加强专门学校建设
    ("不良行为", "juvenile_delinquency_prevention", 28),  # 本法所称不良行为，是指……
    ("抚养费", "civil_code", 1067),  # 有要求父母给付抚养费的权利
    ("正当防卫", "civil_code", 181),  # 因正当防卫造成损害的，不承担民事责任
    ("强制报告", "minors_protection", 11),  # 发现未成年人受到侵害……应当立即向公安、民政、教育等部门报告
    ("教师申诉", "teachers_law", 39),  # 教师……可以向教育行政部门提出申诉
    ("网络游戏", "minors_protection", 75),  # 网络游戏服务提供者应当……
]


def ranks(content: Content, texts_only: bool = False) -> list[int | None]:
    """Where each pair's article comes in the results (0 first), None when it is not among the first 5;
    `texts_only`: found by the search of the statute texts alone, without the curated topics."""
    out: list[int | None] = []
    for keyword, law, number in PAIRS:
        results = content.laws._index().rank(keyword, 5) if texts_only else content.laws.search(keyword, 5)
        found = [(a.law, a.number) for a in results]
        out.append(found.index((law, number)) if (law, number) in found else None)
    return out


def test_thirty_keywords_find_their_article_in_the_top_three(content: Content) -> None:
    assert len(PAIRS) == 30 and len({k for k, _, _ in PAIRS}) == 30
    places = ranks(content)
    missed = [
        (k, place) for (k, _, _), place in zip(PAIRS, places, strict=True) if place is None or place > 2
    ]
    assert len(missed) <= 3, missed  # >= 90 % in the top 3 (27 of 30 when this was written, 17 before)


def test_the_statute_texts_alone_answer_most_of_the_thirty(content: Content) -> None:
    """The curated topics may not carry the search: without them, the texts' own search puts 22 of the
    30 in the top 3 (23 when topics named in parts came, and with them 教师工资 and 教师申诉)."""
    found = [place for place in ranks(content, texts_only=True) if place is not None and place <= 2]
    assert len(found) >= 22, len(found)


def test_a_topic_in_parts_is_named_when_its_parts_come_in_order(content: Content) -> None:
    """content/law/topics.yaml's 妈 打我 is named by 我妈经常打我, not by 我打了妈妈的电话; 同学 欺负 by
    被同学欺负了. Harm to a child is marked urgent; 监护人责任 is not."""
    laws = content.laws
    assert "{家长} {打人}" in laws.topic_names("我妈经常打我")
    assert "{家长} {打人}" not in laws.topic_names("我打了妈妈的电话")
    assert "{同学} 欺负" in laws.topic_names("被同学欺负了怎么办")
    assert laws.urgent_in("我妈经常打我") and laws.urgent_in("被同学欺负了怎么办")
    assert not laws.urgent_in("监护人责任") and not laws.urgent_in("孩子几岁上小学")
    for everyday in ("听同学说报名要钱吗", "网友说报名照片要多大", "幼儿园老师打电话说孩子发烧了"):
        assert not laws.urgent_in(everyday), everyday
    assert laws.urgent_in("同学问我要钱不给就打我") and laws.urgent_in("网友让我发照片给他")
    # bullied by someone unnamed, in a child's words (有人欺负我 had got 这个问题不在我能回答的范围)
    for told in (
        "有人欺负我",
        "老是有人欺负我家孩子",
        "他们总欺负我",
        "同桌天天欺负我",
        "高年级的欺负我弟弟",
    ):
        assert laws.urgent_in(told), told
    for everyday in ("我家孩子在学校欺负同学怎么办", "弟弟老欺负姐姐", "有人说报名系统欺负人"):
        assert not laws.urgent_in(everyday), everyday
    assert not laws.topic_names("幼儿园")  # a word alone is no topic in parts (幼儿园老师 打孩子)


# What a child, a grandparent or a teacher typed in an exploratory pass (December 6), and the article the
# reply must offer; each had got an enrollment answer, "not in my scope" or nothing.
HARM = [
    ("班主任打我", "minors_protection", 27),
    ("数学老师扇了我一耳光", "minors_protection", 27),
    ("老师罚我跪在走廊", "minors_protection", 27),
    ("俺孙女说幼儿园老师拿针扎她", "preschool_education", 80),
    ("我妈把我锁在家里不给饭吃", "minors_protection", 17),
    ("网友让我开视频脱衣服", "minors_protection", 54),
    ("高年级的抢了我的钱", "public_security_penalties", 58),
    ("同学把我手机抢走了不还我怎么办", "public_security_penalties", 58),
    ("有人在学校门口敲诈我", "public_security_penalties", 58),
    ("有人拿我的裸照威胁我", "public_security_penalties", 50),
    ("孩子在学校被打了", "minors_protection", 39),
    (
        "网上被人骂了怎么办",
        "minors_protection",
        77,
    ),  # a pupils' pass (December 7): 家庭教育促进法 第二十五条 before
    ("女儿被同学家长当众扇了一巴掌", "minors_protection", 11),  # an adult: anyone may report it
    # a teacher's suspicion (a blind set of pupils' and teachers' messages, December 6): they must report it
    (
        "班里有个孩子身上经常有淤青，感觉像是在家被打的，作为老师我应该怎么处理？要报告吗",
        "minors_protection",
        11,
    ),
    # an audit of the topics against the statutes (December 7, twenty-first session): each had got articles
    # that do not say it (a platform's duties for nude photos; the parents' rule for a kindergarten's abuse;
    # the school-bullying articles for a beating at home; an offender's age rule for a teacher hitting)
    ("网友要我发裸照", "minors_protection", 52),  # 禁止…持有有关未成年人的淫秽色情物品和网络信息
    ("幼儿园老师虐待孩子怎么办", "preschool_education", 80),
    ("他说知道我住哪，要杀了我", "public_security_penalties", 50),
    ("考不好回家会挨打", "minors_protection", 17),
    ("我爸喝醉了就打人", "minors_protection", 17),
    ("老师打人犯法吗", "minors_protection", 27),
    ("未成年可以开房吗", "minors_protection", 57),  # 住宿经营者…应当询问父母或者其他监护人的联系方式
    ("过年亲戚逼我喝白酒", "minors_protection", 17),
    ("孩子在学校被同学打伤，学校要负责吗", "civil_code", 1200),  # the school's share first; bullying's alarm
    # a pupils' pass (December 7, twenty-fourth session): a stranger online asking for a photo, and being left
    # out by everyone, had got 这个问题我还答不上来 and the enrollment FAQ's button
    ("网上有人要我照片", "minors_protection", 52),
    ("游戏里有个哥哥要我照片", "minors_protection", 52),
    # (another) humiliated online by classmates: an ugly photo posted, a photo edited, rumours
    ("同学拍我丑照发群里", "minors_protection", 77),
    ("有人把我照片P了发到班群", "minors_protection", 77),
]
LAW_QUESTIONS = [
    # left out by the class: the school's duty and what bullying is, with what to do, but no 110 (a parents'
    # pass: a shy child or a new pupil had been told to call the police)
    ("同学都不跟我玩", "minors_protection", 39),
    ("班上同学都不理我", "minors_protection", 39),
    ("孩子刚转学过来，同学都不理他正常吗", "minors_protection", 39),
    ("有家长造谣我家孩子偷东西", "civil_code", 1024),  # a child's good name, online or not; no 110
    ("有人在网上造谣我", "minors_protection", 77),
    ("孩子在游戏里买装备花了好多钱", "civil_code", 19),  # (a parents' pass: nothing)
    # a pupils' pass (December 7, twenty-fourth session): each had got 这个问题我还答不上来
    ("游戏里有人说送皮肤让我扫码付钱", "anti_telecom_fraud", 2),
    ("有人让我把银行卡借给他", "anti_telecom_fraud", 31),
    ("借银行卡给别人犯法吗", "anti_telecom_fraud", 31),
    ("我今年15岁，暑假想去奶茶店打工可以吗", "minors_protection", 61),
    ("我的身份证号和电话被人发到班级群里了", "personal_information", 10),
    ("我用我妈的身份证注册游戏可以吗", "minors_protection", 75),
    ("我玩游戏充了三千多块钱能退吗", "civil_code", 19),
    ("晚上十点以后游戏就登不上去了", "minors_protection", 75),
    ("我15岁，跟人打架了，警察会拘留我吗", "public_security_penalties", 23),
    ("孩子在学校摔断了胳膊学校管不管", "civil_code", 1199),
    ("俺家伢子把人家鼻子打出血了人家家长要俺们赔钱", "civil_code", 1188),
    ("娃的爸妈离婚了娃跟谁", "civil_code", 1084),
    ("老师有寒暑假带薪休假吗", "teachers_law", 7),
    ("教师工资不能低于公务员吗", "teachers_law", 25),
    ("学校拖欠我三个月绩效工资", "teachers_law", 38),
    ("家长打了老师怎么处理", "teachers_law", 35),
    ("我被学校辞退了想申诉", "teachers_law", 39),
    ("宪法日是哪天", "legal_publicity_education", 13),
    # a teacher's class on it (a pupils' and teachers' exploratory pass, December 6): the school's duties
    ("今天班会讲了防欺凌", "minors_protection", 39),
    ("我们学校的欺凌防控制度是什么", "minors_protection", 39),
    # a teachers' exploratory pass (December 6, night): each had got an enrollment answer, the wrong law or none
    ("我对学校的处分不服，可以去哪里申诉？", "teachers_law", 39),
    ("学生在学校被校外人员打伤了谁负责", "civil_code", 1201),  # not the parents' liability (1188)
    ("老师可以没收学生的手机吗", "minors_protection", 70),
    ("学生把别的同学打伤了，医药费谁出", "civil_code", 1188),
    ("教师有哪些权利？", "teachers_law", 7),
    ("老师的义务有哪些", "teachers_law", 8),
    # a pupils' exploratory pass (December 6, night): each had got 这个问题我还答不上来
    ("打人犯法吗", "public_security_penalties", 51),
    ("我妈把我压岁钱拿走了，合法吗", "civil_code", 35),
    ("几岁成年", "civil_code", 17),
    # a pupils' exploratory pass (December 7): it had got 家庭教育促进法 第十四条, on parents; no emergency
    ("老师说我笨", "minors_protection", 27),
    ("班主任总说我笨", "teachers_law", 8),
    # a teacher's exploratory pass (December 7): each had got 这个问题我还答不上来
    ("班主任能不能罚学生站着上课", "compulsory_education", 29),
    ("学生打架受伤，班主任要负责吗", "civil_code", 1200),
    # left by that pass for a later round (December 7, later): a chat reply of nothing, 未成年人保护法 第三十三条
    # alone, and 教育法's articles on supervision
    ("学生放学路上出了交通事故，学校有责任吗", "civil_code", 1200),  # 学习、生活期间: not on the way home
    ("孩子上学路上被车撞了学校要负责吗", "civil_code", 1199),
    ("老师能不能给学生补课收钱", "teachers_law", 8),
    ("教育惩戒", "juvenile_delinquency_prevention", 31),
    ("学校可以惩戒学生吗", "juvenile_delinquency_prevention", 31),
    # a parents' exploratory pass (December 7, later): a menu of kindergarten entries, none about it
    ("幼儿园教拼音写字合法吗", "preschool_education", 59),  # 不得教授小学阶段的课程
    # a pupils' exploratory pass (December 7, later): each had got nothing, an enrollment menu, or for the age
    # of criminal responsibility 民法典 第十七条 (成年 at eighteen), which a child reads as its answer
    ("几岁可以打工", "minors_protection", 61),
    ("爸妈可以偷看我的日记吗", "minors_protection", 63),
    ("我12岁可以当主播吗", "minors_protection", 76),
    ("晚上11点还能玩王者荣耀吗", "minors_protection", 75),
    ("网上骂人犯法吗", "minors_protection", 77),
    ("偷东西会坐牢吗", "public_security_penalties", 58),
    ("几岁要负刑事责任", "juvenile_delinquency_prevention", 45),  # 因不满法定刑事责任年龄不予刑事处罚
    ("我13岁打了人要负责吗", "public_security_penalties", 12),  # 不满十四周岁…不予处罚，但是…严加管教
    # the same audit (December 7, twenty-first session)
    ("被狗咬伤了谁赔", "civil_code", 1245),  # the keeper, not a guardian (1188)
    ("给主播打赏了5000元能退吗", "civil_code", 19),  # not 未满十六周岁 may not open a streaming account
    ("宪法宣誓", "constitution", 27),
    ("我看了黄色视频会被抓吗", "juvenile_delinquency_prevention", 28),  # a 不良行为, no emergency
    ("对老师不满可以申诉吗", "education_law", 43),  # a pupil's appeal, beside a teacher's
    # a teachers' exploratory pass (December 7, twenty-first session): 就近入学 for a runaway, the 体罚 alarm and no
    # ban on it for a teacher's question, and no 义务教育法 第三十一条 on pay
    ("学生离家出走", "juvenile_delinquency_prevention", 35),
    ("学生夜不归宿怎么办", "juvenile_delinquency_prevention", 35),
    ("体罚和教育惩戒的区别", "minors_protection", 27),
    ("教师工资不能低于公务员吗", "compulsory_education", 31),
    ("学生打架老师怎么处理", "juvenile_delinquency_prevention", 31),
    ("学生在校外被车撞了学校有责任吗", "civil_code", 1208),
    # a last pass as pupils (December 7, twenty-first session): each had got 这个问题我还答不上来
    ("邻居家的狗把我咬了，打针的钱谁出", "civil_code", 1245),
    ("我不想回家了，想自己跑出去住", "juvenile_delinquency_prevention", 35),
    # a pupils' and teachers' pass (December 7, twenty-second session): each had got nothing, or articles that
    # do not answer it (a stolen phone: the articles on phones in class; weekend lessons: 教师法 第八条 alone)
    ("同学拿我手机不还怎么办", "civil_code", 235),
    ("借同学的钱不还怎么办", "civil_code", 675),
    ("我的手机被偷了", "public_security_penalties", 58),
    ("我13岁可以自己网购吗", "civil_code", 19),
    ("爸妈离婚了我可以选跟谁吗", "civil_code", 1084),
    ("我可以买烟吗", "minors_protection", 59),
    ("老师在学校抽烟", "minors_protection", 59),
    ("网上有人让我扫码转账说能退款", "anti_telecom_fraud", 2),
    ("老师让我们周末补课收钱", "minors_protection", 33),
    ("家长打老师怎么办", "public_security_penalties", 51),
    # a parent's rule at home is not a school's (我妈没收了我的手机 had got 第七十条, on phones in class)
    ("我妈没收了我的手机", "minors_protection", 71),
    ("我爸不让我玩手机", "family_education", 22),
    ("幼儿园老师罚孩子站", "preschool_education", 80),
    # a teachers' pass (December 7, twenty-third session): 答不上来
    ("学生打架受伤，谁来赔偿", "civil_code", 1188),
    # still named beside the parents' questions below that name no topic
    ("未成年人能不能开直播", "minors_protection", 76),
    ("离婚了孩子跟谁", "civil_code", 1084),
]


def test_word_classes_name_a_topic_however_its_people_and_acts_are_worded(content: Content) -> None:
    """{老师} {打人} is named by 班主任 and 数学老师, by 扇了我一耳光 and 罚我跪; harm is urgent, the rest not."""
    laws = content.laws
    for text, law, number in HARM + LAW_QUESTIONS:
        articles = [(a.law, a.number) for a in laws.topic_articles(text)[:3]]
        assert (law, number) in articles, (text, articles)
        assert laws.urgent_in(text) == ((text, law, number) in HARM), text


@pytest.mark.parametrize(
    ("text", "not_this"),
    [
        ("我妈没收了我的手机", ("minors_protection", 70)),  # a school's duty to manage phones brought in
        ("老师可以没收学生的手机吗", ("minors_protection", 71)),  # the parents' duty
        ("老师让我罚站", ("preschool_education", 80)),  # a kindergarten teacher's sanctions
    ],
)
def test_an_article_for_someone_else_is_not_offered_first(
    content: Content, text: str, not_this: tuple
) -> None:
    """A child whose mother took the phone is shown the family's articles, not the school's; a pupil made to
    stand, the school's, not the kindergarten's."""
    shown = [(a.law, a.number) for a in content.laws.topic_articles(text)[:3]]
    assert not_this not in shown, (text, shown)


HARM_WORDS = yaml.safe_load((ROOT / "content" / "law" / "harm_examples.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", HARM_WORDS["harm"])
def test_a_child_telling_of_harm_in_their_own_words_is_heard(content: Content, text: str) -> None:
    assert content.laws.urgent_in(simplified(text))


@pytest.mark.parametrize("text", HARM_WORDS["everyday"])
def test_everyday_words_near_harm_name_none(content: Content, text: str) -> None:
    """打 with whom it hits is harm, 打电话, 打算 and 打了个叉 are not; a migrant parent's 打工 is no child
    labour; 让孩子脱衣服 for a nap is no abuse."""
    assert not content.laws.urgent_in(simplified(text)), content.laws.topic_names(simplified(text))


@pytest.mark.parametrize(
    "text",
    [
        "学校说资料费不交就不发书，合法吗",
        "我的王者账号被关小黑屋了",
        "新买的手机屏幕被划花了",
        "穿什么衣服能让孩子好看",
        "每天早上爸爸拉我上车去学校",  # not 拐卖
        "老师能不能别告诉我妈",  # not a secret kept from the parents by someone harming the child
        "在网上报名要孩子照片吗",  # a registration photo, not a stranger's request
        "网络上申请学位要孩子照片吗",
        "孩子不跟同学玩怎么办",
        "网上造谣学校收费",  # a rumour about a school, not harm to a child
        "造谣他人要负什么责任",
        "报名照片可以P吗",
        "学校收费可以扫码付款吗",  # paying a school by QR code is no fraud
        # a parents' pass (December 7, twenty-fourth session): each had got ⚠️ 请马上拨打 110
        "入学要开房产证明吗",
        "什么时候能知道孩子在哪个学校",
        "报名审核进度怎么跟踪",
        "老师会跟踪孩子的学习情况吗",
        "摇号会不会抽我家孩子",
        "体质测试是抽学生测还是全部测",
        "校车司机几点来拉孩子上车",
        "孩子3岁了，奶奶还帮他洗澡可以吗",
        "体检的时候医生摸我孩子的肚子正常吗",
        "孩子总想做大人做的事，比如做饭",
        "学校说考试排名不能告诉家长",
        "高中生一天十几个小时在学校太累了",
        "打死我也不信学校会乱收费",
        "电动车后座要把孩子绑好吗",
        "二宝老是抢他的平板",
        "洗衣服忘了翻孩子口袋，作业本洗烂了",
        "早上路上堵我都迟到了，孩子迟到会扣分吗",
        "校服费不交就没有校服吗",
        "辅导作业当妈的都快发疯了",
        "孩子的丑照被我发朋友圈了哈哈",
        "网上有人说报名要照片，是真的吗",
        "孩子作文被打了低分，能找老师吗",
        "六一儿童节老师要把孩子打扮成小动物",
        "奶太烫他不喝",
        "毛衣太扎他不穿",
        "双职工家里没人管孩子，学校有课后服务吗",
        "中午家里没饭吃，学校有午餐吗",
        "医生说术前不让孩子吃饭",
        "孩子没微信，能借微信号报名吗",
        "孩子多大了可以跟着打工的父母来城里上学",
        "学校怎么知道我住在哪，要查房产吗",
        "班级群把我踢出来了怎么办",
        "老师把我踢出家长群了",
        "有人说这张是丑照，我觉得挺好看",
        "同学给孩子拍毕业照，拍成丑照了哈哈",
        "孩子自己把照片P成表情包了，好可爱",
        "网上有人说学校要我孩子照片做人脸识别",
        "能不能把孩子照片P一下再上传报名",
        "中介拍胸脯保证能上学区学校，可信吗",
        "书本费不交就上不了学吗",
        "孩子放学总去打娃娃机",
        "体检时医生掀孩子衣服听心肺正常吗",
        "这作业多得要杀了我",
    ],
)
def test_words_that_named_harm_in_everyday_questions_name_none(content: Content, text: str) -> None:
    """An audit of the topics (December 7, twenty-first session): 不交就, 小黑屋, 划花 and 让孩子好看 alone had
    raised the alarm for a school's fee, a game's ban, a phone's screen and clothes. (Kept out of
    harm_examples.yaml's everyday messages, which the model learns from: there they moved its threshold.)"""
    assert not content.laws.urgent_in(text), content.laws.topic_names(text)


@pytest.mark.parametrize(
    "text",
    ["家长会开直播吗", "运动会会开直播吗", "学校开直播课吗", "校服可以自己网购吗", "教辅资料能自己网购吗",
     "离婚了孩子跟谁的户口上学", "离婚了孩子户口跟谁"],
)  # fmt: skip
def test_parents_enrollment_questions_name_no_topic(content: Content, text: str) -> None:
    """Parents' questions that had got articles first: 开直播 in 家长会开直播吗 (未成年人保护法 第七十六条, a child
    opening a streaming account), 自己 网购 in 校服可以自己网购吗 (民法典 第十九条, what a child may buy alone),
    离婚 … 跟谁 in 离婚了孩子跟谁的户口上学 (custody, where whose 户口 a child enrols on is the FAQ's)."""
    assert content.laws.topic_names(text) == []


def test_threats_and_stalking_get_no_privacy_articles(content: Content) -> None:
    """他说知道我住哪，要杀了我 had got 未成年人网络保护条例 第三十八条 and 民法典 第一千零三十三条 (a platform's duty
    for private photos, and privacy) beside 治安管理处罚法 第五十条; a threat to a child's life is no privacy matter."""
    found = [(a.law, a.number) for a in content.laws.topic_articles("他说知道我住哪，要杀了我")]
    assert found == [("public_security_penalties", 50), ("minors_protection", 11)]


def test_pupils_everyday_chat_raises_no_alarm(content: Content) -> None:
    """What pupils typed in an exploratory pass (December 6) that had got the warning with 110: a game, a
    broken bowl. Harm told near the same words still is harm."""
    laws = content.laws
    for everyday in ("游戏里被人打死了", "我被我妈骂了因为我把碗打碎了", "王者里被打爆了"):
        assert not laws.urgent_in(everyday), (everyday, laws.topic_names(everyday))
    for harm in ("我被人打了", "我妈把碗打碎了就打我", "孩子在学校被欺凌了", "打游戏的时候被同学打了"):
        assert laws.urgent_in(harm), harm


def test_no_faq_wording_names_harm(content: Content) -> None:
    wordings = [w for e in content.faq.entries.values() for w in (e.question, *e.alternates, *e.keywords)]
    assert not [w for w in wordings if content.laws.urgent_in(simplified(w))]


def test_a_short_name_is_read_through_no_typo(content: Content) -> None:
    """入学查询 had been taken for 入职查询 (staff background checks) and answered with 第六十二条; a long
    name still is (未成年人模试)."""
    assert not content.laws.topic_names("入学查询")
    assert content.laws.topic_names("未成年人模试") == ["未成年人模式"]


def test_what_a_message_asks_besides_the_harm_it_names(content: Content) -> None:
    laws = content.laws
    assert laws.without_topics("孩子在学校被同学欺负了能转学吗") == "孩子在学校了能转学吗"
    assert laws.without_topics("幼儿园老师打孩子怎么办") == "怎么办"


def test_a_neighbour_or_a_stranger_is_no_family(content: Content) -> None:
    """邻居叔叔打我 had got the parents' duties (未成年人保护法 第十七条): 叔 is a family word. It is harm, and
    anyone who finds it may report it (第十一条); 我叔叔打我 is still the family's."""
    laws = content.laws
    for text in ("邻居叔叔打我", "隔壁大叔打了我一巴掌"):
        assert laws.urgent_in(text), text
        assert ("minors_protection", 17) not in [(a.law, a.number) for a in laws.topic_articles(text)], text
    assert ("minors_protection", 17) in [(a.law, a.number) for a in laws.topic_articles("我叔叔打我")]


def test_a_stranger_asking_for_photos_is_told_what_to_do(content: Content) -> None:
    """网上有人要我照片 had got 这个问题我还答不上来 (a pupils' pass): the urgent topic, with the advice to send
    nothing, meet nobody, keep the chat and tell an adult; a school's registration photo names none."""
    laws = content.laws
    for text in ("网上有人要我照片", "游戏里有个哥哥要我照片", "网友让我发照片给他", "有个陌生人要我自拍"):
        assert laws.urgent_in(text) and laws.advice_in(text) == "online_photos", text
    assert laws.advice_in("在网上报名要孩子照片吗") is None
    for language in content.i18n.catalogs:  # every topic's advice is said in every language
        for key in set(laws.advice.values()):
            assert content.i18n.catalogs[language].get(f"law.advice.{key}"), (language, key)


def test_the_age_of_criminal_responsibility_is_said_to_be_the_criminal_laws(content: Content) -> None:
    """几岁要负刑事责任 and 我12岁偷东西会坐牢吗 got 治安管理处罚法 第十二条 (不满十四周岁…不予处罚) as if it were the
    rule (a pupils' pass): the reply says the ages are the Criminal Law's, not held here, and what the
    articles shown do say (the advice is checked against them: 第四十五条, 第十二条)."""
    laws = content.laws
    for text in ("几岁要负刑事责任", "我12岁偷东西会坐牢吗"):
        assert laws.advice_in(text) == "criminal_law", text
    said = content.i18n.t("zh", "law.advice.criminal_law")
    assert "专门矫治教育" in laws.article("juvenile_delinquency_prevention", 45).body  # type: ignore[union-attr]
    assert "监护人严加管教" in laws.article("public_security_penalties", 12).body  # type: ignore[union-attr]
    assert "《刑法》" in said and "专门矫治教育" in said and "监护人严加管教" in said
