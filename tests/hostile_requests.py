"""A corpus of hostile and malformed API requests (fields, bodies, methods, paths), each with
the status it must get. Uploaded files have their own corpus (tests/hostile_uploads.py)."""
import json

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
OK = {"category": "floral", "size": 64}
NUMBERS = ("seed", "size", "scale", "seed_b", "mix")


def _json(**fields) -> bytes:
    return json.dumps({**OK, **fields}).encode()


def _raw(text: str) -> bytes:
    return text.encode()


def pattern_cases() -> dict[str, tuple[str, bytes, int]]:
    """name -> (content type, body, status) for POST /api/patterns."""
    cases = {}
    for field in NUMBERS:
        cases |= {
            f"{field}-nan-literal": (JSON, _raw(f'{{"category": "floral", "{field}": NaN}}'), 400),
            f"{field}-infinity-literal": (JSON, _raw(f'{{"category": "floral", "{field}": Infinity}}'), 400),
            f"{field}-minus-infinity": (JSON, _raw(f'{{"category": "floral", "{field}": -Infinity}}'), 400),
            f"{field}-1e999": (JSON, _raw(f'{{"category": "floral", "{field}": 1e999}}'), 400),
            f"{field}-huge-int": (JSON, _json(**{field: 10**40}), 400),
            f"{field}-5000-digits": (JSON, _raw(f'{{"category": "floral", "{field}": {"9" * 5000}}}'), 400),
            f"{field}-numeric-text": (JSON, _json(**{field: "12"}), 400),
            f"{field}-nan-text": (JSON, _json(**{field: "nan"}), 400),
            f"{field}-bool": (JSON, _json(**{field: True}), 400),
            f"{field}-list": (JSON, _json(**{field: [1]}), 400),
            f"{field}-object": (JSON, _json(**{field: {"value": 1}}), 400),
            f"{field}-negative": (JSON, _json(**{field: -1}), 400),
        }
    cases |= {
        "size-fraction": (JSON, _json(size=64.5), 400),
        "size-too-big": (JSON, _json(size=2049), 400),
        "seed-too-big": (JSON, _json(seed=2**31), 400),
        "scale-too-small": (JSON, _json(scale=0.1), 400),
        "mix-over-one": (JSON, _json(mix=1.01), 400),
        "category-missing": (JSON, _raw('{"size": 64}'), 400),
        "category-empty": (JSON, _json(category=""), 400),
        "category-unicode": (JSON, _json(category="flöral 🌸"), 400),
        "category-nul": (JSON, _json(category="floral\u0000"), 400),
        "category-rtl-override": (JSON, _json(category="\u202efloral"), 400),
        "category-10k": (JSON, _json(category="f" * 10_000), 400),
        "category-number": (JSON, _json(category=7), 400),
        "category-null": (JSON, _json(category=None), 400),
        "category-list": (JSON, _json(category=["floral"]), 400),
        "category-traversal": (JSON, _json(category="../../etc/passwd"), 400),
        "variations-text": (JSON, _json(variations="0.5,0,0"), 400),
        "variations-nan-text": (JSON, _json(variations=["nan"]), 400),
        "variations-nan-literal": (JSON, _raw('{"category": "floral", "variations": [NaN]}'), 400),
        "variations-four": (JSON, _json(variations=[0, 0, 0, 0]), 400),
        "variations-nested": (JSON, _json(variations=[[1]]), 400),
        "variations-out-of-range": (JSON, _json(variations=[3.5]), 400),
        "variations-null-item": (JSON, _json(variations=[None]), 400),
        "palette-text": (JSON, _json(palette="#ff0000"), 400),
        "palette-short": (JSON, _json(palette=["#ff000"]), 400),
        "palette-not-hex": (JSON, _json(palette=["#gg0000"]), 400),
        "palette-four": (JSON, _json(palette=["#000000"] * 4), 400),
        "palette-number": (JSON, _json(palette=[16711680]), 400),
        "palette-newline": (JSON, _json(palette=["#ff0000\n"]), 400),
        "unknown-field": (JSON, _json(repeet="half-drop"), 400),
        "unknown-field-unicode": (JSON, _json(**{"sïze": 64}), 400),
        "unknown-field-empty-name": (JSON, _json(**{"": 1}), 400),
        "duplicate-key": (JSON, _raw('{"category": "floral", "size": 64, "size": 2048}'), 400),
        "body-array": (JSON, _raw('[{"category": "floral"}]'), 400),
        "body-string": (JSON, _raw('"floral"'), 400),
        "body-null": (JSON, _raw("null"), 400),
        "body-number": (JSON, _raw("42"), 400),
        "body-truncated": (JSON, _raw('{"category": "flo'), 400),
        "body-not-utf8": (JSON, b'{"category": "\xff\xfe"}', 400),
        "body-utf16": (JSON, '{"category": "floral"}'.encode("utf-16"), 400),
        "body-deep-nesting": (JSON, _raw("[" * 30_000 + "]" * 30_000), 400),
        "body-deep-object": (JSON, _raw('{"a":' * 8_000 + "1" + "}" * 8_000), 400),
        "body-over-64kb": (JSON, _json(category="f" * 70_000), 413),
        "body-over-11mb": (JSON, b" " * (12 * 1024 * 1024), 413),
        "content-type-text": ("text/plain", _json(), 415),
        "content-type-xml": ("application/xml", b"<category>floral</category>", 415),
        "form-duplicate-size": (FORM, b"category=floral&size=64&size=128", 400),
        "form-size-hex": (FORM, b"category=floral&size=0x40", 400),
        "form-size-exponent": (FORM, b"category=floral&size=1e2", 400),
        "form-size-arabic-digits": (FORM, "category=floral&size=١٢٨".encode(), 400),
        "form-size-underscore": (FORM, b"category=floral&size=1_000", 400),
        "form-scale-inf": (FORM, b"category=floral&scale=inf", 400),
        "form-scale-nan": (FORM, b"category=floral&scale=NaN", 400),
        "form-unknown-field": (FORM, b"category=floral&repeet=half-drop", 400),
        "form-bad-percent-encoding": (FORM, b"category=flo%ZZral", 400),
        "form-many-fields": (FORM, b"&".join(b"f%d=1" % i for i in range(2000)), 400),
        "valid-json": (JSON, _json(seed=3, variations=[1, -1], palette=["#102030"]), 202),
        "valid-form": (FORM, b"category=floral&size=64&variations=0.5&variations=-1&palette=%23102030", 202),
    }
    return cases


