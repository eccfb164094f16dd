"""LaTeX and TeX remnants in paper listings, made plain text.

Listings copy titles and abstracts from arXiv, where authors write LaTeX: `\\textbf{x}`,
``quotes'', `$O(n^2)$`, `10\\%`, their own macros such as `\\ourmodel`; copying often loses
the backslashes too (`{textbf S}patio`, `langle bo rangle`). `clean_latex` turns all of
that into the text the author meant, and nothing else: URLs are left exactly as written,
a `$5` price, `~6%`, `{time}{place}` slots and a `"\\n"` string stay as they read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from .text import url_spans

_GREEK = (
    "alpha α beta β gamma γ delta δ epsilon ϵ varepsilon ε zeta ζ eta η theta θ vartheta ϑ "
    "iota ι kappa κ lambda λ mu μ nu ν xi ξ pi π varpi ϖ rho ρ varrho ϱ sigma σ varsigma ς "
    "tau τ upsilon υ phi ϕ varphi φ chi χ psi ψ omega ω Gamma Γ Delta Δ Theta Θ Lambda Λ "
    "Xi Ξ Pi Π Sigma Σ Upsilon Υ Phi Φ Psi Ψ Omega Ω"
)
_SIGNS = (
    "times × cdot · cdots ⋯ ldots … dots … div ÷ pm ± mp ∓ leq ≤ le ≤ geq ≥ ge ≥ neq ≠ "
    "ne ≠ approx ≈ sim ∼ simeq ≃ equiv ≡ propto ∝ ll ≪ gg ≫ infty ∞ partial ∂ nabla ∇ "
    "sum ∑ prod ∏ int ∫ in ∈ notin ∉ subset ⊂ subseteq ⊆ supset ⊃ supseteq ⊇ cup ∪ "
    "cap ∩ emptyset ∅ varnothing ∅ forall ∀ exists ∃ neg ¬ land ∧ lor ∨ wedge ∧ vee ∨ "
    "to → rightarrow → leftarrow ← gets ← Rightarrow ⇒ Leftarrow ⇐ leftrightarrow ↔ "
    "Leftrightarrow ⇔ iff ⇔ implies ⇒ mapsto ↦ uparrow ↑ downarrow ↓ langle ⟨ rangle ⟩ "
    "lceil ⌈ rceil ⌉ lfloor ⌊ rfloor ⌋ prime ′ top ⊤ bot ⊥ circ ∘ star ⋆ ast ∗ oplus ⊕ "
    "otimes ⊗ odot ⊙ dagger † ell ℓ hbar ℏ checkmark ✓ textemdash — textendash – "
    "textasciitilde ~ textbackslash \\ textbullet • S § ss ß o ø O Ø l ł L Ł i ı j ȷ aa å "
    "AA Å ae æ AE Æ oe œ OE Œ"
)
_WORDS = (
    "ie i.e. eg e.g. etal et~al. cf cf. wrt w.r.t. vs vs. etc etc. LaTeX LaTeX TeX TeX "
    "BibTeX BibTeX"
)
_FUNCTIONS = "log ln exp sin cos tan max min arg argmax argmin lim sup inf det dim Pr"


def _pairs(spec: str) -> dict[str, str]:
    words = spec.split()
    return dict(zip(words[::2], words[1::2], strict=True))


SYMBOLS = _pairs(_GREEK) | _pairs(_SIGNS) | {f: f for f in _FUNCTIONS.split()}
_GREEK_NAMES = frozenset(_pairs(_GREEK))
SYMBOLS |= {"quad": " ", "qquad": " ", "setminus": "∖"}
"""Control words that stand for a character or a word, in math or in text."""
WORDS = {k: v.replace("~", " ") for k, v in _pairs(_WORDS).items()}
"""Abbreviation macros, after which the author expects the space they typed."""
_DASHES = {"textemdash", "textendash"}
SWITCHES = frozenset(
    "bf it em sl sc tt rm sf cal bfseries itshape scshape upshape normalfont centering".split()
)
"""Style switches (`{\\bf x}`): shown as nothing."""
_COMBINING = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305"}
_COMBINING |= {"tilde": "\u0303", "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307"}
_COMBINING |= {"ddot": "\u0308"}

_SUP = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθφχ*′⊤†",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᵠᵡ*′ᵀ†",
        strict=True,
    )
)
_SUB = dict(
    zip(
        "0123456789+-−=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)
_STRUCK = dict(zip("RNZQCPE", "ℝℕℤℚℂℙ𝔼", strict=True))

KEEP_ARGUMENT = frozenset(
    "textbf textit textsl texttt textsc textrm textsf textup textmd textnormal emph "
    "underline uline hl mbox hbox text textit mathbf mathrm mathit mathcal mathsf mathtt "
    "mathscr mathfrak boldsymbol bm operatorname url nolinkurl footnotesize small".split()
)
"""Macros whose one argument is the text to show (styles, `\\url{}`)."""
_DROPPED = re.compile(
    r"[\s~]*\\(?:cite[a-z]*|ref|eqref|autoref|cref|Cref|label|footnotemark|vspace|hspace|"
    r"thanks)\*?(?:\[[^\]]*\])*\{[^{}]*\}"
)
"""Macros shown as nothing, with their argument and the space before them."""
_SELF = re.compile(
    r"(?:our|the|my)?(model|method|approach|algorithm|algo|alg|system|sys|framework|"
    r"dataset|benchmark|bench|agent|tool|ours|name)(?:name)?s?",
    re.IGNORECASE,
)
_SELF_KIND = {"algorithm": "method", "algo": "method", "alg": "method", "approach": "method"}
_SELF_KIND |= {"ours": "method", "name": "method", "sys": "system", "bench": "benchmark"}

_ACCENTS = {"`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303"}
_ACCENTS |= {"=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306"}
_ACCENTS |= {"H": "\u030b", "k": "\u0328", "r": "\u030a"}
_ACCENT = re.compile(r"\\([`'^\"~=.])\{?(\\i|[A-Za-z])\}?|\\([cvuHkr])\{(\\i|[A-Za-z])\}")

# "https://x{https://x}" and "https://x{this link}": a \url{} or \href{} that lost its backslash.
_URL_DOUBLED = re.compile(r"(https?://[^\s{}]+)\{([^{}\s]*|[^{}]{0,30})\}")
_PLACE = 0xF0000
"""URLs are set aside as one character each from here (a private use plane) while the
text around them is cleaned."""
_PLACEHOLDER = "\U000f0000-\U000ffffd"

_MATH = re.compile(
    r"\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)"
    r"|(?<![\\$\w])\$(?=[^\s$])([^$\n]{1,300}?)(?<![\s\\])\$(?!\d)"
)
"""Display and inline math. `$` opens only before a non-space and closes only after one
and not before a digit, so that `$5 and $10` and `$5-$10` stay prices."""
_GROUP_STYLE = re.compile(
    r"( ?)\{\\(?:bf|it|em|sl|sc|tt|rm|sf|cal|bfseries|itshape|scshape|upshape|normalfont)\b"
    r"\s*([^{}]*)\}"
)
_ARGUMENT = re.compile(r"\\([A-Za-z]+)\*?(?:\[[^\]{}]*\])?\{([^{}]*)\}(?:\{([^{}]*)\})?")
_WORD = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])(-\d+(?:\.\d+)?[BMKT]\b)?( ?)")


def clean_latex(text: str, name: str = "", *, words: bool = False) -> str:
    """The text a LaTeX or TeX snippet shows. `name` replaces the macros that stand for the
    paper's own model or method (`\\ourmodel`, `\\method`); without one they read as "our
    model", "our method". URLs are kept as written; links are taken from the raw text.
    With `words` (to compare titles, not to show them) those macros and Greek letters
    read as their names instead: `\\ourmodel` as ourmodel, `$\\alpha$` as alpha."""
    return cleaned(text, name, words, _holds)


def _holds(text: str, parts: tuple[str, ...]) -> bool:
    return any(part in text for part in parts)


def cleaned(
    text: str, name: str, words: bool, needs: Callable[[str, tuple[str, ...]], bool] = _holds
) -> str:
    """`clean_latex`, each step of which runs only when `needs(text, parts)` says that the
    text holds one of the parts that all of the step's own patterns require (most
    abstracts hold no backslash, brace or dollar: their steps are skipped)."""
    if needs(text, _NEEDS["{"]):
        text = _URL_DOUBLED.sub(r"\1", text)
    text, urls = _set_urls_aside(text)
    if needs(text, _NEEDS["$\\"]):
        text = _MATH.sub(lambda m: _math(next(g for g in m.groups() if g is not None), words), text)
    if needs(text, _NEEDS["\\"]):
        text = _macros(text, name, words=words)
    if needs(text, _NEEDS["lost"]):
        text = _lost_backslashes(text)
    if needs(text, _NEEDS["^_"]):
        text = _scripts(text)
    if needs(text, _NEEDS["quotes"]):
        text = _quotes(text)
    if needs(text, _NEEDS["~"]):
        text = re.sub(rf"(?<=[\w.,;:)\]])~(?=[\w(\[{_PLACEHOLDER}])", "\u00a0", text)  # a tie
    if needs(text, _NEEDS["{}"]):
        text = _braces(text)
    if needs(text, _NEEDS["\\"]):
        text = _escapes(text)
    if not urls:
        return text
    return re.sub(f"[{_PLACEHOLDER}]", lambda m: urls[ord(m.group(0)) - _PLACE], text)


_NOT_NAMES = frozenset(
    "a an the on in of to towards toward beyond when why how what which do does is are can "
    "should rethinking revisiting".split()
)
"""First words of a title's head that make it a phrase rather than a name."""


