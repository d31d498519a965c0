"""JSON-Schema-Test-Suite runner, executed unchanged by CPython (pytest) and by Pyodide (Node).

`run(payload)` takes {"remotes": {uri: schema}, "cases": [{"id", "schema", "tests": [...]}]}
as JSON text and returns {test id: "pass" | "fail" | "error:<exception>"} as JSON text.
Remote references resolve from the suite's own remotes/ folder, registered up front: no
network in either runtime.
"""

import json
import re

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def run(payload: str) -> str:
    data = json.loads(payload)
    registry = Registry().with_resources(
        (uri, Resource.from_contents(schema, default_specification=DRAFT202012))
        for uri, schema in data["remotes"].items()
    )
    results = {}
    for case in data["cases"]:
        for index, test in enumerate(case["tests"]):
            results[f"{case['id']}::{index}:{test['description']}"] = _outcome(case["schema"], test, registry)
    return json.dumps(results, sort_keys=True)


def _outcome(schema, test, registry) -> str:
    try:
        valid = Draft202012Validator(schema, registry=registry).is_valid(test["data"])
    except Exception as error:  # noqa: BLE001  (the outcome records which error, in both runtimes)
        # re.error became re.PatternError in Python 3.13: the same failure under two names.
        return "error:re.error" if isinstance(error, re.error) else f"error:{type(error).__name__}"
    return "pass" if valid == test["valid"] else "fail"
