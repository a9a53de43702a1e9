"""``/api/v1/offences``: the offences catalogue, searchable (guide ch. 11; arts. 39, 42–57,
59–63, 65–70 of law 59.11 as amended).  Public."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import BaseModel, Field

from intikhab.law import offences
from intikhab.web.api.common import new_router

router = new_router()


class OffenceOut(BaseModel):
    id: str
    article: int
    penalty_article: int
    stage: str
    ar: str
    fr: str
    prison: list[str] | None = Field(description="minimum and maximum, e.g. ['1 months', "
                                                 "'1 years']")
    fine_mad: list[int] | None = Field(description="minimum and maximum fine in dirhams")
    alternative: bool = Field(description="prison or fine, one of them only")
    aggravation: dict[str, Any] | None
    consequences: dict[str, Any] | None
    note: str


@router.get("/offences", tags=["campaign"], response_model=list[OffenceOut])
def search_offences(q: Annotated[str, Query(max_length=200)] = "") -> list[OffenceOut]:
    """Search the offences catalogue by words in Arabic or French (case, accents and Arabic
    diacritics ignored) or by article (``65``, ``art. 65``); empty: every offence (arts. 39,
    42–57, 59–63, 65–70, law 59.11 as amended)."""
    return [OffenceOut(**o.to_dict()) for o in offences.search(q)]
