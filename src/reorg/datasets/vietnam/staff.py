"""SYNTHETIC staff and results for the Vietnam dataset. Nothing here is observed data.

Every unit gets ``round(norm x scale x LogNormal(1, SIZE_SIGMA))`` people (stochastic rounding, so a
small scale still staffs some small units), ``norm`` being a staffing norm per level and kind chosen so
that scale 1 gives about 2 million people, the order of Vietnam's public sector (~2 million, AFP via the
reference §4); the real distribution over units is not known to us. Per person:

- position: the first person of a unit is its head, the next ``size // 8`` (at most 3, at least 1 in a
  unit of 3 or more) its deputies, the rest staff;
- gender: a share of women per sector (education and health units 68 %, defence and security 25 %,
  commune governments 40 %, others 48 %; heads 20 %) — illustrative, not statistics;
- age at 31 Dec 2024: 22 + (R - 22) x Beta(2, 2.2), leaders Beta(4, 2), R the statutory retirement age
  in 2024 (men 61 y, women 56 y 4 m: Decree 135/2020 as summarised in reference §3 [BN5]);
- service start: at age 21.5 + Gamma(2, 1.5) years (never after 31 Dec 2024);
- grade and salary coefficient: civil-servant grades A3, A2, A1, A0, B drawn by seniority; coefficient
  = the grade's first step + one increment per 3 years (2 for B) of service in the grade (scale of
  Decree 204/2004/NĐ-CP, quoted from general knowledge [U]; consistent with the 3.66 example [LD24]);
- results for period 2024: 3 to 5 of ``INDICATORS`` with a target and an actual driven by one latent
  performance score per person (synthetic).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from reorg.model import Apparatus, People, Results

__all__ = ["GRADES", "INDICATORS", "KIND_NORMS", "NORMS", "REFERENCE_DATE", "SIZE_SIGMA", "generate"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

REFERENCE_DATE = np.datetime64("2024-12-31", "D")
PERIOD = "2024"
ID_PREFIX = "syn-"  # person ids say they are synthetic

#: people per unit at scale 1, by level (and, for central bodies, kind); synthetic. The other branches:
#: the Front and the five socio-political organisations at the centre ~2,700 (700 + 5 x 400; 2,720
#: positions reported before 2025 [VNS284]), the central mass associations 570 (568 budget-paid staff in
#: 26 of 30 [VP10]); no headcount of the Party's or the National Assembly's bodies was found [U]: their
#: norms, and those of the local Party and Front committees, are illustrative only. The commune
#: committees' 5 and 3 are the reported staff of one new commune's Party advisory bodies (~15-17
#: [LD31b]) and Front office (~8-10 [LD301]) divided by the ~3 old communes a new one replaced
#: (derived [U]; the commune norm of 42 may already count some of these cadres).
NORMS: dict[str, float] = {
    "nation": 0,
    "ministry/Bộ": 5000,
    "ministry/Cơ quan ngang bộ": 2500,
    "ministry/Cơ quan thuộc Chính phủ": 2500,
    "province": 6,
    "department": 450,
    "district": 5,
    "district_office": 110,
    "commune": 42,
    "party_central/Ban Đảng Trung ương": 300,
    "party_central/Văn phòng Trung ương Đảng": 400,
    "party_central/Cơ quan khác của Trung ương": 150,
    "party_central/Đảng bộ trực thuộc Trung ương": 60,
    "party_central/Đảng đoàn, ban cán sự đảng": 10,
    "na_body/Cơ quan của Quốc hội": 40,
    "na_body/Ban của Ủy ban Thường vụ Quốc hội": 40,
    "na_body/Đơn vị thuộc Ủy ban Thường vụ Quốc hội": 100,
    "front_central": 700,
    "mass_org/Tổ chức chính trị - xã hội": 400,
    "mass_org/Hội quần chúng": 570,
    "party_province": 120,
    "front_province": 40,
    "party_district": 25,
    "front_district": 10,
    "party_commune": 5,
    "front_commune": 3,
}
#: the levels whose norm depends on the unit's kind too (key ``level/kind``)
KIND_NORMS = ("ministry", "party_central", "na_body", "mass_org")
SIZE_SIGMA = 0.35

#: grade -> (first coefficient, increment per step, steps, years per step, years of service before it)
GRADES: dict[str, tuple[float, float, int, int, int]] = {
    "A3": (6.20, 0.36, 6, 3, 20),
    "A2": (4.40, 0.34, 8, 3, 10),
    "A1": (2.34, 0.33, 9, 3, 0),
    "A0": (2.10, 0.31, 10, 3, 0),
    "B": (1.86, 0.20, 12, 2, 0),
}
_GRADE_NAMES = tuple(GRADES)

#: indicator, target rule; actuals follow the person's latent score
INDICATORS = (
    "Tỷ lệ nhiệm vụ hoàn thành đúng hạn (%)",
    "Số nhiệm vụ được giao hoàn thành",
    "Số văn bản tham mưu được ban hành",
    "Tỷ lệ nhiệm vụ vượt tiến độ hoặc chất lượng (%)",
    "Mức độ hài lòng của người dân, tổ chức (%)",
    "Số giờ bồi dưỡng, tập huấn",
)

_TITLES = {
    "ministry": ("Thủ trưởng cơ quan", "Phó Thủ trưởng cơ quan", "Chuyên viên"),
    "department": ("Giám đốc", "Phó Giám đốc", "Chuyên viên"),
    "district_office": ("Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên"),
    "commune": ("Chủ tịch Ủy ban nhân dân", "Phó Chủ tịch Ủy ban nhân dân", "Công chức"),
    "party_central": ("Trưởng ban", "Phó Trưởng ban", "Chuyên viên"),
    "party_province": ("Bí thư", "Phó Bí thư", "Chuyên viên"),
    "party_district": ("Bí thư", "Phó Bí thư", "Chuyên viên"),
    "party_commune": ("Bí thư", "Phó Bí thư", "Chuyên viên"),
    "na_body": ("Chủ nhiệm", "Phó Chủ nhiệm", "Chuyên viên"),
    "front_central": ("Chủ tịch", "Phó Chủ tịch", "Chuyên viên"),
    "mass_org": ("Chủ tịch", "Phó Chủ tịch", "Chuyên viên"),
    "front_province": ("Chủ tịch", "Phó Chủ tịch", "Chuyên viên"),
    "front_district": ("Chủ tịch", "Phó Chủ tịch", "Chuyên viên"),
    "front_commune": ("Chủ tịch", "Phó Chủ tịch", "Chuyên viên"),
}
_COUNCIL = ("Chủ tịch Ủy ban nhân dân", "Phó Chủ tịch Ủy ban nhân dân", "Chuyên viên")


def _unit_keys(app: Apparatus) -> list[str]:
    level = app.levels.name[app.units.level]
    return [
        f"{lv}/{k}" if lv in KIND_NORMS else str(lv)
        for lv, k in zip(level.tolist(), app.units.kind.tolist(), strict=True)
    ]


def _sizes(app: Apparatus, scale: float, rng: np.random.Generator) -> IntArray:
    keys = _unit_keys(app)
    norm = np.asarray([NORMS.get(k, 0.0) for k in keys]) * scale
    mean = norm * rng.lognormal(-(SIZE_SIGMA**2) / 2, SIZE_SIGMA, len(norm))
    return np.floor(mean + rng.random(len(norm))).astype(np.int64)


def _female_share(app: Apparatus) -> FloatArray:
    """Per unit: the share of women among its staff (illustrative)."""
    field = app.units.id.astype(str)
    share = np.full(len(field), 0.48)
    suffix = np.char.rpartition(field, ".")[:, 2]
    share[np.isin(suffix, ["so-giao-duc", "so-y-te", "phong-giao-duc", "phong-y-te"])] = 0.68
    share[np.isin(field, ["moet", "moh"])] = 0.68
    share[np.isin(field, ["mod", "mps"])] = 0.25
    share[app.levels.name[app.units.level] == "commune"] = 0.40
    return share


def _ranks(sizes: IntArray) -> tuple[IntArray, IntArray]:
    """Per person: the unit row and the rank of the person inside the unit (0 = head)."""
    unit = np.repeat(np.arange(len(sizes)), sizes)
    starts = np.cumsum(sizes) - sizes
    return unit, np.arange(len(unit)) - starts[unit]


def _positions(
    app: Apparatus, unit: IntArray, rank: IntArray, sizes: IntArray
) -> tuple[npt.NDArray[np.object_], IntArray]:
    """Position titles and role codes (0 head, 1 deputy, 2 staff)."""
    deputies = np.where(sizes >= 3, np.clip(sizes // 8, 1, 3), 0)
    role = np.where(rank == 0, 0, np.where(rank <= deputies[unit], 1, 2))
    levels = app.levels.name.tolist()
    vocab: list[str] = []
    table = np.zeros((len(levels), 3), dtype=np.int64)
    for i, lv in enumerate(levels):
        for r, title in enumerate(_TITLES.get(lv, _COUNCIL)):
            if title not in vocab:
                vocab.append(title)
            table[i, r] = vocab.index(title)
    codes = table[app.units.level[unit], role]
    return np.asarray(vocab, dtype=object)[codes], role


def _grades(
    service: FloatArray, role: IntArray, level: npt.NDArray[np.object_], rng: np.random.Generator
) -> IntArray:
    """Grade index into ``GRADES`` by seniority, role and level (synthetic): staff by years of
    service; heads and deputies at least A3 in central bodies, A2 in departments (a third of heads
    A3), district offices and people's committees, A1 in communes."""
    u = rng.random(len(service))
    junior = np.select([u < 0.10, u < 0.25], [4, 3], 2)  # B 10 %, A0 15 %, else A1
    mid = np.select([u < 0.05, u < 0.10, u < 0.25], [4, 3, 1], 2)  # B 5 %, A0 5 %, A2 15 %, else A1
    senior = np.select([u < 0.05, u < 0.08, u < 0.40], [4, 0, 1], 2)  # B 5 %, A3 3 %, A2 32 %, else A1
    grade = np.where(service < 5, junior, np.where(service < 15, mid, senior))
    commune = level == "commune"
    grade = np.where(commune & (role == 2) & (u < 0.3), 4, grade)
    central = np.isin(level, ["ministry", "party_central", "na_body", "front_central", "mass_org"])
    floor = np.select([central, commune], [0, 2], 1)
    floor = np.where((level == "department") & (role == 0) & (u < 1 / 3), 0, floor)
    return np.where(role < 2, np.minimum(grade, floor), grade)


