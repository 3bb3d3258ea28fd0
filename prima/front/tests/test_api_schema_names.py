"""The API's schema names are unique across the apps (the OpenAPI components are keyed by
class name: two apps' ``ErrorOut`` would document one of them for both)."""

from __future__ import annotations


def test_schema_names_are_unique_across_the_apps(db):
    # The OpenAPI components are keyed by class name: two apps' "ErrorOut" would document
    # one of them for both.
    from ninja import Schema

    import prima.api  # noqa: F401 - every router imported

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    seen: dict[str, str] = {}
    clashes = []
    for cls in walk(Schema):
        if not cls.__module__.startswith("prima."):
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            clashes.append(f"{cls.__name__}: {seen[cls.__name__]} and {where}")
        seen.setdefault(cls.__name__, where)
    assert not clashes, clashes
