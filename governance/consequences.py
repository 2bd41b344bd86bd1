"""What a catalogue action would do on governance's side, told to the catalogue's confirmation pages through
``catalogue.extensions`` (catalogue never imports governance)."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from catalogue.models import Dataset
from governance.models import AccessRequestItem, ItemState


def retirement_consequences(dataset: Dataset) -> list[str]:
    """How many live access grants retiring ``dataset`` revokes: exactly the released items that
    ``workflow.grants_revoke_for_dataset`` ends when ``dataset_retired`` is sent."""
    live = AccessRequestItem.objects.filter(dataset=dataset, state=ItemState.RELEASED).count()
    if not live:
        return [gettext("No live access grant depends on it: none is revoked.")]
    return [
        ngettext(
            "It revokes %(count)d live access grant at once: its holder loses access immediately.",
            "It revokes %(count)d live access grants at once: their holders lose access immediately.",
            live,
        )
        % {"count": live}
    ]
