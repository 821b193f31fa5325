"""Word lists and name parts for the benchmark corpus (generate.py)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

KINDS = ("state", "person", "organization", "military", "media", "other")
TAGS = (
    "energy", "sanctions", "diplomacy", "military-cooperation", "elections",
    "pipelines", "border-security", "arms-trade", "peace-process", "trade",
    "migration", "media-freedom", "cyber", "maritime", "nuclear", "grain",
    "infrastructure", "corruption", "protests", "human-rights", "debt",
    "mediation", "refugees", "transit-corridors", "disinformation",
    "intelligence", "climate", "water", "minorities", "religion",
)

FUNCTION_WORDS = (
    ("the", 60), ("of", 30), ("and", 28), ("to", 26), ("in", 22), ("a", 18),
    ("that", 10), ("for", 10), ("on", 9), ("with", 8), ("as", 7), ("by", 6),
    ("its", 6), ("from", 6), ("was", 6), ("is", 6), ("has", 5), ("have", 4),
    ("their", 4), ("which", 4), ("at", 4), ("after", 3), ("while", 3),
    ("but", 3), ("not", 3), ("over", 3), ("between", 3), ("than", 2),
    ("since", 2), ("into", 2), ("against", 2), ("under", 2), ("would", 2),
    ("could", 2), ("also", 2), ("more", 2), ("both", 2), ("any", 1),
)

CONTENT_WORDS = (
    "agreement", "alliance", "ambassador", "analysts", "armed", "army",
    "artillery", "assembly", "authorities", "autonomy", "balance", "border",
    "budget", "cabinet", "capital", "ceasefire", "coalition", "commission",
    "commitment", "communique", "concessions", "conflict", "consortium",
    "constitution", "contract", "corridor", "council", "crisis", "customs",
    "decree", "defence", "delegation", "demands", "deployment", "deterrence",
    "dialogue", "diplomats", "dispute", "doctrine", "drones", "economy",
    "election", "embargo", "energy", "envoy", "escalation", "exports",
    "federal", "fighting", "frontier", "gas", "government", "guarantees",
    "imports", "incident", "influence", "infrastructure", "initiative",
    "insurgents", "intelligence", "interests", "investment", "leadership",
    "legislation", "leverage", "loans", "mandate", "market", "mediation",
    "memorandum", "militia", "ministry", "mission", "mobilisation",
    "monitoring", "negotiations", "neighbours", "networks", "observers",
    "offensive", "officials", "oil", "opposition", "parliament", "partners",
    "patrols", "peacekeepers", "pipeline", "pressure", "prisoners", "protests",
    "provinces", "railway", "ratification", "reforms", "refugees", "region",
    "regime", "reserves", "resolution", "revenues", "rhetoric", "sanctions",
    "security", "settlement", "shelling", "sovereignty", "statement", "strategy",
    "summit", "supplies", "talks", "tariffs", "territory", "terminal", "threat",
    "transit", "treaty", "troops", "truce", "tensions", "veto", "volumes",
    "vote", "warships", "withdrawal", "accord", "airspace", "annexation",
    "blockade", "bloc", "bilateral", "brokered", "committed", "condemned",
    "confirmed", "contested", "declared", "denied", "disputed", "expanded",
    "fragile", "hardline", "imposed", "insisted", "launched", "maintained",
    "negotiated", "pledged", "postponed", "proposed", "rejected", "renewed",
    "reported", "signed", "suspended", "threatened", "warned", "welcomed",
    "strategic", "regional", "domestic", "foreign", "military", "economic",
    "political", "diplomatic", "nuclear", "maritime", "cross-border",
    "long-term", "short-lived", "unprecedented", "cautious", "gradual",
    "sharp", "limited", "broad", "formal", "informal", "quiet", "public",
    "western", "eastern", "northern", "southern", "coastal", "mountainous",
    "recent", "previous", "annual", "quarterly", "key", "major", "minor",
    "new", "old", "further", "direct", "indirect", "joint", "separate",
    "week", "month", "year", "decade", "spring", "autumn", "winter", "summer",
    "percent", "billion", "million", "cubic", "metres", "barrels", "tonnes",
    "kilometres", "villages", "towns", "districts", "routes", "ports",
    "companies", "banks", "markets", "prices", "reports", "sources", "media",
    "press", "television", "outlets", "campaign", "narrative", "claims",
    "evidence", "satellite", "imagery", "casualties", "civilians", "soldiers",
    "commanders", "generals", "ministers", "lawmakers", "voters", "citizens",
    "diaspora", "communities", "clergy", "students", "workers", "unions",
)

ALIAS_SAFE_WORDS = frozenset(word for word, _ in FUNCTION_WORDS) | frozenset(CONTENT_WORDS)

EVENT_NOUNS = (
    "border clashes", "summit", "pipeline agreement", "ceasefire talks",
    "parliamentary elections", "military exercise", "protests", "gas dispute",
    "prisoner exchange", "naval incident", "drone strike", "trade accord",
    "referendum", "cabinet reshuffle", "peace conference", "port blockade",
    "arms deal", "cyberattack", "donor conference", "transit agreement",
)
TOPICS = (
    "gas transit", "the peace process", "border demarcation", "arms supplies",
    "sanctions relief", "the transport corridor", "grain exports",
    "energy security", "the election", "media freedom", "refugee returns",
    "the water dispute", "debt talks", "naval access", "the defence pact",
    "the customs union", "mediation efforts", "the oil price", "minority rights",
    "the new constitution",
)
ADJECTIVES = ("cautious", "sharp", "quiet", "decisive", "uneasy", "tentative", "hardline", "pragmatic")
VERBINGS = ("courting", "pressuring", "sidelining", "hedging against", "reassuring", "testing")
CODE_TOKENS = (
    "S-400", "UNSCR 2231", "TAP-2", "Art. 5", "HS 2709", "Su-30SM", "Bayraktar TB2",
    "Form 10-K", "ISO 3166", "OSCE/ODIHR", "EU 833/2014", "MCM/day",
)
DOMAINS = (
    "example.org", "news.example.com", "archive.example.net", "gov.example",
    "data.example.org", "reports.example.com",
)
PUBLICATIONS = ("Review", "Monitor", "Observer", "Dispatch", "Herald", "Bulletin", "Ledger")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
UNITS = ("tons", "tonnes", "kilometres", "barrels", "troops", "flights", "servicemen", "refugees")
COMPOUND_UNITS = ("strong", "kilometre", "tonne", "day", "year", "metre")
PARTICIPLES = ("signed", "launched", "unveiled", "announced", "ratified", "suspended", "planned")
AMPERSAND_PAIRS = (("Oil", "Gas"), ("Trade", "Investment"), ("Research", "Development"),
                   ("Peace", "Security"), ("Energy", "Resources"), ("Defence", "Industry"))
HANDLE_SUFFIXES = ("news", "mfa", "press", "official", "tv", "gov")
SOURCE_TLDS = ("az", "ru", "am", "ge", "org", "com", "net")
IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "webp")
DASHES = ("--", "&ndash;", "&mdash;", "&#8212;", "\u2013", "\u2014")
"""Spaced dashes as authors type them: typographer ``--``, named and numeric entities, the characters."""
NO_BREAK_SPACES = (("&nbsp;", 3), ("&#160;", 1), ("\u00a0", 1))
"""How a no-break space is written, with weights: mostly the entity, sometimes pasted as is."""
FIRST_NAMES = (
    "Ilham", "Nikol", "Leyla", "Arman", "Zara", "Rustam", "Elmira", "Tigran",
    "Mehriban", "Giorgi", "Salome", "Farid", "Aysel", "Davit", "Nino", "Kamran",
    "Gulnara", "Vahe", "Sabina", "Emin", "Oksana", "Viktor", "Irina", "Murad",
    "Şahin", "Gülnar", "Çingiz", "Ömer", "Ayşə", "Nərmin", "Sevinc", "Tural",
)
PERSON_TITLES = (
    ("President", "President of {state}"),
    ("Minister", "Foreign Minister of {state}"),
    ("General", "Chief of General Staff of {state}"),
    ("Ambassador", "Ambassador of {state}"),
    ("Speaker", "Speaker of the {state} parliament"),
    ("Governor", "Governor in {state}"),
    ("Senator", "Senator of {state}"),
)
ORG_NOUNS = ("Energy Consortium", "Pipeline Company", "Development Bank", "Transit Authority",
             "Security Council", "Trade Union", "Industrial Group", "Investment Fund")
MILITARY_NOUNS = ("Brigade", "Army Corps", "Border Guard", "Naval Command", "Air Wing", "Special Forces")
MEDIA_NOUNS = ("Times", "Daily", "Broadcasting", "News Agency", "Review", "Telegraph")
OTHER_NOUNS = ("Movement", "Front", "Initiative", "Assembly", "Foundation", "Diaspora Council")
FALLBACK_ALIAS_WORDS = (
    "Office", "Network", "Bloc", "Circle", "Authority", "Council", "Group", "Camp",
    "Faction", "Directorate", "Bureau", "Command", "Committee", "Platform", "Caucus",
)

ONSETS = (("b", 4), ("d", 5), ("g", 3), ("k", 6), ("l", 4), ("m", 5), ("n", 4), ("r", 5),
          ("s", 5), ("t", 5), ("v", 4), ("z", 2), ("sh", 2), ("kh", 2), ("ch", 1), ("dr", 1),
          ("tr", 1), ("br", 1), ("gr", 1), ("y", 2), ("h", 2), ("f", 1), ("p", 2), ("ş", 1),
          ("ç", 1))
VOWELS = (("a", 10), ("e", 7), ("i", 6), ("o", 5), ("u", 3), ("ə", 2), ("ı", 1), ("ö", 1),
          ("ü", 1), ("ay", 1), ("ia", 1))
CODAS = (("", 12), ("n", 3), ("r", 3), ("l", 3), ("m", 1), ("sk", 1), ("v", 2), ("z", 1),
         ("t", 2), ("sh", 1), ("k", 2), ("ş", 1))
SURNAME_SUFFIXES = ("ov", "ev", "yan", "oğlu", "li", "ski", "ashvili", "zadə", "", "in")
STATE_SUFFIXES = ("ia", "stan", "a", "land", "ova", "")
TRANSLIT = str.maketrans({"ə": "e", "ı": "i", "ş": "s", "ç": "c", "ğ": "g", "ö": "o", "ü": "u",
                          "Ə": "e", "İ": "i", "Ş": "s", "Ç": "c", "Ğ": "g", "Ö": "o", "Ü": "u"})


def cumulative(weighted: Sequence[tuple[str, int]]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Split (item, weight) pairs into items and cumulative weights for ``choices``."""
    return tuple(item for item, _ in weighted), tuple(itertools.accumulate(w for _, w in weighted))


VOCAB, VOCAB_CUM = cumulative(list(FUNCTION_WORDS) + [(word, 2) for word in CONTENT_WORDS])
ONSET_ITEMS, ONSET_CUM = cumulative(ONSETS)
VOWEL_ITEMS, VOWEL_CUM = cumulative(VOWELS)
CODA_ITEMS, CODA_CUM = cumulative(CODAS)
NBSP_ITEMS, NBSP_CUM = cumulative(NO_BREAK_SPACES)


def capitalize(word: str) -> str:
    """``word`` with its first letter upper-cased (str.capitalize lowers the rest)."""
    return word[:1].upper() + word[1:]
