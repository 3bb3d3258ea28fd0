"""The crisis playbook's configuration: taxonomy, weights, thresholds and playbook.

Administrators edit it as a whole; each save is a new numbered version (a
:class:`~prima.crisis.models.CrisisConfig` row holding :meth:`Config.to_data`), and every
assessment and escalation records the version it used. This module touches no database: it
parses, validates and serialises the data (with translated messages) and holds the
shipped defaults (from the office's playbook and ``DOMAIN.md``).

Shape of the data (JSON)::

    {
      "taxonomy": [{"code", "label_id", "label_en", "severity", "cluster",
                    "misinformation"}, …],
      "unknown_severity": 20,             # base points while nobody has classified it
      "weights": {"volume": 10, …},       # points a factor gives at its full value
      "assume": {"volume": 0.5, …},       # value assumed while a factor is unknown
      "thresholds": {"2": 30, "3": 50, "4": 75},   # score from which each level starts
      "levels": {"1": {"tiers": [["pr_staff"], ["pr_lead"]], "ack_minutes": 60,
                       "response_minutes": 1440, "actions": [...],
                       "channels": ["in_app", "email"]}, …},
      "strategies": {"victim": {"strategy": "deny", "guidance_id": …,
                                "guidance_en": …}, …},
      "holding_statement": "…{office}…"
    }
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# --- vocabularies (code; their labels are translated where they are shown) -------------

CLUSTERS = ("victim", "accidental", "preventable", "none")
STRATEGIES = ("deny", "diminish", "rebuild", "bolster")
CONTEXT_FACTORS = ("volume", "growth", "negative", "reach", "mainstream", "spread")
INTEREST_FACTORS = (
    "affected",
    "safety",
    "rights",
    "vulnerable",
    "reputation",
    "political",
)
FACTORS = CONTEXT_FACTORS + INTEREST_FACTORS
# Who responds, in escalation order: roles held in the case's office, then the
# supervisors of its regional office (Kanwil), then those of the directorate general.
RESPONDERS = ("pr_staff", "pr_lead", "head", "regional", "national")
ACTIONS = (
    "keep_monitoring",
    "clarification_post",
    "holding_statement",
    "incidental_conference",
    "crisis_conference",
    "escalate_upward",
)
CHANNELS = ("in_app", "email", "webhook")
LEVEL_KEYS = ("1", "2", "3", "4")
MAX_TIERS = 5
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class ConfigError(ValueError):
    """The configuration is not valid; ``field`` names the part (for forms)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Category:
    code: str
    label_id: str
    label_en: str
    severity: int
    cluster: str
    misinformation: bool = False

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang.startswith("en") and self.label_en else self.label_id


@dataclass(frozen=True)
class LevelPlaybook:
    level: int
    tiers: tuple[tuple[str, ...], ...]
    ack_minutes: int
    response_minutes: int
    actions: tuple[str, ...]
    channels: tuple[str, ...]


@dataclass(frozen=True)
class Strategy:
    cluster: str
    strategy: str
    guidance_id: str
    guidance_en: str

    def guidance(self, lang: str = "id") -> str:
        return self.guidance_en if lang.startswith("en") and self.guidance_en else self.guidance_id


@dataclass(frozen=True)
class Config:
    taxonomy: tuple[Category, ...]
    unknown_severity: int
    weights: dict[str, float]
    assume: dict[str, float]
    thresholds: dict[int, float]
    levels: dict[int, LevelPlaybook]
    strategies: dict[str, Strategy]
    holding_statement: str
    _by_code: dict[str, Category] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_code.update({c.code: c for c in self.taxonomy})

    def category(self, code: str | None) -> Category | None:
        return self._by_code.get(code or "")

    @property
    def max_score(self) -> float:
        return max((c.severity for c in self.taxonomy), default=0) + sum(self.weights.values())

    def playbook(self, level: int) -> LevelPlaybook:
        return self.levels[int(level)]

    def to_data(self) -> dict[str, Any]:
        return {
            "taxonomy": [
                {
                    "code": c.code,
                    "label_id": c.label_id,
                    "label_en": c.label_en,
                    "severity": c.severity,
                    "cluster": c.cluster,
                    "misinformation": c.misinformation,
                }
                for c in self.taxonomy
            ],
            "unknown_severity": self.unknown_severity,
            "weights": dict(self.weights),
            "assume": dict(self.assume),
            "thresholds": {str(k): v for k, v in sorted(self.thresholds.items())},
            "levels": {
                str(k): {
                    "tiers": [list(t) for t in p.tiers],
                    "ack_minutes": p.ack_minutes,
                    "response_minutes": p.response_minutes,
                    "actions": list(p.actions),
                    "channels": list(p.channels),
                }
                for k, p in sorted(self.levels.items())
            },
            "strategies": {
                k: {
                    "strategy": s.strategy,
                    "guidance_id": s.guidance_id,
                    "guidance_en": s.guidance_en,
                }
                for k, s in self.strategies.items()
            },
            "holding_statement": self.holding_statement,
        }


