"""CALC field computation on write (placeholder: values become "")."""


def recompute(app, fields):
    for code, prop in app.properties.items():
        if prop["type"] == "CALC" and code in fields:
            fields[code] = {"type": "CALC", "value": ""}
