"""The anatomy teacher's word knowledge that grading relies on, as plain tables.

What may be written differently and still mean the same (abbreviations, spellings,
synonyms), and what looks alike but is a different answer (sides, opposite movements,
structures one letter apart). Everything here is lower case and already singular.
"""

from __future__ import annotations

__all__ = [
    "ABBREVIATIONS",
    "ADVERBS",
    "BARE_ABBREVIATIONS",
    "CONFUSABLE",
    "CRANIAL_NERVE_ALONE",
    "CRANIAL_NERVE_NAMES",
    "GENERIC",
    "IGNORED",
    "LEVEL_REGIONS",
    "NUMBER_WORDS",
    "OPPOSITES",
    "PHRASES",
    "PREFIX_FAMILIES",
    "STEMS",
    "STOPWORDS",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Written with a full stop (``n.``, ``lig.``); several are also typed bare.
ABBREVIATIONS: dict[str, str] = {
    "n": "nerve",
    "nn": "nerves",
    "a": "artery",
    "aa": "arteries",
    "v": "vein",
    "vv": "veins",
    "m": "muscle",
    "mm": "muscles",
    "lig": "ligament",
    "ligg": "ligaments",
    "ant": "anterior",
    "post": "posterior",
    "sup": "superior",
    "inf": "inferior",
    "med": "medial",
    "lat": "lateral",
    "br": "branch",
    "brs": "branches",
    "int": "internal",
    "ext": "external",
    "prox": "proximal",
    "dist": "distal",
    "proc": "process",
    "sp": "spinal",
    "vert": "vertebra",
}
# Bare forms that are also ordinary words ("a" the article, "v" the numeral) stay out.
BARE_ABBREVIATIONS = frozenset(ABBREVIATIONS) - {"a", "v", "int", "dist", "sp"}

# Words that carry no answer: articles, prepositions, list glue.
STOPWORDS = _words(
    "the a an of its their his her it and or at on in into onto to by from with for via "
    "along as is are which that this these those them they itself themselves each between"
)

# Kinds of thing: omitting one is a slip ("femoral" for "femoral nerve"), exchanging one
# for another is a different structure ("femoral artery").
GENERIC = _words(
    "muscle nerve artery vein ligament tendon bone branch ramus root trunk division plexus "
    "fascia aponeurosis part portion surface border region side head belly fiber layer "
    "joint capsule"
)
IGNORED = frozenset({"muscle"})  # "psoas major muscle" is psoas major

# -ly adverbs that mean the same as their adjective in an action ("medially rotates").
ADVERBS: dict[str, str] = {
    f"{word}ly": word
    for word in _words(
        "medial lateral anterior posterior superior inferior proximal distal internal "
        "external superficial deep"
    )
}
ADVERBS["deeply"] = "deep"

# Movement words: verb, noun and participle are one answer ("flexes" = "flexion").
STEMS: dict[str, str] = {}
for _stem, _forms in {
    "flex": "flex flexes flexed flexing flexion",
    "extend": "extend extends extended extending extension",
    "abduct": "abduct abducts abducted abducting abduction",
    "adduct": "adduct adducts adducted adducting adduction",
    "rotate": "rotate rotates rotated rotating rotation",
    "elevate": "elevate elevates elevated elevating elevation",
    "depress": "depress depresses depressed depressing depression",
    "protract": "protract protracts protracted protracting protraction",
    "retract": "retract retracts retracted retracting retraction",
    "invert": "invert inverts inverted inverting inversion",
    "evert": "evert everts everted everting eversion",
    "supinate": "supinate supinates supinated supinating supination",
    "pronate": "pronate pronates pronated pronating pronation",
    "dorsiflex": "dorsiflex dorsiflexes dorsiflexed dorsiflexing dorsiflexion",
    "plantarflex": "plantarflex plantarflexes plantarflexed plantarflexing plantarflexion",
    "circumduct": "circumduct circumducts circumduction",
    "stabilize": "stabilize stabilizes stabilized stabilizing stabilization",
}.items():
    for _form in _forms.split():
        STEMS[_form] = _stem

# Whole phrases with one meaning (token sequences, after spelling and plurals).
PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("ventral", "ramus"): ("anterior", "ramus"),
    ("dorsal", "ramus"): ("posterior", "ramus"),
    ("ventral", "root"): ("anterior", "root"),
    ("dorsal", "root"): ("posterior", "root"),
    ("ventral", "horn"): ("anterior", "horn"),
    ("dorsal", "horn"): ("posterior", "horn"),
    ("anterior", "primary", "ramus"): ("anterior", "ramus"),
    ("posterior", "primary", "ramus"): ("posterior", "ramus"),
    ("external", "rotate"): ("lateral", "rotate"),
    ("internal", "rotate"): ("medial", "rotate"),
    ("external", "rotator"): ("lateral", "rotator"),
    ("internal", "rotator"): ("medial", "rotator"),
    ("plantar", "flex"): ("plantarflex",),
    ("dorsi", "flex"): ("dorsiflex",),
    ("iliopectineal", "eminence"): ("iliopubic", "eminence"),
    ("iliotibial", "band"): ("iliotibial", "tract"),
    ("it", "band"): ("iliotibial", "tract"),
    ("itb",): ("iliotibial", "tract"),
    ("achille", "tendon"): ("calcaneal", "tendon"),
    ("tendo", "calcaneus"): ("calcaneal", "tendon"),
    ("lumbodorsal", "fascia"): ("thoracolumbar", "fascia"),
    ("tfl",): ("tensor", "fascia", "lata"),
    ("scm",): ("sternocleidomastoid",),
    ("acl",): ("anterior", "cruciate", "ligament"),
    ("pcl",): ("posterior", "cruciate", "ligament"),
    ("mcl",): ("medial", "collateral", "ligament"),
    ("lcl",): ("lateral", "collateral", "ligament"),
    ("asis",): ("anterior", "superior", "iliac", "spine"),
    ("aiis",): ("anterior", "inferior", "iliac", "spine"),
    ("psis",): ("posterior", "superior", "iliac", "spine"),
    ("piis",): ("posterior", "inferior", "iliac", "spine"),
    ("peroneal",): ("fibular",),  # Terminologia Anatomica: fibular = peroneal
    ("peroneus",): ("fibularis",),
    ("ischiadic",): ("sciatic",),
    ("glute",): ("gluteus",),
    ("glutei",): ("gluteus",),
    ("lat", "dorsi"): ("latissimus", "dorsi"),
    ("lateral", "dorsi"): ("latissimus", "dorsi"),
    ("quad",): ("quadriceps",),
    ("quadricep",): ("quadriceps",),
    ("bicep",): ("biceps",),
    ("tricep",): ("triceps",),
    ("disk",): ("disc",),
    # Past supinator the deep branch of the radial nerve is called posterior interosseous.
    ("posterior", "interosseous", "nerve"): ("deep", "branch", "radial", "nerve"),
    ("pin",): ("deep", "branch", "radial", "nerve"),
    ("abducent",): ("abducens",),
}

