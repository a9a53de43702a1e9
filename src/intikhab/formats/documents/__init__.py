"""The official documents as PDF, in Arabic and French: the polling-station minute, the
central office's minute, the census commission's minute (guide ch. 8) and the commission's
allocation record with the proclamation of the elected (guide ch. 10).

Build a model (:mod:`.model`, or :func:`.tables.allocation_document` from the engine's result),
then :func:`render` it.  The database adapters are in ``intikhab.services.documents``.
"""

from intikhab.formats.documents.model import (
    AllocationDocument,
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

__all__ = ["AllocationDocument", "Figures", "Header", "ListVotes", "MinuteDocument",
           "MinuteKind", "Seal", "Signatory", "allocation_document", "render", "render_many"]
