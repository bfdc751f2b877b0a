"""Role links that fit the entities' resolved types: what the mapping writes conforms by construction.

The extractor reads a role from one sentence ("Wales" gives a number, "Arsenal" signs a deal,
"Houthi-controlled areas" is where an attack happened); resolution types the entity from every
article that names it (Wales a place, Arsenal a place, the Houthis an organisation). The two can
disagree, and the shapes forbid the link that results (a claimant is an actor, an event's place is
a place). So before an article is mapped, each role link is checked against the classes the shapes
admit for it; a link that does not fit is dropped, kept on the event or claim as a
``DroppedRole`` (written as ``kgo:droppedRole`` for ``kg explain``) and counted by the build.

Which classes a role admits is read from the shapes (``RoleRules.from_shapes``), never written
here: the shapes stay the one place that says what a valid graph is.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from kg.model import ArticleResult, Claim, DroppedRole, Event
from kg.resolve import Entity
from kg.vocab import KGO_NS

# role -> the class whose shape constrains it; the roles are the properties kg writes from the
# text that link one entity to another node
ROLE_HOLDERS = {"agent": "Event", "participant": "Event", "place": "Event", "claimant": "Claim",
                "operator": "Ship"}


@dataclass(frozen=True)
class RoleRules:
    """For each role, the entity classes (kgo local names, subclasses included) it admits; a role
    absent here admits any entity."""

    admits: Mapping[str, frozenset[str]]

    @classmethod
    def from_shapes(cls, value_classes: Callable[[str, str], frozenset[str] | None]) -> RoleRules:
        """The rules the shapes set: ``value_classes(class IRI, property IRI)`` is
        ``kg.shacl.Checker.value_classes``."""
        admits = {}
        for role, holder in ROLE_HOLDERS.items():
            classes = value_classes(KGO_NS + holder, KGO_NS + role)
            if classes is not None:
                admits[role] = frozenset(c[len(KGO_NS):] for c in classes if c.startswith(KGO_NS))
        return cls(admits)

    def fits(self, role: str, type_: str) -> bool:
        allowed = self.admits.get(role)
        return allowed is None or type_ in allowed


def kind(dropped: DroppedRole) -> str:
    """How a build counts a dropped link: "kgo:place to a kgo:Organization"."""
    return f"kgo:{dropped.role} to a kgo:{dropped.type}"


def fit(result: ArticleResult, alias: Mapping[str, str], entities: Mapping[str, Entity],
        rules: RoleRules) -> ArticleResult:
    """The article's result with every role link the rules forbid dropped (and kept as a
    ``DroppedRole`` on its event or claim); the same object when nothing is dropped.

    Example:
        >>> from kg.model import Article
        >>> wales = Entity("wales", "Wales", "Place")
        >>> claim = Claim(7_000_000, "households", 0, 0, 9, "7,000,000", "wales", None, None, "r", 0.5)
        >>> result = ArticleResult(Article("a", "", "a.txt"), (), (), (), (claim,))
        >>> fitted = fit(result, {}, {"wales": wales}, RoleRules({"claimant": frozenset({"Country"})}))
        >>> fitted.claims[0].claimant, [kind(d) for d in fitted.claims[0].dropped]
        (None, ['kgo:claimant to a kgo:Place'])
    """
    def admitted(role: str, key: str | None, dropped: list[DroppedRole]) -> bool:
        if key is None:
            return False
        canonical = alias.get(key, key)
        entity = entities.get(canonical)
        if entity is None or rules.fits(role, entity.type):
            return True
        dropped.append(DroppedRole(role, canonical, entity.type))
        return False

    def fit_event(event: Event) -> Event:
        dropped: list[DroppedRole] = []
        agent = event.agent if admitted("agent", event.agent, dropped) else None
        participants = tuple(p for p in event.participants if admitted("participant", p, dropped))
        places = tuple(p for p in event.places if admitted("place", p, dropped))
        if not dropped:
            return event
        return replace(event, agent=agent, participants=participants, places=places,
                       dropped=event.dropped + tuple(dropped))

    def fit_claim(claim: Claim) -> Claim:
        dropped: list[DroppedRole] = []
        if claim.claimant is None or admitted("claimant", claim.claimant, dropped):
            return claim
        return replace(claim, claimant=None, dropped=claim.dropped + tuple(dropped))

    events = tuple(map(fit_event, result.events))
    claims = tuple(map(fit_claim, result.claims))
    if all(a is b for a, b in zip(events, result.events)) and all(a is b for a, b in zip(claims, result.claims)):
        return result
    return replace(result, events=events, claims=claims)


def dropped_in(result: ArticleResult) -> Counter[str]:
    """The role links dropped from a fitted result, by kind."""
    return Counter(kind(d) for item in (*result.events, *result.claims) for d in item.dropped)


def fit_operators(entities: Mapping[str, Entity], rules: RoleRules) -> tuple[dict[str, Entity], Counter[str]]:
    """The entities with every ship operator the rules forbid removed, and the count of those
    removed by kind (an operator is a shared fact of the entity, not one article's)."""
    fitted: dict[str, Entity] = {}
    counts: Counter[str] = Counter()
    for key, entity in entities.items():
        bad = {op for op in entity.operators if op in entities and not rules.fits("operator", entities[op].type)}
        if bad:
            counts.update(kind(DroppedRole("operator", op, entities[op].type)) for op in sorted(bad))
            entity = replace(entity, operators=frozenset(entity.operators) - bad)
        fitted[key] = entity
    return fitted, counts
