"""Typed errors with stable codes, and the catalogue that names them.

Every check the core performs on its input has a code (``E-ALLOC-007``), a level and a message
in Arabic, French and English.  The same catalogue feeds the CLI, the API and the docs
(``docs/errors.md`` is generated from it and a test keeps the two in step).

Pure module: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Level(StrEnum):
    """An ``error`` blocks; a ``warning`` must be explicitly accepted by whoever enters the data."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Check:
    """One entry of the catalogue. Messages are ``str.format`` templates over the error's params."""

    code: str
    level: Level
    ar: str
    fr: str
    en: str


def _c(code: str, ar: str, fr: str, en: str, level: Level = Level.ERROR) -> Check:
    return Check(code, level, ar, fr, en)


CATALOGUE: Final[dict[str, Check]] = {
    c.code: c
    for c in (
        # --- input shape -------------------------------------------------------------------
        _c("E-ALLOC-001", "ملف الإدخال ليس JSON صالحا: {detail}",
           "Le fichier d'entrée n'est pas un JSON valide : {detail}",
           "input is not valid JSON: {detail}"),
        _c("E-ALLOC-002", "مجموعة القواعد «{value}» غير معروفة؛ المتاح: {known}",
           "Jeu de règles « {value} » inconnu ; disponibles : {known}",
           "unknown rule set '{value}'; known: {known}"),
        _c("E-ALLOC-003", "الحقل {field} مفقود أو من نوع غير صحيح (المتوقع: {expected})",
           "Le champ {field} est absent ou de type incorrect (attendu : {expected})",
           "field {field} is missing or of the wrong type (expected {expected})"),
        _c("E-ALLOC-004", "الحقل {field} يجب أن يكون عددا صحيحا موجبا أو صفرا، وقيمته {value}",
           "Le champ {field} doit être un entier positif ou nul, reçu {value}",
           "field {field} must be a non-negative integer, got {value}"),
        _c("E-ALLOC-005", "عدد المصوتين ({voters}) يفوق عدد الناخبين المقيدين ({registered})",
           "Le nombre de votants ({voters}) dépasse le nombre d'inscrits ({registered})",
           "voters ({voters}) exceed registered voters ({registered})"),
        _c("E-ALLOC-006", "عدد الأوراق الملغاة ({void}) يفوق عدد المصوتين ({voters})",
           "Le nombre de bulletins nuls ({void}) dépasse le nombre de votants ({voters})",
           "void ballots ({void}) exceed voters ({voters})"),
        _c("E-ALLOC-007",
           "مجموع الأصوات ({total}) زائد الأوراق الملغاة ({void}) يفوق عدد المصوتين ({voters})",
           "La somme des voix ({total}) plus les nuls ({void}) dépasse les votants ({voters})",
           "votes ({total}) plus void ballots ({void}) exceed voters ({voters})"),
        _c("E-ALLOC-008", "عدد المقاعد في {field} يجب أن يكون أكبر من صفر، وقيمته {value}",
           "Le nombre de sièges de {field} doit être strictement positif, reçu {value}",
           "seats in {field} must be greater than zero, got {value}"),
        _c("E-ALLOC-009", "معرف اللائحة أو المترشح في {field} فارغ",
           "L'identifiant de liste ou de candidat dans {field} est vide",
           "list or candidate id in {field} is empty"),
        _c("E-ALLOC-010", "المعرف «{value}» مكرر في {field}",
           "L'identifiant « {value} » est en double dans {field}",
           "id '{value}' is duplicated in {field}"),
        _c("E-ALLOC-011", "الجزء الثاني مخصص للنساء: المترشح في {field} ليس امرأة",
           "La deuxième partie est réservée aux femmes : le candidat en {field} n'est pas une femme",
           "the women's part is reserved to women: the candidate at {field} is not a woman"),
        _c("E-ALLOC-012", "تاريخ الازدياد في {field} ليس تاريخا صالحا بصيغة YYYY-MM-DD: {value}",
           "La date de naissance en {field} n'est pas une date AAAA-MM-JJ valide : {value}",
           "birth date at {field} is not a valid YYYY-MM-DD date: {value}"),
        _c("E-ALLOC-013", "نوع الدائرة «{value}» في {field} غير معروف (المتوقع: {expected})",
           "Valeur « {value} » inconnue pour {field} (attendu : {expected})",
           "unknown value '{value}' for {field} (expected {expected})"),
        _c("E-ALLOC-014", "لا توجد أي فئة مقاعد للتوزيع",
           "Aucun groupe de sièges à répartir",
           "no seat group to allocate"),
        _c("E-ALLOC-015", "نتيجة القرعة «{key}» تعين «{value}» الذي ليس ضمن المتعادلين: {contenders}",
           "Le tirage « {key} » désigne « {value} », qui n'est pas parmi les ex aequo : {contenders}",
           "drawn lot '{key}' names '{value}', who is not among the tied: {contenders}"),
        _c("E-ALLOC-016",
           "تعادل في البقايا بين {contenders}: يجب إدخال تواريخ ازدياد المترشحين الموالين للحسم بالسن",
           "Égalité des restes entre {contenders} : les dates de naissance des candidats suivants "
           "sont nécessaires pour départager à l'âge",
           "remainder tie between {contenders} is broken by the age of their next candidates: "
           "supply their birth dates"),
        _c("E-ALLOC-017", "المقعد الملحق في {field} يتطلب مترشحة (امرأة)",
           "Le siège rattaché en {field} exige une candidate (femme)",
           "the attached seat at {field} requires a woman candidate"),
        _c("E-ALLOC-018", "المقعد الملحق مذكور في {field} بينما الدائرة لا تتوفر على مقعد ملحق",
           "Un siège rattaché est donné en {field} alors que la circonscription n'en a pas",
           "an attached woman is given at {field} but the district has no attached seat"),
        _c("E-ALLOC-019", "الحقل {field} غير معروف في هذا النوع من المدخلات",
           "Le champ {field} est inconnu pour ce type d'entrée",
           "field {field} is not known for this kind of input"),
        _c("E-IO-001", "تعذرت قراءة الملف {field}: {detail}",
           "Impossible de lire le fichier {field} : {detail}",
           "cannot read file {field}: {detail}"),
        # --- polling-station minutes (records.checks) -----------------------------------------
        _c("E-PV-001", "الحقل {field} يجب أن يكون عددا صحيحا موجبا أو صفرا، وقيمته {value}",
           "Le champ {field} doit être un entier positif ou nul, reçu {value}",
           "field {field} must be a non-negative integer, got {value}"),
        _c("E-PV-002", "مجموع الأصوات ({valid}) والأوراق الملغاة ({void}) وغير القانونية ({illegal}) لا يساوي عدد الأوراق بالصندوق ({ballots})",
           "Voix ({valid}) + nuls ({void}) + illégaux ({illegal}) ≠ bulletins dans l'urne ({ballots})",
           "votes ({valid}) + void ({void}) + illegal ({illegal}) ≠ ballots in the box ({ballots})"),
        _c("E-PV-003", "عدد المصوتين ({signed}) يفوق عدد الناخبين المقيدين ({registered})",
           "Votants ({signed}) supérieurs aux inscrits ({registered})",
           "voters who signed ({signed}) exceed the registered voters ({registered})"),
        _c("W-PV-004", "عدد الأوراق بالصندوق ({ballots}) يخالف عدد التوقيعات ({signed}): يشار إلى ذلك في المحضر",
           "Bulletins dans l'urne ({ballots}) ≠ émargements ({signed}) : à mentionner au procès-verbal",
           "ballots in the box ({ballots}) ≠ signatures ({signed}): to be recorded in the minutes",
           Level.WARNING),
        _c("E-PV-005", "اللائحة أو المترشح «{value}» غير مسجل في هذه الدائرة",
           "La liste ou le candidat « {value} » n'est pas enregistré dans cette circonscription",
           "list or candidate '{value}' is not registered in this constituency"),
        _c("E-PV-006", "الأوراق المنازع فيها ({contested}) تفوق الأصوات الصحيحة ({valid})",
           "Bulletins contestés ({contested}) supérieurs aux voix valables ({valid})",
           "contested ballots ({contested}) exceed the valid votes ({valid})"),
        _c("E-PV-007", "مكتب التصويت {station} له محضر مقبول لهذا الاقتراع ({vote}): التصحيح يفتحه المنسق",
           "Le bureau {station} a déjà un procès-verbal accepté pour ce scrutin ({vote}) : la correction est ouverte par le coordinateur",
           "station {station} already has an accepted minute for this vote ({vote}): a coordinator opens a correction"),
        _c("W-PV-008", "عدد المقيدين في المحضر ({value}) يخالف اللائحة الانتخابية للمكتب ({registered})",
           "Inscrits au procès-verbal ({value}) ≠ liste électorale du bureau ({registered})",
           "registered on the minute ({value}) ≠ the station's voter list ({registered})",
           Level.WARNING),
        _c("E-PV-009", "مكتب التصويت «{value}» غير معروف",
           "Bureau de vote « {value} » inconnu",
           "unknown polling station '{value}'"),
        _c("W-PV-010", "اللائحة أو المترشح «{value}» غير وارد في المحضر (يحتسب صفرا)",
           "La liste ou le candidat « {value} » est absent du procès-verbal (compté zéro)",
           "list or candidate '{value}' is absent from the minute (counted as zero)",
           Level.WARNING),
        _c("E-PV-011", "الاقتراع «{value}» غير معروف (جماعي أو جهوي)",
           "Scrutin « {value} » inconnu (communal ou régional)",
           "unknown vote '{value}' (communal or regional)"),
        # --- double entry (records.entry) -----------------------------------------------------
        _c("E-ENTRY-001", "الإدخال الثاني يجب أن يقوم به مستخدم غير صاحب الإدخال الأول ({user})",
           "La deuxième saisie doit être faite par un autre utilisateur que la première ({user})",
           "the second entry must be made by another user than the first ({user})"),
        _c("E-ENTRY-002", "المحضر غير مفتوح للإدخال في حالته الراهنة ({status})",
           "Le procès-verbal n'est pas ouvert à la saisie dans son état actuel ({status})",
           "the minute is not open for entry in its current state ({status})"),
        _c("E-ENTRY-003", "لا يوجد اختلاف بين إدخالين لحسمه (الحالة: {status})",
           "Aucune divergence entre deux saisies à trancher (état : {status})",
           "there is no conflict between two entries to resolve (state: {status})"),
        _c("E-ENTRY-004", "هذا الإجراء غير مسموح للمستخدم {user}",
           "Action non autorisée pour l'utilisateur {user}",
           "this action is not allowed for user {user}"),
        _c("E-ENTRY-005", "تنبيهات يجب قبولها صراحة: {codes}",
           "Avertissements à accepter explicitement : {codes}",
           "warnings to be accepted explicitly: {codes}"),
        # --- imports ------------------------------------------------------------------------
        _c("E-IMP-001", "رفض الاستيراد: {count} خطأ، أولها {detail}؛ لم يسجل أي شيء",
           "Import refusé : {count} erreur(s), dont {detail} ; rien n'a été enregistré",
           "import rejected: {count} error(s), first {detail}; nothing was written"),
        _c("E-IMP-002", "الحقل {field}: المنتظر {expected}",
           "Champ {field} : attendu {expected}",
           "field {field}: expected {expected}"),
        _c("E-IMP-003", "المرجع «{value}» في {field} غير موجود في {table}",
           "La référence « {value} » de {field} n'existe pas dans {table}",
           "reference '{value}' in {field} does not exist in {table}"),
        _c("E-IMP-004", "المعرف «{value}» مكرر",
           "Identifiant « {value} » en double",
           "duplicate id '{value}'"),
        # --- councils ----------------------------------------------------------------------
        _c("E-COUNCIL-001", "عدد السكان في {field} يجب أن يكون عددا صحيحا موجبا، وقيمته {value}",
           "La population en {field} doit être un entier strictement positif, reçu {value}",
           "population at {field} must be a positive integer, got {value}"),
        _c("E-COUNCIL-002", "عدد المقاعد في {field} غير صالح: {value}",
           "Nombre de sièges invalide en {field} : {value}",
           "invalid number of seats at {field}: {value}"),
    )
}


