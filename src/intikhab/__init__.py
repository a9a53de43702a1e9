"""intikhab — Morocco's regional and communal elections as executable, auditable law."""

__version__ = "0.1.0"
