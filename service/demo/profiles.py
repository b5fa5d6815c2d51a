"""Member records of the demo organization: names, places, titles, profiles and skills.

Declared data is realistic and therefore noisy: most experts list their topics but not all,
some peripheral members claim skills they never show evidence for, and interests (what
people want to learn) are not expertise.
"""

import random
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from service.demo import phrases
from service.demo.activity import Draft
from service.demo.people import Cast, Person
from service.demo.plan import END
from service.demo.vocabulary import COMMUNITIES, CommunitySpec, Topic


@dataclass(frozen=True)
class Place:
    """A city with its IANA time zone, the name pool of its people and its local language."""

    city: str
    timezone: str
    names: str
    language: str | None = None


PLACES = (
    Place("New York", "America/New_York", "en"),
    Place("Chicago", "America/Chicago", "en"),
    Place("Austin", "America/Chicago", "en"),
    Place("Seattle", "America/Los_Angeles", "en"),
    Place("Toronto", "America/Toronto", "en"),
    Place("Mexico City", "America/Mexico_City", "es", "Spanish"),
    Place("São Paulo", "America/Sao_Paulo", "pt"),
    Place("London", "Europe/London", "en"),
    Place("Dublin", "Europe/Dublin", "en"),
    Place("Berlin", "Europe/Berlin", "de", "German"),
    Place("Munich", "Europe/Berlin", "de", "German"),
    Place("Zurich", "Europe/Zurich", "de", "German"),
    Place("Paris", "Europe/Paris", "fr", "French"),
    Place("Lyon", "Europe/Paris", "fr", "French"),
    Place("Madrid", "Europe/Madrid", "es", "Spanish"),
    Place("Amsterdam", "Europe/Amsterdam", "nl"),
    Place("Warsaw", "Europe/Warsaw", "pl"),
    Place("Tokyo", "Asia/Tokyo", "ja", "Japanese"),
    Place("Osaka", "Asia/Tokyo", "ja", "Japanese"),
    Place("Singapore", "Asia/Singapore", "zh"),
    Place("Bangalore", "Asia/Kolkata", "in"),
    Place("Shanghai", "Asia/Shanghai", "zh"),
    Place("Seoul", "Asia/Seoul", "ko"),
)
SECOND_LANGUAGES = ("German", "French", "Spanish", "Japanese")

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "en": (
        ("James", "Olivia", "Michael", "Emma", "Daniel", "Sophia", "David", "Grace", "Ryan",
         "Chloe", "Ethan", "Hannah", "Marcus", "Aisha", "Tyler", "Megan"),
        ("Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Anderson", "Clark",
         "Walker", "Hughes", "Bennett", "Carter", "Murphy", "Reed", "Foster"),
    ),
    "de": (
        ("Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Tobias", "Katharina", "Maximilian",
         "Julia", "Stefan", "Sabine"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann",
         "Schulz", "Koch", "Richter", "Wolf"),
    ),
    "fr": (
        ("Louis", "Camille", "Hugo", "Léa", "Julien", "Chloé", "Nicolas", "Manon", "Antoine",
         "Élise", "Mathieu", "Claire"),
        ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefèvre", "Girard", "Roux",
         "Fontaine", "Chevalier", "Mercier", "Faure"),
    ),
    "es": (
        ("Alejandro", "Lucía", "Javier", "María", "Carlos", "Sofía", "Diego", "Elena", "Pablo",
         "Carmen", "Andrés", "Valentina"),
        ("García", "Rodríguez", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Fernández",
         "Ruiz", "Díaz", "Torres", "Romero"),
    ),
    "pt": (
        ("João", "Ana", "Pedro", "Beatriz", "Lucas", "Mariana", "Gabriel", "Camila", "Rafael",
         "Larissa"),
        ("Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida", "Ferreira",
         "Ribeiro", "Carvalho"),
    ),
    "nl": (
        ("Daan", "Sanne", "Bram", "Lotte", "Thijs", "Femke", "Jeroen", "Anouk", "Ruben", "Eva"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
         "de Boer", "Mulder"),
    ),
    "pl": (
        ("Jakub", "Zofia", "Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Michał", "Magdalena",
         "Krzysztof", "Aleksandra"),
        ("Nowak", "Wójcik", "Mazur", "Krawczyk", "Kaczmarek", "Zając", "Król", "Wieczorek",
         "Pawlak", "Michalak"),
    ),
    "ja": (
        ("Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Takumi", "Sakura", "Kenji", "Yuki",
         "Daiki", "Mei"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
         "Kobayashi", "Kato", "Yoshida", "Yamada"),
    ),
    "in": (
        ("Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Kavya", "Arjun", "Neha", "Rahul",
         "Divya", "Karthik", "Sneha"),
        ("Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Rao", "Menon", "Kulkarni", "Singh",
         "Joshi", "Krishnan"),
    ),
    "zh": (
        ("Wei", "Jing", "Hao", "Xin", "Jun", "Mei", "Lei", "Yan", "Tao", "Ling", "Qiang", "Hui"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Lin"),
    ),
    "ko": (
        ("Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Jun-seo", "Soo-ah", "Do-hyun", "Ji-woo",
         "Hyun-woo", "Eun-ji"),
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"),
    ),
}  # fmt: skip

