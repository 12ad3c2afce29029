"""Times as the API, the feed and the exports write them: ISO 8601 in UTC with a "Z"."""

import datetime as dt


def utc_iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    text = value.astimezone(dt.UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
