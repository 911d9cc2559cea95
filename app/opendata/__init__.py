"""Open data: datasets at stable URLs (CSV and JSON), their licence and metadata, and a DCAT-AP
(DCAT-AP-PL) catalogue in JSON-LD that dane.gov.pl can harvest. Never a person's data."""
