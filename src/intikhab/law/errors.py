"""Typed errors with stable codes, and the catalogue that names them.

Every check the core performs on its input has a code (``E-ALLOC-007``), a level and a message
in Arabic, French and English.  The same catalogue feeds the CLI, the API and the docs
(``docs/errors.md`` is generated from it and a test keeps the two in step).  A check that
fails without stopping the caller reports a :class:`Finding`; one that stops it raises an
:class:`IntikhabError` — both carry a catalogue code and read their level and text from it.

Codes are plain strings, not a ``StrEnum``: an enum mypy could check would repeat each of the
~140 codes a second time, as a member name beside its catalogue entry, and every new code would
need both edits.  Instead an unknown code fails at once — :class:`IntikhabError` and
:class:`Finding` refuse a code the catalogue lacks — and the catalogue is the one list.

Over 500 lines because the catalogue is data: one entry per code, three languages each.
Pure module: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
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
        # --- candidacies (law/candidacy.py, law/registration.py) — engineer A ------------------
        _c("E-CAND-001", "عنصر إلزامي ناقص في التصريح بالترشيح ({field}): {item} (المادة 7)",
           "Pièce ou mention obligatoire manquante ({field}) : {item} (art. 7)",
           "required item missing ({field}): {item} (art. 7)"),
        _c("E-CAND-002", "يودع التصريح بالترشيح شخصيا في ثلاث نسخ، وعدد النسخ المودعة {copies} (المادة 7)",
           "La déclaration se dépose en personne en trois exemplaires ; exemplaires déposés : {copies} (art. 7)",
           "the declaration is deposited in person in three copies; copies deposited: {copies} (art. 7)"),
        _c("E-CAND-003", "أودع الترشيح في {value} بعد انصرام أجل الإيداع ({deadline}) (المادتان 85 و134)",
           "Candidature déposée le {value}, après la clôture des dépôts ({deadline}) (art. 85 et 134)",
           "filed at {value}, after the filing deadline ({deadline}) (arts. 85 and 134)"),
        _c("E-CAND-004", "بطاقة السوابق أو السجل العدلي ({value}) يجب أن يسلم منذ أقل من ثلاثة أشهر (المادة 7)",
           "Le casier judiciaire ({value}) doit dater de moins de trois mois (art. 7)",
           "the criminal record ({value}) must be less than three months old (art. 7)"),
        _c("E-CAND-005", "المترشح {name} لا يبلغ 18 سنة يوم الاقتراع (السن: {age}) (المادة 79؛ الفصل 30 من الدستور)",
           "{name} n'a pas 18 ans le jour du scrutin (âge : {age}) (art. 79 ; Constitution, art. 30)",
           "{name} is not 18 on polling day (age {age}) (art. 79; Constitution art. 30)"),
        _c("E-CAND-006", "المترشح {name} غير مقيد في اللائحة الانتخابية العامة (المادة 79)",
           "{name} n'est pas inscrit sur la liste électorale générale (art. 79)",
           "{name} is not registered on the general electoral list (art. 79)"),
        _c("E-CAND-007", "المترشح {name} متجنس منذ أقل من خمس سنوات (إلى غاية {until}) (المادة 6)",
           "{name} est naturalisé depuis moins de cinq ans (jusqu'au {until}) (art. 6)",
           "{name} was naturalised less than five years ago (until {until}) (art. 6)"),
        _c("E-CAND-008", "المترشح {name} صدر في حقه قرار عزل نهائي: غير مؤهل إلى غاية {until} (المادة 6)",
           "{name} a fait l'objet d'une révocation définitive : inéligible jusqu'au {until} (art. 6)",
           "{name} was dismissed from an elected office: ineligible until {until} (art. 6)"),
        _c("E-CAND-009", "المترشح {name} فقد أهليته الانتخابية (المادة 6)",
           "{name} a perdu sa capacité électorale (art. 6)",
           "{name} has lost electoral capacity (art. 6)"),
        _c("E-CAND-010", "المترشح {name} محكوم عليه من أجل أحد الأفعال المنصوص عليها في المواد 65 إلى 68 (المادة 6)",
           "{name} a été condamné pour l'un des faits des articles 65 à 68 (art. 6)",
           "{name} was convicted under arts. 65 to 68 (art. 6)"),
        _c("E-CAND-011", "المترشح {name} ممنوع من الترشح بسبب مهامه ({office}) أو لم تمر سنة على انتهائها (المادة 5)",
           "{name} est inéligible du fait de ses fonctions ({office}) ou les a quittées depuis moins d'un an (art. 5)",
           "{name} is barred by office ({office}), held or left less than a year before polling day (art. 5)"),
        _c("E-CAND-012", "المترشح {name} لا يجوز انتخابه في مجلس الجماعة {place} التي يزاول فيها مهامه ({office}) أو انتهى منها منذ أقل من سنة (المادة 132)",
           "{name} ne peut être élu au conseil de la commune {place} où il exerce ({office}) ou a cessé depuis moins d'un an (art. 132)",
           "{name} may not be elected to the council of commune {place} where they serve ({office}) or served less than a year ago (art. 132)"),
        _c("W-CAND-013", "حالة تناف لدى {name} ({office}): يجب تسويتها داخل 8 أيام من مزاولة المهام وإلا اعتبر مستقيلا (المادتان 82 و83)",
           "Incompatibilité pour {name} ({office}) : à régler dans les 8 jours suivant l'entrée en fonctions, sinon démission d'office (art. 82 et 83)",
           "incompatibility for {name} ({office}): to resolve within 8 days of taking office, or deemed to resign (arts. 82 and 83)",
           Level.WARNING),
        _c("E-CAND-014", "المترشح {name} لا تربطه بالجماعة {place} إقامة ولا ولادة ولا ضريبة منذ 3 سنوات ولا أصل (المادة 131)",
           "{name} n'a avec la commune {place} ni résidence, ni naissance, ni imposition depuis 3 ans, ni origine (art. 131)",
           "{name} has no tie to commune {place}: residence, birth, 3 years' taxation or family origin (art. 131)"),
        _c("E-CAND-015", "الجزء {part} يتضمن {count} اسما بينما عدد مقاعده {seats} (المادتان 85 و134)",
           "La partie {part} compte {count} noms pour {seats} sièges (art. 85 et 134)",
           "part {part} has {count} names for {seats} seats (arts. 85 and 134)"),
        _c("E-CAND-016", "الجزء الثاني والمقعد الملحق مخصصان للنساء: {name} ليست مترشحة (المادتان 85 و134)",
           "La deuxième partie et le siège rattaché sont réservés aux femmes : {name} n'est pas une candidate (art. 85 et 134)",
           "part 2 and the attached seat are reserved to women: {name} is not a woman (arts. 85 and 134)"),
        _c("E-CAND-017", "المترشح {name} ينتمي إلى {party} واللائحة مقدمة باسم {list_party} دون تحالف مسجل (المادة 8)",
           "{name} appartient à {party} alors que la liste est celle de {list_party}, sans alliance enregistrée (art. 8)",
           "{name} belongs to {party} but the list is {list_party}'s, with no registered alliance (art. 8)"),
        _c("E-CAND-018", "لا يجوز الجمع في لائحة واحدة بين ترشيحات بتزكية حزب ({party}) وترشيحات بدون انتماء: {name} (المادة 8)",
           "Une liste ne peut mêler candidatures investies par un parti ({party}) et sans appartenance : {name} (art. 8)",
           "a list cannot mix party-endorsed ({party}) and unaffiliated candidates: {name} (art. 8)"),
        _c("E-CAND-019", "التزكية المسلمة من الجهاز المختص للحزب أو التحالف {party} مفقودة (المادة 7)",
           "L'investiture du parti ou de l'alliance {party} manque (art. 7)",
           "the endorsement of party or alliance {party} is missing (art. 7)"),
        _c("E-CAND-020", "الشخص {value} مترشح في أكثر من لائحة أو دائرة: {places} (المادة 8)",
           "La personne {value} est candidate sur plusieurs listes ou circonscriptions : {places} (art. 8)",
           "person {value} stands on several lists or districts: {places} (art. 8)"),
        _c("E-CAND-021", "التوقيعات المصادق عليها المحتسبة {count} أقل من المطلوب {required} (المادتان 85 و134)",
           "Signatures légalisées retenues : {count}, inférieures aux {required} requises (art. 85 et 134)",
           "certified signatures counted: {count}, fewer than the {required} required (arts. 85 and 134)"),
        _c("E-CAND-022", "الموقعون في {prefecture} ({count} من {total}) أقل من 10% من مجموع الموقعين (المادة 85)",
           "Signataires de {prefecture} ({count} sur {total}) : moins de 10 % du total (art. 85)",
           "signatories in {prefecture} ({count} of {total}) are fewer than 10% of all (art. 85)"),
        _c("W-CAND-023", "توقيع الناخب {value} لا يحتسب: {reason} (المادتان 85 و134)",
           "La signature de l'électeur {value} n'est pas retenue : {reason} (art. 85 et 134)",
           "the signature of voter {value} is not counted: {reason} (arts. 85 and 134)",
           Level.WARNING),
        _c("E-CAND-024", "الوثيقة الحاملة للتوقيعات تكون موضوع إيداع واحد (عدد الإيداعات: {value}) (المادتان 85 و134)",
           "Le document des signatures fait l'objet d'un dépôt unique (dépôts : {value}) (art. 85 et 134)",
           "the signatures are deposited once, in one document (deposits: {value}) (arts. 85 and 134)"),
        _c("E-CAND-025", "الدائرة الانتخابية «{value}» غير معروفة",
           "Circonscription « {value} » inconnue",
           "unknown constituency '{value}'"),
        _c("E-CAND-030", "الإجراء {action} غير مسموح به في الحالة {status}",
           "Action {action} impossible dans l'état {status}",
           "action {action} is not allowed in state {status}"),
        _c("E-CAND-031", "لا يمكن سحب أو تعويض أي ترشيح بعد انصرام أجل الإيداع ({deadline})",
           "Aucune candidature ne peut être retirée ni remplacée après la clôture des dépôts ({deadline})",
           "no candidacy can be withdrawn or replaced after the filing deadline ({deadline})"),
        _c("E-CAND-032", "الترشيح برسم المقعد الملحق لا يسحب إلا من طرف المترشحة نفسها ({who}) (المادة 134)",
           "La candidature au siège rattaché ne peut être retirée que par la candidate elle-même ({who}) (art. 134)",
           "the attached seat's candidacy can be withdrawn only by the woman herself ({who}) (art. 134)"),
        _c("E-CAND-033", "السحب أو التعويض من حق وكيل اللائحة أو المترشح وحده، لا {who}",
           "Le retrait ou le remplacement appartient au mandataire ou au candidat, non à {who}",
           "withdrawal or replacement belongs to the list agent or the candidate, not {who}"),
        _c("E-CAND-034", "يجب تعليل رفض الترشيح (المادة 9)",
           "Le rejet d'une candidature doit être motivé (art. 9)",
           "a rejection must give its reasons (art. 9)"),
        _c("E-CAND-035", "تبقى اللائحة صحيحة بعد الوصل النهائي رغم عدم أهلية أحد مترشحيها ({codes}): يسجل المترشح غير مؤهل (المادة 8)",
           "La liste reste valable après le récépissé définitif malgré l'inéligibilité d'un candidat ({codes}) : le candidat est déclaré inéligible (art. 8)",
           "a list stays valid after its final receipt when a candidate proves ineligible ({codes}): mark the candidate ineligible (art. 8)"),
        _c("W-CAND-036", "سلم الوصل النهائي بعد أكثر من 48 ساعة من الإيداع (المادة 9)",
           "Récépissé définitif délivré plus de 48 heures après le dépôt (art. 9)",
           "final receipt issued more than 48 hours after the deposit (art. 9)",
           Level.WARNING),
        _c("E-CAND-037", "التصريح بالترشيح «{value}» غير موجود",
           "Déclaration de candidature « {value} » introuvable",
           "no candidacy filing '{value}'"),
        _c("E-CAND-038", "ترتيب المترشحين في {field} يجب أن يكون 1 و2 و3… بدون فراغ ولا تكرار، وقيمته {value} (المادة 7)",
           "Le rang en {field} doit suivre 1, 2, 3… sans trou ni doublon, reçu {value} (art. 7)",
           "the ranking at {field} must run 1, 2, 3… with no gap or repeat, got {value} (art. 7)"),
        # --- web application and REST API (web/, services/users.py) -------------------------
        _c("E-API-001", "الطلب غير صالح في {field}: {detail}",
           "Requête invalide en {field} : {detail}",
           "invalid request at {field}: {detail}"),
        _c("E-API-002", "يجب تسجيل الدخول للوصول إلى هذه الصفحة",
           "Connexion requise pour accéder à cette ressource",
           "authentication required"),
        _c("E-API-003", "الدور «{role}» لا يسمح بهذا الإجراء",
           "Le rôle « {role} » ne permet pas cette action",
           "the role '{role}' does not allow this action"),
        _c("E-API-004", "العنصر «{value}» غير موجود",
           "« {value} » introuvable",
           "'{value}' not found"),
        _c("E-API-005", "الطريقة {value} غير مسموح بها لهذا العنوان",
           "Méthode {value} non autorisée pour cette adresse",
           "method {value} is not allowed on this address"),
        _c("E-API-006", "رمز الحماية من تزوير الطلبات (CSRF) مفقود أو غير صالح",
           "Jeton anti-CSRF absent ou invalide",
           "the CSRF token is missing or invalid"),
        _c("E-API-007", "خطأ داخلي (المرجع {value}): لم يسجل أي شيء",
           "Erreur interne (référence {value}) : rien n'a été enregistré",
           "internal error (reference {value}): nothing was written"),
        _c("E-API-008", "اسم المستخدم أو كلمة المرور غير صحيحة",
           "Identifiant ou mot de passe incorrect",
           "wrong user name or password"),
        _c("E-API-009", "انتهت صلاحية الجلسة: المرجو تسجيل الدخول من جديد",
           "La session a expiré : veuillez vous reconnecter",
           "the session has expired: log in again"),
        _c("E-API-010", "المستخدم {user} غير معتمد لدى الدائرة {value}",
           "L'utilisateur {user} n'est pas accrédité auprès de la circonscription {value}",
           "user {user} is not accredited to constituency {value}"),
        _c("E-API-011", "المستخدم «{value}» موجود من قبل",
           "L'utilisateur « {value} » existe déjà",
           "user '{value}' already exists"),
        _c("E-API-012", "الدور «{value}» غير معروف (المتاح: {known})",
           "Rôle « {value} » inconnu (disponibles : {known})",
           "unknown role '{value}' (known: {known})"),
        _c("E-API-013", "كلمة المرور يجب أن تتكون من {min} أحرف على الأقل",
           "Le mot de passe doit comporter au moins {min} caractères",
           "the password must have at least {min} characters"),
        _c("E-API-014", "لا توجد نتيجة لهذه الدائرة ({value})",
           "Aucun résultat pour cette circonscription ({value})",
           "there is no result for this constituency ({value})"),
        _c("E-API-015", "الدائرة {value} غير مكتملة: {accepted} من أصل {stations} محضرا مقبولا",
           "La circonscription {value} n'est pas complète : {accepted} procès-verbaux acceptés sur {stations}",
           "constituency {value} is not complete: {accepted} of {stations} minutes accepted"),
        # --- calendar, campaign, finance, disputes (law/calendar, campaign, finance, disputes) — engineer B
        _c("E-CAL-001", "التاريخ أو الساعة في {field} غير صالح (المنتظر YYYY-MM-DD أو YYYY-MM-DDTHH:MM): {value}",
           "Date ou heure invalide en {field} (attendu AAAA-MM-JJ ou AAAA-MM-JJTHH:MM) : {value}",
           "invalid date or time at {field} (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM): {value}"),
        _c("E-CAL-002", "الوقت في {field} يجب أن يحدد منطقته الزمنية: {value}",
           "L'heure en {field} doit porter son fuseau horaire : {value}",
           "the time at {field} must carry its time zone: {value}"),
        _c("E-CAL-003", "الإجراء {field} تم في {when} قبل بداية أجله ({bound}) — {article}",
           "L'acte {field} du {when} est antérieur à l'ouverture du délai ({bound}) — {article}",
           "{field} at {when} is before its period opens ({bound}) — {article}"),
        _c("E-CAL-004", "الإجراء {field} تم في {when} بعد انصرام أجله ({bound}) — {article}",
           "L'acte {field} du {when} est hors délai (échéance {bound}) — {article}",
           "{field} at {when} is late (deadline {bound}) — {article}"),
        _c("E-CAL-005", "القيمة «{value}» في {field} غير معروفة (المنتظر: {expected})",
           "Valeur « {value} » inconnue en {field} (attendu : {expected})",
           "unknown value '{value}' at {field} (expected {expected})"),
        _c("E-CAL-006", "الإجراء «{value}» غير معروف في الجدول الزمني؛ المتاح: {known}",
           "Acte « {value} » inconnu du calendrier ; disponibles : {known}",
           "unknown calendar act '{value}'; known: {known}"),
        _c("E-CAL-007", "أجل الإجراء {act} يحتسب انطلاقا من {field} الذي لم يحدد",
           "Le délai de l'acte {act} court à partir de {field}, qui n'est pas donné",
           "the deadline of {act} runs from {field}, which is not given"),
        _c("E-CAMP-001", "يمنع تعليق الإعلانات الانتخابية في {place} (المادة الأولى من المرسوم 2.15.578)",
           "Affichage électoral interdit : {place} (décret 2.15.578, art. 1)",
           "election posters are forbidden on {place} (decree 2.15.578 art. 1)"),
        _c("E-CAMP-002", "حجم الإعلان {width}×{height} ملم يتجاوز الحجم A0 (841×1189 ملم)",
           "Le format de l'affiche {width}×{height} mm dépasse le format A0 (841×1189 mm)",
           "poster size {width}×{height} mm exceeds A0 (841×1189 mm)"),
        _c("E-CAMP-003", "لا يجوز أن تتضمن الإعلانات والبرامج والمنشورات اللون {colour} (المادة 38)",
           "Les affiches, programmes et publications ne peuvent comporter la couleur {colour} (art. 38)",
           "posters, programmes and publications may not use {colour} (art. 38)"),
        _c("E-CAMP-004", "عدد مقرات الحملة ({count}) يتجاوز مقرين اثنين لكل مترشح",
           "Nombre de locaux de campagne ({count}) supérieur à deux par candidat",
           "campaign premises ({count}) exceed two per candidate"),
        _c("E-CAMP-005", "لم تتم إزالة الإعلان داخل 24 ساعة من التنبيه ({bound})",
           "Affiche non enlevée dans les 24 heures de l'avertissement ({bound})",
           "poster not removed within 24 hours of the warning ({bound})"),
        _c("E-CAMP-006", "القيمة «{value}» في {field} غير معروفة (المنتظر: {expected})",
           "Valeur « {value} » inconnue en {field} (attendu : {expected})",
           "unknown value '{value}' at {field} (expected {expected})"),
        _c("E-CAMP-010", "ينعقد الاجتماع بعد 24 ساعة من تسلم الوصل أو 48 ساعة من الرسالة المضمونة، أي ابتداء من {bound}",
           "La réunion ne peut se tenir que 24 h après le récépissé ou 48 h après la lettre recommandée, soit à partir du {bound}",
           "the meeting may only be held 24 h after the receipt or 48 h after the registered letter, i.e. from {bound}"),
        _c("E-CAMP-011", "لا يجوز عقد الاجتماعات في الطرق العمومية",
           "Les réunions ne peuvent se tenir sur la voie publique",
           "meetings may not be held on public roads"),
        _c("E-CAMP-012", "لا يمكن أن يمتد الاجتماع إلى ما بعد الساعة 12 ليلا ({bound})",
           "La réunion ne peut se prolonger au-delà de minuit ({bound})",
           "the meeting may not go on past midnight ({bound})"),
        _c("E-CAMP-013", "لا يمكن أن يمتد الاجتماع إلى ما بعد الساعة المحددة في التصريح ({bound})",
           "La réunion ne peut se prolonger au-delà de l'heure déclarée ({bound})",
           "the meeting may not go on past the declared end ({bound})"),
        _c("E-CAMP-014", "مكتب الاجتماع يتكون من رئيس ومستشارين على الأقل (العدد: {count})",
           "Le bureau de la réunion compte au moins un président et deux assesseurs (nombre : {count})",
           "a meeting's bureau is a chair and at least two members (got {count})"),
        _c("E-CAMP-015", "التصريح بالاجتماع يوقعه ثلاثة أشخاص يقطنون بالعمالة أو الإقليم (العدد: {count})",
           "La déclaration est signée par trois personnes domiciliées dans la préfecture ou province (nombre : {count})",
           "the declaration is signed by three residents of the prefecture or province (got {count})"),
        _c("E-CAMP-020", "الإشعار بالموكب يقدم 24 ساعة على الأقل قبل انطلاقه، أي قبل {bound}",
           "Le préavis de cortège est déposé au moins 24 h avant son départ, soit avant le {bound}",
           "a procession notice is given at least 24 h before it starts, i.e. by {bound}"),
        _c("E-CAMP-021", "الإشعار بالموكب يجب أن يحدد ساعة الانطلاق وساعة الانتهاء والمسار",
           "Le préavis de cortège indique l'heure de départ, l'heure de fin et l'itinéraire",
           "a procession notice gives the start time, the end time and the route"),
        _c("E-CAMP-030", "طلب القاعة العمومية يقدم {days} قبل النشاط، أي قبل {bound}",
           "La demande de salle publique est déposée {days} avant l'activité, soit avant le {bound}",
           "a public hall is requested {days} before the activity, i.e. by {bound}"),
        _c("W-CAMP-031", "السلطة لم تشعر بمآل طلب القاعة داخل {hours} ساعة ({bound})",
           "L'autorité n'a pas répondu à la demande de salle dans les {hours} heures ({bound})",
           "the authority did not answer the hall request within {hours} hours ({bound})",
           Level.WARNING),
        _c("E-CAMP-032", "إلغاء النشاط يبلغ 24 ساعة على الأقل قبل موعده، أي قبل {bound}",
           "L'annulation de l'activité est notifiée au moins 24 h avant, soit avant le {bound}",
           "a cancellation is notified at least 24 h ahead, i.e. by {bound}"),
        _c("E-FIN-001", "المبلغ في {field} غير صالح (درهم بسنتيمين على الأكثر، موجب): {value}",
           "Montant invalide en {field} (dirhams, deux décimales au plus, positif) : {value}",
           "invalid amount at {field} (positive dirhams, at most two decimals): {value}"),
        _c("E-FIN-002", "القيمة «{value}» في {field} غير معروفة (المنتظر: {expected})",
           "Valeur « {value} » inconnue en {field} (attendu : {expected})",
           "unknown value '{value}' at {field} (expected {expected})"),
        _c("W-FIN-003", "مصروف بتاريخ {date} خارج فترة المصاريف الانتخابية ({opens} – {closes})",
           "Dépense du {date} hors de la période électorale ({opens} – {closes})",
           "expense dated {date} is outside the expense period ({opens} – {closes})",
           Level.WARNING),
        _c("E-FIN-004", "مصروف بدون وثيقة مثبتة ({amount} درهم)",
           "Dépense sans pièce justificative ({amount} MAD)",
           "expense without a supporting document ({amount} MAD)"),
        _c("E-FIN-005", "المصاريف ({total} درهم) تتجاوز السقف ({ceiling} درهم)",
           "Dépenses ({total} MAD) supérieures au plafond ({ceiling} MAD)",
           "expenses ({total} MAD) exceed the ceiling ({ceiling} MAD)"),
        _c("E-FIN-006", "لم يودع حساب الحملة الانتخابية (الأجل: {bound})",
           "Compte de campagne non déposé (échéance : {bound})",
           "campaign account not filed (deadline {bound})"),
        _c("E-FIN-007", "أودع حساب الحملة في {when} بعد انصرام الأجل ({bound})",
           "Compte de campagne déposé le {when}, après l'échéance ({bound})",
           "campaign account filed on {when}, after the deadline ({bound})"),
        _c("E-FIN-008", "الحساب لا يبين مصادر تمويل الحملة",
           "Le compte n'indique pas les sources de financement de la campagne",
           "the account does not show the campaign's sources of funds"),
        _c("W-FIN-009", "الموارد المصرح بها ({funds} درهم) أقل من المصاريف ({total} درهم)",
           "Ressources déclarées ({funds} MAD) inférieures aux dépenses ({total} MAD)",
           "declared funds ({funds} MAD) are less than the expenses ({total} MAD)",
           Level.WARNING),
        _c("E-FIN-010", "عدد المترشحين في {field} يجب أن يكون عددا صحيحا موجبا: {value}",
           "Le nombre de candidats en {field} doit être un entier positif : {value}",
           "the number of candidates at {field} must be a positive integer: {value}"),
        _c("E-FIN-011", "حساب الحملة «{value}» غير موجود",
           "Compte de campagne « {value} » introuvable",
           "unknown campaign account '{value}'"),
        _c("E-FIN-012", "حساب الحملة «{value}» موجود من قبل",
           "Le compte de campagne « {value} » existe déjà",
           "campaign account '{value}' already exists"),
        _c("E-DISP-001", "{filer} ليست له صفة تقديم {kind} ({article})",
           "{filer} n'a pas qualité pour former {kind} ({article})",
           "{filer} may not file a {kind} ({article})"),
        _c("E-DISP-002", "الطعن قدم خارج الأجل ({bound}): لا يمكن إلا التصريح بعدم قبوله ({article})",
           "Recours formé hors délai ({bound}) : il ne peut qu'être déclaré irrecevable ({article})",
           "the case was filed late ({bound}): it can only be declared inadmissible ({article})"),
        _c("E-DISP-003", "الإجراء «{action}» غير ممكن والقضية في حالة «{state}»",
           "Action « {action} » impossible dans l'état « {state} » du dossier",
           "action '{action}' is not possible while the case is '{state}'"),
        _c("E-DISP-004", "لا يحكم ببطلان الانتخابات إلا لأحد أسباب المادة 32 (المقدم: {value})",
           "L'annulation n'est prononcée que pour l'un des motifs de l'article 32 (donné : {value})",
           "an election is annulled only on a ground of art. 32 (got {value})"),
        _c("E-DISP-005", "الإخبار بتاريخ الجلسة يتم ثلاثة أيام على الأقل قبل انعقادها، أي قبل {bound}",
           "Les parties sont avisées de l'audience au moins trois jours avant, soit avant le {bound}",
           "the parties are told of the hearing at least three days ahead, i.e. by {bound}"),
        _c("E-DISP-006", "القضية «{value}» غير موجودة",
           "Dossier « {value} » introuvable",
           "unknown case '{value}'"),
        _c("E-DISP-007", "الحكم «{value}» غير ممكن في {kind}",
           "La décision « {value} » n'est pas possible pour {kind}",
           "ruling '{value}' is not possible in a {kind}"),
        _c("E-DISP-008", "العضو «{value}» ليس ضمن المنتخبين في النتيجة المعلنة للدائرة {constituency}",
           "« {value} » ne figure pas parmi les élus du résultat proclamé de {constituency}",
           "'{value}' is not among the elected of the declared result of {constituency}"),
        _c("E-DISP-009", "الدائرة الانتخابية «{value}» غير موجودة",
           "Circonscription « {value} » inconnue",
           "unknown constituency '{value}'"),
        _c("E-DISP-010", "القيمة «{value}» في {field} غير معروفة (المنتظر: {expected})",
           "Valeur « {value} » inconnue en {field} (attendu : {expected})",
           "unknown value '{value}' at {field} (expected {expected})"),
        _c("E-DISP-011", "لا توجد نتيجة معلنة للدائرة {value}: لا يمكن تنفيذ الحكم عليها",
           "Aucun résultat proclamé pour {value} : la décision ne peut s'y appliquer",
           "no declared result for {value}: the ruling cannot apply to it"),
        _c("E-DISP-012", "الاقتراع في الدائرة {value} ألغي بحكم ({case}): لا توزع مقاعدها من جديد إلا بعد إعادة الانتخاب",
           "Le scrutin de {value} a été annulé par décision ({case}) : ses sièges ne sont répartis à nouveau qu'après l'élection partielle",
           "the vote in {value} was annulled by ruling {case}: its seats are allocated again only after the re-run"),
        # --- the database a command opens (cli.common.open_session) ---------------------------
        _c("E-DB-001", "قاعدة المعطيات {field} غير مهيأة (غير موجودة أو غير محينة): "
                       "أنشئها بالأمر intikhab import bundle أو intikhab demo",
           "La base de données {field} n'est pas prête (absente ou non migrée) : créez-la avec "
           "intikhab import bundle ou intikhab demo",
           "the database {field} is not set up (missing or not migrated): create it with "
           "intikhab import bundle or intikhab demo"),
        # --- transparency log: keys, checkpoints, proofs (services/transparency.py) ----------
        _c("E-AUD-001", "ملف المفتاح {value} غير موجود",
           "Fichier de clé {value} introuvable",
           "key file {value} not found"),
        _c("E-AUD-002", "تعذرت قراءة ملف المفتاح {value} أو أنه ليس مفتاحا {kind} من نوع Ed25519: {detail}",
           "Le fichier de clé {value} est illisible ou n'est pas une clé {kind} Ed25519 : {detail}",
           "key file {value} is unreadable or not an Ed25519 {kind} key: {detail}"),
        _c("E-AUD-003", "ملف المفتاح {value} موجود من قبل: لا يكتب فوقه",
           "Le fichier de clé {value} existe déjà : il n'est pas écrasé",
           "key file {value} already exists: refusing to overwrite it"),
        _c("E-AUD-004", "التسجيل {value} غير موجود في سجل من {size} تسجيلا",
           "L'enregistrement {value} n'est pas dans un journal de {size} enregistrements",
           "record {value} is not in a log of {size} records"),
        _c("E-AUD-005", "الحجمان {old} و{new} لا يحققان 0 ≤ القديم ≤ الجديد ≤ {size}",
           "Les tailles {old} et {new} ne vérifient pas 0 ≤ ancienne ≤ nouvelle ≤ {size}",
           "sizes {old} and {new} do not satisfy 0 ≤ old ≤ new ≤ {size}"),
        _c("E-AUD-006", "لا توجد نقطة مراجعة موقعة {value}",
           "Aucun point de contrôle signé {value}",
           "no signed checkpoint {value}"),
        _c("E-AUD-007", "ليس ملف نقطة مراجعة أو إثبات صالحا: {detail}",
           "Ce n'est pas un point de contrôle ou une preuve valide : {detail}",
           "not a valid checkpoint or proof: {detail}"),
        _c("E-AUD-008", "سلسلة سجل التدقيق منقطعة عند التسجيل {value}: لا توقع نقطة مراجعة عليها ({detail})",
           "La chaîne du journal d'audit est rompue à l'enregistrement {value} : aucun point de contrôle n'est signé dessus ({detail})",
           "the audit chain is broken at record {value}: no checkpoint is signed over it ({detail})"),
        # --- council bureaus and the indirect prefecture/province election (law.bureau*, law.indirect)
        _c("E-BUR-001", "ملف الإدخال ليس JSON صالحا: {detail}",
           "Le fichier d'entrée n'est pas un JSON valide : {detail}",
           "input is not valid JSON: {detail}"),
        _c("E-BUR-002", "الحقل {field} مفقود أو من نوع غير صحيح (المتوقع: {expected})",
           "Le champ {field} est absent ou de type incorrect (attendu : {expected})",
           "field {field} is missing or of the wrong type (expected {expected})"),
        _c("E-BUR-003", "الحقل {field} يجب أن يكون عددا صحيحا موجبا أو صفرا، وقيمته {value}",
           "Le champ {field} doit être un entier positif ou nul, reçu {value}",
           "field {field} must be a non-negative integer, got {value}"),
        _c("E-BUR-004", "القيمة «{value}» في {field} غير معروفة (المتوقع: {expected})",
           "Valeur « {value} » inconnue pour {field} (attendu : {expected})",
           "unknown value '{value}' for {field} (expected {expected})"),
        _c("E-BUR-005", "الحقل {field} غير معروف في هذا النوع من المدخلات",
           "Le champ {field} est inconnu pour ce type d'entrée",
           "field {field} is not known for this kind of input"),
        _c("E-BUR-006", "المعرف في {field} فارغ",
           "L'identifiant en {field} est vide",
           "the id at {field} is empty"),
        _c("E-BUR-007", "المعرف «{value}» مكرر في {field}",
           "L'identifiant « {value} » est en double en {field}",
           "id '{value}' is duplicated at {field}"),
        _c("E-BUR-008", "تاريخ الازدياد في {field} ليس تاريخا صالحا بصيغة YYYY-MM-DD: {value}",
           "La date de naissance en {field} n'est pas une date AAAA-MM-JJ valide : {value}",
           "birth date at {field} is not a valid YYYY-MM-DD date: {value}"),
        _c("E-BUR-009", "«{value}» في {field} ليس عضوا في المجلس",
           "« {value} » en {field} n'est pas membre du conseil",
           "'{value}' at {field} is not a member of the council"),
        _c("E-BUR-010", "لا يجوز لأي عضو الترشح إلا في لائحة واحدة: «{value}» في {field} مرشح في لائحتين",
           "Un membre ne peut figurer que sur une seule liste : « {value} » en {field} est sur deux listes",
           "a member may stand on one list only: '{value}' at {field} is on two lists"),
        _c("E-BUR-011", "رأس اللائحة في {field} غير صحيح: العضو «{value}» ليس له لائحة أو للائحته رأس آخر",
           "Tête de liste incorrecte en {field} : « {value} » n'a pas de liste ou sa liste a déjà une tête",
           "list head at {field} is wrong: '{value}' has no list or the list already has a head"),
        _c("E-BUR-012", "أعضاء اللائحة «{value}» ينتمون إلى أحزاب مختلفة ({field})",
           "Les membres de la liste « {value} » appartiennent à des partis différents ({field})",
           "members of list '{value}' belong to different parties ({field})"),
        _c("E-BUR-013", "الاقتراع الفردي لا يخص إلا المجالس الجماعية، لا مجلس «{value}»",
           "Le scrutin uninominal ne concerne que les conseils communaux, pas « {value} »",
           "single-member mode applies to commune councils only, not '{value}'"),
        _c("E-BUR-014", "عدد الحاضرين ({present}) يفوق عدد الأعضاء المزاولين مهامهم ({in_office})",
           "Présents ({present}) supérieurs aux membres en fonctions ({in_office})",
           "members present ({present}) exceed members in office ({in_office})"),
        _c("E-BUR-015", "مجموع الأصوات ({total}) يفوق عدد الأعضاء الحاضرين ({present})",
           "Le total des voix ({total}) dépasse le nombre de présents ({present})",
           "votes ({total}) exceed the members present ({present})"),
        _c("E-BUR-016", "أصوات لـ«{value}» الذي ليس مرشحا في الدور {round}",
           "Des voix pour « {value} », qui n'est pas en lice au tour {round}",
           "votes for '{value}', who is not a contender in round {round}"),
        _c("E-BUR-017", "الدور {round} غير ممكن: حسم الانتخاب قبله أو تجاوز عدد الأدوار المقرر",
           "Le tour {round} n'a pas lieu d'être : l'élection était acquise ou le nombre de tours est dépassé",
           "round {round} cannot take place: the office was already filled or the rounds are exhausted"),
        _c("E-BUR-018", "نتيجة القرعة «{key}» تعين «{value}» الذي ليس ضمن المتعادلين: {contenders}",
           "Le tirage « {key} » désigne « {value} », qui n'est pas parmi les ex aequo : {contenders}",
           "drawn lot '{key}' names '{value}', who is not among the tied: {contenders}"),
        _c("E-BUR-019", "لا يوجد أي مرشح مقبول: لا يمكن إجراء أي دور ({field})",
           "Aucune candidature recevable : aucun tour ne peut avoir lieu ({field})",
           "no admissible candidacy: no round can be held ({field})"),
        _c("E-BUR-020", "الحقل {field} لا يخص انتخاب «{value}»",
           "Le champ {field} ne s'applique pas à l'élection « {value} »",
           "field {field} does not apply to the election of '{value}'"),
        _c("E-BUR-021", "العضو لا يزاول مهامه بالمجلس",
           "Le membre n'est pas en fonctions",
           "the member is not in office"),
        _c("E-BUR-022", "لا يترشح للرئاسة إلا الأعضاء المرتبون على رأس لوائح فازت بمقاعد",
           "Seuls les membres placés en tête d'une liste ayant obtenu des sièges peuvent se porter candidats",
           "only members at the head of a list that won seats may stand for president"),
        _c("E-BUR-023", "حزب المترشح ليس من بين الأحزاب الحاصلة على المراتب الخمس الأولى حسب عدد المقاعد",
           "Le parti du candidat n'est pas parmi les cinq premiers en sièges",
           "the candidate's party is not among the first five by seats"),
        _c("E-BUR-024", "عدد مقاعد اللائحة المستقلة يقل عن عدد مقاعد الحزب المرتب خامسا",
           "La liste indépendante a moins de sièges que le parti classé cinquième",
           "the independent list has fewer seats than the party ranked fifth"),
        _c("E-BUR-025", "طلب الترشيح غير مرفق بتزكية الحزب الذي ينتمي إليه المترشح",
           "La candidature n'est pas accompagnée de l'investiture du parti du candidat",
           "the candidacy lacks the endorsement of the candidate's party"),
        _c("E-BUR-026", "المترشح عضو في المكتب (أو يشغل المنصب المرتبط): يجب أن ينتخب من خارج أعضاء المكتب",
           "Le candidat est membre du bureau (ou occupe la fonction liée) : l'élu doit être hors du bureau",
           "the candidate sits on the bureau (or holds the linked office): the office is filled from outside the bureau"),
        _c("E-BUR-027", "عدد المرشحين في لائحة نواب الرئيس لا يساوي عدد نواب الرئيس",
           "Le nombre de candidats de la liste n'est pas égal au nombre de vice-présidents",
           "the list's candidates are not as many as the vice-presidents"),
        _c("E-BUR-028", "اللائحة لا تتضمن عددا من المرشحات يساوي على الأقل ثلث نواب الرئيس",
           "La liste compte moins de candidates qu'un tiers des vice-présidents",
           "the list has fewer women than a third of the vice-presidents"),
        _c("E-BUR-029", "اللائحة لا يقدمها العضو المرتب على رأسها",
           "La liste n'est pas présentée par le membre placé en tête",
           "the list is not presented by the member at its head"),
        _c("E-BUR-030", "الرئيس لا يترشح في لائحة نواب الرئيس",
           "Le président ne peut figurer sur une liste de vice-présidents",
           "the president may not stand on a vice-presidents' list"),
        _c("E-BUR-031", "عدد اللجان الدائمة ({value}) خارج الحدود المقررة ({low} إلى {high})",
           "Le nombre de commissions permanentes ({value}) est hors des limites ({low} à {high})",
           "the number of standing committees ({value}) is outside the limits ({low} to {high})"),
        _c("E-BUR-032", "اللجنة «{value}» تضم {count} أعضاء، والحد الأدنى خمسة",
           "La commission « {value} » compte {count} membres ; il en faut au moins cinq",
           "committee '{value}' has {count} members; at least five are required"),
        _c("E-BUR-033", "لا يجوز أن ينتسب العضو «{value}» إلى أكثر من لجنة ({field})",
           "Le membre « {value} » ne peut appartenir qu'à une commission ({field})",
           "member '{value}' may belong to one committee only ({field})"),
        _c("E-BUR-034", "المترشح ليس عضوا في اللجنة",
           "Le candidat n'est pas membre de la commission",
           "the candidate is not a member of the committee"),
        _c("E-BUR-035", "عدد المصوتين ({voters}) يفوق أعضاء الهيئة الناخبة ({college})",
           "Les votants ({voters}) dépassent le collège électoral ({college})",
           "voters ({voters}) exceed the electoral college ({college})"),
        _c("E-BUR-036", "مجموع الأصوات ({total}) زائد الأوراق الملغاة ({void}) يفوق عدد المصوتين ({voters})",
           "La somme des voix ({total}) plus les nuls ({void}) dépasse les votants ({voters})",
           "votes ({total}) plus void ballots ({void}) exceed voters ({voters})"),
        _c("E-BUR-037", "اللائحة «{value}» تضم {women} مرشحات، والمطلوب ثلث المرشحين على الأقل ({need})",
           "La liste « {value} » compte {women} candidates ; il en faut au moins un tiers ({need})",
           "list '{value}' has {women} women candidates; at least a third ({need}) are required"),
        # --- territory (law/territory.py, services/territory.py) ---------------------------
        _c("E-TERR-001", "لا توجد وحدة ترابية بالرمز «{value}»",
           "Aucune unité territoriale n'a le code « {value} »",
           "no territorial unit has the code '{value}'"),
        _c("E-TERR-002", "الوحدة «{value}» ليست من النوع المطلوب ({expected})",
           "L'unité « {value} » n'est pas du type attendu ({expected})",
           "unit '{value}' is not of the expected kind ({expected})"),
        _c("E-TERR-003", "لا يكفي {value} مقعدا لمنح كل وحدة من الوحدات ({units}) حدها الأدنى ({minimum})",
           "{value} sièges ne suffisent pas à donner à chacune des {units} unités son minimum ({minimum})",
           "{value} seats cannot give each of the {units} units its minimum ({minimum})"),
        _c("E-TERR-004", "الإحصاء «{value}» غير متوفر؛ المتاح: {known}",
           "Recensement « {value} » indisponible ; disponibles : {known}",
           "census '{value}' is not available; known: {known}"),
        # --- official documents (formats/documents, services/documents) --------------------
        _c("E-DOC-001", "لا يوجد محضر مقبول لمكتب التصويت {value}: لا يمكن طبع محضره (المادة 23)",
           "Aucun procès-verbal accepté pour le bureau {value} : rien à imprimer (art. 23)",
           "no accepted minute for station {value}: nothing to print (art. 23)"),
        _c("E-DOC-002", "الملف {value} موجود من قبل: استعمل --force لاستبداله",
           "Le fichier {value} existe déjà : --force pour le remplacer",
           "file {value} already exists: use --force to replace it"),
        _c("E-DOC-003", "نوع الوثيقة «{value}» غير معروف (المنتظر: {expected})",
           "Type de document « {value} » inconnu (attendu : {expected})",
           "unknown document kind '{value}' (expected {expected})"),
        # --- councils as they sit: seat order, loading checks, bureaus, indirect councils ----
        _c("E-ALLOC-020", "ترتيب فئات المقاعد مخالف للقانون في {field}: توزع مقاعد مجلس الجماعة قبل مقاعد مجلس المقاطعة من نفس الجزء (المادة 141)",
           "Ordre illégal des groupes de sièges en {field} : les sièges du conseil communal se répartissent avant ceux du conseil d'arrondissement de la même partie (art. 141)",
           "unlawful seat-group order at {field}: the commune council's seats are allocated before the arrondissement council's seats of the same part (art. 141)"),
        _c("E-SETUP-001", "عدد أعضاء مجلس الجماعة {value} في {field} لا يطابق القانون ({expected}) بالنظر لعدد السكان ({article})",
           "Le conseil de {value} membres en {field} ne correspond pas à la loi ({expected}) pour sa population ({article})",
           "council of {value} members at {field} contradicts the law ({expected}) for its population ({article})"),
        _c("E-SETUP-002", "حصة النساء في {field} هي {value} والقانون يفرض {expected} (الثلث، تقتطع من المقاعد، {article})",
           "La part des femmes en {field} est {value}, la loi impose {expected} (un tiers, déduit, {article})",
           "women's part at {field} is {value}; the law requires {expected} (a third, deducted, {article})"),
        _c("E-SETUP-003", "المقاعد الملحقة للنساء في {field} يجب أن تخص الدوائر الخمس الأكثر ناخبين: {expected} (المادة 128 المكررة)",
           "Les sièges féminins rattachés en {field} doivent aller aux cinq circonscriptions les plus peuplées d'inscrits : {expected} (art. 128 bis)",
           "the attached women's seats at {field} must go to the five districts with the most registered voters: {expected} (art. 128 bis)"),
        _c("E-SETUP-004", "الترشيح {value} في دائرة بمقعد ملحق لا يتضمن المترشحة الملحقة (المادة 128 المكررة)",
           "La candidature {value} d'une circonscription à siège rattaché n'a pas de candidate rattachée (art. 128 bis)",
           "candidacy {value} in a district with an attached seat has no attached woman (art. 128 bis)"),
        _c("E-SETUP-005", "مجموع مقاعد دوائر الجماعة {value} هو {total} وعدد أعضاء مجلسها {expected} ({article})",
           "Les circonscriptions de la commune {value} totalisent {total} sièges pour un conseil de {expected} ({article})",
           "the constituencies of commune {value} add up to {total} seats for a council of {expected} ({article})"),
        _c("E-COUNCIL-003", "المجلس «{value}» غير موجود",
           "Conseil « {value} » inconnu",
           "no council '{value}'"),
        _c("E-COUNCIL-004", "نتائج المجلس «{value}» لم يعلن عنها بعد: لا يمكن انتخاب مكتبه",
           "Les résultats du conseil « {value} » ne sont pas proclamés : son bureau ne peut être élu",
           "the results of council '{value}' are not declared: its bureau cannot be elected"),
        _c("E-COUNCIL-005", "انتخاب {office} للمجلس «{value}» غير محسوم ({status})",
           "L'élection de {office} du conseil « {value} » n'est pas acquise ({status})",
           "the election of {office} of council '{value}' is not decided ({status})"),
        _c("E-COUNCIL-006", "الهيئة الناخبة للعمالة أو الإقليم «{value}» غير مكتملة: {missing} جماعة بدون نتائج معلنة (المادة 102)",
           "Le collège de la préfecture ou province « {value} » est incomplet : {missing} communes sans résultat proclamé (art. 102)",
           "the electoral college of prefecture or province '{value}' is incomplete: {missing} communes without a declared result (art. 102)"),
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
        return _text(self.code, lang, self.params)

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        return {"code": self.code, "field": self.field, "message": self.message(lang)}


class InputError(IntikhabError):
    """The figures or the description handed to the core are not acceptable."""


class AllocationError(IntikhabError):
    """The allocation cannot be decided from what was given (e.g. a tie needs birth dates)."""


def _text(code: str, lang: str, params: Mapping[str, object]) -> str:
    """The catalogue's message for ``code`` in ``lang`` (``ar``, ``fr``, else English)."""
    template: str = getattr(CATALOGUE[code], lang if lang in ("ar", "fr", "en") else "en")
    try:
        return template.format(**params)
    except (KeyError, IndexError):  # pragma: no cover - missing param: show the template
        return template


@dataclass(frozen=True, slots=True)
class Finding:
    """One check that fails without stopping the caller: a catalogue ``code``, the path of the
    ``field`` it concerns (``ballots``, ``votes.P03``, ``L1.general[0]``…) and the ``params``
    its message is formatted with; for a candidacy, the ``filing`` and the source ``line``.

    ``level`` and the trilingual text come from the catalogue.  Findings compare on every
    field and hash on all but ``params``."""

    code: str
    field: str
    params: Mapping[str, object] = dc_field(default_factory=dict, hash=False)
    filing: str = ""
    line: int = 0

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:  # pragma: no cover - a programming error, caught by tests
            raise KeyError(f"unknown error code {self.code}")

    @property
    def level(self) -> Level:
        return CATALOGUE[self.code].level

    def message(self, lang: str = "en") -> str:
        """The message in Arabic (``ar``), French (``fr``) or English (anything else)."""
        return _text(self.code, lang, {"field": self.field, **self.params})

    def to_dict(self, lang: str = "en") -> dict[str, object]:
        return {"code": self.code, "level": self.level.value, "field": self.field,
                "message": self.message(lang)}

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.code} {self.field}: {self.message('en')}"


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
