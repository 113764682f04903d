"""kemu - a Kintone REST API emulator for testing the kintone-odbc driver.

The package is an independent re-implementation of the behaviour documented in
/work/shared/kintone/API.md.  It must behave like real Kintone, never like
"whatever the driver does".

Modules:
    errors  - the error message table and the ApiError exception
    fields  - field-type metadata, value normalisation and comparison keys
    store   - fixture loading, apps, records and their cached JSON encodings
    query   - tokenizer, recursive-descent parser and evaluator of the query language
    auth    - Basic gate, password and API-token authentication, permission checks
    server  - the HTTP(S) server, routing and the endpoint handlers
"""

__version__ = "0.1.0"
