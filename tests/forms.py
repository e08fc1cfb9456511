"""Read a rendered HTML form back into POST data, as a browser would submit it."""

import re
from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._select_values: list[str] = []
        self._option_value: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.in_form = True
        if not self.in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append(
                (name, attrs.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._select_values, self._first_option = name, [], None
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._select_values.append(value)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self.data.append(
                (self._textarea, text[1:] if text.startswith("\n") else text)
            )
            self._textarea = None
        elif tag == "select" and self._select:
            values = self._select_values
            if not values and not self._multiple and self._first_option is not None:
                values = [self._first_option]
            self.data.extend((self._select, v) for v in values)
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def form_data(html: str, form_id: str | None = None) -> dict[str, list[str] | str]:
    """The data a browser would post from the form (by id, or the first)."""
    parser = _FormParser(form_id)
    parser.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in data.items()}


_NUMBERS = "zero one two three four five six seven eight nine ten"


def signup_answer(question: str) -> str:
    """The answer to the sign-up form's question ("What is seven plus 4?"),
    worked out as a person would, from the text."""
    match = re.search(r"What is (\w+) plus (\d+)\?", question)
    assert match, f"no sign-up question in {question[:200]!r}"
    return str(_NUMBERS.split().index(match[1]) + int(match[2]))


def signup_data(client, url: str = "/accounts/signup/", **fields) -> dict:
    """The sign-up form as the page shows it, its question answered, with
    ``fields`` typed in."""
    html = client.get(url).content.decode()
    data = form_data(html, "signup-form")
    data["answer"] = signup_answer(html)
    data.update(fields)
    return data


def signup_check_fields() -> dict[str, str]:
    """A fresh question's token and its answer, for a bound SignupForm."""
    from wiki.limits import signup_question

    text, token = signup_question()
    return {"question": token, "answer": signup_answer(text)}