def _salary(grade: IntArray, service: FloatArray) -> FloatArray:
    params = np.asarray([GRADES[g] for g in _GRADE_NAMES])
    first, step, steps, years, before = (params[grade, i] for i in range(5))
    k = np.clip(np.floor((service - before) / years), 0, steps - 1)
    return np.asarray(np.round(first + step * k, 2), dtype=np.float64)


def _people(app: Apparatus, sizes: IntArray, rng: np.random.Generator) -> People:
    unit, rank = _ranks(sizes)
    n = len(unit)
    position, role = _positions(app, unit, rank, sizes)
    female = rng.random(n) < np.where(role == 0, 0.20, _female_share(app)[unit])
    retire = np.where(female, 56 + 4 / 12, 61.0)
    beta = np.where(role < 2, rng.beta(4.0, 2.0, n), rng.beta(2.0, 2.2, n))
    age = 22 + (retire - 22) * beta
    start_age = np.minimum(21.5 + rng.gamma(2.0, 1.5, n), age - 0.1)
    service = age - start_age
    level = app.levels.name[app.units.level[unit]]
    grade = _grades(service, role, level, rng)
    days = np.timedelta64(1, "D")
    return People(
        id=np.char.add(ID_PREFIX, np.char.zfill(np.arange(1, n + 1).astype(str), 7)).astype(object),
        unit=unit.astype(np.int32),
        position=position,
        grade=np.asarray(_GRADE_NAMES, dtype=object)[grade],
        birth_date=REFERENCE_DATE - np.round(age * 365.25).astype(np.int64) * days,
        gender=np.where(female, "nữ", "nam").astype(object),
        service_start=REFERENCE_DATE - np.round(service * 365.25).astype(np.int64) * days,
        salary_coefficient=_salary(grade, service),
    )


