"""The official documents as PDF, in Arabic and French: the polling-station minute, the
central office's minute, the census-commission minute (guide ch. 8), the commission's
allocation record with the proclamation of the elected (guide ch. 10) and the record of a
council's bureau-election session (organic laws 111.14, 112.14, 113.14).

Build a model (:mod:`.model`, :func:`.tables.allocation_document` from the engine's result, or
:func:`.bureau.bureau_document` from a stored bureau session), then :func:`render` it.  The
database adapters are in ``intikhab.services.documents``.
"""

from intikhab.formats.documents.bureau import bureau_document
from intikhab.formats.documents.model import (
    AllocationDocument,
    BureauDocument,
    CouncilHeader,
    Figures,
    Header,
    ListVotes,
    MinuteDocument,
    MinuteKind,
    Seal,
    Signatory,
)
from intikhab.formats.documents.render import render, render_many
from intikhab.formats.documents.tables import allocation_document

__all__ = ["AllocationDocument", "BureauDocument", "CouncilHeader", "Figures", "Header",
           "ListVotes", "MinuteDocument", "MinuteKind", "Seal", "Signatory",
           "allocation_document", "bureau_document", "render", "render_many"]