class IntikhabError(Exception):
    """Base of every error the core raises: a stable ``code``, the ``field`` path and params.

    ``str(err)`` is the one-line English message prefixed by the code; ``message(lang)`` gives
    the Arabic (``ar``) or French (``fr``) text from the catalogue.
    """

    def __init__(self, code: str, field: str | None = None, **params: object) -> None:
        if code not in CATALOGUE:  # pragma: no cover - a programming error, caught by tests
            raise KeyError(f"unknown error code {code}")
        self.code = code
        self.field = field
        self.params: dict[str, object] = {"field": field or "", **params}
        super().__init__(f"{code}: {self.message('en')}")

    @property
    def check(self) -> Check:
        return CATALOGUE[self.code]

    def message(self, lang: str = "en") -> str:
        template: str = getattr(self.check, lang if lang in ("ar", "fr", "en") else "en")
        try:
            return template.format(**self.params)
        except (KeyError, IndexError):  # pragma: no cover - missing param: show the template
            return template

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        return {"code": self.code, "field": self.field, "message": self.message(lang)}


class InputError(IntikhabError):
    """The figures or the description handed to the core are not acceptable."""


class AllocationError(IntikhabError):
    """The allocation cannot be decided from what was given (e.g. a tie needs birth dates)."""


def catalogue_markdown() -> str:
    """The catalogue as a markdown table (``docs/errors.md`` is this text; a test checks it)."""
    rows = [
        "# Error and check catalogue",
        "",
        "Generated from `intikhab.law.errors.CATALOGUE` (`make docs`). Every rejection names its",
        "code and the JSON path of the field; the CLI prints `CODE field: message` and exits 2.",
        "",
        "| code | level | العربية | français | English |",
        "|---|---|---|---|---|",
    ]
    rows += [f"| {c.code} | {c.level.value} | {c.ar} | {c.fr} | {c.en} |" for c in CATALOGUE.values()]
    return "\n".join(rows) + "\n"
