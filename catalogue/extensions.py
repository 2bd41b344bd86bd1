"""Extension points of catalogue's rules, filled by apps above it (governance) in ``AppConfig.ready()``, so
catalogue asks them without importing them.

- **Publish preconditions**: a function of the dataset returning why it may not be published yet (sentences;
  empty when nothing stands in the way). ``dataset_publish`` refuses while any precondition reports a problem.
  Governance registers one: the committee that would govern the dataset must be able to reach its rule.
- **Retirement consequences**: a function of the dataset returning what retiring it would do beyond the catalogue
  (sentences, shown on the confirmation page before a curator retires it). Governance registers one: how many live
  access grants the retirement revokes.

Registration is idempotent (the same function is kept once), since ``ready()`` may run again in tests.
"""

from __future__ import annotations

from collections.abc import Callable

from catalogue.models import Dataset

PublishPrecondition = Callable[[Dataset], list[str]]

RetirementConsequence = Callable[[Dataset], list[str]]

_publish_preconditions: list[PublishPrecondition] = []
_retirement_consequences: list[RetirementConsequence] = []


def register_publish_precondition(check: PublishPrecondition) -> None:
    """Ask ``check`` before every publication (once)."""
    if check not in _publish_preconditions:
        _publish_preconditions.append(check)


def publish_problems(dataset: Dataset) -> list[str]:
    """Every registered precondition's problems for ``dataset``, in registration order."""
    return [problem for check in _publish_preconditions for problem in check(dataset)]


def register_retirement_consequence(describe: RetirementConsequence) -> None:
    """Ask ``describe`` what retiring a dataset would do, whenever a curator is about to (once)."""
    if describe not in _retirement_consequences:
        _retirement_consequences.append(describe)


def retirement_consequences(dataset: Dataset) -> list[str]:
    """Every registered app's consequences of retiring ``dataset``, in registration order."""
    return [sentence for describe in _retirement_consequences for sentence in describe(dataset)]
