"""Pure parsers and serialisers: allocation JSON, filings, bundles, minutes, NIST results,
stored outcomes."""
