"""The house (报社的版式): a paper's faces by role and its deck and furniture styles, as one
value. The pipeline makes it once per issue (`House.of`) and hands it
down: measure, flow and composition set text only in the face keys it gives and draw decks,
running heads and mastheads in its styles. `BUNDLED` is the house of an issue without a
`fonts:` section, for tests and tools that have no issue.

It sits above the stages, beside pipeline.py, because it gathers one table from each: faces
(text/fonts.py), deck style (compose/deck.py), furniture styles (compose/furniture.py); model/,
the first stage, must not import compose/. The page geometry presets stay with the model
(model/geometry.PRESETS): the loader resolves a page's `geometry:` before any house exists.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from .compose.deck import DeckStyle
from .compose.furniture import HeadStyle, MastheadStyle
from .text import fonts as F
from .text.prepare import Style


@dataclass(frozen=True)
class House:
    """One paper's typographic house. Equal houses are equal values (and hash alike), so caches
    may be keyed by a house."""
    fonts: tuple[tuple[str, str], ...]    # role → face key (a chain key, c:…), every role
    deck: DeckStyle = DeckStyle()
    head: HeadStyle = HeadStyle()         # the running head (报眉) and the editors' line
    masthead: MastheadStyle = MastheadStyle()
    _by_role: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_by_role", dict(self.fonts))

    def __hash__(self) -> int:
        # the faces tell houses apart in every cache keyed by a house, and cost little to hash
        return hash(self.fonts)

    @classmethod
    def of(cls, issue) -> "House":
        """The house of an issue: its `fonts:` (role → chain key) over the bundled faces."""
        return cls.with_fonts(issue.fonts)

    @classmethod
    def with_fonts(cls, chains: dict[str, str]) -> "House":
        """Every role set by its chain: the house's (`chains`, from a `fonts:` section) or the
        bundled chain of the role. Every role then has a chain key, so a glyph whose face is
        not a chain key came from a fallback (text/fonts.is_fallback)."""
        full = {role: F.register_chain(role, []) for role in F.ROLES}
        full.update(chains)
        return cls(tuple(full.items()))

    def face(self, role: str) -> str:
        """The face key that sets `role`; a key that is no role (a face key already, or a
        bundled face by name) is itself."""
        key = self._by_role.get(role)
        return key if key is not None else F.BUNDLED_FOR.get(role, role)

    def style(self, role: str, size: float, **settings) -> Style:
        """A text style in the face of `role` at `size` (other Style settings as given)."""
        return Style(face=self.face(role), size=size, **settings)

    def chains(self) -> dict[str, tuple[str, ...]]:
        """role → the face keys of its chain, first choice first."""
        return {role: F.chain(key) for role, key in self.fonts}

    def __reduce__(self):
        # Another process gets the house's font files and chains with it: the registries are
        # content-addressed (text/fonts.py), so registering them again there changes nothing.
        values = tuple(getattr(self, f.name) for f in fields(self) if f.init)
        return _restore, (values, F.registered(key for _, key in self.fonts))


def _restore(values: tuple, entries: tuple) -> House:
    F.adopt(entries)
    return House(*values)


BUNDLED = House.with_fonts({})