def title_name(title: str) -> str:
    """The name a title gives its paper's model or method, "" when it gives none: what
    comes before a colon, when that is short ("Pixel Reasoner: ..."); an acronym in
    parentheses there is the name ("Movie Facts and Fibs (MF^2): ..." names MF²)."""
    match = re.match(r"\s*([^:]{1,60}?)\s*:\s", title)
    head = clean_latex(match.group(1)) if match else ""
    acronym = re.search(r"\s\((?=[^()\s]*[A-Z])([\w²³¹⁰-⁹+.-]+)\)$", head)
    if acronym:
        return acronym.group(1)
    words = head.split()
    if not words or len(words) > 3 or len(head) > 40 or words[0].lower() in _NOT_NAMES:
        return ""
    return head


def _set_urls_aside(text: str) -> tuple[str, list[str]]:
    text = re.sub(f"[{_PLACEHOLDER}]", "", text)
    urls: list[str] = []
    out: list[str] = []
    last = 0
    for start, end in url_spans(text):
        out += [text[last:start], chr(_PLACE + len(urls))]
        urls.append(text[start:end])
        last = end
    return "".join(out) + text[last:], urls


def _math(math: str, words: bool = False) -> str:
    """Inline math as text: symbols, sub- and superscripts, fractions and roots."""
    math = math.replace("''", "″").replace("'", "′")
    math = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])\s*", "", math)
    math = _macros(math, "", in_math=True, words=words)
    script = r"(\{[^{}]*\}|\\[A-Za-z]+|[^\s{}\\])"
    previous = None
    while previous != math:  # x^{2^{n}}: the inner script first
        previous = math
        math = re.sub(r"\^" + script, lambda m: _script(m.group(1), _SUP, "\x01"), math)
        math = re.sub(r"_" + script, lambda m: _script(m.group(1), _SUB, "\x02"), math)
    math = math.replace("\x01", "^").replace("\x02", "_")
    math = re.sub(r"(?<!\\)[{}]", "", math)
    return re.sub(r"\s+", " ", math).strip()


