"""Every user-facing word of the library in Chinese and English: one catalogue.

A word is looked up by its key, in one language, with :func:`word`::

    word(RiskTier.RED, "zh")             # '红色（高风险）'
    word("kpi.activities", "en")         # 'Service activities'
    word("report.more", "zh", n=3)       # '……另有 3 项'

The key of an enum member is ``"<EnumClass>.<value>"`` (:func:`key_of`), so the catalogue
imports no module of the library and every module can use it. Other keys are dotted
names, one prefix per kind of word:

* ``kpi.*``: the KPIs of a ledger (:meth:`KpiReport.as_dict` order);
* ``dimension.*``: the dimensions of reasons;
* ``category.*``: need categories (elderly interventions, support actions, micro-wish
  and micro-project categories, problem categories, activities);
* ``unmatched.*``: why a need was not met (``UNMATCHED_REASONS``);
* ``rejection.*``: why a record of a snapshot was not used;
* ``risk.none``: a child who is not in difficulty;
* ``ability.*``: the levels and dimensions of the GB/T 42195-2022 ability assessment;
* ``reason.*``: fragments of reason messages (their wording is part of the JSON output,
  so it never changes, even where the English carries a Chinese term);
* ``report.*`` and ``html.*``: the headings and sentence templates of the text report
  and of the HTML report (values in braces are filled in by :func:`word`).

Words are Chinese first, English second, as everywhere in the library.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

__all__ = ["LANGS", "WORDS", "Lang", "key_of", "keys", "word", "word_or"]

#: A language of the library's words: Chinese or English.
Lang = Literal["zh", "en"]

#: The languages of the catalogue, in the order of each entry's pair.
LANGS: tuple[Lang, ...] = ("zh", "en")

_ENUMS: dict[str, tuple[str, str]] = {
    # elderly.RiskTier
    "RiskTier.red": ("红色（高风险）", "red (high risk)"),
    "RiskTier.yellow": ("黄色（重点关注）", "yellow (watch)"),
    "RiskTier.green": ("绿色（一般）", "green (general)"),
    # elderly.LivingArrangement
    "LivingArrangement.alone": ("独居", "lives alone"),
    "LivingArrangement.with_spouse_only": ("空巢（仅与配偶同住）", "with spouse only"),
    "LivingArrangement.with_family": ("与家人同住", "with family"),
    "LivingArrangement.institution": ("入住养老机构", "in a care home"),
    # vocab.EconomicStatus (the elderly reason "economic_hardship" shows these words)
    "EconomicStatus.none": ("无", "none"),
    "EconomicStatus.low_income": ("低保", "low income"),
    "EconomicStatus.extreme_poverty": ("特困", "extreme poverty"),
    # children.ChildCategory
    "ChildCategory.orphan": ("孤儿", "orphan"),
    "ChildCategory.de_facto_unsupported": ("事实无人抚养儿童", "de facto unsupported"),
    "ChildCategory.poverty": ("因家庭贫困", "family poverty"),
    "ChildCategory.disability_or_illness": ("因自身残疾或重病", "disability or illness"),
    "ChildCategory.guardianship_deficit": ("监护缺失或监护不当", "guardianship deficit"),
    "ChildCategory.left_behind": ("留守儿童", "left behind"),
    "ChildCategory.temporary_difficulty": ("临时困境", "temporary difficulty"),
    # children.ChildRisk
    "ChildRisk.high": ("高风险", "high risk"),
    "ChildRisk.medium": ("中风险", "medium risk"),
    "ChildRisk.low": ("低风险", "low risk"),
    # children.ParentStatus (the Chinese words appear in category reasons)
    "ParentStatus.present": ("在家", "at home"),
    "ParentStatus.working_away": ("外出务工", "working away"),
    "ParentStatus.deceased": ("死亡", "deceased"),
    "ParentStatus.declared_missing": ("被宣告失踪", "declared missing"),
    "ParentStatus.unknown": ("身份不明", "never identified"),
    "ParentStatus.severely_disabled": ("重残", "severely disabled"),
    "ParentStatus.seriously_ill": ("重病", "seriously ill"),
    "ParentStatus.imprisoned": ("服刑在押", "imprisoned"),
    "ParentStatus.compulsory_rehab": ("强制隔离戒毒", "in compulsory drug rehabilitation"),
    "ParentStatus.restricted_liberty": (
        "被执行其他限制人身自由的措施",
        "under another restriction of liberty",
    ),
    "ParentStatus.lost_contact": ("失联", "lost contact"),
    "ParentStatus.guardianship_revoked": ("被撤销监护资格", "guardianship revoked"),
    "ParentStatus.deported": ("被遣送（驱逐）出境", "deported"),
    # children.Guardian
    "Guardian.parents": ("父母", "parents"),
    "Guardian.grandparents": ("祖父母", "grandparents"),
    "Guardian.other_relative": ("其他亲属", "another relative"),
    "Guardian.institution": ("福利机构", "a welfare institution"),
    "Guardian.none": ("无人监护", "no guardian"),
    # children.SchoolStatus
    "SchoolStatus.enrolled": ("在校", "in school"),
    "SchoolStatus.preschool": ("学龄前", "preschool"),
    "SchoolStatus.not_enrolled": ("未入学", "never enrolled"),
    "SchoolStatus.dropped_out": ("辍学", "dropped out"),
    # children.SupportDimension
    "SupportDimension.material": ("物质帮扶", "material support"),
    "SupportDimension.psychological": ("心理关爱", "psychological care"),
    "SupportDimension.education": ("教育支持", "education support"),
    "SupportDimension.safety": ("安全与监护", "safety and guardianship"),
    "SupportDimension.health": ("康复与医疗", "rehabilitation and medical care"),
    # children.WishStatus
    "WishStatus.collected": ("已收集", "collected"),
    "WishStatus.published": ("已发布", "published"),
    "WishStatus.adopted": ("已认领", "adopted"),
    "WishStatus.fulfilled": ("已圆梦", "fulfilled"),
    "WishStatus.confirmed": ("已回访确认", "confirmed"),
    "WishStatus.withdrawn": ("已撤回", "withdrawn"),
    # vocab.Urgency
    "Urgency.critical": ("紧急", "critical"),
    "Urgency.high": ("高", "high"),
    "Urgency.normal": ("一般", "normal"),
    "Urgency.low": ("低", "low"),
    # vocab.PartyKind
    "PartyKind.community_committee": ("社区党委/居委会", "community committee"),
    "PartyKind.member_unit": ("大党委成员单位", "member units"),
    "PartyKind.social_organization": ("社会组织", "social organisations"),
    "PartyKind.volunteer": ("志愿者", "volunteers"),
    "PartyKind.resident": ("居民", "residents"),
    "PartyKind.social_worker": ("社会工作者", "social workers"),
    "PartyKind.charity_resource": ("社会慈善资源", "charity resources"),
    # linkage.NeedSource
    "NeedSource.micro_wish": ("微心愿", "micro-wish"),
    "NeedSource.micro_project": ("微项目", "micro-project"),
    "NeedSource.assessment": ("老年人评估", "elderly assessment"),
    "NeedSource.problem": ("急难愁盼问题", "urgent problem"),
    "NeedSource.plan": ("帮扶计划", "support plan"),
    # followup.CadenceUnit
    "CadenceUnit.day": ("天", "days"),
    "CadenceUnit.week": ("周", "weeks"),
    "CadenceUnit.month": ("月", "months"),
    # vocab.VisitMode
    "VisitMode.home": ("上门入户", "home visit"),
    "VisitMode.phone": ("电话", "phone"),
    "VisitMode.video": ("视频", "video"),
    # vocab.FindingBlock
    "FindingBlock.health": ("健康状况", "health"),
    "FindingBlock.economic": ("经济状况", "economic"),
    "FindingBlock.family": ("家庭关系", "family"),
    "FindingBlock.safety": ("居住安全", "safety"),
    "FindingBlock.needs": ("服务需求", "needs"),
    # followup.CaseKind
    "CaseKind.elderly": ("老年人", "older resident"),
    "CaseKind.child": ("儿童", "child"),
    # followup.FollowUpStatus
    "FollowUpStatus.on_track": ("正常", "on track"),
    "FollowUpStatus.due_soon": ("即将到期", "due soon"),
    "FollowUpStatus.overdue": ("逾期", "overdue"),
    "FollowUpStatus.escalated": ("升级督办", "escalated"),
    # followup.FollowUpAction
    "FollowUpAction.opened": ("建档", "opened"),
    "FollowUpAction.visited": ("探访", "visited"),
    "FollowUpAction.retiered": ("调整等级", "re-tiered"),
    "FollowUpAction.attempted": ("探访未遇", "attempted, not met"),
    # identity.Sex
    "Sex.male": ("男", "male"),
    "Sex.female": ("女", "female"),
    # ledger.ProblemSource
    "ProblemSource.resident_report": ("居民反映", "reported by residents"),
    "ProblemSource.outreach": ("入户走访发现", "found on home visits"),
    "ProblemSource.inspection": ("巡查发现", "found on inspection"),
    "ProblemSource.hotline": ("热线（12345 等）", "hotline (12345 and similar)"),
    # ledger.ProblemStatus
    "ProblemStatus.reported": ("已上报", "reported"),
    "ProblemStatus.accepted": ("已受理", "accepted"),
    "ProblemStatus.in_progress": ("办理中", "in progress"),
    "ProblemStatus.resolved": ("已解决", "resolved"),
    "ProblemStatus.verified": ("已回访确认", "verified with residents"),
    "ProblemStatus.reopened": ("重新办理", "reopened"),
    # ledger.HazardKind
    "HazardKind.tangled_wiring": ("私拉乱接电线", "tangled wiring"),
    "HazardKind.flying_lead_charging": ("飞线充电", "flying-lead charging"),
    "HazardKind.blocked_fire_escape": ("消防通道堵塞", "blocked fire escape"),
    "HazardKind.stairwell_clutter": ("楼道堆物", "stairwell clutter"),
    "HazardKind.gas": ("燃气隐患", "gas"),
    "HazardKind.other": ("其他", "other"),
    # ledger.HazardStatus
    "HazardStatus.open": ("未整改", "open"),
    "HazardStatus.rectified": ("已整改", "rectified"),
    "HazardStatus.verified": ("复查合格", "passed re-inspection"),
    "HazardStatus.reopened": ("复查不合格", "failed re-inspection"),
}

_DOMAIN: dict[str, tuple[str, str]] = {
    # A child who is not in difficulty has no risk level.
    "risk.none": ("非困境", "not in difficulty"),
    # The KPIs of a ledger, in KpiReport.as_dict order.
    "kpi.activities": ("服务活动", "Service activities"),
    "kpi.person_times": ("服务人次", "Person-times served"),
    "kpi.unique_beneficiaries": ("受益居民（去重）", "Residents served (unique)"),
    "kpi.problems_resolved": ("解决急难愁盼问题", "Urgent problems solved"),
    "kpi.median_days_to_resolve": ("解决用时中位数", "Median time to solve"),
    "kpi.hazards_found": ("发现隐患", "Hazards found"),
    "kpi.hazards_rectified_on_time": ("按时整改隐患", "Hazards fixed on time"),
    "kpi.proactive_share": ("主动发现占比", "Found proactively"),
    "kpi.multi_party_share": ("多方参与占比", "With several parties"),
    "kpi.visit_on_time_rate": ("按时探访率", "Visits on time"),
    "kpi.monthly_visit_coverage": ("月探访率", "Monthly visit coverage"),
    # The dimensions of reasons (the support dimensions are added below).
    "dimension.health": ("健康状况", "health"),
    "dimension.social": ("社会支持", "social support"),
    "dimension.home": ("居家安全", "home safety"),
    "dimension.floor": ("保底规则", "floor rule"),
    "dimension.intervention": ("干预建议", "intervention"),
    "dimension.category": ("困境类别", "category of difficulty"),
    "dimension.risk": ("风险等级", "risk level"),
    "dimension.linkage": ("五社联动", "five-party linkage"),
    "dimension.ability": ("能力评估", "ability assessment"),
    # GB/T 42195-2022 ability levels and first-level indicators (elderly ability assessment)
    "ability.level.0": ("能力完好", "intact"),
    "ability.level.1": ("能力轻度受损（轻度失能）", "mildly impaired"),
    "ability.level.2": ("能力中度受损（中度失能）", "moderately impaired"),
    "ability.level.3": ("能力重度受损（重度失能）", "severely impaired"),
    "ability.level.4": ("能力完全丧失（完全失能）", "complete loss of ability"),
    "ability.self_care": ("自理能力", "self-care"),
    "ability.mobility": ("基础运动能力", "basic mobility"),
    "ability.mental": ("精神状态", "mental state"),
    "ability.perception_social": ("感知觉与社会参与", "perception and social participation"),
    "dimension.override": ("人工调整", "manual override"),
    # Why a need was not met (linkage.UNMATCHED_REASONS).
    "unmatched.no_capable_offer": ("没有提供该服务的资源", "no offer provides the service"),
    "unmatched.outside_service_area": ("不在资源服务范围内", "outside every offer's area"),
    "unmatched.not_vetted": (
        "个人资源未完成入职查询",
        "no individual vetted for contact with children",
    ),
    "unmatched.not_available_in_time": ("资源无法及时提供", "no offer is available in time"),
    "unmatched.capacity_taken": ("名额已分配给更紧急的需求", "capacity went to other needs"),
    # Why a record of a snapshot was not used (Rejection.code).
    "rejection.invalid_input": ("数据有误", "invalid data"),
    "rejection.duplicate_id": ("编号重复", "duplicate id"),
    "rejection.not_eligible": ("不符合评估条件", "not eligible"),
    "rejection.calendar_range": ("超出工作日日历年份", "outside the calendar's years"),
    # Need categories: elderly interventions, support actions, micro-wishes and
    # micro-projects, problems and activities of the default catalogues.
    "category.health_check": ("免费体检", "health check"),
    "category.chronic_care": ("慢病管理", "chronic disease care"),
    "category.smoke_alarm_install": ("安装烟感", "smoke alarm"),
    "category.grab_bar_install": ("安装扶手", "grab bars"),
    "category.rewiring": ("电线改造", "rewiring"),
    "category.emergency_call_device": ("紧急呼叫设备", "emergency call device"),
    "category.companionship": ("陪伴探访", "companionship"),
    "category.micro_wish": ("微心愿", "micro-wish"),
    "category.material_aid": ("物资帮扶", "material aid"),
    "category.basic_living_allowance": ("基本生活保障", "basic living allowance"),
    "category.caring_mother": ("爱心妈妈结对", "caring-mother pairing"),
    "category.caring_mother_pairing": ("爱心妈妈结对", "caring-mother pairing"),
    "category.counseling": ("心理辅导", "counselling"),
    "category.tutoring": ("学业辅导", "tutoring"),
    "category.education_aid": ("教育资助", "education aid"),
    "category.early_education": ("早期教育", "early education"),
    "category.school_reenrolment": ("复学", "school re-enrolment"),
    "category.vocational_guidance": ("职业指导", "vocational guidance"),
    "category.practice_education": ("实践教育", "practice education"),
    "category.mandatory_report": ("强制报告", "mandatory report"),
    "category.guardianship_assessment": ("监护评估", "guardianship assessment"),
    "category.rehabilitation": ("康复", "rehabilitation"),
    "category.medical_aid": ("医疗救助", "medical aid"),
    "category.fire_safety": ("消防安全", "fire safety"),
    "category.emergency_training": ("应急演练", "emergency drills"),
    "category.handrail_install": ("楼道扶手", "stairwell handrails"),
    "category.stairwell_lighting": ("楼道照明", "stairwell lighting"),
    "category.tree_trimming": ("树木修剪", "tree trimming"),
    "category.pump_repair": ("水泵维修", "water-pump repair"),
    "category.ev_charging": ("充电桩", "EV charging"),
    "category.cleanup": ("环境清理", "clean-up"),
    "category.sewing": ("缝补", "sewing"),
    "category.noise": ("噪音扰民", "noise"),
    "category.water_leak": ("漏水", "water leak"),
    "category.free_clinic": ("义诊", "free clinic"),
    "category.health_lecture": ("健康讲座", "health talk"),
}

# Fragments of reason messages. Reasons are part of the JSON output, so these texts are
# exactly the ones the rules always wrote (the English keeps its Chinese term).
_REASONS: dict[str, tuple[str, str]] = {
    # A child's family on assistance (the "poverty" category reason).
    "reason.family_economic.low_income": (
        "低保家庭",
        "family receives low-income assistance (低保)",
    ),
    "reason.family_economic.extreme_poverty": (
        "特困供养",
        "family receives extreme-poverty support (特困)",
    ),
    # The names of the elderly interventions (Intervention.message).
    "reason.intervention.smoke_alarm_install": ("安装烟感报警器", "install a smoke alarm"),
    "reason.intervention.rewiring": ("电线改造", "rewire the home"),
    "reason.intervention.grab_bar_install": ("安装扶手", "install grab bars"),
    "reason.intervention.emergency_call_device": (
        "配备紧急呼叫设备",
        "provide an emergency call device",
    ),
    "reason.intervention.health_check": ("免费年度体检", "free annual health check"),
    "reason.intervention.chronic_care": (
        "家庭医生慢病管理",
        "family-doctor chronic disease management",
    ),
    "reason.intervention.companionship": ("陪伴探访", "companionship visits"),
}

# The text report (community_care.report): headings and sentence templates.
_REPORT: dict[str, tuple[str, str]] = {
    "report.title": ("社区关爱计划：{name}，{on}", "Community care plan: {name}, {on}"),
    "report.policy": ("政策版本 {v}", "Policy {v}"),
    "report.mandatory": (
        "！！强制报告待办（{n} 名儿童）：发现儿童疑似遭受侵害，须立即向公安机关报案（110），"
        "并报告民政、教育部门",
        "!! Mandatory reports outstanding ({n} children): a child suspected of being harmed"
        " is reported at once to the police (110) and to civil affairs or education",
    ),
    "report.mandatory_row": ("{id} {name}：自 {due} 起应报告，已逾期 {d} 天",
                             "{id} {name}: due since {due}, {d} day(s) overdue"),
    "report.overridden": ("（人工调整，计算结果为{was}）", " (overridden; computed {was})"),
    "report.overrides": ("人工调整等级的个案：{n} 个",
                         "Cases with a level set by a caseworker: {n}"),
    "report.elderly": ("一、老年人风险分级（{n} 人已评估）",
                       "1. Older residents' risk tiers ({n} assessed)"),
    "report.tiers": ("红色 {red}，黄色 {yellow}，绿色 {green}",
                     "red {red}, yellow {yellow}, green {green}"),
    "report.ability": ("能力等级按《老年人能力评估规范》评估项目计算 {n} 人（{levels}），"
                       "其余 {m} 人为登记等级或未评估",
                       "Ability levels computed from GB/T 42195-2022 item scores for {n}"
                       " ({levels}); the other {m} recorded or not assessed"),
    "report.ability_level": ("等级 {level}：{n} 人", "level {level}: {n}"),
    "report.red_list": ("红色名单：", "Red list:"),
    "report.red_row": ("{id} {name} {age} 岁，评分 {score}：{reasons}",
                       "{id} {name} aged {age}, score {score}: {reasons}"),
    "report.children": ("二、困境儿童（{n} 人在册，{k} 人处于困境）",
                        "2. Children ({n} recorded, {k} in difficulty)"),
    "report.child_row": ("{id} {name}【{risk}】{categories} → {actions}；复评 {review}",
                         "{id} {name} [{risk}] {categories} → {actions}; review {review}"),
    "report.matching": ("三、五社联动需求对接（{n} 项需求，已对接 {m} 项）",
                        "3. Five-party linkage ({n} needs, {m} met)"),
    "report.met_by": ("按紧急程度已对接：{counts}", "Met by urgency: {counts}"),
    "report.by_party": ("按参与方：{counts}", "By party: {counts}"),
    "report.unmet": ("未对接需求（按原因）：{counts}", "Unmet needs by reason: {counts}"),
    "report.unmet_row": ("{id} {category}（{urgency}，网格 {grid}）：{reason}",
                         "{id} {category} ({urgency}, grid {grid}): {reason}"),
    "report.caring": ("爱心妈妈结对：{m} / {n}", "Caring-mother pairing: {m} of {n}"),
    "report.week": ("四、本周探访（{a} 至 {b}，共 {n} 次）",
                    "4. This week's visits ({a} to {b}, {n} visits)"),
    "report.visit_row": ("{on} {id} {name} {kind} {level}",
                         "{on} {id} {name} {kind}, {level}"),
    "report.provisional": ("（含 {n} 次按临时日历推算，节假日安排公布后可能调整）",
                           "({n} computed on the provisional calendar; they may move once the"
                           " holiday notice is out)"),
    "report.overdue": ("五、逾期与升级（逾期 {o}，升级督办 {e}）",
                       "5. Overdue and escalated ({o} overdue, {e} escalated)"),
    "report.overdue_row": ("{id} {name} {kind} {level}，应访 {due}，逾期 {d} 天，{status}",
                           "{id} {name} {kind}, {level}, due {due}, {d} days late, {status}"),
    "report.hazards": ("六、超期未整改隐患（{n} 处）", "6. Hazards past their deadline ({n})"),
    "report.hazard_row": ("{id} {kind}，楼栋 {building}（网格 {grid}），{found} 发现",
                          "{id} {kind}, building {building} (grid {grid}), found {found}"),
    "report.kpis": ("七、近 12 个月指标（{a} 至 {b}）",
                    "7. KPIs of the last 12 months ({a} to {b})"),
    "report.kpi_row": ("{name}：{value}", "{name}: {value}"),
    "report.days": ("{n} 天", "{n} days"),
    "report.coverage_months": ("月探访率（逐月）：{months}",
                               "Monthly visit coverage by month: {months}"),
    "report.rejections": ("未能使用的记录（{n} 条）：", "Records not used ({n}):"),
    # The error messages of rejected records are English only, so the Chinese report
    # gives where and why and leaves the message to the JSON (rejections[].message).
    "report.rejection_row": ("{path}：{code}", "{path} ({code}): {message}"),
    "report.more": ("……另有 {n} 项", "... and {n} more"),
    "report.list_sep": ("、", ", "),
    "report.count_sep": ("，", ", "),
}  # fmt: skip

# The HTML report (community_care.html and its templates). Keys without braces are
# handed to the templates as ``t.<name>``.
_HTML: dict[str, tuple[str, str]] = {
    "html.title": ("社区关爱计划", "Community care plan"),
    "html.subtitle": ("{name} · {on} · 政策版本 {v}", "{name} · {on} · policy {v}"),
    "html.privacy": ("姓名已脱敏，报告不含身份证号和电话。",
                     "Names are masked; no ID numbers or phone numbers appear in this report."),
    "html.mandatory": ("强制报告待办", "Mandatory reports outstanding"),
    "html.mandatory_note": (
        "发现儿童疑似遭受侵害，须立即向公安机关报案（110），并报告民政、教育部门"
        "（未成年人保护法第十一条）。",
        "A child suspected of being harmed is reported at once to the police (110) and to"
        " civil affairs or education (Minors Protection Law Art. 11).",
    ),
    "html.child": ("儿童", "Child"),
    "html.report_due": ("应报告日期", "Due since"),
    "html.days_overdue": ("逾期天数", "Days overdue"),
    "html.overrides_note": (
        "其中 {n} 个个案的等级由社工人工调整（图中按调整后的等级计）。",
        "{n} case(s) have a level set by a caseworker (counted at that level).",
    ),
    "html.glance": ("概览", "At a glance"),
    "html.elderly_assessed": ("已评估老年人", "Older residents assessed"),
    "html.children_recorded": ("在册儿童", "Children recorded"),
    "html.children_in_difficulty": ("困境儿童", "Children in difficulty"),
    "html.needs_met": ("需求已对接", "Needs met"),
    "html.of_total": ("共 {n} 项", "of {n}"),
    "html.visits_90": ("未来 90 天探访", "Visits, next 90 days"),
    "html.overdue_cases": ("逾期个案", "Overdue cases"),
    "html.escalated_note": ("其中升级督办 {n}", "{n} escalated"),
    "html.hazards_late": ("超期未整改隐患", "Hazards past deadline"),
    "html.kpis": ("近 12 个月指标", "KPIs of the last 12 months"),
    "html.kpi_period": ("{a} 至 {b}", "{a} to {b}"),
    "html.coverage": ("月探访率（近 12 个月）", "Monthly visit coverage, last 12 months"),
    "html.coverage_note": ("红色、黄色老年人每个自然月至少探访一次（目标 100%）；"
                           "探访未遇不计。",
                           "Older residents at red or yellow are visited in every calendar"
                           " month (goal 100 %); attempts do not count."),
    "html.coverage_goal": ("目标 100%", "goal 100 %"),
    "html.coverage_month": ("{m}：{c} / {n}", "{m}: {c} of {n}"),
    "html.coverage_missed": ("有月份未探访的个案", "Cases with a month without a visit"),
    "html.months_missed": ("未探访月份", "Months without a visit"),
    "html.distributions": ("风险分布", "Risk distribution"),
    "html.tiers": ("老年人风险分级", "Older residents by tier"),
    "html.ability_computed": ("能力等级按国标计算", "Ability levels computed"),
    "html.ability_note": ("按《老年人能力评估规范》评估项目；其余 {m} 人为登记等级",
                          "from GB/T 42195-2022 items; {m} others recorded"),
    "html.risks": ("儿童风险等级", "Children by risk level"),
    "html.visits": ("未来 90 天每周探访", "Visits per week, next 90 days"),
    "html.visits_note": ("每周从 {on} 起算；逾期未访的个案计入第一周。",
                         "Weeks start on {on}; visits already overdue count in the first"
                         " week."),
    "html.week_of": ("{a} 至 {b}", "{a} to {b}"),
    "html.overdue_visits": ("已逾期", "overdue"),
    "html.confirmed_visits": ("按官方日历", "on the official calendar"),
    "html.provisional_visits": ("按临时日历（*）", "provisional calendar (*)"),
    "html.provisional_note": ("* 该周含按临时工作日日历推算的日期，节假日安排公布后可能调整。",
                              "* The week has dates from the provisional working-day"
                              " calendar; they may move once the holiday notice is out."),
    "html.linkage": ("五社联动需求对接", "Five-party linkage: needs met and unmet"),
    "html.linkage_note": ("共 {n} 项需求（含爱心妈妈结对 {c} 项），已对接 {m} 项。",
                          "{n} needs ({c} caring-mother pairings among them), {m} met."),
    "html.by_urgency": ("按紧急程度", "By urgency"),
    "html.by_party": ("已对接需求（按参与方）", "Needs met, by party"),
    "html.by_category": ("按需求类别", "By category"),
    "html.met": ("已对接", "met"),
    "html.unmet": ("未对接", "unmet"),
    "html.unmet_row": ("未对接", "not met"),
    "html.unmet_reasons": ("未对接原因", "Why needs are unmet"),
    "html.reason": ("原因", "Reason"),
    "html.count": ("数量", "Count"),
    "html.resources": ("资源使用", "Resources used"),
    "html.resource": ("资源方", "Resource"),
    "html.party": ("参与方", "Party"),
    "html.used_of": ("已分配 / 名额", "Given / capacity"),
    "html.no_snapshot": ("未提供台账，无法显示资源名称。",
                         "The registry was not given, so resource names cannot be shown."),
    "html.overdue": ("逾期与升级个案", "Overdue and escalated cases"),
    "html.overdue_note": ("逾期 {o} 个，升级督办 {e} 个，按逾期天数排列。",
                          "{o} overdue, {e} escalated, most days late first."),
    "html.case": ("个案", "Case"),
    "html.name": ("姓名", "Name"),
    "html.kind": ("类别", "Kind"),
    "html.level": ("等级", "Level"),
    "html.due": ("应访日期", "Due"),
    "html.days_late": ("逾期天数", "Days late"),
    "html.status": ("状态", "Status"),
    "html.hazards": ("超期未整改隐患", "Hazards past their deadline"),
    "html.hazard": ("隐患", "Hazard"),
    "html.building": ("楼栋", "Building"),
    "html.grid": ("网格", "Grid"),
    "html.found_on": ("发现日期", "Found on"),
    "html.days_open": ("已过天数", "Days since found"),
    "html.rejections": ("未能使用的记录", "Records not used"),
    "html.path": ("位置", "Where"),
    "html.record": ("记录", "Record"),
    "html.code": ("原因", "Why"),
    "html.none": ("无", "None"),
    "html.more": ("……另有 {n} 项", "... and {n} more"),
    "html.footer": ("由 community-care 根据 {on} 的台账生成。",
                    "Made by community-care from the registry of {on}."),
    "html.visits_chart": ("每周探访次数", "Visits per week"),
    "html.days": ("{n} 天", "{n} days"),
}  # fmt: skip


def _catalogue() -> dict[str, tuple[str, str]]:
    words = {**_ENUMS, **_DOMAIN, **_REASONS, **_REPORT, **_HTML}
    # A support action's reasons have its support dimension as their dimension: one word.
    for key, pair in _ENUMS.items():
        if key.startswith("SupportDimension."):
            words["dimension." + key.partition(".")[2]] = pair
    return words


#: Every word, by key: ``(zh, en)``. Read-only.
WORDS: Mapping[str, tuple[str, str]] = MappingProxyType(_catalogue())


def key_of(key: enum.Enum | str) -> str:
    """The catalogue key of an enum member (``"RiskTier.red"``) or of a plain key.

    Examples:
        >>> import enum
        >>> class Tier(enum.Enum):
        ...     RED = "red"
        >>> key_of(Tier.RED), key_of("kpi.activities")
        ('Tier.red', 'kpi.activities')
    """
    if isinstance(key, enum.Enum):
        return f"{type(key).__name__}.{key.value}"
    return key


def word(key: enum.Enum | str, lang: str, /, **values: object) -> str:
    """The word of ``key`` in ``lang``, its braces filled from ``values``.

    Args:
        key: an enum member of the library, or a dotted key (``"kpi.activities"``).
        lang: ``"zh"`` or ``"en"``.
        values: the values of the word's ``{placeholders}``.

    Returns:
        The word.

    Raises:
        LookupError: the catalogue has no word for ``key``.
        ValueError: ``lang`` is not ``"zh"`` or ``"en"``.

    Examples:
        >>> word("report.more", "zh", n=3), word("Urgency.critical", "en")
        ('……另有 3 项', 'critical')
    """
    _check_lang(lang)
    name = key_of(key)
    pair = WORDS.get(name)
    if pair is None:
        raise LookupError(f"no word for {name!r} in the catalogue (community_care._kernel.text)")
    return pair[LANGS.index(lang)].format(**values)


def word_or(key: enum.Enum | str, lang: str, default: str) -> str:
    """The word of ``key`` in ``lang``, or ``default`` when the catalogue has none.

    For codes that data may define (a need category of a local catalogue, a case level
    of a custom policy): those show as themselves.

    Examples:
        >>> word_or("category.rewiring", "zh", "rewiring"), word_or("category.x", "zh", "x")
        ('电线改造', 'x')
    """
    _check_lang(lang)
    return word(key, lang) if key_of(key) in WORDS else default


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected 'zh' or 'en'")


def keys(prefix: str) -> tuple[str, ...]:
    """The keys that start with ``prefix`` (``"html."``), in catalogue order."""
    return tuple(k for k in WORDS if k.startswith(prefix))