# --- the shipped defaults ----------------------------------------------------------------

DEFAULT_DATA: dict[str, Any] = {
    "taxonomy": [
        {"code": "hoax", "label_id": "Hoaks / misinformasi", "label_en": "Hoax / misinformation",
         "severity": 20, "cluster": "victim", "misinformation": True},
        {"code": "service_disruption", "label_id": "Gangguan layanan",
         "label_en": "Service disruption", "severity": 20, "cluster": "accidental"},
        {"code": "queues", "label_id": "Antrean panjang / keterlambatan",
         "label_en": "Long queues / delays", "severity": 10, "cluster": "accidental"},
        {"code": "misconduct", "label_id": "Pelanggaran petugas / pungli",
         "label_en": "Officer misconduct / extortion (pungli)", "severity": 35,
         "cluster": "preventable"},
        {"code": "brokers", "label_id": "Calo", "label_en": "Brokers (calo)", "severity": 25,
         "cluster": "victim"},
        {"code": "data_leak", "label_id": "Kebocoran data / privasi",
         "label_en": "Data leak / privacy", "severity": 35, "cluster": "preventable"},
        {"code": "safety", "label_id": "Insiden keselamatan atau keamanan",
         "label_en": "Safety or security incident", "severity": 35, "cluster": "accidental"},
        {"code": "trafficking", "label_id": "TPPO / penyelundupan manusia",
         "label_en": "Human trafficking / smuggling", "severity": 35, "cluster": "victim"},
        {"code": "foreign_national", "label_id": "Kasus WNA / deportasi",
         "label_en": "Foreign-national case / deportation", "severity": 15,
         "cluster": "accidental"},
        {"code": "policy_change", "label_id": "Perubahan kebijakan", "label_en": "Policy change",
         "severity": 15, "cluster": "accidental"},
        {"code": "positive", "label_id": "Prestasi / berita positif",
         "label_en": "Achievement / positive news", "severity": 0, "cluster": "none"},
    ],
    "unknown_severity": 20,
    "weights": {
        "volume": 10, "growth": 5, "negative": 8, "reach": 7, "mainstream": 10, "spread": 5,
        "affected": 5, "safety": 6, "rights": 5, "vulnerable": 5, "reputation": 6,
        "political": 5,
    },
    "assume": {
        "volume": 0.5, "growth": 0.5, "negative": 0.5, "reach": 0.5, "mainstream": 0.5,
        "spread": 0.5, "affected": 0.5, "safety": 0.5, "rights": 0.5, "vulnerable": 0.5,
        "reputation": 0.5, "political": 0.5,
    },
    "thresholds": {"2": 30, "3": 50, "4": 75},
    "levels": {
        "1": {"tiers": [["pr_staff"], ["pr_lead"]], "ack_minutes": 60, "response_minutes": 1440,
              "actions": ["keep_monitoring", "clarification_post"],
              "channels": ["in_app"]},
        "2": {"tiers": [["pr_lead"], ["head"]], "ack_minutes": 30, "response_minutes": 240,
              "actions": ["keep_monitoring", "clarification_post", "holding_statement"],
              "channels": ["in_app", "email"]},
        "3": {"tiers": [["head", "pr_lead"], ["regional"], ["national"]], "ack_minutes": 15,
              "response_minutes": 60,
              "actions": ["keep_monitoring", "holding_statement", "incidental_conference",
                          "escalate_upward"],
              "channels": ["in_app", "email", "webhook"]},
        "4": {"tiers": [["head", "pr_lead", "regional"], ["national"]], "ack_minutes": 5,
              "response_minutes": 30,
              "actions": ["keep_monitoring", "holding_statement", "crisis_conference",
                          "escalate_upward"],
              "channels": ["in_app", "email", "webhook"]},
    },
    "strategies": {
        "victim": {
            "strategy": "deny",
            "guidance_id": "Kantor adalah korban (hoaks, rumor, ulah pihak lain). Bantah dengan "
                           "fakta yang dapat diperiksa, tunjukkan sumber resmi, beri instruksi "
                           "yang jelas kepada masyarakat; jangan menyerang penyebar.",
            "guidance_en": "The office is a victim (hoax, rumour, others' misdeeds). Deny with "
                           "verifiable facts, point to official sources, tell people what to do; "
                           "never attack the people who shared it.",
        },
        "accidental": {
            "strategy": "diminish",
            "guidance_id": "Kejadian tidak disengaja (gangguan teknis, tantangan). Jelaskan "
                           "penyebab dan kronologi dengan data (CCTV, sistem), sampaikan langkah "
                           "perbaikan dan empati; bila pernah terjadi sebelumnya, minta maaf.",
            "guidance_en": "An accident (technical failure, a challenge). Explain the cause and "
                           "timeline with data (CCTV, system logs), state the fix and show "
                           "empathy; if it happened before, apologise.",
        },
        "preventable": {
            "strategy": "rebuild",
            "guidance_id": "Kesalahan yang dapat dicegah (pelanggaran petugas, kelalaian). Akui, "
                           "minta maaf, umumkan tindakan tegas dan perbaikan, tawarkan "
                           "pemulihan bagi yang dirugikan.",
            "guidance_en": "A preventable wrong (misconduct, negligence). Acknowledge it, "
                           "apologise, announce firm action and corrections, offer redress to "
                           "those harmed.",
        },
        "none": {
            "strategy": "bolster",
            "guidance_id": "Bukan krisis: perkuat dengan informasi positif dan apresiasi kepada "
                           "masyarakat.",
            "guidance_en": "Not a crisis: reinforce with positive information and thank the "
                           "public.",
        },
    },
    "holding_statement": (
        "{office} mengetahui informasi yang beredar mengenai {topic}. Saat ini kami sedang "
        "menghimpun dan memverifikasi fakta di lapangan. Pelayanan keimigrasian tetap "
        "berjalan. Kami akan menyampaikan keterangan resmi selanjutnya paling lambat "
        "{next_update}. Masyarakat diimbau merujuk hanya pada kanal resmi {office}."
    ),
}  # fmt: skip