def _script(body: str, table: dict[str, str], mark: str) -> str:
    """A sub- or superscript in Unicode when each of its characters has one, else written
    `x^2n`-style: `^` or `_` then the characters, in parentheses when there are several."""
    body = body.strip("{}").replace(" ", "")
    body = SYMBOLS.get(body[1:], body) if body.startswith("\\") else body
    if body and all(c in table or c in table.values() for c in body):
        return "".join(table.get(c, c) for c in body)
    return f"{mark}{body}" if len(body) == 1 else f"{mark}({body})"


def _macros(text: str, name: str, in_math: bool = False, words: bool = False) -> str:
    """Every control word: accents first, then macros with arguments from the innermost
    out, then the bare ones (`\\alpha`, `\\ie`, `\\ourmodel`)."""

    def accent(m: re.Match[str]) -> str:
        mark, letter = m.group(1) or m.group(3), m.group(2) or m.group(4)
        letter = "i" if letter == "\\i" else letter
        return unicodedata.normalize("NFC", letter + _ACCENTS[mark])

    text = _DROPPED.sub("", _ACCENT.sub(accent, text))
    previous = None
    while previous != text:
        previous = text
        text = _GROUP_STYLE.sub(lambda m: m.group(1) + m.group(2) if m.group(2) else "", text)
        text = _ARGUMENT.sub(_with_argument, text)
    text = re.sub(r"(?<=[A-Za-z0-9])(?=\\(?:" + _FUNCTIONS.replace(" ", "|") + r")\b)", " ", text)
    return _WORD.sub(lambda m: _control_word(m, name, in_math, words), text)


