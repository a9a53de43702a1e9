"""The words of the official documents in Arabic and French.  Pure: no I/O.

The titles follow the guide (2021 practical guide, ch. 8 and ch. 10); the articles cited are
those of organic law 59.11 as amended by 34.15 and 06.21.
"""

from __future__ import annotations

from typing import Final

LANGS: Final = ("ar", "fr")

_T: Final[dict[str, tuple[str, str]]] = {
    "kingdom": ("المملكة المغربية", "Royaume du Maroc"),
    "ministry": ("وزارة الداخلية", "Ministère de l'Intérieur"),
    "communal": ("انتخاب أعضاء مجالس الجماعات", "Élection des membres des conseils communaux"),
    "regional": ("انتخاب أعضاء مجالس الجهات", "Élection des membres des conseils régionaux"),
    "station_title": ("محضر عمليات التصويت والفرز بمكتب التصويت",
                      "Procès-verbal des opérations de vote et de dépouillement du bureau de vote"),
    "office_title": ("محضر المكتب المركزي: إحصاء الأصوات وإعلان النتيجة",
                     "Procès-verbal du bureau centralisateur : recensement des voix"),
    "commission_title": ("محضر لجنة الإحصاء: إحصاء الأصوات وإعلان النتائج",
                         "Procès-verbal de la commission de recensement des votes"),
    "allocation_title": ("سجل توزيع المقاعد وإعلان المنتخبين",
                         "Registre de répartition des sièges et proclamation des élus"),
    "station_basis": ("المادتان 21 و23 من القانون التنظيمي رقم 59.11",
                      "Articles 21 et 23 de la loi organique n° 59.11"),
    "office_basis": ("المادة 23 من القانون التنظيمي رقم 59.11",
                     "Article 23 de la loi organique n° 59.11"),
    "commission_basis_regional": ("المواد 91 إلى 93 من القانون التنظيمي رقم 59.11",
                                  "Articles 91 à 93 de la loi organique n° 59.11"),
    "commission_basis_communal": ("المادتان 139 و141 من القانون التنظيمي رقم 59.11",
                                  "Articles 139 et 141 de la loi organique n° 59.11"),
    "allocation_basis": ("المادة 24 والمادتان 92 و139 من القانون التنظيمي رقم 59.11",
                         "Article 24 et articles 92 et 139 de la loi organique n° 59.11"),
    "election": ("الاقتراع", "Scrutin"),
    "polling_date": ("تاريخ الاقتراع", "Date du scrutin"),
    "region": ("الجهة", "Région"),
    "prefecture": ("العمالة أو الإقليم", "Préfecture ou province"),
    "commune": ("الجماعة", "Commune"),
    "council": ("المجلس", "Conseil"),
    "constituency": ("الدائرة الانتخابية", "Circonscription électorale"),
    "central_office": ("المكتب المركزي", "Bureau centralisateur"),
    "station": ("مكتب التصويت", "Bureau de vote"),
    "address": ("العنوان", "Adresse"),
    "figures": ("الأرقام", "Chiffres du scrutin"),
    "registered": ("عدد الناخبين المقيدين", "Nombre d'électeurs inscrits"),
    "signed": ("عدد المصوتين (المؤشر أمام أسمائهم)", "Nombre de votants (émargements)"),
    "ballots": ("عدد أوراق التصويت الموجودة بالصندوق", "Bulletins trouvés dans l'urne"),
    "void": ("عدد الأوراق الملغاة", "Bulletins nuls"),
    "contested": ("عدد الأوراق المنازع فيها (محسوبة)", "Bulletins contestés (comptés)"),
    "illegal": ("عدد الأوراق غير القانونية", "Papiers non réglementaires"),
    "valid": ("عدد الأصوات الصحيحة", "Suffrages exprimés"),
    "stations_summed": ("عدد محاضر مكاتب التصويت المحصاة", "Procès-verbaux de bureaux recensés"),
    "votes_title": ("الأصوات التي نالتها كل لائحة أو كل مترشح",
                    "Voix obtenues par chaque liste ou candidat"),
    "rank": ("الرتبة", "N°"),
    "list": ("اللائحة أو المترشح", "Liste ou candidat"),
    "code": ("الرمز", "Code"),
    "votes": ("عدد الأصوات", "Voix"),
    "total": ("المجموع", "Total"),
    "objections": ("الاعتراضات والأوراق المنازع فيها", "Réclamations et bulletins contestés"),
    "observations": ("ملاحظات المكتب وممثلي اللوائح", "Observations du bureau et des mandataires"),
    "none": ("لا شيء", "Néant"),
    "copies": ("حرر هذا المحضر في ثلاثة نظائر ووقعه الرئيس والأعضاء (المادة 23).",
               "Procès-verbal dressé en trois exemplaires, signé par le président et les "
               "membres (article 23)."),
    "copies_commission": ("حرر هذا المحضر في ثلاثة نظائر ووقعه رئيس وأعضاء لجنة الإحصاء.",
                          "Procès-verbal dressé en trois exemplaires, signé par le président "
                          "et les membres de la commission."),
    "signatures": ("التوقيعات", "Signatures"),
    "president": ("الرئيس", "Président"),
    "member": ("عضو", "Membre"),
    "secretary": ("الكاتب", "Secrétaire"),
    "elector": ("ناخب", "Électeur"),
    "name": ("الاسم", "Nom"),
    "signature": ("التوقيع", "Signature"),
    "digest": ("البصمة الرقمية للسجل (sha256)", "Empreinte de l'enregistrement (sha256)"),
    "verify": ("للتحقق: امسح الرمز", "Vérification : scanner le code"),
    "page": ("صفحة", "Page"),
    "of": ("من", "sur"),
    # allocation record (guide ch. 10)
    "status": ("الحالة", "Statut"),
    "declared": ("أعلنت النتيجة", "Résultat proclamé"),
    "lot_required": ("يتعين إجراء القرعة", "Tirage au sort requis"),
    "rerun_required": ("يتعين إجراء اقتراع جديد داخل أجل ثلاثة أشهر",
                       "Nouveau scrutin requis dans les trois mois"),
    "rules": ("القواعد المطبقة", "Règles appliquées"),
    "voters": ("عدد المصوتين", "Nombre de votants"),
    "general": ("الجزء الأول", "Première partie"),
    "women": ("الجزء الثاني المخصص للنساء", "Deuxième partie (réservée aux femmes)"),
    "general_short": ("الجزء الأول", "Première partie"),
    "women_short": ("الجزء الثاني (النساء)", "Deuxième partie"),
    "district_short": ("المترشح الفائز", "Candidat élu"),
    "attached_short": ("المقعد الملحق المخصص للنساء", "Siège rattaché (femmes)"),
    "commune_council": ("أعضاء المجلس الجماعي برسم المقاطعة",
                        "Membres du conseil communal au titre de l'arrondissement"),
    "arrondissement_council": ("مستشارو المقاطعة", "Conseillers d'arrondissement"),
    "seats_to_fill": ("عدد المقاعد", "Sièges à pourvoir"),
    "quotient": ("القاسم الانتخابي", "Quotient électoral"),
    "base": ("الأساس", "Base"),
    "by_quotient": ("المقاعد حسب القاسم", "Sièges au quotient"),
    "remainder": ("الباقي", "Reste"),
    "remainder_rank": ("ترتيب الباقي", "Rang du reste"),
    "by_remainder": ("المقاعد حسب أكبر البقايا", "Sièges au plus fort reste"),
    "seats": ("مجموع المقاعد", "Total des sièges"),
    "excluded": ("دون العتبة", "sous le seuil"),
    "forfeited": ("مقاعد لم تشغل لانعدام المترشحين", "sièges non pourvus faute de candidats"),
    "unfilled": ("مقاعد شاغرة", "Sièges non pourvus"),
    "ties": ("حالات التعادل وكيفية الحسم", "Égalités et leur départage"),
    "age": ("السن", "âge"),
    "lot": ("القرعة", "tirage au sort"),
    "entered": ("قرعة مسجلة من طرف اللجنة", "tirage saisi par la commission"),
    "seed": ("قرعة مستخرجة من البذرة العمومية", "tirage issu de la graine publique"),
    "lot_seed": ("البذرة العمومية للقرعة", "Graine publique du tirage"),
    "contenders": ("المتعادلون", "Ex aequo"),
    "winner": ("الفائز", "Gagnant"),
    "decided_by": ("حسم عن طريق", "Départagé par"),
    "totals": ("مجموع المقاعد لكل لائحة", "Sièges par liste"),
    "proclamation": ("إعلان المنتخبين", "Proclamation des élus"),
    "proclaimed": ("تعلن اللجنة عن انتخاب السيدات والسادة الآتية أسماؤهم:",
                   "La commission proclame élus :"),
    "elected": ("المنتخبون", "Élus"),
    "part": ("الجزء", "Partie"),
    "district": ("الاقتراع الفردي", "Scrutin uninominal"),
    "candidate": ("المترشح", "Candidat"),
    "attached_woman": ("المترشحة برسم المقعد الملحق", "Candidate au siège rattaché"),
    "no_elected": ("لم يعلن عن أي منتخب", "Aucun élu proclamé"),
    "reason": ("السبب", "Motif"),
}


def label(key: str, lang: str) -> str:
    """The word ``key`` in ``lang`` (``ar`` or ``fr``)."""
    return _T[key][1 if lang == "fr" else 0]


def labels(lang: str) -> dict[str, str]:
    """Every word in ``lang``: what the Typst templates read as ``l``."""
    i = 1 if lang == "fr" else 0
    return {k: v[i] for k, v in _T.items()}
