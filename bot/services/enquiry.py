"""What a message typed to the bot gets, around the FAQ's answer.

A message typed as pinyin (jifen ruxue) is read first as the characters it spells (bot/services/
pinyin_reader.py), and the reply shows them. A child in distress (我不想活了) is told where to get help,
before anything else. Then the FAQ's matcher decides (a confident answer is taken as it is, unless the
question names a law topic its entry never speaks of; a `likely` one yields to the articles a law
question names); what it cannot answer is told apart here: a greeting is greeted, thanks are
acknowledged, an emoji or noise is told what the bot understands, a law question is sent to its
articles (bot/services/law_lookup.py), a question in English is answered from the entry's English text
where it has one, a topic named alone (入学) is asked what
about it, a question naming no school level is asked of the level of the entry just answered (什么时候报名
after the kindergarten age answer), a message asking several things is offered the entries for the others
below its answer, and only a question that looks like one the bureau answers is logged as unanswered and passed
to the curators. A registered pupil or teacher (`asker`) is answered as one at school: the articles a law
question names come before any enrollment entry, their chat gets none, and what nothing answers is told what
the bot does for them. Nothing here knows Telegram.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from bot.chinese import CHINESE, CLAUSE_END, simplified
from bot.content.faq import FaqEntry, MatchingWords
from bot.content.harm import HarmModel
from bot.content.laws import LawLibrary, squash
from bot.domain import Role
from bot.services.faq import FaqService
from bot.services.faq_matcher import Outcome, Result
from bot.services.law_lookup import LookupResult, in_question, law_named
from bot.services.pinyin_reader import PinyinTable, read, syllables_only
from bot.services.privacy import holds_a_number

# Whole messages asking whether the bot speaks English (Do you speak English? had been told "I could not find your
# question"): greeted, in English whatever the user's language, which says it does
SPEAKS_ENGLISH = frozenset({"doyouspeakenglish", "canyouspeakenglish", "speakenglish", "english", "englishplease",
                            "inenglish", "inenglishplease", "canyouanswerinenglish", "canyoureplyinenglish",
                            "doyouunderstandenglish", "canwespeakenglish", "canispeakenglish", "canitypeinenglish",
                            "canwritetoyouinenglish", "canaskinenglish", "caniaskinenglish", "canyouhelpmeinenglish",
                            "isthereenglish", "doyouhaveenglish", "youspeakenglish"})  # fmt: skip
# Whole messages (lower case, without punctuation, emoji or a trailing 呀/啊) that greet or thank.
GREETINGS = frozenset({"你好", "您好", "你们好", "大家好", "老师好", "hi", "hello", "hey", "哈喽", "嗨", "早", "早上好",
                       "早安", "上午好", "中午好", "下午好", "晚上好", "在吗", "在不在", "有人吗", "有人在吗", "在么",
                       "请问", "你是谁", "你能做什么", "你会什么", "goodmorning", "goodafternoon", "goodevening",
                       "hithere", "hellothere", "areyouarobot", "areyouabot", "areyouhuman", "areyouai", "isthisabot",
                       "isthisarobot", "whatareyou"})  # fmt: skip
THANKS = frozenset({"谢谢", "谢谢你", "谢谢您", "谢谢啦", "多谢", "感谢", "非常感谢", "谢了", "辛苦了", "好的谢谢",
                    "thanks", "thankyou", "thx", "okthanks", "thanksalot", "thankyouverymuch", "thankyousomuch",
                    "okthankyou"})  # fmt: skip
# … or say they have it (好的 had got 不客气！)
ACKS = frozenset({"好的", "知道了", "明白了", "收到", "懂了", "了解", "ok", "okay", "great", "cool", "gotit"})
# … or leave what they were doing: at a prompt, it is left (bot/handlers/awaiting.py); with nothing to leave,
# they are told so (取消 had got a search of the statutes: 遗嘱继承, 委托代理)
CANCEL = frozenset({"取消", "算了", "不要了", "不用了", "退出", "cancel", "stop"})
# … or take their leave (再见 had got 这个问题我还答不上来)
FAREWELLS = frozenset({"再见", "拜拜", "晚安", "下次见", "明天见", "回头见", "bye", "byebye", "goodbye", "goodnight",
                       "seeyou"})  # fmt: skip
# Emoji sent alone that thank or agree (they had got 我能看懂文字提问)
THANKING_EMOJI = frozenset({"🙏", "🤝", "🌹"})
AGREEING_EMOJI = frozenset({"👍", "👌", "👏", "✅", "💯"})
# … or that the answer was not it (👎 typed, not the button's, had got 没看明白您的意思)
DISAGREEING_EMOJI = frozenset({"👎"})
# … or say the answer was not what they asked (不对 had got 这个问题不在我能回答的范围)
UNHELPFUL = frozenset({"不对", "不是", "不是这个", "不是这个问题", "不是我问的", "不是我要问的", "答非所问", "错了",
                       "说错了", "回答错了", "没用", "没有用", "没回答我的问题", "wrong", "notwhatiasked",
                       "thatsnotwhatiasked", "thatswrong",
                       # an English parent's pass: these had got "I could not find your question" or "not something
                       # I can answer", and were passed on as questions
                       "nothelpful", "notuseful", "useless", "thatsuseless", "thisisuseless", "didnthelp",
                       "doesnthelp", "thatdidnthelp", "thatdidnothelp", "thatdoesnthelp", "thisdidnthelp",
                       "thisdoesnthelp", "itdidnthelp", "itdoesnthelp", "theanswerdidnthelp", "theanswerdidnothelp",
                       "thatsnotit", "notwhatimeant", "thatsnotwhatimeant", "thisisnotwhatiasked",
                       "thisisntwhatiasked", "thatisnotwhatiasked", "wronganswer", "thatsthewronganswer",
                       "youdidntanswermyquestion", "thatdoesntanswermyquestion", "thatdidntanswermyquestion"})  # fmt: skip
# … or that it was too hard to read (看不懂 and 太长了 had got 这个问题不在我能回答的范围, pointing to /law)
PLAINER = frozenset({"看不懂", "没看懂", "看不明白", "没看明白", "听不懂", "不明白", "没明白", "不懂", "我不懂",
                     "我看不懂", "太长了", "太长", "字太多", "太多字了", "说简单点", "简单点", "说简单一点",
                     "简单一点", "说人话", "不识字", "我不识字", "我不识字多", "识字不多", "我识字不多", "toolong",
                     "tldr", "idontunderstand", "dontunderstand", "toocomplicated"})  # fmt: skip
# A complaint about the answer that says again what was asked (你答非所问啊 我问的是八月底出生的能不能上): the
# question after it is answered
# (a separator or 我问的是 after the complaint: 不对口的学校能报吗 is a question)
RESTATED = re.compile(
    r"^\W*(?:你?(?:答非所问|不对|不是这个|说错了|回答错了|答错了|错了|没回答我的问题|不是我问的)"
    r"(?:[啊呀吧了哦]*\W+|[啊呀吧了哦]*(?=我)))?"
    r"(?:我(?:问的|是问|想问的|要问的|说的)是?)?\W*(?P<question>.+)$"
)
# Words that name no topic alone (孩子 had got the articles on 留守孩子, a topic it is part of): asked what
# about them, as a topic named alone is
GENERIC = frozenset({"孩子", "小孩", "学校", "学生", "老师", "家长", "教育", "上学", "读书", "儿童"})
NOISE = frozenset({"哈", "哈哈", "哈哈哈", "呵呵", "嘿嘿", "嗯", "嗯嗯", "哦", "哦哦", "噢", "啊", "额", "呃", "666",
                   "好", "行", "test", "测试"})  # fmt: skip
# Whole messages (as GREETINGS) that ask for a person: the 转人工 flow where there are curators (转人工
# had been read as 转学, 人工客服 answered from the FAQ)
PERSON = frozenset({"转人工", "人工", "人工客服", "找人工", "真人", "转人工客服", "人工服务", "转人工服务", "找人工客服",
                    "找真人", "真人客服", "要人工", "我要人工", "我要转人工", "我要人工客服", "我要找人工", "请转人工",
                    "联系人工", "人工咨询", "客服", "找客服", "human", "ahuman", "agent", "realperson", "aperson",
                    "askaperson", "talktoahuman", "talktoaperson", "speaktoahuman", "speaktoaperson",
                    "humanplease", "operator", "customerservice", "找人", "我要找人", "有没有人", "有没有人在",
                    "有没有人能帮我", "有人能帮我吗", "有人能帮我"})  # fmt: skip
# … or, in a short message, one of these words (我要找真人客服): not 找人, which questions use (找人代办转学行吗)
PERSON_WORDS = ("人工", "真人", "客服")
# … or, in a longer one, one of these (能不能找个真人说说，我打字太慢了 had been told 不在我能回答的范围)
# (and in English: can I talk to a real person, talk to human please had been told to ask in Chinese)
PERSON_PHRASES = ("找个真人", "找真人", "找个人工", "找人工", "转人工", "真人客服", "人工客服", "跟真人说",
                  "和真人说", "realperson", "talktoahuman", "talktohuman", "speaktoahuman", "speaktohuman",
                  "talktosomeone", "speaktosomeone", "talktoaperson", "speaktoaperson")  # fmt: skip
PERSON_LETTERS = 30  # letters at most of a message asking for a person in a phrase
EVERYDAY_WEIGHT = 50  # how much the enquiry's own words count in reading pinyin, against the FAQ's
# Whole messages asking what the bot does: /help
HELP = frozenset({"help", "helpme", "menu", "mainmenu", "commands", "帮助", "菜单", "主菜单", "功能", "功能菜单",
                  "有什么功能", "怎么用", "怎么使用", "使用帮助", "使用说明"})  # fmt: skip
TRAILING = "呀啊吖哈呢哦吧啦"
RESTATED_LETTERS = 4
# Words of a child in distress (the message's letters, lower case, no spaces): told at once where to get
# help (a trusted adult, the psychological assistance hotline 12356, 110 or 120), never an enrollment
# answer or a menu; not logged for the curators (no pupil's crisis in /unanswered).
DISTRESS = ("不想活", "想死", "自杀", "轻生", "活着没意思", "活着没有意思", "活着有什么意思", "结束生命",
            "结束自己的生命", "跳楼", "割腕", "割脉", "自残", "伤害自己", "想离家出走", "要离家出走",
            "活着好累", "活着太累", "活得好累", "活得太累", "活不下去", "想消失", "死了算了", "不如死了",
            "一了百了", "wanttodie", "dontwanttolive", "killmyself", "suicid", "hurtmyself", "selfharm",
            "endmylife", "runawayfromhome", "wantstodie", "killhimself", "killherself", "killthemselves",
            "hurthimself", "hurtherself", "hurtthemselves", "wanttodisappear", "nobodywouldmissme",
            "betteroffwithoutme", "betteroffdead", "dontwanttobehereanymore")  # fmt: skip
# Everyday sayings with those words in them: 想死你了 is "I missed you so".
NOT_DISTRESS = ("想死你了", "想死你们了", "想死我了")
# Words of a pupil who feels low (我今天好难过, 最近压力好大，睡不着, 我和爸妈吵架了), said of themselves (no CHILD
# word: 孩子压力大怎么办 is a parent's question): a kind word and whom to talk to, not an enrollment menu. Not 紧张
# or 孤独 alone (学位紧张, 孤独症).
FEELINGS = ("难过", "伤心", "心情不好", "心情很差", "心情差", "不开心", "压力好大", "压力很大", "压力太大", "压力大",
            "好紧张", "很紧张", "太紧张", "紧张死了", "焦虑", "睡不着", "失眠", "好烦", "烦死了", "郁闷", "想哭",
            "委屈", "好孤独", "很孤独", "好累", "吵架", "feelsad", "imsad", "stressed", "anxious", "lonely")  # fmt: skip
# A child's own words for not wanting school (我不想上学了 had got the parents' entry on dropping out, which
# tells how the authorities order the parents to send the child back; the English one went to the staff as
# an enrollment question): heard as the feelings they are, as FEELINGS, before any entry
SCHOOL_REFUSAL = ("不想上学", "不想去上学", "不想去学校", "讨厌上学", "讨厌学校", "害怕上学",
                  "怕去学校", "dontwanttogotoschool", "dontwannagotoschool", "hateschool", "hategoingtoschool",
                  "scaredtogotoschool")  # fmt: skip
# Whom words of distress are about: the last person their own clause names before them, 我 or another
# (我同学想自杀, 学生在校自杀学校要承担什么责任: another; 同学骂我，我想自杀, 爸妈离婚了，不想活了, 自杀: the writer).
OTHERS = ("学生", "孩子", "同学", "朋友", "儿子", "女儿", "他", "她", "妈", "爸", "家长", "老师", "哥", "姐", "弟", "妹",
          "有人", "室友", "网友")  # fmt: skip
# The same in English, word by word (My friend wants to kill himself; My mom hits me and I want to die: mine).
OTHERS_EN = frozenset({"friend", "student", "pupil", "classmate", "son", "daughter", "child", "kid", "brother",
                       "sister", "mom", "mum", "mother", "dad", "father", "someone", "somebody", "he", "she",
                       "they", "himself", "herself", "themselves"})  # fmt: skip
SELF_EN = frozenset({"i", "me", "myself"})  # I'm and I'll are read as i, m and i, ll
NOT_PERSONS = ("其他", "其它")  # 没有其他办法了 names nobody (他)
# A short question about the bot itself (你是机器人吗, 你能干什么): it says what it is.
ABOUT_ME = ("你是", "你叫", "你会", "你能", "你可以", "whoareyou", "whatcanyou")
EMOJI_CODE = re.compile(r"\[[^\[\]\s]{1,4}\]")  # emoji as WeChat users type them: [微笑], [抱拳]
# Words of the questions the bureau answers (enrollment, schools, children); a question with none of them
# (the weather, a street lamp) is not passed to its staff.
SCOPE = ("学", "校", "园", "孩子", "娃", "小孩", "儿子", "女儿", "子女", "宝宝", "儿童", "入学", "报名", "招生", "户口",
         "户籍", "居住证", "社保", "房产", "派位", "摇号", "积分", "教育", "老师", "班", "年级", "中考", "考试", "资助",
         "补助", "学费", "减免", "课", "读书", "毕业", "录取", "分数", "证明", "初一", "初二", "初三", "高一", "高二", "高三",
         "复读", "留级")  # fmt: skip
# Words for a child that a parent or teacher uses: harm told of without one (有人要我发裸照) is a child's own,
# and gets no enrollment entries below the articles and where to get help.
CHILD = ("孩子", "小孩", "儿子", "女儿", "娃", "闺女", "宝宝", "孙子", "孙女", "外孙", "学生", "子女")
# … of them, those a parent or grandparent uses for their own (not 学生: a pupil writes of themselves as one)
OWN_CHILD = ("孩子", "小孩", "儿子", "女儿", "娃", "闺女", "宝宝", "孙子", "孙女", "外孙")
# … in English, one's own (my son was bullied had been told "If you are being hurt"; other kids hit me is a child's)
OWN_CHILD_EN = re.compile(
    r"\b(?:my|our)(?:\s+[\w'-]+){0,3}?\s+(?:son|daughter|child|children|kid|grandson|granddaughter|boy|girl)s?\b"
)
# What a message telling of harm may ask of the FAQ too (被欺负了想转学): changing school or class
SCHOOL_CHANGES = ("转学", "转校", "换学校", "换个学校", "换班", "调班", "休学", "复学", "退学", "学籍")
# The same in English (words, a plural's -s dropped): an English question nothing answers is passed to the
# staff as a Chinese one is when it has one of them
SCOPE_EN = frozenset({"school", "kindergarten", "nursery", "preschool", "child", "children", "kid", "son",
                      "daughter", "baby", "pupil", "student", "enrol", "enroll", "enrolment", "enrollment",
                      "register", "registration", "admission", "admit", "hukou", "residence", "permit",
                      "transfer", "class", "grade", "teacher", "exam", "test", "tuition", "fee", "subsidy",
                      "education", "bureau", "lottery", "graduate", "graduation", "homework", "course"})  # fmt: skip
# A follow-up that names only another school level or sector (那幼儿园呢, 初中的话呢, 民办的呢): the words around it
FOLLOW_UP_BEFORE = ("那么", "那要是", "那如果是", "要是", "如果是", "那")
FOLLOW_UP_AFTER = ("的话呢", "的呢", "呢", "的话", "也一样吗", "一样吗", "也是吗", "也可以吗", "怎么样")
# The bot's own activities (学法考试什么时候考 had got 上初中要参加入学考试吗): where to find them. Not 竞赛 or
# 考试 alone, which enrollment questions use (竞赛获奖对小升初有用吗).
ACTIVITIES = ("学法考试", "学法考核", "学法测试", "普法考试", "普法考核", "宪法周", "宪法竞赛", "知识竞赛", "宪法晨读",
              "晨读", "答题活动", "排行榜", "排名榜",
              # in English too (a teachers' pass: How do I take the staff exam? got the entrance-exam entry)
              "staff exam", "law exam", "Staff exam", "Law exam", "constitution week", "Constitution Week")  # fmt: skip
# … and, from a pupil or a teacher, what they do with the bot (证书怎么领, 怎么开始答题, 我的成绩在哪看): not 成绩, 排名 or 积分 alone,
# which other questions use too (中考成绩, 成绩排名贴在公告栏, 积分入学)
SCHOOL_ACTIVITIES = ("答题", "做题", "刷题", "证书", "打卡", "账号", "补考", "答案", "错题", "我的成绩", "我的排名",
                     "排第几", "我的考试成绩", "我考了几分", "我考了多少分",
                     # the exam's attempts (a teachers' pass: 考试还能考几次 got the enrollment entries on exams)
                     "考几次", "还能考", "能考几次", "考试次数", "再考一次", "重考")  # fmt: skip
LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
WORD = re.compile(r"[^\W_]+")
# A message's clauses (民办和公办有啥区别 民办要考试吗 学费多少: three questions), and the words that make one a
# question of its own (我们是外地的，孩子能上学吗 asks one)
PARTS = re.compile(r"[。！？!?；;，,、：:.\n…~\s]+")
ASKING = re.compile(r"[吗呢么嘛?？]$|什么|怎么|怎样|如何|哪|几|多少|多大|多久|啥|咋|是否|能不能|可不可以|可以吗|要不要"
                    r"|有没有|会不会|行不行|是不是|需不需要|用不用")  # fmt: skip
PART_LETTERS = 4  # letters at least of a clause asked on its own
ALSO = 3  # entries at most offered for the other questions a message asks
SURENESS = {Outcome.confident: 3, Outcome.likely: 2, Outcome.unsure: 1, Outcome.none: 0}
BROAD = 4  # letters at most of a message that names a topic (入学, 小孩上学) rather than asks a question


class Kind(StrEnum):
    answer = "answer"  # the entry (the matcher's outcome: confident, or likely with the others below)
    unsure = "unsure"  # 您是不是想问: the closest entries
    law = "law"  # statute articles, with the FAQ's closest entries when it was unsure
    searched = "searched"  # a pupil's or teacher's question nothing else answers: the closest articles
    distress = "distress"  # a child in distress (我不想活了): where to get help, nothing else
    worried = "worried"  # about someone else in distress (我同学想自杀): how to help, and any articles
    greeting = "greeting"
    thanks = "thanks"
    ack = "ack"  # 好的, 👍: said they have it
    farewell = "farewell"  # 再见, 晚安
    cancel = "cancel"  # 取消 with nothing under way: said there is nothing to cancel
    feelings = "feelings"  # a pupil who feels low (我今天好难过): a kind word and whom to talk to
    unhelpful = "unhelpful"  # 不对: the answer was not what they asked
    plainer = "plainer"  # 看不懂, 太长了: the answer was too hard to read
    person = "person"  # asks for a person (转人工): the 转人工 flow, or the bureau's contact without curators
    help = "help"  # help, 菜单 typed for /help (they had got 不在我能回答的范围, 帮助 a menu of entries)
    noise = "noise"  # no words at all (emoji, punctuation) or an interjection
    activities = "activities"  # asks about the bot's own activities (学法考试, 宪法晨读): where they are
    english = "english"  # in English with no English answer: the closest Chinese entries, if any
    broad = "broad"  # a topic alone (入学): asked what about it, shown the categories; logged, not sent on
    unanswered = "unanswered"  # looks like a question the bureau answers: logged, passed to staff if any
    out_of_scope = "out_of_scope"  # a question nobody here answers (the weather): logged, not passed on


@dataclass(frozen=True)
class Reply:
    kind: Kind
    result: Result
    language: str | None = None  # "en": the question was in English, and so is the reply
    law: LookupResult | None = None
    topic: str = ""  # a `broad` message's words, as typed
    # harm to a child heard in words no law topic names (bot/content/harm.py): where to get help, above the
    # reply; like the topics' harm, never kept for /unanswered nor passed on
    harm: bool = False
    # who asked, when registered: a pupil or a teacher is greeted and told what the bot does as one at
    # school, and a teacher is no child to tell where to get help
    asker: Role | None = None
    # an answer's entries for the other questions the message asks (`also_asked`)
    also: tuple[str, ...] = ()
    # a message typed as pinyin (jifen ruxue), in the characters it was read as and answered by
    read_as: str | None = None
    # the message held a phone or ID card number: told that none is needed (what is kept hides it)
    number_given: bool = False
    # a message naming a child as a parent does (孩子被打了怎么办), from someone not registered as a pupil: where
    # to get help is said to the adult first
    of_a_child: bool = False

    @property
    def at_school(self) -> bool:
        return self.asker in AT_SCHOOL

    @property
    def moved_on(self) -> bool:
        """A question no answer answered (a menu, the articles, nothing): what a follow-up after it refers to
        is not the answer before it."""
        return self.kind in (Kind.unsure, Kind.law, Kind.searched, Kind.english, Kind.broad, Kind.unanswered,
                             Kind.out_of_scope)  # fmt: skip

    @property
    def found_nothing(self) -> bool:
        """Nothing answers it (small talk and noise are answered by what they are)."""
        return self.kind in (Kind.unanswered, Kind.out_of_scope, Kind.broad) or (
            self.kind is Kind.english and not self.result.matches
        )

    @property
    def unanswered(self) -> bool:
        """A question nothing answered, to keep for /unanswered; harm is never kept."""
        return self.found_nothing and not self.harm

    @property
    def for_curators(self) -> bool:
        """A question that looks like the bureau's, to pass to the curators where there are any; harm is
        never passed on."""
        return self.kind is Kind.unanswered and not self.harm


NOTHING = Result(Outcome.none, [], "")
AT_SCHOOL = (Role.student, Role.staff)
# hitting the writer: of a teacher, hitting a teacher (教师法 第三十五条), not a child's harm
HIT_ME = re.compile(r"(打|揍|踢|扇)(了)?我")


def understand(
    faq: FaqService,
    laws: LawLibrary,
    text: str,
    previous: FaqEntry | None = None,
    harm: HarmModel | None = None,
    asker: Role | None = None,
    language: str | None = None,
) -> Reply:
    """`previous`: the entry the user was just answered with; a follow-up naming only another school level
    or sector (那幼儿园呢) asks its question of that level. `harm`: the model of harm in words the topics do
    not name; a reply that says nothing of harm yet (no distress, no topic of harm) says where to get help
    when it hears some. `asker`: the user's role; a registered pupil's or teacher's law question gets its
    articles first (教师对处分不服 is no appeal against a school place), their chat (今天中午食堂的红烧肉绝了,
    我把弟弟留给奶奶) is no enrollment question: the FAQ answers them only a message with a word of the
    bureau's questions (SCOPE), and what nothing answers is told what the bot does for them, neither offered
    enrollment entries nor passed to the enrollment staff. `language`: the user's; one who reads English
    writes English, never pinyin (human had been read as 户满, banana as 爸哪拿)."""
    at_school = asker in AT_SCHOOL
    asked = simplified(text.strip())
    reading = None
    if language != "en" and small_talk(asked) is None:  # typed as pinyin (not hello, ok, help)
        reading = read(asked, lambda: (faq.pinyin(), _everyday(), _topics(laws)))
    if reading is not None:
        text = asked = reading
    # a teacher's 我 is the teacher (家长在学校打了我: a teachers' pass had got family violence)
    if asker is Role.staff:
        text = asked = HIT_ME.sub(r"\1\2老师", asked)
    reply = _understood(faq, laws, asked, previous, at_school)
    of_a_child = asker is not Role.student and (
        any(word in asked for word in OWN_CHILD) or OWN_CHILD_EN.search(asked.lower()) is not None
    )
    reply = dataclasses.replace(reply, asker=asker, read_as=reading, number_given=holds_a_number(text),
                                of_a_child=of_a_child)  # fmt: skip
    if reply.language == "en" and reply.found_nothing and language != "en" and syllables_only(asked):
        # pinyin the known words do not spell is no English: what nothing answers is said in the user's
        # language (a grandparent's sunzi … had been told in English to ask in Chinese)
        reply = dataclasses.replace(reply, language=None)
    if reply.kind is Kind.answer:
        reply = dataclasses.replace(reply, also=also_asked(faq, asked, reply.result))
    told = reply.kind in (Kind.distress, Kind.worried) or (reply.law is not None and reply.law.urgent)
    if harm is not None and not told and harm.hears(text):
        return dataclasses.replace(reply, harm=True)
    return reply


def _understood(
    faq: FaqService, laws: LawLibrary, text: str, previous: FaqEntry | None, at_school: bool,
    wrong: str | None = None, complaint: bool = False,
) -> Reply:  # fmt: skip
    """`understand`, but for the model of harm; `text` simplified (我想自殺 and 我媽經常打我 as their
    simplified words). `wrong`: an entry not to give (another level's, for a follow-up asked of a level);
    with `complaint`, the one the user said was not the answer, whose runner-up is then only offered."""
    switched: frozenset[str] = frozenset()  # the level a follow-up asks of, after an answer for another
    if (other := follow_up(faq.faq.words, text)) is not None and previous is None:
        # 那小学呢 after a menu: the level it names (it had been answered with the answer before the menu)
        text = other
    elif other is not None and previous is not None:
        text = rephrased(faq.faq.words, previous.question, other, faq.faq.levels_of(previous))
        if not _for_word(faq.faq.words, faq.faq.levels_of(previous), other):
            wrong = previous.id  # 那幼儿园呢 after an answer for 初中 only: never that answer again
            switched = frozenset(level for level, ws in faq.faq.words.levels.items() if other in ws)
    if (whose := distress(text)) is not None:
        language = "en" if in_english(text) else None
        if whose is Kind.worried:  # a pupil worried for a friend, a teacher asking what the school must do
            asked = faq.faq.english.in_chinese(text) if language == "en" else text
            return Reply(Kind.worried, NOTHING, language=language, law=in_question(laws, asked))
        return Reply(Kind.distress, NOTHING, language=language)
    if feels(text, SCHOOL_REFUSAL):
        english = in_english(text)
        if not laws.topic_names(faq.faq.english.in_chinese(text) if english else text):  # harm it names first
            return Reply(Kind.feelings, NOTHING, language="en" if english else None)
    chat = small_talk(text)
    if chat is Kind.thanks and laws.topic_names(
        faq.faq.english.in_chinese(text) if in_english(text) else text
    ):
        # thanks followed by what happened (谢谢，爸爸每天打我, Thank you. My dad hits me every day): the topic it
        # names, not 不客气 (a pupil's harm had been thanked for)
        chat = None
    if chat is not None:
        english = (chat is Kind.person or letters(text.lower()) in SPEAKS_ENGLISH) and CHINESE.search(
            text
        ) is None
        return Reply(chat, NOTHING, language="en" if english else None)
    if (question := restated(text)) is not None:  # what was answered was not it: never it again
        return _understood(faq, laws, question, previous, at_school, previous.id if previous else wrong, True)
    if any(word in text for word in (*ACTIVITIES, *(SCHOOL_ACTIVITIES if at_school else ()))):
        return Reply(Kind.activities, NOTHING)
    if in_english(text):
        return _english(faq, laws, text)
    result = faq.ask(text)
    if previous is not None:
        result = _in_context(faq, previous, text, result)
    if switched and result.outcome is Outcome.confident and not _levels_of_best(faq, result):
        # an entry for any level is no sure answer to a level's follow-up: 那初中呢 after 小学报名要准备哪些材料 had
        # been answered with 随迁子女报名要准备哪些材料 (初中报名要准备哪些材料 is its question but for one word), which
        # nobody asked; the candidates are offered
        result = dataclasses.replace(result, outcome=Outcome.unsure)
    if wrong is not None and (best := result.best) is not None and best.entry_id == wrong:
        result = faq.without(result, wrong)
        if complaint and result.outcome in (Outcome.confident, Outcome.likely):
            # the next best after an answer the user said was wrong is offered, not asserted (不对 我问的是小学的
            # 电脑派位 不是初中 had got the 小升初 lottery answer again, word for word)
            result = dataclasses.replace(result, outcome=Outcome.unsure)
    if (typed := letters(text)) in GENERIC:
        return Reply(Kind.broad, result, topic=typed)
    scoped = in_scope(text)
    if (
        not scoped
        and result.outcome is Outcome.confident
        and not faq.matcher.thresholds.sure(result.matches, result.neighbours)
    ):  # a lead alone answers no message with none of the bureau's words (apple是什么意思): `likely` below
        result = dataclasses.replace(result, outcome=Outcome.likely)
    # the articles a question asks for (the topics' search is most of a reply's time): a pupil's or
    # teacher's first; for a parent, only when the FAQ has no confident answer
    law = in_question(laws, text) if at_school else None
    if law is not None and _has_articles(law):
        beside = result if scoped and not _law_topic_apart(faq, laws, text, result) else NOTHING
        return Reply(Kind.law, _beside_harm(faq, laws, law, text, beside), law=law)
    if (
        result.outcome is Outcome.confident
        and _answerable(faq, result)
        and (scoped or not at_school)
        and not _law_topic_apart(faq, laws, text, result)
    ):
        return Reply(Kind.answer, result)
    if not at_school:
        law = in_question(laws, text)
    articles = law is not None and _has_articles(law)
    if not articles and feels(text):
        return Reply(Kind.feelings, NOTHING)
    if result.outcome is Outcome.likely and _answerable(faq, result) and not articles:
        if scoped:  # a `likely` answer yields to the articles a law question names
            return Reply(Kind.answer, result)
        # … and is only offered when the message has none of the words of the bureau's questions (电脑中毒了
        # had been answered with 电脑派位, 猫咪不吃饭怎么办 with an enrollment entry)
        result = dataclasses.replace(result, outcome=Outcome.unsure)
    if law is not None and (articles or result.outcome is Outcome.none or _only_a_law(laws, text)):
        # below the articles, not an entry the law it names is apart from, nor enrollment entries for a
        # pupil's or teacher's question with no word of the bureau's
        apart = _law_apart(faq, laws, text, result) or (at_school and not scoped)
        return Reply(Kind.law, NOTHING if apart else _beside_harm(faq, laws, law, text, result), law=law)
    if result.outcome is Outcome.unsure and (scoped or not at_school):
        return Reply(Kind.unsure, result)
    if at_school and (found := laws.closest(text)):  # 几岁算成年人, 国歌是什么: for reference
        return Reply(Kind.searched, NOTHING, law=LookupResult(matches=found))
    if not scoped or faq.beyond_schools(result):
        return Reply(Kind.out_of_scope, result)
    typed = letters(text)
    if len(typed) <= BROAD:
        return Reply(Kind.broad, result, topic=typed)
    # the enrollment staff answer parents: a pupil's or teacher's question is kept for /unanswered only
    return Reply(Kind.out_of_scope if at_school else Kind.unanswered, result)


@functools.cache
def _everyday() -> PinyinTable:
    """The enquiry's own words by their pinyin, beside the FAQ's: what a message typed as pinyin may say
    that no FAQ wording does (ni hao, xie xie, wo bu xiang huo le). They are whole messages, and weigh more
    than the FAQ's fragments of words (wo yao zhao rengong had been read as 我要找人公)."""
    texts = [*GREETINGS, *THANKS, *ACKS, *FAREWELLS, *UNHELPFUL, *PLAINER, *PERSON, *NOISE, *DISTRESS, *FEELINGS,
             *OTHERS, *CHILD, *SCOPE, *SCHOOL_CHANGES, *ACTIVITIES, *SCHOOL_ACTIVITIES]  # fmt: skip
    return PinyinTable(texts, weight=EVERYDAY_WEIGHT)


@functools.lru_cache(maxsize=2)
def _topics(laws: LawLibrary) -> PinyinTable:
    """The law topics' names by their pinyin, each name's parts together (sunzi bei qifu le: 孙子被欺负了),
    per law library."""
    return PinyinTable([name.replace(" ", "") for name in laws.topics])


def distress(text: str) -> Kind | None:
    """Kind.distress for words of someone who may hurt themselves or run away (我不想活了, I want to die);
    Kind.worried when they are about someone else: their clause names another person (OTHERS; in English
    OTHERS_EN) after its last 我 (I, me) and before the words; None for neither. A clause that names
    nobody is the writer's (爸妈离婚了，不想活了): the reply to a child at risk is the one to get wrong
    least."""
    for clause in CLAUSE_END.split(text.lower()):
        typed = letters(clause)
        for saying in (*NOT_DISTRESS, *NOT_PERSONS):
            typed = typed.replace(saying, "")
        found = [(at, at + len(words)) for words in DISTRESS if (at := typed.find(words)) >= 0]
        if not found:
            continue
        start, end = min(found)
        if in_english(text):
            another = _names_another_first(clause, end)
        else:
            before = typed[:start]
            named = max(
                (before.rfind(person) + len(person) for person in OTHERS if person in before), default=-1
            )
            another = named > before.rfind("我")
        return Kind.worried if another else Kind.distress
    return None


def feels(text: str, words: tuple[str, ...] = FEELINGS) -> bool:
    """Whether the writer says they feel low (FEELINGS), of themselves rather than of a child (CHILD)."""
    typed = letters(text.lower().replace("'", "").replace("’", ""))
    return any(word in typed for word in words) and not any(word in typed for word in CHILD)


def _names_another_first(text: str, end: int) -> bool:
    """Whether the last person an English message names before `end` (in its letters) is another."""
    another, seen = False, 0
    for word in WORD.findall(text.lower()):  # letters and digits, as `letters` keeps them
        if seen >= end:
            break
        if word.removesuffix("s") in OTHERS_EN:  # friends, students
            another = True
        elif word in SELF_EN:
            another = False
        seen += len(word)
    return another


def follow_up(words: MatchingWords, text: str) -> str | None:
    """The school level or sector word (matching.yaml's) a follow-up names when that is all it says, with
    那 before it or 呢 after it (那幼儿园呢, 初中的话呢, 民办的呢); else None. A word alone (幼儿园) is no
    follow-up: it names a topic."""
    typed = letters(text)
    rest = next((typed[len(w) :] for w in FOLLOW_UP_BEFORE if typed.startswith(w)), typed)
    rest = next((rest[: -len(w)] for w in FOLLOW_UP_AFTER if rest.endswith(w)), rest)
    if rest == typed:
        return None
    known = {w for group in (words.levels, words.sectors) for ws in group.values() for w in ws}
    return rest if rest in known else None


def _in_context(faq: FaqService, previous: FaqEntry, text: str, result: Result) -> Result:
    """What `text` gets asked of the school level of the entry just answered, when that entry is for one
    level, `text` names none, and an entry of that level is then the answer: surer than `result`, or as
    confident where `result` is only other levels' answer (什么时候报名 after the 幼儿园 age entry had been
    answered with 小学 registration). Else `result`: an answer for any level stands, and a topic that level
    has no entry for (转学 after 幼儿园) keeps its own."""
    levels = faq.faq.levels_of(previous)
    if len(levels) != 1 or faq.levels_named(result):
        return result
    (level,) = levels
    confident = result.outcome is Outcome.confident
    if confident and (_levels_of_best(faq, result) or {level}) >= {level}:  # its level's, or any level's
        return result
    asked = faq.ask(text, level)
    if not asked.matches or level not in _levels_of_best(faq, asked):
        return result
    surer = SURENESS[asked.outcome] > SURENESS[result.outcome]
    return asked if surer or (confident and asked.outcome is Outcome.confident) else result


def _levels_of_best(faq: FaqService, result: Result) -> frozenset[str]:
    """The school levels `result`'s best entry is for (empty: any, or no entry)."""
    best = faq.entry(result.matches[0].entry_id) if result.matches else None
    return faq.faq.levels_of(best) if best is not None else frozenset()


def rephrased(words: MatchingWords, question: str, other: str, levels: frozenset[str] = frozenset()) -> str:
    """`question` asked of `other` (a level or sector word) instead: a word of its kind in it replaced
    (孩子多大可以上小学？ → 孩子多大可以上幼儿园？), one of `levels` (the answer's own) first (小学在外地读的，回户籍地
    上初中怎么办？ asked of 幼儿园 had become 幼儿园在外地读的…上初中, and got the 初中 answer again); else `other`
    put before it."""
    group = words.sectors if any(other in ws for ws in words.sectors.values()) else words.levels
    own = sorted((w for level in levels for w in group.get(level, ())), key=len, reverse=True)  # type: ignore[call-overload]
    for word in [*own, *sorted((w for ws in group.values() for w in ws), key=len, reverse=True)]:
        if word in question:
            return question.replace(word, other, 1)
    return other + question


def _for_word(words: MatchingWords, levels: frozenset[str], word: str) -> bool:
    """Whether an entry for `levels` (empty: any) answers for the level `word` names (a sector word, or a
    word of no level: as any)."""
    named = {level for level, ws in words.levels.items() if word in ws}
    return not levels or not named or bool(named & levels)


def small_talk(text: str) -> Kind | None:
    """A greeting, thanks, agreement, a complaint about the answer, a request for a person, or noise (the
    whole message), else None."""
    sent = text.strip().replace("\ufe0f", "")  # an emoji's presentation selector (✅️)
    if sent and set(sent) <= DISAGREEING_EMOJI:
        return Kind.unhelpful
    if sent and set(sent) <= THANKING_EMOJI | AGREEING_EMOJI:
        return Kind.thanks if set(sent) & THANKING_EMOJI else Kind.ack
    typed = letters(EMOJI_CODE.sub("", text.lower()))
    if len(typed) <= 1 or typed.isdigit():
        return Kind.noise  # emoji, stickers' stand-ins, punctuation, a stray key; a number alone (a 学号
        # or a phone number typed where nothing asked for one is not kept as a question)
    bare = _once(typed.rstrip(TRAILING) or typed)
    if bare in PERSON or bare.removeprefix("请") in PERSON or _asks_for_a_person(bare):
        return Kind.person
    if bare in HELP:
        return Kind.help
    if bare in GREETINGS or bare in SPEAKS_ENGLISH or (len(bare) <= 8 and bare.startswith(ABOUT_ME)):
        return Kind.greeting
    if (
        bare in THANKS
        or (len(bare) <= 6 and any(word in bare for word in ("谢", "thank")))
        or _thanks_only(bare)
        or _thanks_only_en(text, bare)
    ):
        return Kind.thanks
    if bare in ACKS:
        return Kind.ack
    if bare in FAREWELLS:
        return Kind.farewell
    if bare in CANCEL:
        return Kind.cancel
    if bare in UNHELPFUL:
        return Kind.unhelpful
    if bare in PLAINER:
        return Kind.plainer
    if bare in NOISE:
        return Kind.noise
    return None


def also_asked(faq: FaqService, text: str, result: Result) -> tuple[str, ...]:
    """The entries that answer the other questions a message asks, each its own clause with a question
    word (孩子几岁可以上小学？报名要准备哪些资料 had been answered on the documents alone, the age a button of
    其他相关问题): each clause's answer (confident or likely; of the level the message names, if one) where
    it is another entry than `result`'s, in the message's order, ALSO at most."""
    parts = [p for p in PARTS.split(text) if len(letters(p)) >= PART_LETTERS and ASKING.search(p)]
    if len(parts) < 2:
        return ()
    named = faq.levels_named(result)
    level = next(iter(named)) if len(named) == 1 else None  # 入园需要哪些材料 出生证明要吗: the 幼儿园's
    shown = {m.entry_id for m in result.matches[:1]}
    found: list[str] = []
    for part in parts:
        answer = faq.ask(part, level)
        if answer.outcome in (Outcome.confident, Outcome.likely) and answer.matches[0].entry_id not in shown:
            shown.add(answer.matches[0].entry_id)
            found.append(answer.matches[0].entry_id)
    return tuple(found[:ALSO])


def _asks_for_a_person(bare: str) -> bool:
    """A short message naming a person to talk to (我要找真人客服, 有没有真人), or a longer one asking for one
    in so many words (能不能找个真人说说，我打字太慢了): not 人工智能."""
    if "智能" in bare:
        return False
    if len(bare) <= 10 and any(word in bare for word in PERSON_WORDS):
        return True
    return len(bare) <= PERSON_LETTERS and any(phrase in bare for phrase in PERSON_PHRASES)


def _thanks_only(bare: str) -> bool:
    """Thanks with kind words after them and no question (谢谢你啊闺女你真好 had been told 不在我能回答的范围)."""
    return bare.startswith(("谢谢", "感谢", "多谢")) and not ASKING.search(bare) and not in_scope(bare)


def _thanks_only_en(text: str, bare: str) -> bool:
    """The same in English (Thank you very much for your help!, thanks for the info had been told "I could not
    find your question" and passed on as questions): thanks first, no question mark, no enrollment word."""
    return bare.startswith(("thank", "thx", "manythanks")) and "?" not in text and not in_scope_en(text)


def restated(text: str) -> str | None:
    """The question a message says again after a complaint about the answer, or after 我问的是, when there
    is one of at least RESTATED_LETTERS letters; else None."""
    found = RESTATED.match(text)
    if found is None or found.start("question") == 0:
        return None
    question = found["question"]
    return question if len(letters(question)) >= RESTATED_LETTERS else None


def letters(text: str) -> str:
    """The message's letters and digits: no punctuation, spaces or emoji."""
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def _once(text: str) -> str:
    """A word said twice, once: 懂了懂了 → 懂了, 好的好的 → 好的."""
    half = len(text) // 2
    return text[:half] if len(text) % 2 == 0 and text[:half] == text[half:] else text


def in_english(text: str) -> bool:
    """Written in English: Latin words and no Chinese characters."""
    return CHINESE.search(text) is None and len(LATIN_WORD.findall(text.lower())) >= 2


def in_scope(text: str) -> bool:
    return any(word in text for word in SCOPE)


def in_scope_en(text: str) -> bool:
    return any(
        word in SCOPE_EN or word.removesuffix("s") in SCOPE_EN for word in LATIN_WORD.findall(text.lower())
    )


def _has_articles(law: LookupResult) -> bool:
    return law.article is not None or bool(law.matches)


# what a message asking what a law is says besides its name (民法典是什么, 什么是宪法)
WHAT_IS = re.compile(
    r"^(?:什么是|啥是)|(?:是什么|是啥|是什么东西|讲什么|讲的是什么|有什么内容)?[吗呢呀啊]?[?？。!！]*$"
)


def _only_a_law(laws: LawLibrary, text: str) -> bool:
    """Whether the message is a law's name and nothing more, or asks what it is (民法典, 什么是宪法): which of
    its articles to look up, where 民法典 had been offered private schools' entries (民, as in 民办)."""
    return laws.named(WHAT_IS.sub("", text.strip())) is not None


def _answerable(faq: FaqService, result: Result) -> bool:
    return result.best is not None and faq.entry(result.best.entry_id) is not None


def _law_topic_apart(faq: FaqService, laws: LawLibrary, text: str, result: Result) -> bool:
    """Whether the question names a curated law topic (content/law/topics.yaml) that the entry the FAQ
    found never speaks of, in its wordings or its answer: 幼儿园老师打孩子怎么办 asks about 体罚, however
    close it comes to 幼儿园什么时候报名; 报名时监护人信息怎么填 is the registration entry's own (监护). Or
    a law (`_law_apart`)."""
    entry = faq.entry(result.best.entry_id) if result.best is not None else None
    if entry is None:
        return False
    if _law_apart(faq, laws, text, result):
        return True
    topics = laws.topic_names(text)
    return bool(topics) and not any(laws.mentions_topic(topic, _said(entry)) for topic in topics)


def _law_apart(faq: FaqService, laws: LawLibrary, text: str, result: Result) -> bool:
    """Whether the question names a law that the entry the FAQ found neither rests on nor names: 宪法修改过几次
    asks about the 宪法, not about changing an application (报名信息填错了，还能修改吗)."""
    entry = faq.entry(result.best.entry_id) if result.best is not None else None
    if entry is None or (named := law_named(laws, squash(text))) is None:
        return False
    law, said = named[0], _said(entry)
    names = (law.title, law.title.removeprefix("中华人民共和国"), *law.aliases)
    return law.slug not in {b.law for b in entry.basis} and not any(name in said for name in names)


def _said(entry: FaqEntry) -> str:
    """What `entry` says, in its wordings and its answer (simplified)."""
    return simplified("".join((entry.question, *entry.alternates, *entry.keywords, entry.answer)))


def _beside_harm(faq: FaqService, laws: LawLibrary, law: LookupResult, text: str, result: Result) -> Result:
    """What the FAQ found, to offer below a law question's articles. Beside harm, only what it finds for
    a change of school the rest of the message asks about (孩子在学校被同学欺负了能转学吗: the transfer entries;
    幼儿园老师拿针扎她 had been offered 幼儿园什么时候报名, 数学老师扇了我儿子 an entrance-exam entry), and
    nothing when the message names no child (a child's own: 有人在网上骂我 had been offered 网上报名)."""
    if not law.urgent:
        return result
    if not any(word in text for word in CHILD):
        return NOTHING
    rest = laws.without_topics(text)
    return faq.ask(rest) if any(word in rest for word in SCHOOL_CHANGES) else NOTHING


def _english(faq: FaqService, laws: LawLibrary, text: str) -> Reply:
    """Its key words in Chinese (content/faq/english.yaml) for the matcher; the entry's English answer
    when the match is sure and there is one; the articles of a law topic its words name (My son was
    bullied at school: 霸凌), as for a question in Chinese; else the closest entries (in Chinese); with
    none, a question about schools or children (SCOPE_EN) is unanswered, as a Chinese one would be."""
    chinese = faq.faq.english.in_chinese(text)
    result = faq.ask(chinese)
    apart = _law_topic_apart(faq, laws, chinese, result)
    if result.outcome in (Outcome.confident, Outcome.likely) and _answerable(faq, result) and not apart:
        entry = faq.entry(result.best.entry_id) if result.best else None
        if entry is not None and entry.answer_en:
            return Reply(Kind.answer, result, language="en")
    law = in_question(laws, chinese) if result.outcome is not Outcome.confident or apart else None
    if law is not None and (_has_articles(law) or _only_a_law(laws, chinese)):  # what is the constitution?
        return Reply(Kind.law, _beside_harm(faq, laws, law, chinese, result), language="en", law=law)
    if result.outcome is Outcome.none:  # kept for /unanswered as the parent wrote it
        result = Result(Outcome.none, [], faq.ask(text).normalized)
        if in_scope_en(text):  # passed to the staff as a Chinese one would be
            return Reply(Kind.unanswered, result, language="en")
    return Reply(Kind.english, result, language="en")