def _with_argument(m: re.Match[str]) -> str:
    macro, first, second = m.group(1), m.group(2), m.group(3)
    rest = "" if second is None else "{" + second + "}"
    if macro in ("frac", "dfrac", "tfrac") and second is not None:
        return f"{_grouped(first)}/{_grouped(second)}"
    if macro in ("href", "textcolor", "colorbox") and second is not None:
        return first if macro == "href" else second
    if macro == "sqrt":
        return "√" + _grouped(first) + rest
    if macro == "mathbb":
        return "".join(_STRUCK.get(c, c) for c in first) + rest
    if macro in ("textsuperscript", "textsubscript"):
        return _script(first, _SUP if macro == "textsuperscript" else _SUB, "^") + rest
    if macro in _COMBINING:
        combined = first + _COMBINING[macro]
        return (unicodedata.normalize("NFC", combined) if len(first) == 1 else first) + rest
    if macro == "footnote":
        return f" ({first})" + rest
    if macro in SYMBOLS or macro in WORDS or _SELF.fullmatch(macro):
        return m.group(0).replace("{" + first + "}", "", 1) if not first.strip() else m.group(0)
    return first + rest  # a style, \url{}, or a macro we do not know: its argument


def _grouped(text: str) -> str:
    text = text.strip()
    return text if re.fullmatch(r"[\w.′″]+|\S", text) else f"({text})"


def _control_word(m: re.Match[str], name: str, in_math: bool, words: bool) -> str:
    word, size, space = m.group(1), m.group(2) or "", m.group(3)
    if words and (word in _GREEK_NAMES or _SELF.fullmatch(word)):
        return word + size + space
    if word in WORDS and not in_math:
        return WORDS[word] + size + space
    if word in SYMBOLS:
        return SYMBOLS[word] + size + ("" if word in _DASHES else space)
    if word in SWITCHES:
        return size
    own = _SELF.fullmatch(word)
    if own and len(word) > 1 and not in_math:
        return _own_name(m, own.group(1).lower(), name, size) + space
    if len(word) == 1 or re.fullmatch(r"[nrt][A-Z0-9]\w*", word):
        return m.group(0)  # `"\n\n"` or `\nAnswer:` in a quoted string is not LaTeX
    return word + size + space  # \LLaMA, \gptfour: a name the author wrote as a macro


def _own_name(m: re.Match[str], kind: str, name: str, size: str) -> str:
    """The paper's own name for `\\ourmodel`-like macros: `name`, else "our model" (with a
    size such as `-7B` read as "our 7B model"), capitalised at a sentence's start."""
    if name:
        return name + size
    kind = _SELF_KIND.get(kind, kind)
    phrase = f"our {size[1:]} {kind}" if size else f"our {kind}"
    before = m.string[: m.start()].rstrip()
    return phrase[0].upper() + phrase[1:] if not before or before[-1] in ".!?:" else phrase


_LOST_STYLE = r"textbf|textit|texttt|textsc|textsl|emph|underline"
_LOST_MATH = r"mathbf|mathrm|mathcal|mathit|mathsf|mathbb|boldsymbol"
_NEEDS: dict[str, tuple[str, ...]] = {
    "{": ("{",),
    "{}": ("{", "}"),
    "$\\": ("$", "\\"),
    "\\": ("\\",),
    "^_": ("^", "_"),
    "~": ("~",),
    "quotes": ('"', "`", "''"),
    "lost": (*_LOST_STYLE.split("|"), *_LOST_MATH.split("|"), "langle", "leq", "geq", "neq"),
}
"""What each step of `cleaned` needs in a text to change it: one of these characters, or
for the lost backslashes one of the macro names they look for."""


