"""Script-injection payloads, grouped by the OWASP XSS filter-evasion classes.

Each payload, if it ever runs, calls ``alert(n)`` or sets ``window.__xss = n``
with its own number ``n``, so a hit in the browser names the payload.  They are
typed into every field the site offers (tests/security/hostile_site.py) and
must never run nor leave executable markup in any view.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Payload:
    number: int
    family: str
    text: str


# family -> payloads; "{n}" is the payload's number.
_FAMILIES: dict[str, list[str]] = {
    "script tag, case, whitespace and null tricks": [
        "<script>alert({n})</script>",
        "<SCRIPT>window.__xss={n}</SCRIPT>",
        "<ScRiPt >alert({n})</sCrIpT >",
        "<script\n>alert({n})</script\n>",
        "<scr\x00ipt>alert({n})</script>",
        "<script/xss>alert({n})</script>",
        "<<script>alert({n});//<</script>",
        "<script src=data:text/javascript,alert({n})></script>",
    ],
    "event handlers": [
        "<img src=x onerror=alert({n})>",
        "<IMG SRC=x OnErRoR=alert({n})>",
        "<img src=x onerror\t=\talert({n})>",
        "<svg onload=alert({n})>",
        "<svg/onload=window.__xss={n}>",
        "<body onload=alert({n})>",
        "<details open ontoggle=alert({n})>",
        "<input autofocus onfocus=alert({n})>",
        "<video><source onerror=alert({n})></video>",
        "<marquee onstart=alert({n})>x</marquee>",
        "<div onmouseover=alert({n}) style=position:fixed;inset:0>x</div>",
    ],
    "javascript:, vbscript: and data: URLs with obfuscation": [
        '<a href="javascript:alert({n})">x</a>',
        '<a href="JaVaScRiPt:alert({n})">x</a>',
        '<a href="jav&#x09;ascript:alert({n})">x</a>',
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;'
        'alert({n})">x</a>',
        '<a href=" &#14;  javascript:alert({n})">x</a>',
        '<a href="vbscript:msgbox({n})">x</a>',
        '<a href="data:text/html,<script>alert({n})</script>">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x{n}</a>',
        '<img src="javascript:alert({n})">',
        '<form action="javascript:alert({n})"><button>x</button></form>',
        '<button formaction="javascript:alert({n})">x</button>',
    ],
    "attribute breakouts with quotes and backticks": [
        '"><script>alert({n})</script>',
        "'><img src=x onerror=alert({n})>",
        '" onmouseover="alert({n})" x="',
        "' onfocus='alert({n})' autofocus '",
        "`onmouseover=alert({n})`",
        '"/><svg onload=alert({n})>',
        "</textarea><script>alert({n})</script>",
        "</title><script>alert({n})</script>",
    ],
    "malformed tags": [
        '<IMG """><SCRIPT>alert({n})</SCRIPT>">',
        "<img src=x onerror=alert({n})//",
        "<svg><script>alert({n})</script",
        "<a href=javascript:alert({n})//>x",
        "<<img src=x onerror=alert({n})>>",
        "<img/src=x/onerror=alert({n})>",
    ],
    "encoded forms": [
        "&lt;script&gt;alert({n})&lt;/script&gt;",
        "&#60;img src=x onerror=alert({n})&#62;",
        "&#x3C;svg onload=alert({n})&#x3E;",
        "&#60img src=x onerror=alert({n})&#62",
        "%3Cscript%3Ealert({n})%3C%2Fscript%3E",
        "+ADw-script+AD4-alert({n})+ADw-/script+AD4-",
        "\u00c0\u00bcscript\u00c0\u00bealert({n})\u00c0\u00bc/script\u00c0\u00be",
        "\\u003cscript\\u003ealert({n})\\u003c/script\\u003e",
        "\uff1cscript\uff1ealert({n})\uff1c/script\uff1e",
    ],
    "CSS expressions and url()": [
        '<div style="width:expression(alert({n}))">x</div>',
        '<div style="background:url(javascript:alert({n}))">x</div>',
        "<style>@import 'javascript:alert({n})';</style>",
        '<link rel=stylesheet href="javascript:alert({n})">',
    ],
    "SVG and MathML namespace confusion": [
        '<svg><a xlink:href="javascript:alert({n})"><text>x</text></a></svg>',
        "<svg><animate onbegin=alert({n}) attributeName=x dur=1s>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert({n})>",
        "<svg><style><img src=x onerror=alert({n})></style></svg>",
        '<math href="javascript:alert({n})">x</math>',
    ],
    "template, iframe, object, embed, base and meta refresh": [
        "<template><img src=x onerror=alert({n})></template>",
        '<iframe src="javascript:alert({n})"></iframe>',
        '<iframe srcdoc="<script>alert({n})</script>"></iframe>',
        '<object data="javascript:alert({n})"></object>',
        '<embed src="javascript:alert({n})">',
        '<base href="javascript:alert({n})//">',
        '<meta http-equiv="refresh" content="0;url=javascript:alert({n})">',
    ],
    "script-context breakouts (JSON, comments)": [
        "</script><script>alert({n})</script>",
        "<!--<img src=--><img src=x onerror=alert({n})//-->",
        '"}</script><script>window.__xss={n}</script>',
        "<![CDATA[<script>alert({n})</script>]]>",
        "--><script>alert({n})</script>",
    ],
    "Markdown": [
        "[x{n}](javascript:alert({n}))",
        "![x{n}](javascript:alert({n}))",
        "[x{n}][r{n}]\n\n[r{n}]: javascript:alert({n})",
        "<javascript:alert({n})>",
        "[x{n}](<javascript:alert({n})>)",
        "[x{n}](jav&#x61;script:alert({n}))",
        '[x{n}](https://example.org/ "onmouseover=alert({n})")',
        '![x{n}](https://example.org/a.png"onerror="alert({n}))',
        "[[<img src=x onerror=alert({n})>]]",
        "[[Title|<svg onload=alert({n})>]]",
        '[@"><script>alert({n})</script>]',
        "# <img src=x onerror=alert({n})>",
        "| <svg onload=alert({n})> | x |\n| --- | --- |\n"
        "| <b onclick=alert({n})>y</b> | z |",
        "`<script>alert({n})</script>`",
        "<div markdown=1>[x{n}](javascript:alert({n}))</div>",
    ],
}

PAYLOADS: list[Payload] = [
    Payload(number, family, template.replace("{n}", str(number)))
    for number, (family, template) in enumerate(
        ((family, t) for family, items in _FAMILIES.items() for t in items), start=1
    )
]
FAMILIES: dict[str, int] = {family: len(items) for family, items in _FAMILIES.items()}
