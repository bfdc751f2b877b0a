"""A synthetic news corpus that grows like a real one, for the scale benchmarks.

    python benchmarks/corpus.py OUT --articles 10000 [--seed 1]

Each article is a short wire story the extractor really reads (people with titles and roles,
organisations with head words, units, towns of the gazetteer, ships, dated attacks and
statements, attributed numbers). Who appears follows a long tail, as in real news: a few actors
are in most articles, and every article brings new names (people, units, villages) that no
other article shares, so the entity index keeps growing with the corpus. Deterministic for a
seed; articles are .txt files with front matter, 1,000 to a folder.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

SYLLABLES = ("ka ri mo na lu te vo sa di ren bel gar tor mir han zel pol dur sen var kos lin "
             "ab ul far ri zo me dan ek ros tav nu").split()
COUNTRIES = ("Sudan", "Myanmar", "Mali", "Armenia", "Azerbaijan", "Yemen", "Somalia", "Nigeria", "Pakistan",
             "India", "Philippines", "China", "Russia", "Ukraine", "Israel", "Lebanon", "Syria", "Niger")
TOWNS = ("El Fasher", "Nyala", "Kassala", "Bhamo", "Sagaing", "Gao", "Mopti", "Baidoa", "Kismayo", "Goma",
         "Bukavu", "Maiduguri", "Srinagar", "Tbilisi", "Yanbu", "Eilat", "Tyre", "Aleppo", "Idlib", "Kharkiv")
ORG_HEADS = ("Agency", "Ministry", "Committee", "Network", "Institute", "Council", "Front", "Movement")
UNIT_HEADS = ("Brigade", "Battalion", "Division", "Regiment", "Corps")
OUTLETS = ("Reuters", "AFP", "Al Jazeera", "the BBC", "Associated Press")
KINDS = ("soldiers", "civilians", "drones", "missiles", "fighters", "vessels")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _word(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


class Names:
    """A pool of names drawn with a long tail: index i is picked with weight 1/(i+1)."""

    def __init__(self, rng: random.Random, make, size: int) -> None:
        self.items = [make(rng) for _ in range(size)]
        self.weights = [1 / (i + 1) for i in range(size)]

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.items, self.weights)[0]


def article(rng: random.Random, n: int, people: Names, orgs: Names) -> str:
    country = rng.choice(COUNTRIES)
    town = rng.choice(TOWNS)
    published = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))
    # names only this article has: the long tail that makes the entity index grow
    local_person = f"{_word(rng)} {_word(rng, 3)}"
    unit = f"{rng.randrange(2, 400)}th {_word(rng)} {rng.choice(UNIT_HEADS)}"
    village = _word(rng, 3)
    ship = f"{_word(rng)} {_word(rng)}"
    spokesman, minister = people.pick(rng), people.pick(rng)
    org, group = orgs.pick(rng), orgs.pick(rng)
    day, day2 = rng.choice(WEEKDAYS), rng.choice(WEEKDAYS)
    killed, wounded, count = rng.randrange(2, 90), rng.randrange(2, 200), rng.randrange(5, 5000)
    kind = rng.choice(KINDS)
    outlet = rng.choice(OUTLETS)
    lines = [
        f"Fighting near {town} kills {killed} in {country}",
        "",
        f"At least {killed} people were killed and {wounded} wounded on {day} when the {unit} shelled the "
        f"village of {village} near {town}, the {org} said in a statement.",
        f"{spokesman}, a spokesman for the {org}, told {outlet} that {count} {kind} had been moved to the area.",
        f"Defence Minister {minister} said on {day2} that the {group} would answer the attack.",
        f"{local_person}, a resident of {village}, said the shelling lasted for hours.",
        f"The cargo ship {ship} was seized off the coast of {country} last week, according to the {group}.",
        f"{spokesman} added that talks with {country} would resume.",
    ]
    return (f"---\ntitle: Fighting near {town} ({n})\npublished: {published.isoformat()}\n"
            f"publisher: Synthetic Wire\n---\n" + "\n".join(lines) + "\n")


def generate(out: Path, count: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    people = Names(rng, lambda r: f"{_word(r)} {_word(r, 3)}", 400)
    orgs = Names(rng, lambda r: f"{_word(r, 3)} {rng.choice(ORG_HEADS)}", 150)
    files = []
    for n in range(count):
        folder = out / f"{n // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"article-{n:06d}.txt"
        path.write_text(article(rng, n, people, orgs), encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    generate(args.out, args.articles, args.seed)
    print(f"{args.articles} articles in {args.out}")


if __name__ == "__main__":
    main()