def _lost_backslashes(text: str) -> str:
    """Macros whose backslash the copy lost: `{textbf S}patio`, `textbf{x}`, `mathbf x_0`,
    `langle bo rangle`, `kleq 10`."""
    text = re.sub(rf"\{{(?:{_LOST_STYLE})\s+([^{{}}]*)\}}", r"\1", text)
    text = re.sub(rf"\b(?:{_LOST_STYLE}|{_LOST_MATH})\{{([^{{}}]*)\}}", r"\1", text)
    text = re.sub(rf"\b(?:{_LOST_STYLE}|{_LOST_MATH})\s+(?=\S)", "", text)
    text = re.sub(r"\blangle\s*(\S+?)\s*rangle\b", "⟨\\1⟩", text)
    relation = {"leq": "≤", "geq": "≥", "neq": "≠"}
    return re.sub(
        r"(?<![A-Za-z])([A-Za-z]?)(leq|geq|neq)(?![A-Za-z])",
        lambda m: (m.group(1) + " " if m.group(1) else "") + relation[m.group(2)],
        text,
    )


def _scripts(text: str) -> str:
    """Superscripts outside math (`O(n^2)`, `ALR^2`, `V^*`, `10^{-3}`) and a single
    letter's subscripts (`x_0`); `snake_case` and `gpt_4` are not subscripts."""
    sup = r"(?<=[\w)\]′])\^(\{[^{}]*\}|[+-]?\d+|\*|[A-Za-z](?![A-Za-z]))"
    text = re.sub(sup, lambda m: _script(m.group(1), _SUP, "^"), text)
    sub = r"(?<![\w\\])([A-Za-z])_(\{[^{}]*\}|[A-Za-z0-9](?!\w))"
    return re.sub(sub, lambda m: m.group(1) + _script(m.group(2), _SUB, "_"), text)


def _quotes(text: str) -> str:
    """TeX's quotes as typographic ones: ``x'' and "x'' as “x”, `x' as ‘x’. An apostrophe
    followed by a letter (`it's`) does not close a quote."""
    text = re.sub(r"(?<![\w\"])\"(?=\S)([^\"\n]{1,300}?)''", "“\\1”", text)
    text = text.replace("``", "“").replace("''", "”")
    return re.sub(r"(?<![\w`])`((?:[^`'\n]|'(?=[A-Za-z])){1,80}?)'(?![A-Za-z])", "‘\\1’", text)


def _braces(text: str) -> str:
    """Braces LaTeX used: around a URL, or unbalanced (an argument whose macro was lost).
    Balanced braces (`{time}{place}`, `{}`) are text."""
    text = re.sub(rf"(?<!\\)\{{([{_PLACEHOLDER}])\}}", r"\1", text)
    opened: list[int] = []
    unmatched: list[int] = []
    for m in _BRACE.finditer(text):
        if m.group(0) == "{":
            opened.append(m.start())
        elif opened:
            opened.pop()
        else:
            unmatched.append(m.start())
    if not unmatched and not opened:
        return text
    drop = sorted([*unmatched, *opened])
    out, last = [], 0
    for n in drop:
        out.append(text[last:n])
        last = n + 1
    return "".join(out) + text[last:]


_BRACE = re.compile(r"(?<!\\)[{}]")
"""A brace that no backslash escapes."""


def _escapes(text: str) -> str:
    """Escaped characters (`\\%`, `\\&`, `\\_`, `\\{`) and spacing commands."""
    text = re.sub(r"\\([%&_#${}])", r"\1", text)
    text = re.sub(r"\\([~^])\{\}", r"\1", text)
    text = re.sub(r"\\[,:;]", lambda m: "\u2009" if m.group(0) == "\\," else " ", text)
    return re.sub(r"\\[!@/-]|(?<=\S)\\(?= )", "", text)