SENIORITY = {
    "core": ("Principal", "Staff", "Senior"),
    "active": ("Senior", ""),
    "peripheral": ("", "", "Associate"),
    "newcomer": ("Junior", "Graduate", ""),
}
MENTOR_CAPACITY = {"core": {1: 1, 2: 2, 3: 2}, "active": {0: 15, 1: 40, 2: 35, 3: 10}}
BACKGROUNDS = (
    "Came to the company from a consulting background.",
    "Previously worked in {other}.",
    "Part of the on-call rotation.",
    "Enjoys pairing and reviews.",
    "Has been with the company for {years} years.",
    "Speaks at the internal tech talks now and then.",
)
FALSE_CLAIM_SHARE = 0.2


@dataclass(frozen=True)
class Profiles:
    """Member records in bundle format, plus the truth they plant."""

    records: list[dict[str, Any]]
    goals: dict[str, str]
    false_skill_claims: dict[str, list[str]]


def build_profiles(rng: random.Random, cast: Cast, drafts: list[Draft]) -> Profiles:
    """One bundle record per member, with skills and interests drawn against their evidence."""
    topics = {t.id: (c, t) for c in COMMUNITIES for t in c.topics}
    evidence = _evidence(drafts)
    namer = _Namer(rng)
    units = _units(rng, cast)
    goals: dict[str, str] = {}
    claims: dict[str, list[str]] = {}
    records = []
    for person in cast.people:
        community = _home(person)
        title = _title(rng, person, community, units[person.id])
        place = rng.choice(PLACES)
        name, email = namer.name(place)
        skills = _skills(rng, person, evidence[person.id])
        if person.level == "peripheral" and rng.random() < FALSE_CLAIM_SHARE:
            claims[person.id] = _false_claims(rng, person, evidence[person.id])
            skills += claims[person.id]
        interests = [topics[t][1].name for t in person.interests]
        focus = _focus(rng, person, evidence[person.id], topics)
        if person.level == "newcomer":
            goals[person.id] = phrases.goals(rng, interests)
            focus = f"New to the team. Goal: {goals[person.id]}"
        records.append(
            {
                "id": person.id,
                "name": name,
                "joined_at": person.joined_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "email": email,
                "title": title,
                "unit": units[person.id],
                "location": place.city,
                "timezone": place.timezone,
                "languages": _languages(rng, place),
                "profile": _profile(rng, person, title, units[person.id], place, focus),
                "skills": [topics[t][1].name for t in dict.fromkeys(skills)],
                "interests": interests,
                "mentor_capacity": _mentor_capacity(rng, person),
                "discoverable": person.discoverable,
                "manager_id": person.manager_id,
            }
        )
    return Profiles(records, goals, claims)


def _home(person: Person) -> CommunitySpec:
    """The member's home community."""
    return next(c for c in COMMUNITIES if c.id == person.home)


def _evidence(drafts: list[Draft]) -> dict[str, Counter[str]]:
    """Answers, solutions and documents per member and topic: shown expertise."""
    evidence: dict[str, Counter[str]] = defaultdict(Counter)
    for draft in drafts:
        if draft.kind in ("answer", "solution", "document"):
            evidence[draft.author_id][draft.topic_id] += 1
    return evidence