# Cranial nerves by name: "facial nerve" = "CN VII" = "cranial nerve 7".
CRANIAL_NERVE_NAMES: dict[str, int] = {
    "olfactory": 1,
    "optic": 2,
    "oculomotor": 3,
    "trochlear": 4,
    "trigeminal": 5,
    "abducens": 6,
    "abducent": 6,
    "facial": 7,
    "vestibulocochlear": 8,
    "auditory": 8,
    "statoacoustic": 8,
    "glossopharyngeal": 9,
    "vagus": 10,
    "vagal": 10,
    "accessory": 11,
    "hypoglossal": 12,
}
# Names that mean the nerve even without "nerve" after them.
CRANIAL_NERVE_ALONE = frozenset(
    {"oculomotor", "trigeminal", "abducens", "vestibulocochlear", "glossopharyngeal",
     "vagus", "hypoglossal"}
)  # fmt: skip

# Spinal levels in cranio-caudal order (C8 is a root, not a vertebra: ranges pass it).
LEVEL_REGIONS: tuple[tuple[str, int], ...] = (("c", 8), ("t", 12), ("l", 5), ("s", 5), ("co", 1))

NUMBER_WORDS: dict[str, str] = {
    "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
    "7": "seven", "8": "eight", "9": "nine", "10": "ten", "11": "eleven", "12": "twelve",
    "1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth",
    "6th": "sixth", "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth",
    "11th": "eleventh", "12th": "twelfth",
}  # fmt: skip

# Each set: words of which exactly one is right; another from the set is a wrong answer
# however close its letters (abduction/adduction, medius/minimus).
OPPOSITES: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "medial lateral intermediate",
        "medialis lateralis intermedius",
        "anterior posterior",
        "superior inferior",
        "upper lower middle",
        "proximal distal",
        "superficial deep",
        "superficialis profundus",
        "internal external",
        "internus externus",
        "inner outer",
        "left right",
        "ipsilateral contralateral bilateral unilateral",
        "flex extend",
        "flexor extensor",
        "abduct adduct",
        "abductor adductor",
        "dorsiflex plantarflex",
        "supinate pronate",
        "supinator pronator",
        "elevate depress",
        "elevator depressor",
        "protract retract",
        "invert evert",
        "greater lesser",
        "major minor",
        "maximus medius minimus",
        "longus brevis magnus",
        "long short",
        "longissimus brevissimus",
        "ascending descending",
        "afferent efferent",
        "sympathetic parasympathetic",
        "motor sensory",
        "ventral dorsal",
        "palmar plantar dorsal",
        "ulnar radial",
        "tibial fibular",
        "cranial caudal",
        "rostral caudal",
        "anterolateral anteromedial posterolateral posteromedial",
        "superolateral superomedial inferolateral inferomedial",
        "one two three four five six seven eight nine ten eleven twelve half quarter",
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth",
    )
)

# One-letter neighbours that are different structures: never a typo of each other.
CONFUSABLE: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "ilium ileum",
        "ilial ileal",
        "iliac ileac",
        "perineum peroneum",
        "carotid parotid",
        "optic otic",
        "vagus valgus varus",
        "mental dental",
        "nasal basal",
        "radial radical",
        "humeral humoral",
        "malleus malleolus",
        "sural aural",
        "coronal coronary coronoid",
        "cranial crural",
        "auricular articular",
        "lumbar lumbrical",
        "cervical cerebral",
        "ischial ischiadic",
        "pubic pudic",
        "tarsal carpal",
        "tarsus carpus",
        "metatarsal metacarpal",
        "hallucis pollicis",
        "ulna uvula",
        "pectineus pectoralis",
        "digitorum digiti",
        "costal coastal",
        "cubital orbital",
        "celiac ciliary",
        "axial axillary",
        "trochlea cochlea",
        "styloid hyoid",
        "pterygoid pterygopalatine",
        "hypogastric hypoglossal",
    )
)

# Prefixes of opposite meaning on otherwise alike words (supraspinatus, infraspinatus).
PREFIX_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("supra", "infra", "sub"),
    ("hyper", "hypo"),
    ("inter", "intra"),
    ("pre", "post"),
    ("epi", "endo", "peri", "hypo"),
    ("ante", "retro"),
    ("ecto", "endo"),
    ("anterior", "posterior"),
    ("dorsi", "plantar", "palmar"),
    ("ab", "ad"),
)
