"""Admin change forms filled in as a browser would send them."""

import re
from html import unescape


def admin_form_data(client, url: str) -> dict:
    """Every field of an admin change form as the browser would send it."""
    page = client.get(url).content.decode()
    data = {}
    for tag in re.findall(r"<input[^>]+>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in ("submit", "checkbox", "file")):
            continue
        data[name.group(1)] = unescape(value.group(1)) if value else ""
    for match in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[match.group(1)] = unescape(match.group(2).strip())
    for match in re.finditer(r'<select([^>]*)name="([^"]+)"([^>]*)>(.*?)</select>', page, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', match.group(4))
        if "multiple" in match.group(1) + match.group(3):
            data[match.group(2)] = chosen
        else:
            data[match.group(2)] = chosen[0] if chosen else ""
    return data
