"""The Routine page's link ⇄ builder state machine, pure (issue 12): the page only wires widgets to it.

A share link (the ``exercises``/``hold``/``sets``/``warmup`` query parameters, issue 5) or the first visit
decides the routine; after that the builder does, and the address bar follows it. A link is read again only
when it differs from what the page last wrote there (``seen``), so the page's own address-bar updates never
overwrite the builder, while a new link pasted into the same tab does.

Shapes: query parameters are ``Mapping[str, str]`` (other keys are ignored); the builder is a ``Builder``
(what its widgets hold); the routine is a ``routines.RoutineSettings``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from hipknee.routines import QUERY_KEYS, Library, Preset, RoutineSettings, format_query, matching_preset, parse_query

CUSTOM = "custom"  # the builder's choice when it matches no preset ("My own")
TODAY = "today"  # "Today's session" from the 8-week programme (issue 14): the first visit's choice
DEFAULT_PRESET = "article"  # what a first visit without a link starts from
DEFAULT_HOLD, DEFAULT_SETS = 30, 2  # what the own hold/sets inputs show before a choice
CHECK_PAIN_AT = 7  # a run stopped for pain rated this high (0-10) or more: advise getting it checked


@dataclass(frozen=True)
class Builder:
    """What the builder's widgets hold. ``hold``/``sets`` are kept while their toggle is off, so turning it
    back on shows the last value."""

    preset: str | None = CUSTOM  # None: nothing picked under "Start from"
    exercise_ids: tuple[str, ...] = ()
    warmup: bool = False
    own_hold: bool = False
    hold: int = DEFAULT_HOLD
    own_sets: bool = False
    sets: int = DEFAULT_SETS

    @property
    def settings(self) -> RoutineSettings:
        """The routine the builder describes (no substitutions yet)."""
        return RoutineSettings(
            exercise_ids=self.exercise_ids,
            hold_seconds=self.hold if self.own_hold else None,
            sets=self.sets if self.own_sets else None,
            warmup=self.warmup,
        )


def with_preset_match(builder: Builder, presets: Mapping[str, Preset]) -> Builder:
    """The builder with ``preset`` set to the preset it now matches exactly, else ``CUSTOM``."""
    match = matching_preset(builder.settings, presets)
    return replace(builder, preset=match.id if match else CUSTOM)


def load_settings(settings: RoutineSettings, presets: Mapping[str, Preset], previous: Builder | None = None) -> Builder:
    """The builder showing ``settings``; an unset hold/sets keeps the previous input's value."""
    base = previous or Builder()
    builder = Builder(
        exercise_ids=tuple(settings.exercise_ids),
        warmup=settings.warmup,
        own_hold=settings.hold_seconds is not None,
        hold=base.hold if settings.hold_seconds is None else settings.hold_seconds,
        own_sets=settings.sets is not None,
        sets=base.sets if settings.sets is None else settings.sets,
    )
    return with_preset_match(builder, presets)


def link_text(params: Mapping[str, str]) -> str:
    """The routine part of a query, in one canonical text (key order does not matter)."""
    return "&".join(f"{k}={params[k]}" for k in sorted(params) if k in QUERY_KEYS)


def routine_params(params: Mapping[str, str]) -> dict[str, str]:
    """Only the routine's query parameters (others, from elsewhere in the app, are left alone)."""
    return {k: params[k] for k in QUERY_KEYS if k in params}


@dataclass(frozen=True)
class Opened:
    """What the page does when it runs. ``builder``/``messages``/``seen`` of None: keep what it has."""

    builder: Builder | None
    messages: tuple[str, ...] | None
    seen: str | None


def on_open(
    params: Mapping[str, str],
    seen: str | None,
    current: Builder | None,
    library: Library,
    presets: Mapping[str, Preset],
    default_preset: str = DEFAULT_PRESET,
    first_choice: str | None = TODAY,
) -> Opened:
    """Each run: a new link loads into the builder (with what was wrong with it); the first visit without a
    link chooses ``first_choice`` ("Today's session"; None: the default preset) with the default preset's
    exercises in the builder behind it; otherwise the builder stays as it is.

    ``current`` is None before the builder was ever set in this session. ``seen`` is the ``link_text`` the
    page last wrote to (or read from) the address bar.
    """
    link = routine_params(params)
    text = link_text(link)
    if link and text != seen:
        parsed = parse_query(link, library, default_ids=presets[default_preset].exercise_ids)
        if parsed.settings is not None:
            return Opened(load_settings(parsed.settings, presets, current), parsed.messages, text)
    if current is None:
        builder = load_settings(presets[default_preset].settings, presets)
        return Opened(replace(builder, preset=first_choice) if first_choice else builder, None, None)
    return Opened(None, None, None)


def on_preset_chosen(chosen: str | None, current: Builder, presets: Mapping[str, Preset]) -> Builder:
    """ "Start from" picked: a preset loads its settings; "Today's session", "My own" (or nothing) keep the
    rest as it is."""
    if chosen is not None and chosen in presets:
        return load_settings(presets[chosen].settings, presets, current)
    return replace(current, preset=chosen)


def on_builder_changed(current: Builder, presets: Mapping[str, Preset]) -> Builder:
    """Any builder input changed: "Start from" follows (a preset it now matches, else "My own")."""
    return with_preset_match(current, presets)


@dataclass(frozen=True)
class AddressBar:
    """How to bring the address bar in step with a routine: keys to delete, values to set, and the new
    ``seen`` text. ``changed`` is False when it already shows the routine (nothing to write)."""

    delete: tuple[str, ...]
    set: dict[str, str]
    seen: str
    changed: bool


def address_bar(params: Mapping[str, str], settings: RoutineSettings) -> AddressBar:
    """The query-parameter update that makes the address bar show (and share) ``settings``."""
    wanted = format_query(settings)
    current = routine_params(params)
    stale = tuple(k for k in QUERY_KEYS if k in current and k not in wanted)
    return AddressBar(stale, wanted, link_text(wanted), current != wanted)


def cleared_address_bar(params: Mapping[str, str]) -> AddressBar:
    """The update that takes a routine link out of the address bar (while "Today's session" is on screen,
    the plan decides the routine, so the address bar holds no routine of its own)."""
    current = routine_params(params)
    return AddressBar(tuple(current), {}, "", bool(current))