class _Namer:
    """Unique names and e-mail addresses, mostly from the name pool of the member's city."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.emails: set[str] = set()

    def name(self, place: Place) -> tuple[str, str]:
        """A name not used yet, and its e-mail address at example.com."""
        pool = place.names if self.rng.random() < 0.75 else self.rng.choice(sorted(NAMES))
        firsts, lasts = NAMES[pool]
        name = f"{self.rng.choice(firsts)} {self.rng.choice(lasts)}"
        while name in self.names:
            name = f"{self.rng.choice(firsts)} {self.rng.choice(lasts)}"
        self.names.add(name)
        local = ".".join(_ascii(part) for part in name.split(" ", 1))
        email, number = f"{local}@example.com", 1
        while email in self.emails:
            number += 1
            email = f"{local}{number}@example.com"
        self.emails.add(email)
        return name, email


def _ascii(text: str) -> str:
    """Lower-case ASCII letters, digits and dashes of a name part (Müller: muller)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == "-")


def _units(rng: random.Random, cast: Cast) -> dict[str, str]:
    """Each manager leads a unit of their community; members work in their manager's unit."""
    units: dict[str, str] = {}
    for community in COMMUNITIES:
        managers = [p for p in cast.people if p.is_manager and p.home == community.id]
        for index, manager in enumerate(managers):
            units[manager.id] = community.units[index % len(community.units)]
    for person in cast.people:
        if person.manager_id:
            units[person.id] = units[person.manager_id]
    return units


def _title(rng: random.Random, person: Person, community: CommunitySpec, unit: str) -> str:
    """Job title from level and community; managers lead their unit."""
    if person.is_manager:
        return rng.choice((f"Manager, {unit}", f"Team Lead, {unit}", f"Head of {unit}"))
    seniority = rng.choice(SENIORITY[person.level])
    return f"{seniority} {rng.choice(community.roles)}".strip()


def _skills(rng: random.Random, person: Person, shown: Counter[str]) -> list[str]:
    """Declared skills: most experts list their topics, others what they often answer."""
    skills = [t for t in person.expert_topics + person.stale_topics if rng.random() < 0.8]
    frequent = [t for t, n in shown.most_common(2) if n >= 2 and t not in skills]
    skills += [t for t in frequent if rng.random() < 0.4]
    return skills


def _false_claims(rng: random.Random, person: Person, shown: Counter[str]) -> list[str]:
    """Topics of the home community the member lists as skills without any evidence."""
    community = _home(person)
    unshown = [t.id for t in community.topics if not shown[t.id]]
    return sorted(rng.sample(unshown, min(len(unshown), rng.randint(1, 2))))


def _focus(
    rng: random.Random,
    person: Person,
    shown: Counter[str],
    topics: dict[str, tuple[CommunitySpec, Topic]],
) -> str:
    """A sentence on what the member works on, when their profile says so."""
    known = person.expert_topics + person.stale_topics
    if known and rng.random() < 0.75:
        return f"Works mostly on {_names(known, topics)}."
    frequent = [t for t, n in shown.most_common(2) if n >= 2]
    if frequent and rng.random() < 0.5:
        return f"Works on {_names(frequent, topics)}."
    if person.level == "peripheral" and rng.random() < 0.4:
        community = _home(person)
        return f"Occasionally works with {rng.choice(community.topics).name}."
    return ""


def _names(topic_ids: list[str], topics: dict[str, tuple[CommunitySpec, Topic]]) -> str:
    """Topic names joined as an English list."""
    names = [topics[t][1].name for t in topic_ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _profile(rng: random.Random, person: Person, title: str, unit: str, place: Place, focus: str) -> str:
    """Free-text profile: role and place, focus, and sometimes a line of background."""
    role = title if unit in title else f"{title} in {unit}"
    sentences = [f"{role}, based in {place.city}.", focus]
    if person.level != "newcomer" and rng.random() < 0.6:
        other = rng.choice([c.name for c in COMMUNITIES if c.id != person.home])
        years = max(2, (END - person.joined_at).days // 365)
        sentences.append(rng.choice(BACKGROUNDS).format(other=other, years=years))
    return " ".join(s for s in sentences if s)


def _languages(rng: random.Random, place: Place) -> list[str]:
    """English, often the local language, sometimes one more."""
    languages = ["English"]
    if place.language and rng.random() < 0.85:
        languages.append(place.language)
    if rng.random() < 0.1:
        extra = rng.choice(SECOND_LANGUAGES)
        if extra not in languages:
            languages.append(extra)
    return languages


def _mentor_capacity(rng: random.Random, person: Person) -> int:
    """Mentees a member takes: core and active members mostly 1-3, former experts 0-1."""
    if person.is_stale:
        return rng.randint(0, 1)
    weights = MENTOR_CAPACITY.get(person.level)
    if weights is None:
        return 0
    return rng.choices(list(weights), list(weights.values()))[0]