def _results(n_people: int, rng: np.random.Generator) -> Results:
    """3 to 5 distinct indicators per person, target and actual, for period 2024 (synthetic).

    Targets: 100 % on time, 12-60 tasks, 4-25 documents, 30 % ahead of time, 85 % satisfaction, 40
    hours of training. Actuals: counts are the target times a ratio around 1 + 0.06 x score; the
    percentages move with the score too (one latent score per person)."""
    score = rng.normal(0.0, 1.0, n_people)
    k = rng.integers(3, 6, n_people)
    order = np.argsort(rng.random((n_people, len(INDICATORS))), axis=1)
    chosen = order[np.arange(len(INDICATORS)) < k[:, None]]
    person = np.repeat(np.arange(n_people), k)
    z = score[person]
    target = np.asarray([100.0, np.nan, np.nan, 30.0, 85.0, 40.0])[chosen]
    for code, (low, high) in ((1, (12, 61)), (2, (4, 26))):
        rows = np.flatnonzero(chosen == code)
        target[rows] = rng.integers(low, high, len(rows))
    ratio = np.clip(rng.normal(1 + 0.06 * z, 0.08), 0.4, 1.4)
    actual = np.round(target * ratio)
    rows = np.flatnonzero(chosen == 0)
    actual[rows] = np.clip(100 - rng.gamma(1.5, np.clip(4 - 2 * z[rows], 0.5, None)), 0, 100)
    rows = np.flatnonzero(chosen == 3)
    actual[rows] = np.clip(rng.normal(30 + 10 * z[rows], 10), 0, 100)
    rows = np.flatnonzero(chosen == 4)
    actual[rows] = np.clip(rng.normal(85 + 4 * z[rows], 6), 40, 100)
    m = len(person)
    return Results(
        person=person.astype(np.int32),
        period=np.full(m, PERIOD, dtype=object),
        indicator=np.asarray(INDICATORS, dtype=object)[chosen],
        target=target,
        actual=np.round(actual, 1),
        weight=np.full(m, np.nan),
    )


def generate(app: Apparatus, *, scale: float, seed: int) -> Apparatus:
    """``app`` with synthetic people and results (same scale and seed -> identical output)."""
    if not (scale > 0 and np.isfinite(scale)):
        raise ValueError(f"scale must be a positive number, got {scale}")
    rng = np.random.default_rng(seed)
    sizes = _sizes(app, scale, rng)
    people = _people(app, sizes, rng)
    return dataclasses.replace(app, people=people, results=_results(len(people.id), rng))