# --- parsing -------------------------------------------------------------------------------


def _number(value: Any, what: str, field: str, *, low: float = 0, high: float = 1e9) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(_("%(what)s must be a number.") % {"what": what}, field) from None
    if not low <= number <= high:
        raise ConfigError(
            _("%(what)s must be between %(low)s and %(high)s.")
            % {"what": what, "low": f"{low:g}", "high": f"{high:g}"},
            field,
        )
    return number


def _minutes(value: Any, what: str) -> int:
    return int(_number(value, what, "levels", low=1, high=7 * 24 * 60))


def parse(data: dict[str, Any]) -> Config:
    """Validate ``data`` (the JSON shape above) into a :class:`Config`; raise
    :class:`ConfigError` naming the first problem."""
    if not isinstance(data, dict):
        raise ConfigError(_("The configuration must be an object."))
    taxonomy: list[Category] = []
    seen: set[str] = set()
    for i, row in enumerate(data.get("taxonomy") or []):
        code = str(row.get("code", "")).strip()
        if not _CODE.match(code):
            raise ConfigError(
                _("Category %(n)d: the code must be lower-case letters, digits and _.")
                % {"n": i + 1},
                "taxonomy",
            )
        if code in seen:
            raise ConfigError(
                _("The category code %(code)s is used twice.") % {"code": code}, "taxonomy"
            )
        seen.add(code)
        label_id = str(row.get("label_id", "")).strip()
        if not label_id:
            raise ConfigError(
                _("The category %(code)s needs an Indonesian name.") % {"code": code}, "taxonomy"
            )
        cluster = str(row.get("cluster", ""))
        if cluster not in CLUSTERS:
            raise ConfigError(
                _("The category %(code)s has an unknown cluster.") % {"code": code}, "taxonomy"
            )
        taxonomy.append(
            Category(
                code=code,
                label_id=label_id[:120],
                label_en=str(row.get("label_en", "")).strip()[:120],
                severity=int(
                    _number(
                        row.get("severity"),
                        _("The base severity of %(code)s") % {"code": code},
                        "taxonomy",
                        high=100,
                    )
                ),
                cluster=cluster,
                misinformation=bool(row.get("misinformation", False)),
            )
        )
    if not taxonomy:
        raise ConfigError(_("The taxonomy needs at least one category."), "taxonomy")
    weights_in = data.get("weights") or {}
    assume_in = data.get("assume") or {}
    weights = {
        f: _number(weights_in.get(f, 0), _("A weight"), "weights", high=100) for f in FACTORS
    }
    assume = {f: _number(assume_in.get(f, 0.5), _("An assumed value"), "weights") for f in FACTORS}
    thresholds_in = data.get("thresholds") or {}
    thresholds = {
        level: _number(thresholds_in.get(str(level)), _("A threshold"), "thresholds", high=1000)
        for level in (2, 3, 4)
    }
    if not thresholds[2] < thresholds[3] < thresholds[4]:
        raise ConfigError(_("The thresholds must rise from level 2 to level 4."), "thresholds")
    levels: dict[int, LevelPlaybook] = {}
    levels_in = data.get("levels") or {}
    previous: LevelPlaybook | None = None
    for key in LEVEL_KEYS:
        row = levels_in.get(key)
        if not isinstance(row, dict):
            raise ConfigError(_("The playbook has no level %(n)s.") % {"n": key}, "levels")
        tiers = tuple(
            tuple(dict.fromkeys(str(r) for r in tier)) for tier in row.get("tiers") or [] if tier
        )
        if not tiers or len(tiers) > MAX_TIERS:
            raise ConfigError(
                _("Level %(n)s: give one to %(max)d responder tiers.")
                % {"n": key, "max": MAX_TIERS},
                "levels",
            )
        for tier in tiers:
            unknown = [r for r in tier if r not in RESPONDERS]
            if unknown:
                raise ConfigError(
                    _("Level %(n)s: unknown responder %(code)s.") % {"n": key, "code": unknown[0]},
                    "levels",
                )
        actions = tuple(a for a in ACTIONS if a in set(row.get("actions") or []))
        unknown_actions = set(row.get("actions") or []) - set(ACTIONS)
        if unknown_actions:
            raise ConfigError(
                _("Level %(n)s: unknown action %(code)s.")
                % {"n": key, "code": sorted(unknown_actions)[0]},
                "levels",
            )
        channels = tuple(c for c in CHANNELS if c in set(row.get("channels") or []))
        if "in_app" not in channels:
            channels = ("in_app", *channels)
        playbook = LevelPlaybook(
            level=int(key),
            tiers=tiers,
            ack_minutes=_minutes(row.get("ack_minutes"), _("The acknowledgement target")),
            response_minutes=_minutes(row.get("response_minutes"), _("The first-response target")),
            actions=actions,
            channels=channels,
        )
        if previous is not None and (
            playbook.ack_minutes > previous.ack_minutes
            or playbook.response_minutes > previous.response_minutes
        ):
            raise ConfigError(
                _("Level %(n)s cannot allow more time than level %(previous)s.")
                % {"n": key, "previous": previous.level},
                "levels",
            )
        levels[int(key)] = playbook
        previous = playbook
    strategies: dict[str, Strategy] = {}
    strategies_in = data.get("strategies") or {}
    for cluster in CLUSTERS:
        row = strategies_in.get(cluster) or {}
        strategy = str(row.get("strategy", ""))
        if strategy not in STRATEGIES:
            raise ConfigError(
                _("The cluster %(code)s has an unknown strategy.") % {"code": cluster},
                "strategies",
            )
        strategies[cluster] = Strategy(
            cluster=cluster,
            strategy=strategy,
            guidance_id=str(row.get("guidance_id", "")).strip(),
            guidance_en=str(row.get("guidance_en", "")).strip(),
        )
    holding = str(data.get("holding_statement", "")).strip()
    if not holding:
        raise ConfigError(_("Write the holding-statement template."), "holding_statement")
    try:
        holding.format(office="x", topic="x", next_update="x", date="x")
    except (KeyError, IndexError, ValueError):
        raise ConfigError(
            _(
                "The holding-statement template may use only {office}, {topic}, {date} and "
                "{next_update}."
            ),
            "holding_statement",
        ) from None
    return Config(
        taxonomy=tuple(taxonomy),
        unknown_severity=int(
            _number(
                data.get("unknown_severity", 20), _("The unknown severity"), "taxonomy", high=100
            )
        ),
        weights=weights,
        assume=assume,
        thresholds=thresholds,
        levels=levels,
        strategies=strategies,
        holding_statement=holding,
    )


def default_data() -> dict[str, Any]:
    """A deep copy of the shipped defaults."""
    return copy.deepcopy(DEFAULT_DATA)


DEFAULT = parse(DEFAULT_DATA)
