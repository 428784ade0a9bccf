"""Which service runs each kind of job. Apps register their kinds when they load, so the
jobs app runs their work without importing them."""
from django.utils.module_loading import import_string

_executors: dict[str, str] = {}


def job_kind_register(*, kind: str, execute: str) -> None:
    """execute: dotted path of a function taking job_id= (idempotent)."""
    _executors[kind] = execute


def job_executor(*, kind: str):
    return import_string(_executors[kind])
