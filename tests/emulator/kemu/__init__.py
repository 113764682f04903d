"""kemu - a Kintone REST API emulator for testing the kintone-odbc driver.

The package is an independent re-implementation of the behaviour documented in
/work/shared/kintone/API.md.  It must behave like real Kintone, never like
"whatever the driver does".

Modules:
    errors  - the error message table and the ApiError exception
    fields  - field-type metadata, value normalisation and comparison keys
    store   - fixture loading, apps, records and their cached JSON encodings
    query   - tokenizer, recursive-descent parser and evaluator of the query language
    auth    - Basic gate, password / API-token / OAuth authentication, permission checks
    server  - the HTTP(S) server, routing, faults, concurrency cap, read endpoints
    writes  - record add/update/delete with validation (phase 2)
    api_records - write endpoints, bulkRequest, cursors, comments, status, files
    api_apps    - app settings, preview fields, deploy, spaces, apis.json
    process - process management
    calc    - CALC / auto-calculated text formulas
    cursors - cursor registry
    faults  - deterministic fault injection
"""

__version__ = "0.2.0"