def tryon_cases(template: str) -> dict[str, tuple[dict, int]]:
    """name -> (form fields, status) for POST /api/tryon (multipart)."""
    ok = {"category": "floral", "template": template}
    return {
        "garments-unknown": ({**ok, "garments": ["hat"]}, 400),
        "garments-five": ({**ok, "garments": ["top", "bottom", "dress", "outerwear", "top"]}, 400),
        "garments-comma-text": ({**ok, "garments": "top,bottom"}, 400),
        "rotation-nan": ({**ok, "rotation": "nan"}, 400),
        "rotation-inf": ({**ok, "rotation": "-inf"}, 400),
        "rotation-1e309": ({**ok, "rotation": "1e309"}, 400),
        "rotation-huge-int": ({**ok, "rotation": "9" * 400}, 400),
        "rotation-twice": ({**ok, "rotation": ["1", "2"]}, 400),
        "scale-text": ({**ok, "scale": "big"}, 400),
        "scale-too-big": ({**ok, "scale": "5"}, 400),
        "seed-negative": ({**ok, "seed": "-5"}, 400),
        "seed-fraction": ({**ok, "seed": "1.5"}, 400),
        "template-traversal": ({**ok, "template": "../../../etc/passwd"}, 400),
        "template-nul": ({**ok, "template": "ccp\u0000"}, 400),
        "template-unicode": ({**ok, "template": "ċcp-0056"}, 400),
        "size-is-not-a-tryon-field": ({**ok, "size": "64"}, 400),
        "no-photo-no-template": ({"category": "floral"}, 400),
        "valid-template": (ok, 202),
    }
