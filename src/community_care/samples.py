"""A deterministic synthetic community, shaped like the reported one (the embedded default).

:func:`demo_community` builds, from a seed, a community of about 1,900 residents in 6
grids: about 420 residents aged 60+, 6 old stairwell buildings, children in difficulty of
every category, about 40 offers of the five parties, 11 micro-wishes, 15 micro-projects,
visit histories with a realistic share overdue, and a year of ledger records that
reproduce the reported year (83 activities, about 2,100 person-times, 23 problems solved,
13 fire hazards rectified). Everyone in it is made up; their ID numbers pass the check.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from community_care.calendar import official_calendar
from community_care.children import MicroWish
from community_care.elderly import ABILITY_ITEM_MAXIMA, ElderlyProfile, assess_elderly
from community_care.followup import FollowUp, open_followup, record_visit
from community_care.identity import check_character
from community_care.ledger import Hazard, HazardKind, Problem, ProblemSource
from community_care.policy import ElderlyRules
from community_care.serialization import structure, unstructure

__all__ = ["DEMO_DATE", "demo_community", "elderly_records"]

DEMO_DATE = date(2026, 11, 30)
"""The date the demo community is planned for: its records run up to the day before."""

GRIDS = ("g1", "g2", "g3", "g4", "g5", "g6")
_REGION = "440103"  # an inner-city district code

_SURNAMES = "陈李黄张梁林刘吴何罗郑谢冯邓曾彭蔡许潘杜"
_GIVEN = "秀英桂兰玉珍国华建明志强淑芬丽娟伟平德福金凤美玲家辉子轩欣怡浩然梓涵"


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _resident_id(rng: random.Random, born: date) -> str:
    first17 = f"{_REGION}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + check_character(first17)


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def _born(rng: random.Random, age: int, on: date) -> date:
    return on - relativedelta(years=age) - timedelta(days=rng.randrange(1, 360))


def _weighted(rng: random.Random, table: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _buildings(rng: random.Random) -> list[dict[str, Any]]:
    # The 6 old stairwell buildings (老旧楼梯房): 7 floors, no elevator, one per grid.
    out = [{"id": f"b{i + 1:02d}", "grid": g, "floors": 7, "elevator": False}
           for i, g in enumerate(GRIDS)]  # fmt: skip
    for i in range(18):
        floors = rng.choice((3, 4, 5, 6, 9, 12, 18))
        out.append(
            {"id": f"b{i + 7:02d}", "grid": GRIDS[i % 6], "floors": floors, "elevator": floors > 7}
        )
    return out


def _elderly(rng: random.Random, buildings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    records = [_elderly_record(rng, f"e{i + 1:03d}", buildings, DEMO_DATE) for i in range(420)]
    for record in records:
        _score_ability(record)
    return records


def _score_ability(record: dict[str, Any]) -> None:
    """Give about a third of the assessed residents GB/T 42195-2022 item scores.

    The scores give the level recorded (raised by one for dementia, as the standard
    does), which is then left out: the level is computed. A level-0 resident with
    dementia keeps the recorded level (no scores give it). Drawn from a generator of
    the record's own, so the rest of the community stays as it was.
    """
    level = record["ability_level"]
    rng = random.Random(f"ability-{record['id']}")
    if level is None or rng.random() >= 0.35 or (record["dementia"] and level == 0):
        return
    initial = level - 1 if record["dementia"] else level
    if level == 4:
        initial = rng.choice((3, 4)) if record["dementia"] else 4
    maxima = dict(ABILITY_ITEM_MAXIMA)
    if initial == 4 and rng.random() < 0.3:
        # In a coma: level 4 directly, the other items are not scored.
        items: dict[str, int | None] = dict.fromkeys(maxima)
        items["consciousness"] = 0
    else:
        mins = (*ElderlyRules().ability_level_min_totals, 0)
        high = sum(maxima.values()) if initial == 0 else mins[initial - 1] - 1
        # Clear consciousness (2): the loop below never lowers it to a coma.
        total = rng.randint(max(mins[initial], 2), high)
        scores = dict(maxima)
        lost = sum(scores.values()) - total
        while lost > 0:
            key = rng.choice([k for k, v in scores.items() if v and k != "consciousness"])
            scores[key] -= 1
            lost -= 1
        items = dict(scores)
    record["ability_items"] = items
    del record["ability_level"]


def elderly_records(n: int, *, seed: int = 0, on: date = DEMO_DATE) -> list[dict[str, Any]]:
    """``n`` made-up older residents as plain data, shaped like the sample community's.

    Every record is valid and aged 60 or more on ``on`` (so every one is assessed); 90 %
    carry a name, a resident ID number that passes the check and a phone number. For
    benchmarks and tests that need many residents.

    Examples:
        >>> rows = elderly_records(3, seed=1)
        >>> [r["id"] for r in rows], rows == elderly_records(3, seed=1)
        (['e0000000', 'e0000001', 'e0000002'], True)
    """
    rng = random.Random(seed)
    buildings = _buildings(rng)
    return [_elderly_record(rng, f"e{i:07d}", buildings, on) for i in range(n)]


def _elderly_record(
    rng: random.Random, record_id: str, buildings: list[dict[str, Any]], on: date
) -> dict[str, Any]:
    bands = [((60, 70), 50), ((70, 80), 30), ((80, 90), 16), ((90, 101), 4)]
    age = rng.randrange(*_weighted(rng, bands))
    born = _born(rng, age, on)
    building = rng.choice(buildings)
    floor = rng.randrange(1, building["floors"] + 1)
    arrangement = _weighted(
        rng, [("alone", 15), ("with_spouse_only", 25), ("with_family", 57), ("institution", 3)]
    )
    old = age >= 75
    record: dict[str, Any] = {
        "id": record_id,
        "birth_date": born.isoformat(),
        "living_arrangement": arrangement,
        "left_behind": rng.random() < 0.08,
        "ability_level": _weighted(
            rng, [(None, 20), (0, 45), (1, 17 if old else 10), (2, 8), (3, 4), (4, 2)]
        ),
        "dementia": rng.random() < (0.08 if old else 0.02),
        "severe_disability": rng.random() < 0.04,
        "chronic_conditions": _weighted(rng, [(0, 35), (1, 30), (2, 20), (3, 10), (4, 5)]),
        "falls_last_12_months": _weighted(rng, [(0, 80), (1, 14), (2, 6)]),
        "special_family": rng.random() < 0.02,
        "economic_status": _weighted(
            rng, [("none", 90), ("low_income", 8), ("extreme_poverty", 2)]
        ),
        "has_emergency_contact": rng.random() > 0.06,
        "home": {
            "smoke_alarm": rng.random() > 0.15,
            "safe_wiring": rng.random() > 0.05,
            "grab_bars": rng.random() > 0.3,
            "floor": floor,
            "elevator": building["elevator"],
        },
        "grid": building["grid"],
    }
    if rng.random() < 0.9:
        record["name"] = _name(rng)
        record["resident_id"] = _resident_id(rng, born)
        record["phone"] = _phone(rng)
    return record


def _child(
    cid: str, age: int, parents: tuple[str, str], guardian: str, grid: str, rng: random.Random,
    **extra: Any,
) -> dict[str, Any]:  # fmt: skip
    born = _born(rng, age, DEMO_DATE)
    return {
        "id": cid,
        "birth_date": born.isoformat(),
        "parents": [{"status": parents[0]}, {"status": parents[1]}],
        "guardian": guardian,
        "name": _name(rng),
        "resident_id": _resident_id(rng, born),
        "grid": grid,
        **extra,
    }


def _children(rng: random.Random) -> list[dict[str, Any]]:
    c = _child
    return [
        # The four reported situations: left behind with grandparents and no contact for
        # over a year; a father imprisoned and the mother lost contact; an orphan; a
        # low-income family with a disabled child.
        c("c01", 9, ("working_away", "working_away"), "grandparents", "g1", rng,
          months_since_parent_contact=14),
        c("c02", 12, ("imprisoned", "lost_contact"), "grandparents", "g2", rng,
          family_economic_status="low_income"),
        c("c03", 7, ("deceased", "deceased"), "other_relative", "g3", rng),
        c("c04", 11, ("present", "present"), "parents", "g4", rng,
          family_economic_status="low_income", disability_grade=2),
        # Every other category, and children who are not in difficulty.
        c("c05", 14, ("working_away", "deceased"), "grandparents", "g5", rng,
          months_since_parent_contact=7),
        c("c06", 5, ("present", "present"), "parents", "g6", rng, school_status="preschool",
          family_economic_status="extreme_poverty"),
        c("c07", 15, ("present", "working_away"), "parents", "g1", rng, mental_health_flags=3),
        c("c08", 13, ("present", "present"), "parents", "g2", rng, abuse_or_neglect_concern=True),
        c("c09", 16, ("seriously_ill", "deceased"), "other_relative", "g3", rng,
          school_status="dropped_out"),
        c("c10", 8, ("present", "present"), "parents", "g4", rng, serious_illness=True),
        c("c11", 10, ("working_away", "working_away"), "grandparents", "g5", rng,
          months_since_parent_contact=3),
        c("c12", 14, ("present", "present"), "parents", "g6", rng, school_status="dropped_out"),
        c("c13", 6, ("declared_missing", "unknown"), "institution", "g1", rng),
        c("c14", 12, ("present", "present"), "parents", "g2", rng, mental_health_flags=1,
          family_economic_status="low_income"),
        c("c15", 17, ("deported", "present"), "parents", "g3", rng,
          family_economic_status="low_income"),
        c("c16", 9, ("present", "present"), "none", "g4", rng),
        c("c17", 4, ("working_away", "working_away"), "grandparents", "g5", rng,
          school_status="not_enrolled"),
        c("c18", 11, ("present", "present"), "parents", "g6", rng, disability_grade=4),
        c("c19", 10, ("present", "present"), "parents", "g1", rng),
        c("c20", 13, ("present", "working_away"), "parents", "g2", rng),
    ]  # fmt: skip


_PARTY_OFFERS: list[tuple[str, str, list[str], int, list[str]]] = [
    # (party, name, capabilities, capacity, grids: [] = every grid)
    ("community_committee", "社区党委", ["basic_living_allowance", "guardianship_assessment",
                                       "school_reenrolment"], 30, []),
    ("community_committee", "居委会消防专班", ["fire_safety", "emergency_training"], 6, []),
    ("community_committee", "网格员（一、二网格）", ["health_check", "companionship"], 12,
     ["g1", "g2"]),
    ("member_unit", "供电所", ["rewiring", "ev_charging", "stairwell_lighting"], 12, []),
    ("member_unit", "街道社区卫生服务中心", ["health_check", "chronic_care"], 400, []),
    ("member_unit", "区第二人民医院", ["chronic_care", "medical_aid", "rehabilitation"], 60, []),
    ("member_unit", "区消防救援站", ["fire_safety", "smoke_alarm_install",
                                   "emergency_training"], 40, []),
    ("member_unit", "自来水公司", ["pump_repair"], 3, []),
    ("member_unit", "园林绿化所", ["tree_trimming"], 4, []),
    ("member_unit", "城建公司", ["handrail_install", "grab_bar_install",
                             "stairwell_lighting"], 25, []),
    ("member_unit", "通信公司", ["emergency_call_device"], 25, []),
    ("member_unit", "国企党支部", ["micro_wish", "material_aid", "education_aid"], 10, []),
    ("member_unit", "新能源公司", ["ev_charging"], 4, ["g3", "g4", "g5", "g6"]),
    ("social_organization", "社工站", ["counseling", "companionship", "practice_education"],
     20, []),
    ("social_organization", "长者服务中心", ["companionship", "chronic_care",
                                        "rehabilitation"], 30, []),
    ("social_organization", "青少年服务社", ["tutoring", "practice_education",
                                        "counseling"], 15, []),
    ("social_organization", "应急救护协会", ["emergency_training"], 4, []),
    ("social_organization", "康复协会", ["rehabilitation"], 6, []),
    ("volunteer", "缝补志愿队", ["sewing"], 20, []),
    ("volunteer", "党员志愿者（一网格）", ["companionship", "cleanup", "micro_wish"], 10,
     ["g1"]),
    ("volunteer", "党员志愿者（三网格）", ["companionship", "cleanup", "micro_wish"], 10,
     ["g3"]),
    ("volunteer", "大学生支教队", ["tutoring", "early_education"], 10, []),
    ("volunteer", "爱心妈妈（一）", ["caring_mother"], 1, []),
    ("volunteer", "爱心妈妈（二）", ["caring_mother"], 1, []),
    ("volunteer", "爱心妈妈（三）", ["caring_mother"], 1, ["g1", "g2"]),
    ("volunteer", "爱心妈妈（四）", ["caring_mother"], 1, []),
    ("volunteer", "爱心妈妈（五）", ["caring_mother"], 1, ["g5", "g6"]),
    ("volunteer", "适老化改造志愿队", ["grab_bar_install", "smoke_alarm_install"], 20, []),
    ("resident", "热心居民（二网格）", ["companionship", "cleanup"], 6, ["g2"]),
    ("resident", "热心居民（四网格）", ["companionship", "cleanup"], 6, ["g4"]),
    ("resident", "楼长互助组", ["companionship"], 15, []),
    ("resident", "爱心妈妈（六）", ["caring_mother"], 1, ["g3", "g4"]),
    ("resident", "爱心妈妈（七）", ["caring_mother"], 1, []),
    ("resident", "裁缝师傅", ["sewing"], 5, []),
    ("resident", "退休教师", ["tutoring"], 3, []),
    ("social_worker", "驻点社工", ["counseling", "guardianship_assessment"], 10, []),
    ("charity_resource", "慈善会", ["material_aid", "micro_wish", "education_aid",
                                 "medical_aid"], 15, []),
    ("charity_resource", "爱心企业", ["micro_wish", "material_aid"], 6, []),
    ("volunteer", "安全巡查志愿队", ["fire_safety", "cleanup"], 8, []),
    ("member_unit", "街道综合执法队", ["fire_safety", "cleanup"], 10, []),
]  # fmt: skip


_CHILD_CONTACT = frozenset({"caring_mother", "tutoring", "counseling"})
_NOT_YET_VETTED = "爱心妈妈（七）"


def _offers(rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for i, (party, name, caps, capacity, grids) in enumerate(_PARTY_OFFERS):
        offer: dict[str, Any] = {
            "id": f"o{i + 1:02d}",
            "party": party,
            "name": name,
            "capabilities": caps,
            "capacity": capacity,
            "grids": grids,
            "home_grid": grids[0] if grids else GRIDS[i % 6],
            "available_from": None,
            "available_until": None,
        }
        if i % 9 == 4:  # some offers are only there for part of the year
            offer["available_until"] = (DEMO_DATE + timedelta(days=60)).isoformat()
        if i % 13 == 7:
            offer["available_from"] = (DEMO_DATE + timedelta(days=45)).isoformat()
        # Individuals who meet children one to one are vetted (入职查询) within the year;
        # one caring mother has not been yet.
        individual = party in ("volunteer", "resident")
        if individual and set(caps) & _CHILD_CONTACT and name != _NOT_YET_VETTED:
            offer["vetted_on"] = (DEMO_DATE - timedelta(days=20 + 37 * (i % 9))).isoformat()
        out.append(offer)
    rng.shuffle(out)  # the order of a registry carries no meaning
    return out


_PROJECTS = [
    ("tree_trimming", "g1", "normal"), ("tree_trimming", "g4", "low"),
    ("tree_trimming", "g6", "low"), ("pump_repair", "g2", "high"),
    ("pump_repair", "g5", "normal"), ("ev_charging", "g3", "normal"),
    ("ev_charging", "g4", "normal"), ("ev_charging", "g6", "low"),
    ("stairwell_lighting", "g1", "high"), ("stairwell_lighting", "g2", "normal"),
    ("stairwell_lighting", "g5", "normal"), ("handrail_install", "g3", "high"),
    ("handrail_install", "g6", "high"), ("cleanup", "g2", "low"), ("fire_safety", "g5", "high"),
]  # fmt: skip


def _needs() -> list[dict[str, Any]]:
    return [
        {
            "id": f"mp{i + 1:02d}",
            "category": category,
            "urgency": urgency,
            "grid": grid,
            "needed_by": (DEMO_DATE + timedelta(days=20 + 7 * i)).isoformat() if i % 3 else None,
            "source": "micro_project",
            "beneficiary": None,
        }
        for i, (category, grid, urgency) in enumerate(_PROJECTS)
    ]


_WISHES = ["书包", "台灯", "字典", "运动鞋", "冬季校服", "绘本", "文具套装", "保温水壶",
           "羽绒服", "英语词典", "篮球"]  # fmt: skip


def _micro_wishes(rng: random.Random, children: list[dict[str, Any]]) -> list[dict[str, Any]]:
    wishes = []
    for i, item in enumerate(_WISHES):
        child = children[i % 16]
        collected = DEMO_DATE - timedelta(days=40 - 3 * i)
        wish = MicroWish(
            id=f"w{i + 1:02d}",
            child_id=child["id"],
            item=item,
            grid=child["grid"],
            child_name=child["name"],
            collected_on=collected,
        )
        if i >= 2:
            wish = wish.publish(collected + timedelta(days=2), actor="网格党小组")
        if i >= 6:
            wish = wish.adopt(collected + timedelta(days=5), adopter=f"o{37 + i % 2}")
        if i >= 8:
            wish = wish.fulfil(collected + timedelta(days=12), actor="社区党委")
        if i >= 10:
            wish = wish.confirm(collected + timedelta(days=14), actor="社区党委")
        wishes.append(unstructure(wish))
    del rng
    return wishes


def _followups(rng: random.Random, elderly: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # One draw of the community's generator seeds the visits' own: how many visits the
    # rules of the day give then never shifts the records drawn after them.
    rng = random.Random(rng.random())
    calendar = official_calendar().with_provisional()
    out: list[FollowUp] = []
    for record in elderly:
        assessment = assess_elderly(structure(record, ElderlyProfile), on=DEMO_DATE)
        if assessment.tier.value == "green" and rng.random() < 0.7:
            continue  # green cases are mostly seen at the yearly check
        opened = DEMO_DATE - timedelta(days=rng.randrange(60, 330))
        case = open_followup(record["id"], "elderly", assessment.tier.value, on=opened)
        # Most visits happen a little before or after they are due; some cases lapse.
        lapsing = rng.random() < 0.14
        # How each visit is made has its own generator, so the rest of the sample does
        # not depend on it: some are phone or video calls, a few find nobody at home
        # (an attempt, followed by the visit a few days later).
        how = random.Random(record["id"])
        while True:
            late = rng.choice((-2, -1, 0, 0, 1, 2, 4))
            visit_on = case.next_due + timedelta(days=late)
            if visit_on >= DEMO_DATE or (lapsing and visit_on >= DEMO_DATE - timedelta(days=45)):
                break
            visit_on = max(visit_on, case.visits[-1].on if case.visits else opened)
            if how.random() < 0.05:
                case = record_visit(case, visit_on, by="网格员", met=False, calendar=calendar)
                visit_on += timedelta(days=how.randint(1, 4))
                if visit_on >= DEMO_DATE:
                    break
            mode = how.choices(("home", "phone", "video"), weights=(85, 10, 5))[0]
            case = record_visit(case, visit_on, by="网格员", mode=mode, calendar=calendar)
        out.append(case)
    return [unstructure(c) for c in out]


_ACTIVITIES = [
    # (category, organizer, how many, headcount range)
    ("health_lecture", "member_unit", 6, (30, 50)),
    ("free_clinic", "member_unit", 6, (35, 55)),
    ("health_check", "member_unit", 4, (50, 70)),
    ("emergency_training", "social_organization", 4, (45, 65)),
    ("fire_safety", "community_committee", 8, (18, 34)),
    ("sewing", "volunteer", 12, (10, 18)),
    ("cleanup", "volunteer", 12, (12, 24)),
    ("companionship", "social_organization", 10, (15, 28)),
    ("practice_education", "social_organization", 7, (18, 28)),
    ("micro_wish", "charity_resource", 3, (12, 22)),
    ("tutoring", "volunteer", 8, (10, 18)),
    ("caring_mother", "resident", 3, (12, 22)),
]  # fmt: skip


def _activities(rng: random.Random, elderly: list[dict[str, Any]]) -> list[dict[str, Any]]:
    start = DEMO_DATE - relativedelta(years=1) + timedelta(days=1)
    ids = [e["id"] for e in elderly]
    out = []
    n = 0
    for category, organizer, count, (low, high) in _ACTIVITIES:
        for _ in range(count):
            n += 1
            headcount = rng.randrange(low, high + 1)
            named = rng.sample(ids, rng.randrange(0, min(headcount, 12) + 1))
            out.append(
                {
                    "id": f"a{n:03d}",
                    "date": (start + timedelta(days=rng.randrange(0, 364))).isoformat(),
                    "category": category,
                    "organizer": organizer,
                    "grid": rng.choice(GRIDS),
                    "participants": sorted(named),
                    "headcount": headcount,
                }
            )
    assert len(out) == 83
    return out


_PROBLEM_CATEGORIES = [
    "water_leak", "stairwell_lighting", "pump_repair", "tree_trimming", "ev_charging",
    "cleanup", "noise", "handrail_install", "fire_safety",
]  # fmt: skip


def _problems(rng: random.Random) -> list[dict[str, Any]]:
    start = DEMO_DATE - relativedelta(years=1) + timedelta(days=1)
    parties = ["member_unit", "volunteer", "social_organization", "resident"]
    out = []
    for i in range(28):
        reported = start + timedelta(days=rng.randrange(0, 330))
        source = _weighted(
            rng, [("outreach", 40), ("inspection", 20), ("resident_report", 25), ("hotline", 15)]
        )
        p = Problem(
            id=f"p{i + 1:02d}",
            category=rng.choice(_PROBLEM_CATEGORIES),
            reported_on=reported,
            source=ProblemSource(source),
            grid=rng.choice(GRIDS),
        )
        p = p.accept(reported + timedelta(days=1), actor="居委会")
        if i < 26:
            p = p.start_work(reported + timedelta(days=2), actor="居委会")
        if i < 23:
            resolved = min(reported + timedelta(days=rng.randrange(3, 30)), DEMO_DATE)
            helpers = ["community_committee", *rng.sample(parties, rng.randrange(0, 3))]
            p = p.resolve(resolved, parties=helpers, actor="居委会")
            if resolved + timedelta(days=7) < DEMO_DATE:
                p = p.verify(resolved + timedelta(days=7), actor="居委会")
        out.append(unstructure(p))
    return out


def _hazards(rng: random.Random, buildings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    start = DEMO_DATE - relativedelta(years=1) + timedelta(days=1)
    kinds = list(HazardKind)
    out = []
    for i in range(15):
        building = rng.choice(buildings)
        found = start + timedelta(days=rng.randrange(0, 340))
        if i == 14:
            found = DEMO_DATE - timedelta(days=9)  # still open, past its deadline
        h = Hazard(
            id=f"h{i + 1:02d}",
            kind=kinds[i % len(kinds)],
            building=building["id"],
            grid=building["grid"],
            found_on=found,
        )
        if i < 13:
            # Rectified within the deadline of its kind (1 day for flying leads and gas).
            deadline = {"flying_lead_charging": 1, "gas": 1, "blocked_fire_escape": 0}
            days = rng.randrange(0, deadline.get(h.kind.value, 7) + 1)
            h = h.rectify(found + timedelta(days=days), actor="物业", parties=["member_unit"])
            if found + timedelta(days=days + 30) < DEMO_DATE:
                h = h.verify(found + timedelta(days=days + 30), actor="消防专班")
        out.append(unstructure(h))
    return out


def demo_community(seed: int = 0) -> dict[str, Any]:
    """The sample community as a snapshot document (plain JSON data), the same for a seed.

    Args:
        seed: another seed gives another community of the same shape.

    Returns:
        A ``CommunitySnapshot`` document: structure it, plan it, or write it to a file.

    Examples:
        >>> doc = demo_community()
        >>> len(doc["elderly"]), len(doc["activities"]), len(doc["micro_wishes"])
        (420, 83, 11)
        >>> demo_community() == doc
        True
    """
    rng = random.Random(seed)
    buildings = _buildings(rng)
    elderly = _elderly(rng, buildings)
    children = _children(rng)
    return {
        "community": {"id": "demo", "name": "示范社区 (demo community)", "population": 1900},
        "grids": list(GRIDS),
        "buildings": buildings,
        "elderly": elderly,
        "children": children,
        "offers": _offers(rng),
        "needs": _needs(),
        "micro_wishes": _micro_wishes(rng, children),
        "followups": _followups(rng, elderly),
        "activities": _activities(rng, elderly),
        "problems": _problems(rng),
        "hazards": _hazards(rng, buildings),
    }
